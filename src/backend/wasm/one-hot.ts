/**
 * OneHot for wasm that honours `dtype`. The stock wasm 4.22 kernel writes int32 bit patterns
 * whatever dtype is asked for, so `tf.oneHot(i, n, 1, 0, 'float32')` reads as 1.4e-45 instead
 * of 1 (found by the conformance suite; it silently zeroes a one-hot Q(s, a) mask). The wrapper
 * runs the stock kernel in int32 and casts.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike, WasmKernelContext } from './context.js';

export function oneHotConfig(
  ctxFor: (backend: WasmBackendLike) => WasmKernelContext,
  stock: KernelConfig,
): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const attrs = args.attrs as { dtype?: string } | undefined;
    if (attrs?.dtype === undefined || attrs.dtype === 'int32') return stock.kernelFunc(args);
    const ctx = ctxFor(args.backend as WasmBackendLike);
    const ints = stock.kernelFunc({ ...args, attrs: { ...attrs, dtype: 'int32' } }) as TensorInfo;
    const out = ctx.run('Cast', { x: ints }, { dtype: attrs.dtype });
    ctx.release(ints);
    return out;
  };
  return { kernelName: 'OneHot', backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
}
