import { describe, expect, it } from 'vitest';
import { RolloutBuffer } from '../../replay/rollout-buffer.js';
import { Rng } from '../../src/util/rng.js';

/** T = 3 steps of N = 2 envs, γ = 0.9, λ = 0.5. Env 0 runs on; env 1 is truncated at t = 1 with V(final) = 10. */
function filled(): RolloutBuffer<'float32'> {
  const buffer = new RolloutBuffer({
    numSteps: 3,
    numEnvs: 2,
    obsShape: [2],
    obsDtype: 'float32',
    gamma: 0.9,
    lambda: 0.5,
  });
  const values = [
    [1, 2],
    [1, 4],
    [1, 3],
  ];
  for (let t = 0; t < 3; t++) {
    buffer.add({
      obs: Float32Array.from([t, -t, 10 + t, -10 - t]),
      actions: [t, 2 * t],
      rewards: [1, 1],
      values: values[t],
      logProbs: [-0.1 * t, -0.2 * t],
      terminated: [false, false],
      truncated: [false, t === 1],
      finalValues: [0, 10],
    });
  }
  return buffer;
}

describe('RolloutBuffer', () => {
  it('bootstraps truncation into the reward and computes GAE per env (hand-computed)', () => {
    const buffer = filled();
    expect(Array.from(buffer.rewards)).toEqual([1, 1, 1, 10, 1, 1]); // env 1, t = 1: 1 + .9*10
    expect(Array.from(buffer.dones)).toEqual([0, 0, 0, 1, 0, 0]);
    buffer.finish([2, 5]);
    // env 0: δ = 1 + .9*1 - 1 = .9, .9, 1 + 1.8 - 1 = 1.8; A2 = 1.8, A1 = .9 + .45*1.8 = 1.71, A0 = .9 + .45*1.71
    // env 1: A2 = 1 + 4.5 - 3 = 2.5; A1 = 10 - 4 = 6; A0 = 1 + 3.6 - 2 + .45*6 = 5.3
    const want = [0.9 + 0.45 * 1.71, 5.3, 1.71, 6, 1.8, 2.5];
    Array.from(buffer.advantages).forEach((a, i) => {
      expect(a).toBeCloseTo(want[i], 5);
    });
    const returns = Array.from(buffer.returns);
    Array.from(buffer.values).forEach((v, i) => {
      expect(returns[i]).toBeCloseTo(want[i] + v, 5);
    });
  });

  it('gathers shuffled minibatches with their observations', () => {
    const buffer = filled();
    buffer.finish([2, 5]);
    const indices = buffer.shuffledIndices(new Rng(1));
    expect([...indices].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const batch = buffer.gather([3, 0]);
    expect(Array.from(batch.obs)).toEqual([11, -11, 0, -0]);
    expect(Array.from(batch.actions)).toEqual([2, 0]);
    expect(batch.advantages[0]).toBeCloseTo(6, 5);
    expect(batch.logProbs[0]).toBeCloseTo(-0.2, 6);
  });

  it('round-trips its state', () => {
    const buffer = filled();
    buffer.finish([2, 5]);
    const copy = new RolloutBuffer(buffer.config);
    const state = buffer.getState();
    copy.setState(structuredClone(state));
    expect(copy.length).toBe(3);
    expect(Array.from(copy.gather([0, 1, 2, 3, 4, 5]).advantages)).toEqual(Array.from(buffer.advantages));
  });

  it('refuses misuse with messages that say what to do', () => {
    const buffer = new RolloutBuffer({
      numSteps: 1,
      numEnvs: 2,
      obsShape: [2],
      obsDtype: 'float32',
      gamma: 0.9,
      lambda: 0.9,
    });
    const step = {
      obs: new Float32Array(4),
      actions: [0, 0],
      rewards: [0, 0],
      values: [0, 0],
      logProbs: [0, 0],
      terminated: [false, false],
      truncated: [false, false],
    };
    expect(() => buffer.add({ ...step, obs: new Float32Array(2) })).toThrow(
      'obs must be a Float32Array of 2 envs x 2 elements',
    );
    expect(() => buffer.add({ ...step, actions: [0] })).toThrow('actions must have one entry per env (2)');
    expect(() => buffer.add({ ...step, truncated: [false, true] })).toThrow(
      'env 1 was truncated; pass finalValues[1]',
    );
    expect(() => buffer.finish([0, 0])).toThrow('only 0 of 1 steps were added');
    buffer.add(step);
    expect(() => buffer.add(step)).toThrow('the rollout is full (1 steps); call finish() and reset()');
    expect(() => buffer.gather([0])).toThrow('call finish(lastValues) first');
  });
});
