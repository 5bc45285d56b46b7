/**
 * What pixelrl's wasm kernels need from tfjs' wasm backend, typed narrowly, and the stock wasm
 * kernels they compose (Transpose, and BatchMatMul's XNNPACK path).
 *
 * The kernels call other kernels' functions directly, below the engine (see
 * kernels/kernel-calls.ts). Heap views go stale when the wasm memory grows (any allocation may
 * grow it), so take them with `heap()` only after the last allocation of a step.
 */
import type * as tf from '@tensorflow/tfjs';
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { KernelCalls } from '../kernels/kernel-calls.js';

/** The parts of `BackendWasm` the kernels use (the class is exported, its module type is not). */
export interface WasmBackendLike {
  wasm: { HEAPF32: Float32Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number; refCount: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Stock wasm kernels, captured when pixelrl's kernels are registered. */
export interface StockKernels {
  batchMatMul: KernelConfig;
  transpose: KernelConfig;
}

export class WasmKernelContext {
  /** Kernel calls any backend supports (run, transpose, conv2d, release). */
  readonly calls: KernelCalls;

  constructor(
    readonly backend: WasmBackendLike,
    private readonly stock: StockKernels,
  ) {
    this.calls = new KernelCalls(backend, 'wasm');
  }

  /** The wasm heap as float32 (re-read after any allocation). */
  heap(): Float32Array {
    return this.backend.wasm.HEAPF32;
  }

  /** Index of the first element of `info` in {@link heap}. */
  offset(info: TensorInfo): number {
    const data = this.backend.dataIdMap.get(info.dataId);
    if (data === undefined) throw new Error('pixelrl wasm kernel: tensor data is not on the wasm backend');
    return data.memoryOffset >>> 2;
  }

  /** A freshly allocated float32 tensor (uninitialised memory). */
  alloc(shape: number[]): TensorInfo {
    return this.backend.makeOutput(shape, 'float32');
  }

  release(...infos: TensorInfo[]): void {
    this.calls.release(...infos);
  }

  private call(config: KernelConfig, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
    const run = config.kernelFunc as KernelFunc;
    return run({ inputs, attrs, backend: this.backend as unknown as tf.KernelBackend }) as TensorInfo;
  }

  /** Runs whatever wasm kernel is registered under `name` (stock or pixelrl's). */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
    return this.calls.run(name, inputs, attrs);
  }

  /** Permutes the axes of `x`, as a new tensor. */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.calls.transpose(x, perm);
  }

  /** See {@link KernelCalls.conv2d}. */
  conv2d(
    x: TensorInfo,
    filter: TensorInfo,
    pad: [number, number, number, number],
    dilations: [number, number],
  ): TensorInfo {
    return this.calls.conv2d(x, filter, pad, dilations);
  }

  /** [r, c] → [c, r], as a new tensor. */
  transpose2d(x: TensorInfo): TensorInfo {
    return this.call(this.stock.transpose, { x }, { perm: [1, 0] });
  }

  /**
   * a [m, k] · b [k, n] with XNNPACK (the stock kernel's fast path, taken only without transpose
   * flags). XNNPACK packs `b` as if it were weights, so pass the smaller operand as `b`.
   */
  matmul(a: TensorInfo, b: TensorInfo): TensorInfo {
    const out = this.call(this.stock.batchMatMul, { a, b }, { transposeA: false, transposeB: false });
    out.shape = [a.shape[0], b.shape[1]];
    return out;
  }

  /** The stock BatchMatMul, for the cases pixelrl's route does not handle. */
  stockBatchMatMul(inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
    return this.call(this.stock.batchMatMul, inputs, attrs);
  }
}
