import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { entropy, logProbOf } from '../../agents/categorical.js';
import { actorCriticLossHead, ppoLossHead } from '../../agents/policy-loss-grads.js';
import {
  approxKl,
  clipFraction,
  clippedValueLoss,
  policyGradientLoss,
  ppoClipLoss,
  valueLoss,
} from '../../agents/policy-losses.js';
import { initBackend } from '../../src/backend/select.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function randomCase(seed: number, b = 37, n = 3) {
  const rng = new Rng(seed);
  const f = (k: number, s = 1) => Float32Array.from({ length: k }, () => rng.normal() * s);
  const values = f(b);
  return {
    logits: f(b * n, 2),
    numActions: n,
    values,
    actions: Int32Array.from({ length: b }, () => rng.int(n)),
    advantages: f(b),
    returns: f(b),
    oldLogProbs: Float32Array.from({ length: b }, () => -0.2 - 2 * rng.float()),
    // Old values near the new ones, so both sides of the value clip occur.
    oldValues: values.map((v) => v + (rng.float() - 0.5) * 0.8),
    entCoef: 0.01,
    vfCoef: 0.5,
    clipEpsilon: 0.2,
    clipValueLoss: true,
  };
}

type Case = ReturnType<typeof randomCase>;

/** The same total loss with the tested tensor functions, and its autodiff gradients. */
function reference(c: Case, kind: 'ppo' | 'pg') {
  const b = c.values.length;
  const logitsT = tf.tensor2d(c.logits, [b, c.numActions]);
  const valuesT = tf.tensor1d(c.values);
  const act = tf.tensor1d(c.actions, 'int32');
  const adv = tf.tensor1d(c.advantages);
  const ret = tf.tensor1d(c.returns);
  const old = tf.tensor1d(c.oldLogProbs);
  const vOld = tf.tensor1d(c.oldValues);
  const parts = (z: tf.Tensor, v: tf.Tensor) => {
    const lp = logProbOf(z, act);
    const pl = kind === 'ppo' ? ppoClipLoss(lp, old, adv, c.clipEpsilon) : policyGradientLoss(lp, adv);
    const vl =
      kind === 'ppo' && c.clipValueLoss
        ? clippedValueLoss(v as tf.Tensor1D, vOld, ret, c.clipEpsilon)
        : valueLoss(v, ret);
    const ent = tf.mean(entropy(z));
    return {
      lp,
      pl,
      vl,
      ent,
      total: tf.add(tf.sub(pl, tf.mul(c.entCoef, ent)), tf.mul(c.vfCoef, vl)) as tf.Scalar,
    };
  };
  const g = tf.grads((z: tf.Tensor, v: tf.Tensor) => parts(z, v).total)([logitsT, valuesT]);
  const p = parts(logitsT, valuesT);
  return {
    loss: p.total.dataSync()[0],
    policyLoss: p.pl.dataSync()[0],
    valueLoss: p.vl.dataSync()[0],
    entropy: p.ent.dataSync()[0],
    approxKl: approxKl(p.lp, old).dataSync()[0],
    clipFraction: clipFraction(p.lp, old, c.clipEpsilon).dataSync()[0],
    dLogits: g[0].dataSync(),
    dValues: g[1].dataSync(),
  };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThan(1e-5);
}

describe('loss heads match the tensor losses and their autodiff gradients', () => {
  it.each([1, 2, 3])('PPO (clipped value loss), random case %i', (seed) => {
    const c = randomCase(seed);
    const mine = ppoLossHead(c);
    const ref = reference(c, 'ppo');
    for (const k of ['loss', 'policyLoss', 'valueLoss', 'entropy', 'approxKl', 'clipFraction'] as const) {
      expect(mine[k]).toBeCloseTo(ref[k], 5);
    }
    expect(mine.clipFraction).toBeGreaterThan(0);
    expectClose(mine.dLogits, ref.dLogits);
    expectClose(mine.dValues, ref.dValues);
  });

  it('PPO without value clipping', () => {
    const c = { ...randomCase(4), clipValueLoss: false };
    const mine = ppoLossHead(c);
    const ref = reference(c, 'ppo');
    expect(mine.loss).toBeCloseTo(ref.loss, 5);
    expectClose(mine.dValues, ref.dValues);
  });

  it('A2C / REINFORCE', () => {
    const c = randomCase(5, 20, 4);
    const mine = actorCriticLossHead(c);
    const ref = reference(c, 'pg');
    expect(mine.loss).toBeCloseTo(ref.loss, 5);
    expect(mine.entropy).toBeCloseTo(ref.entropy, 5);
    expectClose(mine.dLogits, ref.dLogits);
    expectClose(mine.dValues, ref.dValues);
  });

  it('refuses mismatched rows', () => {
    const c = randomCase(6, 4, 2);
    expect(() => actorCriticLossHead({ ...c, returns: new Float32Array(3) })).toThrow(
      /returns has 3 rows, values has 4/,
    );
  });
});
