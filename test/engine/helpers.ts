/** Runs small graphs on onnxruntime-node and compares arrays with tfjs `cpu` results. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { GraphBuilder } from '../../src/engine/graph/builder.js';
import { encodeModel } from '../../src/engine/onnx/model-proto.js';
import { loadOrt, type OrtRuntime } from '../../src/engine/ort/session.js';

/** onnxruntime-node (require() caches the module, so this is cheap after the first call). */
export function ort(): OrtRuntime {
  return loadOrt();
}

/** Builds and runs `g` once on float inputs; returns every output by name. */
export function runGraph(
  g: GraphBuilder,
  feeds: Record<string, { data: Float32Array; dims: number[] }>,
): Record<string, Float32Array> {
  const rt = ort();
  const session = rt.createSession(encodeModel(g.build()), { device: 'cpu', threads: 1 });
  try {
    const tensors = Object.fromEntries(
      Object.entries(feeds).map(([k, v]) => [k, new rt.Tensor('float32', v.data, v.dims)]),
    );
    const fetches = Object.fromEntries(session.outputNames.map((n) => [n, null]));
    const out = session.run(tensors, fetches);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    session.dispose();
  }
}

/** Element-wise |a − b| ≤ tol·(1 + |b|). */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5, what = ''): void {
  expect(a.length, `${what}: length`).toBe(b.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i]));
    if (!(err <= worst)) {
      worst = err;
      at = i;
    }
  }
  expect(worst, `${what}: worst relative error at ${at} (${a[at]} vs ${b[at]})`).toBeLessThanOrEqual(tol);
}

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}
