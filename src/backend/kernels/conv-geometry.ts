/** Turns a conv2d kernel's attributes into a {@link ConvGeometry}, via tfjs' own shape logic. */
import * as tf from '@tensorflow/tfjs';
import type { ConvGeometry } from './col2im.js';

/** The attributes shared by Conv2DBackpropFilter and Conv2DBackpropInput. */
export interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function convGeometry(
  kernel: string,
  inputShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
): ConvGeometry & { outChannels: number } {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`pixelrl's wasm ${kernel} supports NHWC (channelsLast) only; use dataFormat 'NHWC'`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
