/**
 * Calling one backend's kernels from inside another kernel, below the engine: the results are
 * TensorInfos this code must dispose itself (`release`); only the TensorInfo a kernel returns is
 * handed to the engine. Shared by pixelrl's wasm and cpu kernels.
 */
import type * as tf from '@tensorflow/tfjs';
import { getKernel, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';

/** What every tfjs backend offers for freeing a kernel's intermediate results. */
export interface DisposingBackend {
  disposeData(dataId: object, force?: boolean): boolean;
}

export class KernelCalls {
  constructor(
    readonly backend: DisposingBackend,
    readonly backendName: 'wasm' | 'cpu',
  ) {}

  /** Runs whatever kernel is registered under `name` for this backend (stock or pixelrl's). */
  run(name: string, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap): TensorInfo {
    const config = getKernel(name, this.backendName);
    if (config === undefined) throw new Error(`pixelrl kernel: no ${this.backendName} kernel named ${name}`);
    const run = config.kernelFunc as KernelFunc;
    return run({ inputs, attrs, backend: this.backend as unknown as tf.KernelBackend }) as TensorInfo;
  }

  release(...infos: TensorInfo[]): void {
    for (const info of infos) this.backend.disposeData(info.dataId);
  }

  /** Permutes the axes of `x`, as a new tensor. */
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /**
   * A stride-1 NHWC conv2d by the registered Conv2D (XNNPACK on wasm), with explicit padding
   * [top, bottom, left, right] and dilation; negative bottom/right padding crops the output.
   */
  conv2d(
    x: TensorInfo,
    filter: TensorInfo,
    pad: [number, number, number, number],
    dilations: [number, number],
  ): TensorInfo {
    const [top, bottom, left, right] = pad;
    if (top < 0 || left < 0) throw new Error('pixelrl kernel: negative leading padding');
    const explicit = [
      [0, 0],
      [top, Math.max(0, bottom)],
      [left, Math.max(0, right)],
      [0, 0],
    ];
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
}
