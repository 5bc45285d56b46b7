/**
 * Conv2DBackpropFilter for wasm, which tfjs-backend-wasm 4.22 lacks (so no conv net trains on it
 * out of the box): dW = colᵀ · dy, with im2col written by JS straight into the wasm heap and the
 * product done by XNNPACK. Computed as (dy₂dᵀ · col)ᵀ so that both transposes are of small
 * matrices ([M, F] and [F, K]) and the big col matrix is never transposed.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike, WasmKernelContext } from './context.js';
import { type ConvAttrs, convGeometry } from './conv-geometry.js';
import { colShape, im2col } from './im2col.js';

export function conv2dBackpropFilterConfig(
  ctxFor: (backend: WasmBackendLike) => WasmKernelContext,
): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const ctx = ctxFor(backend as WasmBackendLike);
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    const g = convGeometry('Conv2DBackpropFilter', x.shape, a.filterShape, a);
    const [m, k] = colShape(g);
    const f = g.outChannels;

    const col = ctx.alloc([m, k]);
    const heap = ctx.heap();
    im2col(heap, ctx.offset(x), heap, ctx.offset(col), g);

    const dyT = ctx.transpose2d({ dataId: dy.dataId, shape: [m, f], dtype: 'float32' });
    const dwT = ctx.matmul(dyT, col);
    const dw = ctx.transpose2d(dwT);
    ctx.release(col, dyT, dwT);
    dw.shape = [...a.filterShape];
    return dw;
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc };
}
