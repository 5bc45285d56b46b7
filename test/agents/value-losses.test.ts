import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import {
  doubleQLearningTarget,
  huber,
  polyakUpdate,
  qLearningTarget,
  tdErrors,
  weightedHuberLoss,
} from '../../src/engine/tfjs/value-losses.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('TD targets', () => {
  it('Q-learning: r + discount · max_a q_t', () => {
    const y = qLearningTarget(
      tf.tensor1d([1, 0, -1]),
      tf.tensor1d([0.9, 0, 0.5]),
      tf.tensor2d([
        [1, 3],
        [5, 2],
        [-4, -2],
      ]),
    );
    // 1 + 0.9·3 = 3.7; 0 + 0·5 = 0 (terminal); −1 + 0.5·(−2) = −2.
    expect(values(y)).toEqual([expect.closeTo(3.7, 6), 0, -2]);
  });

  it('Double Q-learning: the selector picks the action, the target net values it', () => {
    const y = doubleQLearningTarget(
      tf.tensor1d([1, 2]),
      tf.tensor1d([0.5, 1]),
      tf.tensor2d([
        [10, 20],
        [7, 1],
      ]),
      tf.tensor2d([
        [9, 0],
        [0, 3],
      ]),
    );
    // row 0: selector argmax = 0 → 1 + 0.5·10 = 6 (plain Q-learning would give 11);
    // row 1: argmax = 1 → 2 + 1·1 = 3.
    expect(values(y)).toEqual([6, 3]);
  });
});

describe('Huber loss', () => {
  it('is ½x² inside ±δ and δ(|x| − ½δ) outside', () => {
    expect(values(huber(tf.tensor1d([0.5, -2, 3]), 1))).toEqual([0.125, 1.5, 2.5]);
    expect(values(huber(tf.tensor1d([1.5, -3]), 2))).toEqual([1.125, 4]);
  });

  it('weights each TD error and averages over the batch', () => {
    const loss = weightedHuberLoss(tf.tensor1d([1, 1]), tf.tensor1d([1.5, 4]), tf.tensor1d([2, 0.5]), 1);
    // δ = 0.5 → 0.125 · 2 = 0.25; δ = 3 → 2.5 · 0.5 = 1.25; mean 0.75.
    expect(loss.dataSync()[0]).toBeCloseTo(0.75, 6);
  });

  it('has the TD error clipped to [−δ, δ] as its gradient', () => {
    const g = tf.grad((q: tf.Tensor) =>
      weightedHuberLoss(q as tf.Tensor1D, tf.tensor1d([0.5, 5]), tf.ones([2]), 1),
    );
    // d/dq mean(huber(y − q)) = −clip(y − q)/B: −0.5/2, −1/2.
    expect(values(g(tf.tensor1d([0, 0])))).toEqual([-0.25, -0.5]);
  });

  it('tdErrors are y − Q(s, a)', () => {
    expect(Array.from(tdErrors(tf.tensor1d([1, 2]), tf.tensor1d([3, 0])))).toEqual([2, -2]);
  });
});

describe('polyakUpdate', () => {
  it('moves the target τ of the way to the online values, and copies them at τ = 1', () => {
    const target = tf.variable(tf.tensor1d([0, 10]));
    polyakUpdate([target], [tf.tensor1d([10, 20])], 0.1);
    expect(values(target)).toEqual([1, 11]);
    polyakUpdate([target], [tf.tensor1d([4, 5])], 1);
    expect(values(target)).toEqual([4, 5]);
  });
});
