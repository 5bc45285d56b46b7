/**
 * pixelrl's kernels for tfjs' pure-JS `cpu` backend, the fallback when wasm cannot load: the
 * filter gradient of conv2d as a dilated conv (kernels/conv2d-backprop-filter.ts), which makes
 * conv nets trainable on cpu at all (the stock kernel takes tens of seconds per Nature step).
 * Idempotent, like the wasm registration.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from './kernels/conv2d-backprop-filter.js';

const PIXELRL_KERNEL = Symbol.for('pixelrl.cpuKernel');

/** Whether pixelrl's cpu kernels are in the registry. */
export function cpuKernelsRegistered(): boolean {
  const config = tf.getKernel('Conv2DBackpropFilter', 'cpu');
  return config !== undefined && PIXELRL_KERNEL in config;
}

export function registerCpuKernels(): void {
  if (cpuKernelsRegistered()) return;
  const config = conv2dBackpropFilterConfig('cpu');
  Object.defineProperty(config, PIXELRL_KERNEL, { value: true });
  if (tf.getKernel(config.kernelName, 'cpu') !== undefined) tf.unregisterKernel(config.kernelName, 'cpu');
  tf.registerKernel(config);
}
