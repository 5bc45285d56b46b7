/**
 * Whole train steps on both engines: from the same weights and batches, a DQN agent (every
 * option) and a PPO / A2C agent end with the same parameters and optimizer moments on `ort` as on
 * tfjs `cpu`, and report the same loss, mean Q, TD errors and gradient norm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { A2CAgent } from '../../agents/a2c.js';
import { DqnAgent } from '../../agents/dqn.js';
import { CLASSIC_PRESET, type DqnConfig } from '../../agents/dqn-config.js';
import type { OnPolicyBatch } from '../../agents/on-policy-types.js';
import { A2C_PRESETS, PPO_PRESETS } from '../../agents/pg-presets.js';
import { PPOAgent } from '../../agents/ppo.js';
import type { ReplayBatch } from '../../replay/replay-buffer.js';
import { initBackend } from '../../src/backend/select.js';
import { createEngine, tfjsEngine } from '../../src/engine/select.js';
import { Rng } from '../../src/util/rng.js';
import { expectClose } from './helpers.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function batch(
  rng: Rng,
  B: number,
  shape: number[],
  actions: number,
  pixels: boolean,
): ReplayBatch<Uint8Array | Float32Array> {
  const size = B * shape.reduce((a, b) => a * b, 1);
  const obs = pixels
    ? Uint8Array.from({ length: size }, () => rng.int(256))
    : Float32Array.from({ length: size }, () => rng.normal());
  const nextObs = pixels
    ? Uint8Array.from({ length: size }, () => rng.int(256))
    : Float32Array.from({ length: size }, () => rng.normal());
  return {
    batchSize: B,
    obs,
    nextObs,
    actions: Int32Array.from({ length: B }, () => rng.int(actions)),
    rewards: Float32Array.from({ length: B }, () => rng.normal()),
    dones: new Float32Array(B),
    discounts: Float32Array.from({ length: B }, () => (rng.bernoulli(0.2) ? 0 : 0.97)),
    weights: Float32Array.from({ length: B }, () => 0.2 + rng.float()),
    indices: new Int32Array(B),
    obsShape: [B, ...shape],
  };
}

/**
 * [name, settings, observation shape, weight tolerance]. The compact net's 331k weights after 4
 * Adam steps differ by up to 1.3e-5 relative: Adam divides by √v, which magnifies float-rounding
 * differences of tiny gradients (the two engines sum a 2592-long dot product in different orders).
 */
const DQN_CASES: [string, Partial<DqnConfig>, number[], number][] = [
  ['mlp, huber, adam, clip', { net: '[16,relu:12,tanh]', maxGradNorm: 0.5 }, [5], 1e-5],
  [
    'mlp, mse, double, dueling, rmsprop',
    { net: '[16,elu]', loss: 'mse', doubleDqn: true, dueling: true, optimizer: 'rmsprop', maxGradNorm: 0 },
    [5],
    1e-5,
  ],
  [
    'conv same/valid, double, polyak',
    { net: '[c4k3s1,relu,same:c6k4s2,relu:16,softplus]', doubleDqn: true, tau: 0.3 },
    [11, 10, 2],
    1e-5,
  ],
  ['compact at 42x42, dueling', { net: 'compact', dueling: true, doubleDqn: true }, [42, 42, 4], 5e-5],
];

describe('DQN steps: ort equals tfjs cpu', () => {
  it.each(DQN_CASES)('%s', (_name, overrides, shape, tol) => {
    const config: DqnConfig = { ...CLASSIC_PRESET, learningRate: 3e-3, ...overrides };
    const pixels = shape.length === 3;
    const actions = 3;
    const agents = [tfjsEngine(), createEngine({ engine: 'ort' })].map(
      (engine) => new DqnAgent(config, { inputShape: shape, numActions: actions, seed: 4, engine }),
    );
    const rng = new Rng(9);
    for (let step = 0; step < 4; step++) {
      const b = batch(rng, 8, shape, actions, pixels);
      const [a, o] = agents.map((agent) => agent.update(b));
      expectClose([o.loss, o.meanQ, o.gradNorm], [a.loss, a.meanQ, a.gradNorm], 1e-4, `step ${step} stats`);
      expectClose(o.tdErrors, a.tdErrors, 1e-4, `step ${step} td`);
      if (step === 1) for (const agent of agents) agent.updateTarget();
    }
    const [ta, oa] = agents.map((agent) => agent.getState());
    expectClose(
      agents[1].learner.getParams('online'),
      agents[0].learner.getParams('online'),
      tol,
      'online weights',
    );
    expectClose(
      agents[1].learner.getParams('target'),
      agents[0].learner.getParams('target'),
      tol,
      'target weights',
    );
    expectClose(
      oa.arrays['optimizer.first'] as Float32Array,
      ta.arrays['optimizer.first'] as Float32Array,
      tol,
      'first moments',
    );
    expectClose(
      oa.arrays['optimizer.second'] as Float32Array,
      ta.arrays['optimizer.second'] as Float32Array,
      tol,
      'second moments',
    );
    expect(oa.json).toEqual(ta.json);
    const obs = batch(rng, 5, shape, actions, pixels).obs;
    expectClose(agents[1].qValues(obs, 5), agents[0].qValues(obs, 5), 1e-5, 'q values');
    for (const agent of agents) agent.dispose();
  });

  it('a state saved on one engine loads on the other and acts the same', () => {
    const config: DqnConfig = { ...CLASSIC_PRESET, net: '[c4k3s2,relu:8,relu]' };
    const shape = [9, 9, 2];
    const [src, dst] = [createEngine({ engine: 'ort' }), tfjsEngine()].map(
      (engine, i) => new DqnAgent(config, { inputShape: shape, numActions: 2, seed: i, engine }),
    );
    const rng = new Rng(1);
    src.update(batch(rng, 6, shape, 2, true));
    dst.setState(src.getState());
    const obs = batch(rng, 3, shape, 2, true).obs;
    expectClose(dst.qValues(obs, 3), src.qValues(obs, 3), 1e-5, 'q after the move');
    src.dispose();
    dst.dispose();
  });

  it('acts on a small MLP in plain JS (one observation) as its ORT forward does (a batch)', () => {
    // 4 → 16 → 2 (dueling: value and advantage heads): 1 observation × 130 parameters goes
    // through the JS pass, 400 observations through ORT; each row must agree.
    const config: DqnConfig = { ...CLASSIC_PRESET, net: '[16,tanh]', dueling: true };
    const agent = new DqnAgent(config, {
      inputShape: [4],
      numActions: 2,
      seed: 3,
      engine: createEngine({ engine: 'ort' }),
    });
    const rng = new Rng(2);
    agent.update(batch(rng, 8, [4], 2, false));
    const n = 400;
    const obs = batch(rng, n, [4], 2, false).obs as Float32Array;
    const all = agent.qValues(obs, n);
    const one = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) one.set(agent.qValues(obs.subarray(4 * i, 4 * i + 4), 1), 2 * i);
    expectClose(one, all, 1e-5, 'q one by one');
    agent.dispose();
  });
});

function onPolicyBatch(rng: Rng, size: number, shape: number[], actions: number): OnPolicyBatch {
  const f = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  return {
    size,
    obs: f(size * shape.reduce((a, b) => a * b, 1)),
    actions: Int32Array.from({ length: size }, () => rng.int(actions)),
    logProbs: Float32Array.from({ length: size }, () => Math.log(1 / actions) + 0.1 * rng.normal()),
    values: f(size),
    advantages: f(size),
    returns: f(size),
  };
}

describe('on-policy steps: ort equals tfjs cpu', () => {
  it.each([true, false])('PPO (shared torso %s): same weights and moments after an update', (sharedTorso) => {
    const config = {
      ...structuredClone(PPO_PRESETS.classic),
      net: '[8,tanh:6,relu]',
      sharedTorso,
      updateEpochs: 2,
      numMinibatches: 2,
    };
    const agents = [tfjsEngine(), createEngine({ engine: 'ort' })].map(
      (engine) => new PPOAgent(config, [4], 3, new Rng(5), engine),
    );
    const b = onPolicyBatch(new Rng(6), 32, [4], 3);
    const [sa, so] = agents.map((agent) => agent.update(b));
    expectClose(
      [so.loss, so.policyLoss, so.valueLoss, so.entropy, so.gradNorm],
      [sa.loss, sa.policyLoss, sa.valueLoss, sa.entropy, sa.gradNorm],
      1e-4,
      'stats',
    );
    expectClose(agents[1].ac.learner.getParams(), agents[0].ac.learner.getParams(), 1e-5, 'weights');
    const [ta, oa] = agents.map((agent) => agent.getState());
    expectClose(
      oa.arrays['optimizer.second'] as Float32Array,
      ta.arrays['optimizer.second'] as Float32Array,
      1e-5,
      'second moments',
    );
  });

  it('A2C with RMSProp on a conv net: same weights after two steps', () => {
    const config = {
      ...structuredClone(A2C_PRESETS.classic),
      net: '[c3k3s2,relu:8,tanh]',
      sharedTorso: true,
    };
    const shape = [7, 7, 2];
    const agents = [tfjsEngine(), createEngine({ engine: 'ort' })].map(
      (engine) => new A2CAgent(config, shape, 3, new Rng(2), engine),
    );
    const rng = new Rng(3);
    for (let k = 0; k < 2; k++) {
      const b = onPolicyBatch(rng, 10, shape, 3);
      b.obs = Float32Array.from(b.obs, (x) => Math.min(255, Math.round(Math.abs(x) * 60))); // pixel values
      agents.map((agent) => agent.update(b));
    }
    expectClose(agents[1].ac.learner.getParams(), agents[0].ac.learner.getParams(), 1e-5, 'weights');
  });
});
