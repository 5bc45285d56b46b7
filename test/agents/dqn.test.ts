import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DqnAgent } from '../../agents/dqn.js';
import { CLASSIC_PRESET, type DqnConfig } from '../../agents/dqn-config.js';
import type { ReplayBatch } from '../../replay/replay-buffer.js';
import { initBackend } from '../../src/backend/select.js';
import { FlatOptimizer } from '../../src/engine/tfjs/flat-optimizer.js';
import { fusedForward } from '../../src/engine/tfjs/fused-forward.js';
import { compileJsMlp } from '../../src/engine/tfjs/js-mlp.js';
import { buildNetwork } from '../../src/nets/index.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function randomBatch(
  rng: Rng,
  batchSize: number,
  obsSize: number,
  actions: number,
): ReplayBatch<Float32Array> {
  const f = (n: number, g: () => number) => Float32Array.from({ length: n }, g);
  return {
    batchSize,
    obs: f(batchSize * obsSize, () => rng.normal()),
    nextObs: f(batchSize * obsSize, () => rng.normal()),
    actions: Int32Array.from({ length: batchSize }, () => rng.int(actions)),
    rewards: f(batchSize, () => rng.float()),
    dones: new Float32Array(batchSize),
    discounts: f(batchSize, () => (rng.bernoulli(0.1) ? 0 : 0.99)),
    weights: new Float32Array(batchSize).fill(1),
    indices: new Int32Array(batchSize),
    obsShape: [batchSize, obsSize, 1],
  };
}

const small: DqnConfig = { ...CLASSIC_PRESET, net: '[16,relu:16,tanh]', learningRate: 1e-2 };

describe('fusedForward', () => {
  it.each([
    ['q head, MLP', '[8,relu:8,tanh]', [5], 'q'],
    ['dueling head, MLP', '[8,elu]', [5], 'dueling'],
    ['q head, conv net', '[c4k4s2,relu:c4k3s1,relu,same:8,relu]', [12, 12, 2], 'q'],
  ] as const)('gives model.predict’s values (%s)', (_name, spec, shape, kind) => {
    const model = buildNetwork(spec, [...shape], { kind, actions: 3 }, { rng: new Rng(3) });
    const rng = new Rng(1);
    const size = shape.reduce((a, b) => a * b, 1);
    const x = tf.tensor(
      Float32Array.from({ length: 4 * size }, () => rng.int(256)),
      [4, ...shape],
    );
    const expected = (model.predict(x) as tf.Tensor).dataSync();
    const got = fusedForward(model)(x).dataSync();
    for (let i = 0; i < expected.length; i++) expect(got[i]).toBeCloseTo(expected[i], 4);
    model.dispose();
  });
});

describe('FlatOptimizer', () => {
  it('refuses gradients of the wrong size, says which, and disposes them', () => {
    const vars = [tf.variable(tf.zeros([2, 3])), tf.variable(tf.zeros([3]))];
    const flat = new FlatOptimizer(vars, { kind: 'adam', epsilon: 1e-8, maxGradNorm: 0 });
    const before = tf.memory().numTensors;
    const grads = [tf.ones([2, 3]), tf.ones([4])];
    expect(() => flat.apply(grads, 0.01)).toThrow(/gradient 1 has 4 values, its variable 3/);
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(vars[0].dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    tf.dispose(vars);
  });

  it('takes the same Adam steps as tf.train.adam', () => {
    const rng = new Rng(7);
    const init = [
      Float32Array.from({ length: 6 }, () => rng.normal()),
      Float32Array.from({ length: 3 }, () => rng.normal()),
    ];
    const mine = [tf.variable(tf.tensor2d(init[0], [2, 3])), tf.variable(tf.tensor1d(init[1]))];
    const theirs = [tf.variable(tf.tensor2d(init[0], [2, 3])), tf.variable(tf.tensor1d(init[1]))];
    const flat = new FlatOptimizer(mine, { kind: 'adam', epsilon: 1e-8, maxGradNorm: 0 });
    const adam = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
    for (let step = 0; step < 20; step++) {
      const g = [
        tf.tensor2d(
          Float32Array.from({ length: 6 }, () => rng.normal()),
          [2, 3],
        ),
        tf.tensor1d([1, -2, 3]),
      ];
      adam.applyGradients([
        { name: theirs[0].name, tensor: g[0].clone() },
        { name: theirs[1].name, tensor: g[1].clone() },
      ]);
      flat.apply(g, 0.01);
    }
    for (let v = 0; v < 2; v++) {
      const a = mine[v].dataSync();
      const b = theirs[v].dataSync();
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 5);
    }
  });

  it('clips the global norm: a gradient of norm 5 clipped to 1 moves SGD-like RMSProp by the clipped amount', () => {
    const v = tf.variable(tf.tensor1d([0, 0]));
    const opt = new FlatOptimizer([v], { kind: 'adam', epsilon: 0, maxGradNorm: 1 });
    const norm = opt.apply([tf.tensor1d([3, 4])], 0.1);
    expect(norm).toBe(5);
    // Adam's first step is −lr · sign(g) whatever the scale: −0.1 each.
    expect(Array.from(v.dataSync())).toEqual([expect.closeTo(-0.1, 6), expect.closeTo(-0.1, 6)]);
  });
});

describe('DqnAgent', () => {
  it('acts greedily at ε = 0 and uniformly at ε = 1', () => {
    const agent = new DqnAgent(small, { inputShape: [4], numActions: 3, seed: 1 });
    const obs = Float32Array.from({ length: 8 }, (_, i) => i / 8);
    const q = agent.qValues(obs, 2);
    const out = new Int32Array(2);
    agent.act(obs, 2, 0, new Rng(0), out);
    for (let i = 0; i < 2; i++) {
      const row = Array.from(q.subarray(i * 3, i * 3 + 3));
      expect(out[i]).toBe(row.indexOf(Math.max(...row)));
    }
    const counts = [0, 0, 0];
    const rng = new Rng(5);
    for (let k = 0; k < 3000; k++) counts[agent.act(obs, 1, 1, rng, out)[0]]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
    agent.dispose();
  });

  it('lowers the loss on a fixed batch, and the hard sync copies the online net', () => {
    const agent = new DqnAgent(small, { inputShape: [4], numActions: 2, seed: 2 });
    const batch = randomBatch(new Rng(3), 32, 4, 2);
    const first = agent.update(batch).loss;
    let last = first;
    for (let i = 0; i < 50; i++) last = agent.update(batch).loss;
    expect(last).toBeLessThan(first / 2);
    const online = Array.from(agent.learner.getParams('online'));
    expect(Array.from(agent.learner.getParams('target'))).not.toEqual(online);
    agent.updateTarget();
    expect(Array.from(agent.learner.getParams('target'))).toEqual(online);
    agent.dispose();
  });

  it('leaks no tensor over 300 updates, target syncs and actions (Double DQN, dueling)', () => {
    const agent = new DqnAgent(
      { ...small, doubleDqn: true, dueling: true },
      { inputShape: [4], numActions: 2, seed: 2 },
    );
    const rng = new Rng(4);
    const batch = randomBatch(rng, 32, 4, 2);
    const out = new Int32Array(32);
    agent.update(batch);
    agent.act(batch.obs, 32, 0, rng, out);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) {
      agent.update(batch);
      agent.act(batch.obs, 32, 0.5, rng, out);
      if (i % 10 === 0) agent.updateTarget();
    }
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });
});

describe('compileJsMlp', () => {
  it.each([
    ['q', '[6,relu:5,tanh]'],
    ['dueling', '[7,elu]'],
    ['q', '[]'],
  ] as const)('gives the fused forward pass’s Q-values (%s head, %s)', (kind, spec) => {
    const model = buildNetwork(spec, [4], { kind, actions: 3 }, { rng: new Rng(9) });
    const forward = fusedForward(model);
    const params = new Float32Array(forward.variables.flatMap((v) => Array.from(v.dataSync())));
    const rng = new Rng(2);
    const obs = Float32Array.from({ length: 20 }, () => rng.normal());
    const js = compileJsMlp(model);
    expect(js).not.toBeNull();
    const got = js?.run(params, obs, 5, new Float32Array(15)) ?? new Float32Array(0);
    const expected = forward(tf.tensor2d(obs, [5, 4])).dataSync();
    for (let i = 0; i < 15; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
    model.dispose();
  });

  it('declines conv networks (they act through tfjs)', () => {
    const model = buildNetwork('[c2k3s1,relu:4,relu]', [6, 6, 1], { kind: 'q', actions: 2 });
    expect(compileJsMlp(model)).toBeNull();
    model.dispose();
  });
});
