/**
 * The tensor backend: choosing it (select.ts), pixelrl's wasm kernels (wasm/), and the few tensor
 * helpers and optimizers that must be right on every backend.
 */
export { adam, FUSED_ADAM_MAX_SIZE, FusedAdamOptimizer } from './adam.js';
export { cpuKernelsRegistered, registerCpuKernels } from './cpu-kernels.js';
export { type ClippedGradients, clipByGlobalNorm, huberLoss, selectActions } from './ops.js';
export { CenteredRMSPropOptimizer, rmsprop } from './rmsprop.js';
export {
  BACKEND_NAMES,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
  initBackend,
  parseBackendName,
} from './select.js';
export { PIXELRL_WASM_KERNELS, registerWasmKernels, wasmKernelsRegistered } from './wasm/register.js';
