/**
 * What pixelrl's wasm kernels need from tfjs' wasm backend, typed narrowly, and the stock wasm
 * kernels they compose (Transpose, and BatchMatMul's XNNPACK path).
 *
 * The kernels call other kernels' functions directly, below the engine: intermediate results are
 * TensorInfos that this code must dispose itself (`release`), and only the returned TensorInfo is
 * handed to the engine. Heap views go stale when the wasm memory grows (any allocation may grow
 * it), so take them with `heap()` only after the last allocation of a step.
 */
import type * as tf from '@tensorflow/tfjs';
import {
  type DataType,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs';

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
  constructor(
    readonly backend: WasmBackendLike,
    private readonly stock: StockKernels,
  ) {}

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
    for (const info of infos) this.backend.disposeData(info.dataId);
  }

  private call(config: KernelConfig, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
    const run = config.kernelFunc as KernelFunc;
    return run({ inputs, attrs, backend: this.backend as unknown as tf.KernelBackend }) as TensorInfo;
  }

  /** Runs whatever wasm kernel is registered under `name` (stock or pixelrl's). */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
    const config = getKernel(name, 'wasm');
    if (config === undefined) throw new Error(`pixelrl wasm kernel: no wasm kernel named ${name}`);
    return this.call(config, inputs, attrs);
  }

  /**
   * A stride-1 NHWC conv2d by the registered Conv2D (XNNPACK), with explicit padding
   * [top, bottom, left, right] and dilation; negative padding crops the output afterwards.
   */
  conv2d(
    x: TensorInfo,
    filter: TensorInfo,
    pad: [number, number, number, number],
    dilations: [number, number],
  ): TensorInfo {
    const [top, bottom, left, right] = pad;
    const explicit = [
      [0, 0],
      [Math.max(0, top), Math.max(0, bottom)],
      [Math.max(0, left), Math.max(0, right)],
      [0, 0],
    ];
    if (top < 0 || left < 0) throw new Error('pixelrl wasm kernel: negative leading padding');
    const out = this.run(
      'Conv2D',
      { x, filter },
      { strides: [1, 1], pad: explicit, dataFormat: 'NHWC', dilations },
    );
    if (bottom >= 0 && right >= 0) return out;
    const [n, h, w, c] = out.shape;
    const cropped = this.run(
      'Slice',
      { x: out },
      { begin: [0, 0, 0, 0], size: [n, h + Math.min(0, bottom), w + Math.min(0, right), c] },
    );
    this.release(out);
    return cropped;
  }

  /** Permutes the axes of `x`, as a new tensor. */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.call(this.stock.transpose, { x }, { perm });
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
