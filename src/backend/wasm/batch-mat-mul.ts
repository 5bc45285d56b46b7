/**
 * BatchMatMul for wasm that keeps XNNPACK's fast path when a transpose is asked for.
 *
 * The stock kernel runs XNNPACK only with no transpose flags and a batch of 1; otherwise it
 * falls back to a naive blocked loop, and every backward matmul asks for a transpose
 * (dA = dC·Bᵀ, dB = Aᵀ·dC). Here the operands are transposed explicitly first, choosing
 * between C = A'·B' and C = (B'ᵀ·A'ᵀ)ᵀ whichever moves fewer elements, since transposing a
 * 3136×512 weight matrix costs more than transposing the 32-row batch twice. Batched (rank-3
 * with batch > 1) products go to the stock kernel unchanged.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike, WasmKernelContext } from './context.js';

function size(shape: number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

export function batchMatMulConfig(
  ctxFor: (backend: WasmBackendLike) => WasmKernelContext,
  stock: KernelConfig,
): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const ctx = ctxFor(backend as WasmBackendLike);
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const batched = size(a.shape.slice(0, -2)) !== 1 || size(b.shape.slice(0, -2)) !== 1;
    if ((!transposeA && !transposeB) || batched || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return ctx.stockBatchMatMul(inputs as Record<string, TensorInfo>, attrs ?? {});
    }
    const [a0, a1] = a.shape.slice(-2);
    const [b0, b1] = b.shape.slice(-2);
    const a2: TensorInfo = { dataId: a.dataId, shape: [a0, a1], dtype: 'float32' };
    const b2: TensorInfo = { dataId: b.dataId, shape: [b0, b1], dtype: 'float32' };
    const m = transposeA ? a1 : a0;
    const n = transposeB ? b0 : b1;
    const inner = transposeA ? a0 : a1;
    const innerB = transposeB ? b1 : b0;
    if (inner !== innerB) {
      throw new Error(
        `matMul: inner dimensions ${inner} and ${innerB} of shapes [${a.shape}] and [${b.shape}] (transposeA=${transposeA}, transposeB=${transposeB}) must match`,
      );
    }
    const sizeA = a0 * a1;
    const sizeB = b0 * b1;
    // Elements moved: explicit transposes, plus XNNPACK packing its right operand.
    const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0) + sizeB;
    const flipped = (transposeB ? 0 : sizeB) + (transposeA ? 0 : sizeA) + m * n + sizeA;
    let out: TensorInfo;
    if (direct <= flipped) {
      const lhs = transposeA ? ctx.transpose2d(a2) : a2;
      const rhs = transposeB ? ctx.transpose2d(b2) : b2;
      out = ctx.matmul(lhs, rhs);
      if (lhs !== a2) ctx.release(lhs);
      if (rhs !== b2) ctx.release(rhs);
    } else {
      // Cᵀ = B'ᵀ · A'ᵀ, where B'ᵀ is b itself when transposeB, and A'ᵀ is a itself when transposeA.
      const lhs = transposeB ? b2 : ctx.transpose2d(b2);
      const rhs = transposeA ? a2 : ctx.transpose2d(a2);
      const outT = ctx.matmul(lhs, rhs);
      out = ctx.transpose2d(outT);
      ctx.release(outT);
      if (lhs !== b2) ctx.release(lhs);
      if (rhs !== a2) ctx.release(rhs);
    }
    const outer = rankA >= rankB ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
    out.shape = [...outer, m, n];
    return out;
  };
  return { kernelName: 'BatchMatMul', backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
}
