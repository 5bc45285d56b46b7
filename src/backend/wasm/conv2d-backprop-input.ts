/**
 * Conv2DBackpropInput for wasm. The stock wasm kernel (a direct loop) took 123 ms of a
 * Nature-CNN DQN step on this machine. Two faster routes:
 * - stride 1: dx is the full correlation of dy with the filter flipped in space and transposed
 *   in channels, a plain stride-1 conv that XNNPACK runs (the filter is small to flip);
 * - stride > 1: dx = col2im(dy₂d · W₂dᵀ), the product by XNNPACK and col2im in JS over the
 *   wasm heap (a conv would need zeros inserted between dy's pixels: s² times the work).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { col2im, colShape } from '../kernels/col2im.js';
import { type ConvAttrs, convGeometry } from '../kernels/conv-geometry.js';
import type { WasmBackendLike, WasmKernelContext } from './context.js';

export function conv2dBackpropInputConfig(
  ctxFor: (backend: WasmBackendLike) => WasmKernelContext,
  stock: KernelConfig,
): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const ctx = ctxFor(backend as WasmBackendLike);
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    const g = convGeometry('Conv2DBackpropInput', a.inputShape, filter.shape, a);
    const [m, k] = colShape(g);
    const f = g.outChannels;
    const top = g.filterHeight - 1 - g.padTop;
    const left = g.filterWidth - 1 - g.padLeft;
    if (g.strideHeight === 1 && g.strideWidth === 1 && top >= 0 && left >= 0) {
      const flipped = ctx.run('Reverse', { x: filter }, { dims: [0, 1] });
      const wFlip = ctx.transpose(flipped, [0, 1, 3, 2]);
      const bottom = g.inHeight + g.filterHeight - 1 - g.outHeight - top;
      const right = g.inWidth + g.filterWidth - 1 - g.outWidth - left;
      const dx = ctx.conv2d(dy, wFlip, [top, bottom, left, right], [1, 1]);
      ctx.release(flipped, wFlip);
      return dx;
    }

    const wT = ctx.transpose2d({ dataId: filter.dataId, shape: [k, f], dtype: 'float32' });
    const dcol = ctx.matmul({ dataId: dy.dataId, shape: [m, f], dtype: 'float32' }, wT);
    const dx = ctx.alloc([...a.inputShape]);
    const heap = ctx.heap();
    const dxOff = ctx.offset(dx);
    heap.fill(0, dxOff, dxOff + g.batch * g.inHeight * g.inWidth * g.inChannels);
    col2im(heap, ctx.offset(dcol), heap, dxOff, g);
    ctx.release(wT, dcol);
    return dx;
  };
  return { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
}
