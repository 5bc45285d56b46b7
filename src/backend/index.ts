/**
 * The tfjs tensor backend: choosing it (select.ts) and pixelrl's wasm kernels (wasm/). The
 * optimizers are the engines' (src/engine/).
 */
export { cpuKernelsRegistered, registerCpuKernels } from './cpu-kernels.js';
export {
  BACKEND_NAMES,
  type BackendInfo,
  type BackendName,
  type InitBackendOptions,
  initBackend,
  parseBackendName,
} from './select.js';
export { PIXELRL_WASM_KERNELS, registerWasmKernels, wasmKernelsRegistered } from './wasm/register.js';
