/**
 * Identity for wasm that shares the input's buffer (reference-counted) instead of copying it,
 * as tfjs' cpu backend does. tfjs clones every tensor it saves for the backward pass through
 * Identity, so the stock copying kernel runs 40–50 times per DQN step (every activation of
 * the Nature CNN, and the 3.6 MB input batch, copied once more). Sharing is safe because tfjs
 * tensors are immutable: variables change by swapping buffers, never in place, and no pixelrl
 * or stock wasm kernel writes into an input.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';

interface RefCounting {
  incRef(dataId: object): void;
}

export function identityConfig(stock: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return stock.kernelFunc(args);
    (args.backend as RefCounting).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
  return { kernelName: 'Identity', backendName: 'wasm', kernelFunc };
}
