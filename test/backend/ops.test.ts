import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, huberLoss, selectActions } from '../../src/backend/ops.js';
import { initBackend } from '../../src/backend/select.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('selectActions', () => {
  it('picks q[i, a_i] from a tensor or an array of actions', () => {
    const q = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(selectActions(q, [2, 0]).dataSync())).toEqual([3, 4]);
    expect(Array.from(selectActions(q, tf.tensor1d([1, 1], 'int32')).dataSync())).toEqual([2, 5]);
  });

  it('has the one-hot mask as gradient', () => {
    const q = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(selectActions(x, [2, 0])))(q);
    expect(g.arraySync()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('rejects out-of-range actions and mismatched batches', () => {
    const q = tf.zeros([2, 3]);
    expect(() => selectActions(q, [0, 3])).toThrow(/action 3 is not an integer in \[0, 3\)/);
    expect(() => selectActions(q, [0])).toThrow(/got 1 actions for a batch of 2/);
    expect(() => selectActions(tf.zeros([3]), [0])).toThrow(/shape \[batch, actions\]/);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales by clipNorm / globalNorm when the norm is larger (3-4-5 worked by hand)', () => {
    const { grads, globalNorm } = clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1);
    expect(globalNorm.dataSync()[0]).toBeCloseTo(5, 6);
    expect(grads[0].dataSync()[0]).toBeCloseTo(0.6, 6);
    expect(grads[1].dataSync()[0]).toBeCloseTo(0.8, 6);
  });

  it('leaves gradients under the norm unchanged and keeps the names of a map', () => {
    const { grads, globalNorm } = clipByGlobalNorm({ w: tf.tensor2d([[0.3, 0.4]]), b: tf.scalar(0) }, 10);
    expect(globalNorm.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(Object.keys(grads).sort()).toEqual(['b', 'w']);
    expect(Array.from(grads.w.dataSync())).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('makes no tensors other than its results', () => {
    const g = [tf.ones([3, 3]), tf.ones([2])];
    const before = tf.memory().numTensors;
    const out = clipByGlobalNorm(g, 1);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([out.grads, out.globalNorm]);
  });

  it('rejects a non-positive clip norm', () => {
    expect(() => clipByGlobalNorm([tf.ones([1])], 0)).toThrow(/clipNorm must be a positive number/);
  });
});

describe('huberLoss', () => {
  it('is quadratic inside delta and linear outside (worked by hand)', () => {
    // d = 0.5 → 0.125; d = -2 → 1·(2 − 0.5) = 1.5; mean = 0.8125.
    const loss = huberLoss(tf.tensor1d([1.5, 0]), tf.tensor1d([1, 2]));
    expect(loss.dataSync()[0]).toBeCloseTo(0.8125, 6);
  });

  it('agrees with tf.losses.huberLoss', () => {
    const p = tf.randomNormal([7, 3], 0, 2, 'float32', 1);
    const t = tf.randomNormal([7, 3], 0, 2, 'float32', 2);
    expect(huberLoss(p, t, 1.5).dataSync()[0]).toBeCloseTo(
      tf.losses.huberLoss(t, p, undefined, 1.5).dataSync()[0],
      5,
    );
  });
});
