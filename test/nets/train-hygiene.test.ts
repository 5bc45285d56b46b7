/**
 * Tensor hygiene: a DQN-style update (target forward, Huber loss on one-hot Q(s, a), gradient
 * clipping, Adam) leaves the tensor count and the backend's buffers unchanged over many steps.
 * The 10,000-step version is scripts/bench-learner-leak.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { clipByGlobalNorm, huberLoss, selectActions } from '../../src/backend/ops.js';
import { initBackend } from '../../src/backend/select.js';
import { buildNetwork, featureModel } from '../../src/nets/build.js';
import { Rng } from '../../src/util/rng.js';

function dqnUpdater(rng: Rng) {
  const shape = [8, 8, 2];
  const online = buildNetwork(
    '[c4k3s2,relu,same:c8k2s1,relu:16,relu]',
    shape,
    { kind: 'dueling', actions: 3 },
    { rng },
  );
  const target = buildNetwork(
    '[c4k3s2,relu,same:c8k2s1,relu:16,relu]',
    shape,
    { kind: 'dueling', actions: 3 },
    { rng },
  );
  const optimizer = tf.train.adam(1e-3);
  const vars = online.trainableWeights.map((w) => w.read() as tf.Variable);
  const batch = 8;
  return {
    step(i: number): number {
      const obs = tf.randomUniform([batch, ...shape], 0, 255, 'float32', i);
      const next = tf.randomUniform([batch, ...shape], 0, 255, 'float32', i + 1);
      const actions = Array.from({ length: batch }, () => rng.int(3));
      const y = tf.tidy(() => tf.add(1, tf.mul(0.99, tf.max(target.predict(next) as tf.Tensor, 1))));
      const { value, grads } = tf.variableGrads(
        () => huberLoss(selectActions(online.apply(obs, { training: true }) as tf.Tensor, actions), y),
        vars,
      );
      const clipped = clipByGlobalNorm(grads, 10);
      optimizer.applyGradients(Object.entries(clipped.grads).map(([name, tensor]) => ({ name, tensor })));
      const loss = value.dataSync()[0];
      tf.dispose([obs, next, y, value, grads, clipped.grads, clipped.globalNorm]);
      if (i % 50 === 0) target.setWeights(online.getWeights());
      return loss;
    },
    act(): number {
      return tf.tidy(() => tf.argMax(online.predict(tf.zeros([1, ...shape])) as tf.Tensor, 1).dataSync()[0]);
    },
    dispose() {
      optimizer.dispose();
      online.dispose();
      target.dispose();
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
