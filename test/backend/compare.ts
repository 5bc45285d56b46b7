/** Runs one computation on `cpu` and on `wasm` from the same input values, and compares. */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import type { Rng } from '../../src/util/rng.js';

/** Plain-array inputs, so each backend builds its own tensors from the same numbers. */
export interface Inputs {
  [name: string]: { shape: number[]; values: Float32Array | Int32Array; dtype: 'float32' | 'int32' };
}

export function randomInput(rng: Rng, shape: number[], scale = 1): Inputs[string] {
  const n = shape.reduce((p, d) => p * d, 1);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = rng.normal() * scale;
  return { shape, values, dtype: 'float32' };
}

export function intInput(values: number[]): Inputs[string] {
  return { shape: [values.length], values: Int32Array.from(values), dtype: 'int32' };
}

async function runOn(
  backend: 'cpu' | 'wasm',
  inputs: Inputs,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor[],
): Promise<Float32Array[]> {
  await initBackend({ backend });
  return tf
    .tidy(() => {
      const t: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(inputs)) t[k] = tf.tensor(v.values, v.shape, v.dtype);
      return fn(t);
    })
    .map((r) => {
      const data = Float32Array.from(r.dataSync());
      r.dispose();
      return data;
    });
}

/**
 * Asserts wasm's results match cpu's: every entry within `tol · (1 + max |cpu entry|)` of the
 * same result (the scale term covers float32 sums whose order differs between backends).
 */
export async function expectBackendsAgree(
  label: string,
  inputs: Inputs,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor[],
  tol = 1e-4,
): Promise<void> {
  const cpu = await runOn('cpu', inputs, fn);
  const wasm = await runOn('wasm', inputs, fn);
  expect(wasm.length, `${label}: number of results`).toBe(cpu.length);
  cpu.forEach((ref, i) => {
    expect(wasm[i].length, `${label}: size of result ${i}`).toBe(ref.length);
    let scale = 0;
    let worst = 0;
    for (let j = 0; j < ref.length; j++) {
      scale = Math.max(scale, Math.abs(ref[j]));
      worst = Math.max(worst, Math.abs(ref[j] - wasm[i][j]));
    }
    if (!(worst <= tol * (1 + scale))) {
      throw new Error(
        `${label}: result ${i} differs by ${worst} (scale ${scale}, tolerance ${tol * (1 + scale)})`,
      );
    }
  });
}
