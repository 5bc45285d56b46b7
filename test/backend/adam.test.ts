import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { adam, FUSED_ADAM_MAX_SIZE, FusedAdamOptimizer } from '../../src/backend/adam.js';
import { initBackend } from '../../src/backend/select.js';
import { Rng } from '../../src/util/rng.js';

/** Trains w (a 5x3 matrix) for `steps` steps to fit a fixed target; returns w's values. */
function train(optimizer: tf.Optimizer, steps: number, w0: Float32Array): Float32Array {
  const w = tf.variable(tf.tensor2d(w0, [5, 3]));
  const x = tf.tensor2d(
    Array.from({ length: 15 }, (_, i) => Math.sin(i)),
    [3, 5],
  );
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => tf.mean(tf.square(tf.sub(tf.matMul(x, w), 1))) as tf.Scalar, false, [w]);
  }
  const out = w.dataSync().slice() as Float32Array;
  w.dispose();
  x.dispose();
  return out;
}

function initial(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: 15 }, () => rng.normal());
}

describe.each(['cpu', 'wasm'] as const)('FusedAdamOptimizer on %s', (backend) => {
  it("matches tfjs' Adam step for step", async () => {
    await initBackend({ backend });
    const w0 = initial(1);
    const reference = train(tf.train.adam(0.05, 0.9, 0.999, 1e-7), 20, w0);
    const fused = train(adam(0.05), 20, w0);
    for (let i = 0; i < 15; i++) expect(fused[i]).toBeCloseTo(reference[i], 5);
    expect(Math.abs(fused[0] - w0[0])).toBeGreaterThan(0.01);
    const profile = await tf.profile(() => {
      train(adam(0.05), 1, w0);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names.includes('PixelrlAdamUpdate')).toBe(backend === 'wasm');
  });

  it('round-trips its state: resuming after setWeights equals training straight through', async () => {
    await initBackend({ backend });
    const w0 = initial(2);
    const straight = train(adam(0.05), 10, w0);

    const first = adam(0.05);
    const half = train(first, 5, w0);
    const saved = (await first.getWeights()).map((t) => ({ name: t.name, tensor: tf.clone(t.tensor) }));
    expect(saved.map((t) => t.name)).toEqual(['iter', `${saved[1].name}`, `${saved[2].name}`]);
    expect(saved[0].tensor.dataSync()[0]).toBe(5);
    expect(saved[1].name.endsWith('/m')).toBe(true);
    expect(saved[2].name.endsWith('/v')).toBe(true);

    const resumed = new FusedAdamOptimizer(0.05);
    await resumed.setWeights(saved);
    // The restored slots belong to the variable of the first half; train a new one from `half`.
    const w = tf.variable(tf.tensor2d(half, [5, 3]), true, saved[1].name.slice(0, -2));
    const x = tf.tensor2d(
      Array.from({ length: 15 }, (_, i) => Math.sin(i)),
      [3, 5],
    );
    for (let i = 0; i < 5; i++) {
      resumed.minimize(() => tf.mean(tf.square(tf.sub(tf.matMul(x, w), 1))) as tf.Scalar, false, [w]);
    }
    const after = w.dataSync();
    for (let i = 0; i < 15; i++) expect(after[i]).toBeCloseTo(straight[i], 5);
    tf.dispose([w, x, ...saved.map((s) => s.tensor)]);
    first.dispose();
    resumed.dispose();
  });

  it('takes the op-by-op path for variables above FUSED_ADAM_MAX_SIZE, with the same result', async () => {
    await initBackend({ backend });
    const run = (opt: tf.Optimizer) => {
      const w = tf.variable(tf.randomNormal([FUSED_ADAM_MAX_SIZE + 7], 0, 1, 'float32', 4));
      for (let i = 0; i < 3; i++) opt.minimize(() => tf.sum(tf.mul(w, tf.sin(w))) as tf.Scalar, false, [w]);
      const out = w.dataSync().slice(0, 1000);
      w.dispose();
      return out;
    };
    const reference = run(tf.train.adam(0.05));
    const fused = run(adam(0.05));
    for (let i = 0; i < 1000; i++) expect(fused[i]).toBeCloseTo(reference[i], 5);
  });

  it('leaves no tensors behind per step', async () => {
    await initBackend({ backend });
    const opt = adam(0.01);
    const w = tf.variable(tf.randomNormal([40, 30], 0, 1, 'float32', 3));
    const step = () => opt.minimize(() => tf.sum(tf.square(w)) as tf.Scalar, false, [w]);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    w.dispose();
  });
});
