/**
 * Registers pixelrl's wasm kernels: the ones training needs that tfjs-backend-wasm 4.22 lacks
 * (Conv2DBackpropFilter, UnsortedSegmentSum), faster routes for slow stock ones (BatchMatMul
 * with transposes, Conv2DBackpropInput, a copy-free Identity), and fixes
 * for 'same' padding in Conv2D / FusedConv2D and for OneHot's dtype. Each is checked against
 * `cpu` in test/backend. Idempotent: the tfjs kernel registry is process-wide, so a second call
 * (another initBackend) sees pixelrl's kernels already in place and does nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterConfig } from '../kernels/conv2d-backprop-filter.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { type StockKernels, type WasmBackendLike, WasmKernelContext } from './context.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { explicitSamePaddingConfig } from './explicit-same-padding.js';
import { identityConfig } from './identity.js';
import { oneHotConfig } from './one-hot.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

/** Marks kernel configs registered by pixelrl. */
const PIXELRL_KERNEL = Symbol.for('pixelrl.wasmKernel');

/** Names of the wasm kernels pixelrl provides or replaces. */
export const PIXELRL_WASM_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'BatchMatMul',
  'UnsortedSegmentSum',
  'Conv2D',
  'FusedConv2D',
  'OneHot',
  'Identity',
] as const;

function isPixelrl(config: tf.KernelConfig | undefined): boolean {
  return config !== undefined && PIXELRL_KERNEL in config;
}

function stockKernel(name: string): tf.KernelConfig {
  const config = tf.getKernel(name, 'wasm');
  if (config === undefined) {
    throw new Error(
      `tfjs-backend-wasm has no ${name} kernel: pixelrl's wasm kernels need tfjs-backend-wasm 4.22`,
    );
  }
  return config;
}

function install(config: tf.KernelConfig): void {
  Object.defineProperty(config, PIXELRL_KERNEL, { value: true });
  if (tf.getKernel(config.kernelName, 'wasm') !== undefined) {
    tf.unregisterKernel(config.kernelName, 'wasm');
  }
  tf.registerKernel(config);
}

/** Whether pixelrl's wasm kernels are in the registry. */
export function wasmKernelsRegistered(): boolean {
  return isPixelrl(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
}

export function registerWasmKernels(): void {
  if (wasmKernelsRegistered()) return;
  const stock: StockKernels = {
    batchMatMul: stockKernel('BatchMatMul'),
    transpose: stockKernel('Transpose'),
  };
  const stockBackpropInput = stockKernel('Conv2DBackpropInput');
  const ctxFor = (backend: WasmBackendLike) => new WasmKernelContext(backend, stock);
  install(unsortedSegmentSumConfig(ctxFor));
  install(explicitSamePaddingConfig(stockKernel('Conv2D')));
  install(explicitSamePaddingConfig(stockKernel('FusedConv2D')));
  install(oneHotConfig(ctxFor, stockKernel('OneHot')));
  install(identityConfig(stockKernel('Identity')));
  install(batchMatMulConfig(ctxFor, stock.batchMatMul));
  install(conv2dBackpropInputConfig(ctxFor, stockBackpropInput));
  // Last: its presence is what marks the whole set as registered.
  install(conv2dBackpropFilterConfig('wasm'));
}
