/**
 * Tensor hygiene: DQN updates on the tfjs engine (Double DQN, dueling, Huber loss, gradient
 * clipping, Adam) leave the tensor count and the backend's buffers unchanged over many steps.
 * The 10,000-step version is scripts/bench-learner-leak.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DqnAgent } from '../../agents/dqn.js';
import { ATARI_PRESET, type DqnConfig } from '../../agents/dqn-config.js';
import { initBackend } from '../../src/backend/select.js';
import { tfjsEngine } from '../../src/engine/select.js';
import { buildNetwork, featureModel } from '../../src/nets/build.js';
import { Rng } from '../../src/util/rng.js';

function dqnUpdater(rng: Rng) {
  const shape = [8, 8, 2];
  const config: DqnConfig = {
    ...ATARI_PRESET,
    net: '[c4k3s2,relu,same:c8k2s1,relu:16,relu]',
    dueling: true,
    doubleDqn: true,
    batchSize: 8,
  };
  const agent = new DqnAgent(config, { inputShape: shape, numActions: 3, seed: 1, engine: tfjsEngine() });
  const size = 8 * 8 * 2;
  const batch = 8;
  const out = new Int32Array(1);
  return {
    step(i: number): number {
      const loss = agent.update({
        batchSize: batch,
        obs: Uint8Array.from({ length: batch * size }, () => rng.int(256)),
        nextObs: Uint8Array.from({ length: batch * size }, () => rng.int(256)),
        actions: Int32Array.from({ length: batch }, () => rng.int(3)),
        rewards: new Float32Array(batch).fill(1),
        dones: new Float32Array(batch),
        discounts: new Float32Array(batch).fill(0.99),
        weights: new Float32Array(batch).fill(1),
        indices: new Int32Array(batch),
        obsShape: [batch, ...shape],
      }).loss;
      if (i % 50 === 0) agent.updateTarget();
      return loss;
    },
    act(): number {
      return agent.act(new Uint8Array(size), 1, 0, rng, out)[0];
    },
    dispose() {
      agent.dispose();
    },
  };
}

describe.each(['cpu', 'wasm'] as const)('training on %s', (backend) => {
  it('keeps the tensor count and backend buffers constant over 300 steps', async () => {
    await initBackend({ backend });
    const updater = dqnUpdater(new Rng(1));
    for (let i = 0; i < 5; i++) updater.step(i); // optimizer slots are created on the first steps
    const tensors = tf.memory().numTensors;
    const buffers = tf.backend().numDataIds();
    for (let i = 5; i < 305; i++) {
      const loss = updater.step(i);
      expect(Number.isFinite(loss)).toBe(true);
      updater.act();
    }
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.backend().numDataIds()).toBe(buffers);
    updater.dispose();
  });

  it('featureModel calls leave nothing behind', async () => {
    await initBackend({ backend });
    const model = buildNetwork('small', [84, 84, 4], { kind: 'q', actions: 4 });
    const fm = featureModel(model);
    const x = tf.zeros([2, 84, 84, 4]);
    tf.dispose(fm.predict(x) as tf.Tensor[]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) tf.dispose(fm.predict(x) as tf.Tensor[]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });
});
