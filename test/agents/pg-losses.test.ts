import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { entropy, logProbOf } from '../../agents/categorical.js';
import { explainedVariance } from '../../agents/on-policy-types.js';
import {
  approxKl,
  clipFraction,
  clippedValueLoss,
  normalizeAdvantages,
  policyGradientLoss,
  ppoClipLoss,
  valueLoss,
} from '../../agents/policy-losses.js';
import { initBackend } from '../../src/backend/select.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const t1 = (xs: number[]): tf.Tensor1D => tf.tensor1d(xs);
const value = (t: tf.Tensor): number => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

// ρ = [1.5, 0.5, 1], Â = [1, −2, 3], ε = 0.2 (worked out in the comments).
const logPi = (): tf.Tensor1D => t1([Math.log(1.5), Math.log(0.5), 0]);
const logPiOld = (): tf.Tensor1D => t1([0, 0, 0]);
const adv = (): tf.Tensor1D => t1([1, -2, 3]);

describe('ppoClipLoss', () => {
  it('matches the hand-computed clipped surrogate', () => {
    // −Â·ρ = [−1.5, 1, −3]; −Â·clip(ρ) = [−1.2, 1.6, −3]; max = [−1.2, 1.6, −3]; mean = −2.6/3.
    expect(value(ppoClipLoss(logPi(), logPiOld(), adv(), 0.2))).toBeCloseTo(-2.6 / 3, 6);
  });

  it('passes gradient only where the ratio is inside the clip range or on the pessimistic side', () => {
    // Row 0: Â > 0, ρ = 1.5 > 1.2 → clipped, no gradient. Row 1: Â < 0, ρ = 0.5 < 0.8 → clipped.
    // Row 2: ρ = 1 inside: d/dlogπ (−Â·ρ)/3 = −3·1/3 = −1.
    const x = logPi();
    const g = tf.grad((lp: tf.Tensor) => ppoClipLoss(lp, logPiOld(), adv(), 0.2))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 0, -1].map((v) => expect.closeTo(v, 6)));
  });

  it('equals the vanilla policy-gradient loss at ρ = 1 (first minibatch of an update)', () => {
    const lp = t1([-0.3, -1.2, -2]);
    const a = t1([0.5, -1, 2]);
    // −mean(ρ·Â) with ρ = 1 = −mean(Â) = −1.5/3.
    expect(value(ppoClipLoss(lp, lp, a, 0.1))).toBeCloseTo(-0.5, 6);
  });

  it('refuses mismatched shapes and a non-positive clip range', () => {
    expect(() => ppoClipLoss(t1([0, 0]), t1([0]), t1([1, 1]), 0.2)).toThrow(/logPiOld_t has shape \[1\]/);
    expect(() => ppoClipLoss(t1([0]), t1([0]), t1([1]), 0)).toThrow(/clipEpsilon must be > 0/);
  });
});

describe('value losses', () => {
  const v = (): tf.Tensor1D => t1([2, 0, 1]);
  const vOld = (): tf.Tensor1D => t1([1, 1, 1]);
  const ret = (): tf.Tensor1D => t1([3, 2, 1]);

  it('valueLoss is ½·mean squared error', () => {
    // (2−3)² + (0−2)² + 0 = 5; ½·5/3.
    expect(value(valueLoss(v(), ret()))).toBeCloseTo(5 / 6, 6);
  });

  it('clippedValueLoss takes the larger of the clipped and unclipped errors', () => {
    // V_clip = 1 + clip([1, −1, 0], ±0.5) = [1.5, 0.5, 1]: errors² [2.25, 2.25, 0];
    // unclipped [1, 4, 0]; max [2.25, 4, 0]; ½·6.25/3.
    expect(value(clippedValueLoss(v(), vOld(), ret(), 0.5))).toBeCloseTo(6.25 / 6, 6);
  });
});

describe('policyGradientLoss', () => {
  it('is −mean(log π · Â)', () => {
    expect(value(policyGradientLoss(t1([-1, -2]), t1([1, 0.5])))).toBeCloseTo(1, 6);
  });
});

describe('diagnostics', () => {
  it("approxKl is CleanRL's mean((ρ − 1) − log ρ)", () => {
    // (0.5 − ln 1.5) + (−0.5 + ln 2) + 0 = 0.0945349 + 0.1931472.
    expect(value(approxKl(logPi(), logPiOld()))).toBeCloseTo(
      (0.5 - Math.log(1.5) - 0.5 + Math.log(2)) / 3,
      6,
    );
  });

  it('approxKl is never negative over random log-ratios', () => {
    const lp = tf.randomNormal([1000], 0, 2, 'float32', 7) as tf.Tensor1D;
    const zero = tf.zeros([1000]) as tf.Tensor1D;
    expect(value(approxKl(lp, zero))).toBeGreaterThan(0);
  });

  it('clipFraction counts ratios outside [1 − ε, 1 + ε]', () => {
    expect(value(clipFraction(logPi(), logPiOld(), 0.2))).toBeCloseTo(2 / 3, 6);
    expect(value(clipFraction(logPi(), logPiOld(), 0.6))).toBe(0);
  });

  it('explainedVariance is 1 − Var(y − ŷ)/Var(y)', () => {
    // y = [1, 2, 4]: Var = 42/27; y − ŷ = [0, 0, 1]: Var = 6/27.
    expect(explainedVariance(Float32Array.of(1, 2, 3), Float32Array.of(1, 2, 4))).toBeCloseTo(1 - 6 / 42, 6);
    expect(explainedVariance(Float32Array.of(0, 0), Float32Array.of(1, 1))).toBeNaN();
  });
});

describe('categorical', () => {
  it('entropy and log-probabilities match hand values', () => {
    // softmax([ln 3, 0]) = [0.75, 0.25]; H = −(0.75 ln 0.75 + 0.25 ln 0.25).
    const logits = tf.tensor2d([
      [0, 0],
      [Math.log(3), 0],
    ]);
    const h = entropy(logits).dataSync();
    expect(h[0]).toBeCloseTo(Math.log(2), 6);
    expect(h[1]).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 6);
    const lp = logProbOf(logits, tf.tensor1d([0, 1], 'int32')).dataSync();
    expect(lp[0]).toBeCloseTo(Math.log(0.5), 6);
    expect(lp[1]).toBeCloseTo(Math.log(0.25), 6);
  });

  it('stays finite for extreme logits', () => {
    const logits = tf.tensor2d([[1000, -1000, 0]]);
    const lp = logProbOf(logits, tf.tensor1d([1], 'int32')).dataSync()[0];
    expect(lp).toBeCloseTo(-2000, 0);
    expect(entropy(logits).dataSync()[0]).toBeCloseTo(0, 6);
  });
});

describe('normalizeAdvantages', () => {
  it('centres and scales by the unbiased standard deviation, as torch.std()', () => {
    // mean 2.5, std = √(5/3).
    const s = Math.sqrt(5 / 3);
    const out = normalizeAdvantages(Float32Array.of(1, 2, 3, 4));
    expect(Array.from(out)).toEqual([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s].map((v) => expect.closeTo(v, 5)));
  });

  it('only centres a batch of one', () => {
    expect(Array.from(normalizeAdvantages(Float32Array.of(3)))).toEqual([0]);
  });
});
