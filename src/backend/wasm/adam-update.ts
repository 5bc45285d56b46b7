/**
 * `PixelrlAdamUpdate`, a wasm kernel doing one variable's whole Adam update in one pass over the
 * heap: inputs value, m, v, gradient; outputs new value, m, v (fresh buffers: XNNPACK caches
 * packed weights by tensor id, so weights must never change in place).
 *
 * tfjs' AdamOptimizer spends ~13 kernel calls per variable, each a full pass over memory
 * (17 ms of a Nature-CNN step here, and most of the per-step kernel count of small nets).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike, WasmKernelContext } from './context.js';

export const ADAM_UPDATE_KERNEL = 'PixelrlAdamUpdate';

/** Attributes of {@link ADAM_UPDATE_KERNEL}; the bias corrections are 1 − βᵗ for this step t. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  correction1: number;
  correction2: number;
}

export function adamUpdateConfig(ctxFor: (backend: WasmBackendLike) => WasmKernelContext): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] => {
    const ctx = ctxFor(backend as WasmBackendLike);
    const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
    const a = attrs as unknown as AdamUpdateAttrs;
    const size = value.shape.reduce((p, d) => p * d, 1);
    const outValue = ctx.alloc([...value.shape]);
    const outM = ctx.alloc([...value.shape]);
    const outV = ctx.alloc([...value.shape]);
    const heap = ctx.heap();
    // Zero-based views per tensor: V8 compiles this loop tighter than offset arithmetic on the heap.
    const view = (info: TensorInfo) => heap.subarray(ctx.offset(info), ctx.offset(info) + size);
    const [w0, m0, v0, g0] = [view(value), view(m), view(v), view(gradient)];
    const [w1, m1, v1] = [view(outValue), view(outM), view(outV)];
    const { beta1, beta2, epsilon } = a;
    const c1 = 1 / a.correction1;
    const c2 = 1 / a.correction2;
    const lr = a.learningRate;
    for (let i = 0; i < size; i++) {
      const g = g0[i];
      const mi = beta1 * m0[i] + (1 - beta1) * g;
      const vi = beta2 * v0[i] + (1 - beta2) * g * g;
      m1[i] = mi;
      v1[i] = vi;
      w1[i] = w0[i] - (lr * (mi * c1)) / (Math.sqrt(vi * c2) + epsilon);
    }
    return [outValue, outM, outV];
  };
  return { kernelName: ADAM_UPDATE_KERNEL, backendName: 'wasm', kernelFunc };
}
