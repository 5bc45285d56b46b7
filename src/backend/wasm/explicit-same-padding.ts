/**
 * Conv2D and FusedConv2D for wasm with 'same' padding passed to XNNPACK as explicit numbers.
 *
 * The stock kernels hand 'same' to XNNPACK as its TensorFlow-SAME flag, which gives wrong
 * results in some shapes: tfjs-backend-wasm 4.22 returns zeros for a 3x3 kernel, stride 4, on a
 * 4x3 image (cpu gives the right sums; found by the conformance suite). tfjs' own shape logic
 * already computes the padding, so the wrapper passes it explicitly and the kernel takes its
 * explicit-padding path, which is correct. Other padding modes go through unchanged.
 */

import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs';

export function explicitSamePaddingConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const attrs = (args.attrs ?? {}) as NamedAttrMap & {
      pad: unknown;
      strides: [number, number] | number;
      dilations?: [number, number] | number;
      dataFormat?: 'NHWC' | 'NCHW';
    };
    if (attrs.pad !== 'same' || attrs.dataFormat === 'NCHW') {
      return stock.kernelFunc(args);
    }
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations ?? 1,
      'same',
    );
    const { top, bottom, left, right } = info.padInfo;
    const pad = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    return stock.kernelFunc({ ...args, attrs: { ...attrs, pad } });
  };
  return { kernelName: stock.kernelName, backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
}
