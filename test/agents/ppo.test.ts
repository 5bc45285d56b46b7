import { beforeAll, describe, expect, it } from 'vitest';
import type { OnPolicyBatch } from '../../agents/on-policy-types.js';
import type { PPOConfig } from '../../agents/pg-config.js';
import { PPO_PRESETS } from '../../agents/pg-presets.js';
import { PPOAgent } from '../../agents/ppo.js';
import { annealedSchedule } from '../../agents/schedules.js';
import { initBackend } from '../../src/backend/select.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function config(overrides: Partial<PPOConfig> = {}): PPOConfig {
  return {
    ...structuredClone(PPO_PRESETS.classic),
    net: '[8,tanh]',
    updateEpochs: 3,
    numMinibatches: 4,
    ...overrides,
  };
}

function randomBatch(size: number, seed: number): OnPolicyBatch {
  const rng = new Rng(seed);
  const f = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return {
    size,
    obs: f(size * 4),
    actions: Int32Array.from({ length: size }, () => rng.int(2)),
    logProbs: new Float32Array(size).fill(Math.log(0.5)),
    values: f(size),
    advantages: f(size),
    returns: f(size),
  };
}

describe('PPOAgent.update', () => {
  it('takes updateEpochs × numMinibatches gradient steps, fewer when the approximate KL passes targetKl', () => {
    const full = new PPOAgent(config(), [4], 2, new Rng(1));
    expect(full.update(randomBatch(64, 2)).gradientSteps).toBe(12);
    // Any change of the policy exceeds a KL of 1e-12: the first epoch is the last.
    const early = new PPOAgent(config({ targetKl: 1e-12 }), [4], 2, new Rng(1));
    const stats = early.update(randomBatch(64, 2));
    expect(stats.gradientSteps).toBe(4);
    expect(stats.approxKl).toBeGreaterThan(0);
    full.ac.dispose();
    early.ac.dispose();
  });

  it('steps with the config’s learning rate and clip range until the loop’s schedules set others', () => {
    const agent = new PPOAgent(config({ learningRate: 1e-3, clipCoef: 0.2 }), [4], 2, new Rng(1));
    const first = agent.update(randomBatch(32, 3));
    expect([first.learningRate, first.clipRange]).toEqual([1e-3, 0.2]);
    // The loop's schedules three quarters of the way through a 400-step annealed run.
    agent.setLearningRate(annealedSchedule(1e-3, true, 400)(300));
    agent.setClipRange(annealedSchedule(0.2, true, 400)(300));
    const stats = agent.update(randomBatch(32, 3));
    expect(stats.learningRate).toBeCloseTo(2.5e-4, 12);
    expect(stats.clipRange).toBeCloseTo(0.05, 12);
    agent.ac.dispose();
  });

  it('moves the policy towards actions with positive advantage', () => {
    const agent = new PPOAgent(
      config({ entCoef: 0, annealLr: false, learningRate: 3e-3 }),
      [4],
      2,
      new Rng(1),
    );
    // Same observation everywhere; action 1 has advantage +1, action 0 −1.
    const size = 64;
    const batch = randomBatch(size, 4);
    batch.obs.fill(0.5);
    for (let i = 0; i < size; i++) {
      batch.actions[i] = i % 2;
      batch.advantages[i] = i % 2 === 1 ? 1 : -1;
    }
    const obs = Float32Array.of(0.5, 0.5, 0.5, 0.5);
    // The orthogonal init's 0.01-scaled policy head starts near 50/50.
    expect(Math.abs(Math.exp(agent.ac.act(obs, 1, new Rng(0), true).logProbs[0]) - 0.5)).toBeLessThan(0.05);
    for (let k = 0; k < 5; k++) agent.update(batch);
    const after = agent.ac.act(obs, 1, new Rng(0), true);
    expect(after.actions[0]).toBe(1);
    expect(Math.exp(after.logProbs[0])).toBeGreaterThan(0.55);
    agent.ac.dispose();
  });
});
