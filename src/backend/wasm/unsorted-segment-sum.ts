/**
 * UnsortedSegmentSum for wasm (missing in tfjs-backend-wasm 4.22): the gradient of `tf.gather`.
 * out[s, ...] = Σ x[i, ...] over rows i with segmentIds[i] = s; ids outside [0, numSegments)
 * are dropped, as in TensorFlow. A plain loop over the wasm heap: it is only as large as the
 * gathered rows.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike, WasmKernelContext } from './context.js';

export function unsortedSegmentSumConfig(
  ctxFor: (backend: WasmBackendLike) => WasmKernelContext,
): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const ctx = ctxFor(backend as WasmBackendLike);
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as { numSegments: number };
    if (x.dtype !== 'float32' && x.dtype !== 'int32') {
      throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 values, got ${x.dtype}`);
    }
    const rows = segmentIds.shape.reduce((p, d) => p * d, 1);
    const inner = x.shape.slice(segmentIds.shape.length).reduce((p, d) => p * d, 1);
    const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
    const out = ctx.backend.makeOutput(outShape, x.dtype);
    // Views are taken after the allocation (it may grow and detach the heap).
    const buffer = ctx.heap().buffer as ArrayBuffer;
    const Typed = x.dtype === 'float32' ? Float32Array : Int32Array;
    const xs = new Typed(buffer, ctx.offset(x) * 4, rows * inner);
    const ids = new Int32Array(buffer, ctx.offset(segmentIds) * 4, rows);
    const os = new Typed(buffer, ctx.offset(out) * 4, numSegments * inner);
    os.fill(0);
    for (let i = 0; i < rows; i++) {
      const s = ids[i];
      if (s < 0 || s >= numSegments) continue;
      let src = i * inner;
      let dst = s * inner;
      for (let j = 0; j < inner; j++) os[dst++] += xs[src++];
    }
    return out;
  };
  return { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc };
}
