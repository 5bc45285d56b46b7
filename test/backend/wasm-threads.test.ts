/**
 * The opt-in threaded wasm build (src/backend/wasm/threads.ts): it starts in Node with the
 * requested pool, and the kernels give the same values as cpu. This file must initialise wasm
 * first in its process (vitest runs each test file in its own fork).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { Rng } from '../../src/util/rng.js';
import { expectBackendsAgree, randomInput } from './compare.js';

describe('wasm with threads: 2', () => {
  it('starts the threaded-SIMD build with a pool of 2', async () => {
    const lines: string[] = [];
    const info = await initBackend({ backend: 'wasm', threads: 2, log: (l) => lines.push(l) });
    expect(info.name).toBe('wasm');
    expect(lines.join('\n')).not.toMatch(/did not start/);
    expect(info.threads).toBe(2);
    expect(info.simd).toBe(true);
  });

  it('computes conv and matmul gradients as cpu does', async () => {
    const rng = new Rng(12);
    await expectBackendsAgree(
      'threaded conv2d s2 same',
      { x: randomInput(rng, [16, 21, 21, 4]), w: randomInput(rng, [4, 4, 4, 16]) },
      ({ x, w }) => {
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')));
        return [tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'), ...tf.grads(f)([x, w])];
      },
    );
    await expectBackendsAgree(
      'threaded matMul',
      { a: randomInput(rng, [64, 300]), b: randomInput(rng, [300, 128]) },
      ({ a, b }) => [
        tf.matMul(a, b),
        ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q))))([a, b]),
      ],
    );
    await initBackend({ backend: 'wasm' });
    expect(tf.getBackend()).toBe('wasm');
  });
});
