import { describe, expect, it } from 'vitest';
import { bootstrapTruncated, discountedReturns, gae, nStepReturns } from '../../replay/returns.js';
import { Rng } from '../../src/util/rng.js';

const close = (got: ArrayLike<number>, want: number[]) => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    expect(got[i]).toBeCloseTo(w, 5);
  });
};

describe('discountedReturns', () => {
  it('bootstraps from lastValue and stops at episode ends (γ = 0.5)', () => {
    // G2 = 3 + .5*4 = 5, G1 = 2 + .5*5 = 4.5, G0 = 1 + .5*4.5 = 3.25
    close(discountedReturns([1, 2, 3], [0, 0, 0], [4], 0.5), [3.25, 4.5, 5]);
    // an end at t = 1: G1 = 2, G0 = 1 + .5*2 = 2
    close(discountedReturns([1, 2, 3], [0, 1, 0], [4], 0.5), [2, 2, 5]);
  });
  it('handles N envs time-major', () => {
    // env 0: r = 1, 1 ; env 1: r = 2, 0 with an end at t = 0
    close(discountedReturns([1, 2, 1, 0], [0, 1, 0, 0], [10, 20], 0.5, 2), [1 + 0.5 * 6, 2, 6, 10]);
  });
});

describe('gae', () => {
  it('matches the hand-computed δ and A (γ = λ = 0.5)', () => {
    // δ2 = 2 + .5*2 - 1 = 2, δ1 = 0 + .5*1 - 1 = -.5, δ0 = 1 + .5*1 - .5 = 1
    // A2 = 2, A1 = -.5 + .25*2 = 0, A0 = 1 + .25*0 = 1
    const { advantages, returns } = gae([1, 0, 2], [0.5, 1, 1], [0, 0, 0], [2], 0.5, 0.5);
    close(advantages, [1, 0, 2]);
    close(returns, [1.5, 1, 3]);
  });
  it('neither bootstraps nor carries the advantage across an episode end', () => {
    // d1 = 1: δ1 = 0 - 1 = -1, A1 = -1; δ0 = 1 + .5*1 - .5 = 1, A0 = 1 + .25*(-1) = .75
    close(gae([1, 0, 2], [0.5, 1, 1], [0, 1, 0], [2], 0.5, 0.5).advantages, [0.75, -1, 2]);
  });
  it('with λ = 1 is G - V, with λ = 0 is δ, on random rollouts of 3 envs', () => {
    const rng = new Rng(1);
    const size = 60;
    const r = Array.from({ length: size }, () => rng.normal());
    const v = Array.from({ length: size }, () => rng.normal());
    const d = Array.from({ length: size }, () => (rng.bernoulli(0.1) ? 1 : 0));
    const last = [rng.normal(), rng.normal(), rng.normal()];
    const g = discountedReturns(r, d, last, 0.9, 3);
    close(
      gae(r, v, d, last, 0.9, 1, 3).advantages,
      Array.from(g, (x, i) => x - v[i]),
    );
    const next = (i: number) => (i + 3 < size ? v[i + 3] : last[i % 3]);
    close(
      gae(r, v, d, last, 0.9, 0, 3).advantages,
      r.map((x, i) => x + (d[i] ? 0 : 0.9 * next(i)) - v[i]),
    );
  });
  it('bootstraps a truncated step through its reward, as SB3 does', () => {
    // step 1 truncated with V(final) = 10: r1' = 1 + .9*10 = 10; it counts as an end.
    const rewards = bootstrapTruncated([1, 1, 1], [0, 0, 0], [0, 1, 0], [0, 10, 0], 0.9);
    close(rewards, [1, 10, 1]);
    // A1 = 10 - V1 = 10 - 4 = 6 (V(s_2) of the next episode is not used); A0 = 1 + .9*4 - 2 + .9*.5*6
    close(gae(rewards, [2, 4, 3], [0, 1, 0], [5], 0.9, 0.5).advantages, [1 + 3.6 - 2 + 2.7, 6, 1 + 4.5 - 3]);
    // a terminated step gets nothing, even if it is also flagged truncated
    close(bootstrapTruncated([1], [1], [1], [10], 0.9), [1]);
  });
  it('says what is wrong with mismatched arrays', () => {
    expect(() => gae([1, 2], [1], [0, 0], [0], 0.9, 0.9)).toThrow(
      'gae: values has 1 elements but rewards has 2',
    );
    expect(() => gae([1, 2], [1, 2], [0, 0], [0, 0], 0.9, 0.9)).toThrow(
      'lastValues needs one value per env (1), got 2',
    );
  });
});

describe('nStepReturns', () => {
  const r = [1, 2, 4, 8];
  const v = [10, 20, 30, 40];
  it('bootstraps γ^n V(t+n), or lastValue past the rollout (n = 2, γ = .5)', () => {
    // G0 = 1 + 1 + .25*30, G1 = 2 + 2 + .25*40, G2 = 4 + 4 + .25*50, G3 = 8 + .5*50
    close(nStepReturns(r, v, [0, 0, 0, 0], [50], 2, 0.5), [9.5, 14, 20.5, 33]);
  });
  it('does not bootstrap past an episode end (n = 3)', () => {
    // end at t = 1: G0 = 1 + .5*2, G1 = 2; G2 = 4 + .5*8 + .25*50, G3 = 8 + .5*50
    close(nStepReturns(r, v, [0, 1, 0, 0], [50], 3, 0.5), [2, 2, 20.5, 33]);
  });
  it('with n = 1 is r + γ V_{t+1}', () => {
    close(nStepReturns(r, v, [0, 0, 1, 0], [50], 1, 0.5), [11, 17, 4, 33]);
  });
});
