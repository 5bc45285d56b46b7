/**
 * onnxruntime-node sessions, run synchronously.
 *
 * Why the binding and not `InferenceSession.run`: the public `run` is async only to defer the
 * (synchronous) native call with `setImmediate`; agents update and act synchronously inside the
 * training loops, so pixelrl calls the native session of the pinned onnxruntime-node version
 * (1.30.x: `dist/binding.js`) directly. Tensors are onnxruntime-common's, so feeds wrap typed
 * arrays without copying and preallocated fetches are written in place.
 */
import { createRequire } from 'node:module';
import type { Tensor as OrtTensor } from 'onnxruntime-common';

/** Where the graphs run: the CPU (MLAS), CUDA (ORT's CUDA 12 provider), or WebGPU (Dawn, bundled). */
export const DEVICES = ['cpu', 'cuda', 'webgpu'] as const;
export type Device = (typeof DEVICES)[number];

/** What a session runs on. */
export interface SessionOptions {
  device: Device;
  /** Intra-op threads (ORT's thread pool for one kernel). */
  threads: number;
}

/** A session's options and how the engine builds its graphs for this machine. */
export interface OrtOptions extends SessionOptions {
  /**
   * Not a session option but how train-step graphs are built for this machine: ORT's NCHWc block
   * size for the step graphs' convs (src/engine/graph/nchwc.ts), 0 for plain `Conv` nodes.
   */
  nchwcBlock: number;
}

interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, OrtTensor>,
    fetches: Record<string, OrtTensor | null>,
    options: object,
  ): Record<string, OrtTensor | { type: string; data: unknown; dims: number[] }>;
  dispose(): void;
  readonly outputMetadata: { name: string }[];
}

/** The loaded runtime: its Tensor class and a session factory. */
export interface OrtRuntime {
  readonly version: string;
  readonly Tensor: typeof OrtTensor;
  createSession(model: Uint8Array, options: SessionOptions): OrtSession;
}

export interface OrtSession {
  readonly outputNames: readonly string[];
  /** Runs the graph; `fetches` name outputs to write into (preallocated) or null (allocated by ORT). */
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>): Record<string, OrtTensor>;
  dispose(): void;
}

function providers(device: Device): unknown[] {
  if (device === 'cpu') return ['cpu'];
  if (device === 'cuda') return [{ name: 'cuda', deviceId: 0 }];
  return ['webgpu'];
}

/** Loads onnxruntime-node; throws with the reason when it cannot (callers fall back). */
export function loadOrt(): OrtRuntime {
  const require = createRequire(import.meta.url);
  const common = require('onnxruntime-common') as { Tensor: typeof OrtTensor };
  const node = require('onnxruntime-node') as { env: { versions: { node?: string } } };
  const version = node.env.versions.node ?? 'unknown';
  if (!version.startsWith('1.30.')) {
    throw new Error(`onnxruntime-node ${version} is installed; pixelrl's engine needs 1.30.x`);
  }
  const binding = require('onnxruntime-node/dist/binding.js') as {
    binding: { InferenceSession: new () => NativeSession };
    initOrt(): void;
  };
  binding.initOrt();
  return {
    version,
    Tensor: common.Tensor,
    createSession(model, options) {
      const native = new binding.binding.InferenceSession();
      native.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, {
        executionProviders: providers(options.device),
        intraOpNumThreads: options.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
        ...(process.env.PIXELRL_ORT_PROFILE
          ? { enableProfiling: true, profileFilePrefix: process.env.PIXELRL_ORT_PROFILE }
          : {}),
      });
      const outputNames = native.outputMetadata.map((m) => m.name);
      let disposed = false;
      return {
        outputNames,
        run(feeds, fetches) {
          if (disposed) throw new Error('ort session used after dispose');
          const raw = native.run(feeds, fetches, {});
          const out: Record<string, OrtTensor> = {};
          for (const [name, value] of Object.entries(raw)) {
            out[name] =
              value instanceof common.Tensor
                ? value
                : new common.Tensor(value.type as 'float32', value.data as Float32Array, value.dims);
          }
          return out;
        },
        dispose() {
          if (!disposed && process.env.PIXELRL_ORT_PROFILE)
            (native as unknown as { endProfiling(): void }).endProfiling();
          if (!disposed) native.dispose();
          disposed = true;
        },
      };
    },
  };
}
