import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rmsprop } from '../../src/backend/rmsprop.js';
import { initBackend } from '../../src/backend/select.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function oneStep(opt: tf.Optimizer): number {
  const w = tf.variable(tf.scalar(1));
  opt.minimize(() => tf.square(w) as tf.Scalar, false, [w]); // gradient 2
  const value = w.dataSync()[0];
  w.dispose();
  return value;
}

describe('rmsprop', () => {
  it('centered: divides by sqrt(ms - mg^2 + eps) (worked by hand)', () => {
    // g = 2, decay 0.95: ms = 0.05·4 = 0.2, mg = 0.05·2 = 0.1;
    // sqrt(0.2 − 0.01 + 0.01) = 0.44721; step = 0.1·2 / 0.44721 = 0.44721; w = 0.55279.
    expect(oneStep(rmsprop(0.1, 0.95, 0, 0.01, true))).toBeCloseTo(0.55279, 4);
    // tfjs' own class gives sqrt(0.2 − 0.02) → w = 0.52860: the bug this module works around.
    expect(oneStep(tf.train.rmsprop(0.1, 0.95, 0, 0.01, true))).toBeCloseTo(0.5286, 4);
  });

  it('centered: stays finite where tfjs goes NaN, and reports its real epsilon', () => {
    const opt = rmsprop(0.01, 0.95, 0, 0.01, true);
    const w = tf.variable(tf.tensor1d([1, -2, 0.5]));
    for (let i = 0; i < 50; i++) opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    expect(Array.from(w.dataSync()).every(Number.isFinite)).toBe(true);
    expect(opt.getConfig().epsilon).toBe(0.01);
    expect(opt.getConfig().centered).toBe(true);
  });

  it('non-centered: identical to tf.train.rmsprop', () => {
    expect(oneStep(rmsprop(0.1, 0.9, 0.5, 1e-6))).toBe(oneStep(tf.train.rmsprop(0.1, 0.9, 0.5, 1e-6)));
  });

  it('rejects a non-positive epsilon', () => {
    expect(() => rmsprop(0.1, 0.9, 0, 0)).toThrow(/epsilon must be positive/);
  });
});
