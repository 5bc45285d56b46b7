/**
 * The learning rate a schedule sets is the one the optimizer applies. Adam's first step moves
 * every parameter with a gradient well above ε by lr · m̂/√v̂ = lr exactly (m̂ = g, v̂ = g²), so the
 * largest parameter change of a fresh agent's first update measures the applied rate. Checked for
 * every algorithm, on both engines, at progress 0 and 0.75 of an annealed schedule (lr × 1 and
 * × 0.25). (Before the engines took the rate with each step, PPO, A2C and REINFORCE kept moving
 * by the initial rate whatever the schedule said.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { A2CAgent } from '../../agents/a2c.js';
import { DqnAgent } from '../../agents/dqn.js';
import { CLASSIC_PRESET } from '../../agents/dqn-config.js';
import type { OnPolicyAgent } from '../../agents/on-policy-types.js';
import { A2C_PRESETS, PPO_PRESETS, REINFORCE_PRESETS } from '../../agents/pg-presets.js';
import { PPOAgent } from '../../agents/ppo.js';
import { annealedSchedule } from '../../agents/schedules.js';
import { initBackend } from '../../src/backend/select.js';
import { createEngine, type Engine, tfjsEngine } from '../../src/engine/select.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function maxChange(before: Float32Array, after: Float32Array): number {
  let m = 0;
  for (let i = 0; i < before.length; i++) m = Math.max(m, Math.abs(after[i] - before[i]));
  return m;
}

const ENGINES: [string, () => Engine][] = [
  ['tfjs', () => tfjsEngine()],
  ['ort', () => createEngine({ engine: 'ort' })],
];

describe.each(ENGINES)('the applied step follows the learning rate (%s)', (_name, engine) => {
  const lr = 0.01;
  const common = {
    net: '[8,tanh]',
    learningRate: lr,
    annealLr: true,
    optimizerEpsilon: 1e-12,
    maxGradNorm: 0,
  };
  const makers: [string, () => OnPolicyAgent][] = [
    [
      'ppo',
      () =>
        new PPOAgent(
          { ...structuredClone(PPO_PRESETS.classic), ...common, updateEpochs: 1, numMinibatches: 1 },
          [4],
          2,
          new Rng(1),
          engine(),
        ),
    ],
    [
      'a2c',
      () =>
        new A2CAgent(
          { ...structuredClone(A2C_PRESETS.classic), ...common, optimizer: 'adam' },
          [4],
          2,
          new Rng(1),
          engine(),
        ),
    ],
    [
      'reinforce',
      () =>
        new A2CAgent(
          { ...structuredClone(REINFORCE_PRESETS.classic), ...common, optimizer: 'adam' },
          [4],
          2,
          new Rng(1),
          engine(),
        ),
    ],
  ];
  it.each(makers)('%s: a step of the size the schedule sets, lr·(1 − step / steps)', (_algo, make) => {
    const rng = new Rng(2);
    const f = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
    const batch = {
      size: 16,
      obs: f(64),
      actions: Int32Array.from({ length: 16 }, () => rng.int(2)),
      logProbs: new Float32Array(16).fill(Math.log(0.5)),
      values: f(16),
      advantages: f(16),
      returns: f(16),
    };
    // The loop's annealed schedule over a 1000-step run, at steps 0 and 750.
    const schedule = annealedSchedule(lr, true, 1000);
    for (const [step, scale] of [
      [0, 1],
      [750, 0.25],
    ]) {
      const agent = make();
      const ac = (agent as PPOAgent | A2CAgent).ac;
      const before = ac.learner.getParams();
      agent.setLearningRate(schedule(step));
      const stats = agent.update(batch);
      expect(stats.learningRate).toBeCloseTo(lr * scale, 12);
      expect(maxChange(before, ac.learner.getParams())).toBeCloseTo(lr * scale, 5);
      ac.dispose();
    }
  });

  it('dqn: setLearningRate sets the size of the next step', () => {
    for (const rate of [0.01, 0.0025]) {
      const agent = new DqnAgent(
        { ...CLASSIC_PRESET, net: '[8,tanh]', optimizerEpsilon: 1e-12, maxGradNorm: 0 },
        { inputShape: [4], numActions: 2, seed: 3, engine: engine() },
      );
      agent.setLearningRate(rate);
      const rng = new Rng(4);
      const before = agent.learner.getParams('online');
      agent.update({
        batchSize: 8,
        obs: Float32Array.from({ length: 32 }, () => rng.normal()),
        nextObs: Float32Array.from({ length: 32 }, () => rng.normal()),
        actions: Int32Array.from({ length: 8 }, () => rng.int(2)),
        rewards: new Float32Array(8).fill(1),
        dones: new Float32Array(8),
        discounts: new Float32Array(8).fill(0.99),
        weights: new Float32Array(8).fill(1),
        indices: new Int32Array(8),
        obsShape: [8, 4],
      });
      expect(maxChange(before, agent.learner.getParams('online'))).toBeCloseTo(rate, 5);
      agent.dispose();
    }
  });
});
