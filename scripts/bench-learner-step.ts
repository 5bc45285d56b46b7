/**
 * One DQN learner step and one act() call, as bench-learner.ts times them (and as
 * bench_learner_torch.py mirrors them in PyTorch): online forward on the batch, target forward on
 * the next states, Huber loss on Q(s, a) against r + γ·(1 − done)·maxₐ' Q_target(s', a'),
 * backward, Adam. The batch is made once and reused, so the figures are the learner's alone.
 */
import * as tf from '@tensorflow/tfjs';
import { DqnAgent } from '../agents/dqn.js';
import { ATARI_PRESET, type DqnConfig } from '../agents/dqn-config.js';
import type { ReplayBatch } from '../replay/replay-config.js';
import { adam } from '../src/backend/adam.js';
import { huberLoss, selectActions } from '../src/backend/ops.js';
import { buildNetwork } from '../src/nets/build.js';
import { Rng } from '../src/util/rng.js';

/** One network to time. */
export interface LearnerCase {
  /** Short name, shared with the PyTorch script. */
  name: string;
  /** Spec string or preset (src/nets/spec.ts). */
  spec: string;
  inputShape: number[];
  actions: number;
}

export const LEARNER_CASES: readonly LearnerCase[] = [
  { name: 'nature', spec: 'nature', inputShape: [84, 84, 4], actions: 6 },
  { name: 'dqn2013', spec: 'small', inputShape: [84, 84, 4], actions: 6 },
  { name: 'minatar', spec: '[c16k3s1,relu:128,relu]', inputShape: [10, 10, 4], actions: 6 },
  { name: 'mlp', spec: 'mlp', inputShape: [4], actions: 2 },
];

export interface Learner {
  /** One full DQN update; returns when the loss is computed (synchronised by reading it). */
  step(): number;
  /** Greedy action for one observation (batch 1). */
  act(): number;
  dispose(): void;
}

function observations(rng: Rng, shape: number[]): tf.Tensor {
  const size = shape.reduce((p, d) => p * d, 1);
  const image = shape.length === 4;
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = image ? rng.int(256) : rng.normal();
  return tf.tensor(data, shape);
}

export function makeLearner(c: LearnerCase, batchSize: number, seed = 0): Learner {
  const rng = new Rng(seed);
  const head = { kind: 'q', actions: c.actions } as const;
  const online = buildNetwork(c.spec, c.inputShape, head, { rng });
  const target = buildNetwork(c.spec, c.inputShape, head, { rng });
  target.setWeights(online.getWeights());
  const optimizer = adam(1e-4);
  const vars = online.trainableWeights.map((w) => w.read() as tf.Variable);

  const obs = observations(rng, [batchSize, ...c.inputShape]);
  const nextObs = observations(rng, [batchSize, ...c.inputShape]);
  const one = observations(rng, [1, ...c.inputShape]);
  const actions = tf.tensor1d(
    Array.from({ length: batchSize }, () => rng.int(c.actions)),
    'int32',
  );
  const rewards = tf.tensor1d(Array.from({ length: batchSize }, () => rng.float()));
  const notDone = tf.tensor1d(Array.from({ length: batchSize }, () => (rng.bernoulli(0.05) ? 0 : 1)));
  const gamma = 0.99;

  return {
    step() {
      const y = tf.tidy(() => {
        const nextQ = target.apply(nextObs) as tf.Tensor2D;
        return tf.add(rewards, tf.mul(tf.mul(gamma, notDone), tf.max(nextQ, 1)));
      });
      const loss = optimizer.minimize(
        () => huberLoss(selectActions(online.apply(obs, { training: true }) as tf.Tensor2D, actions), y),
        true,
        vars,
      );
      const value = loss === null ? Number.NaN : loss.dataSync()[0];
      tf.dispose([y, loss as tf.Scalar]);
      return value;
    },
    act() {
      const a = tf.tidy(() => tf.argMax(online.apply(one) as tf.Tensor2D, 1));
      const value = a.dataSync()[0];
      a.dispose();
      return value;
    },
    dispose() {
      tf.dispose([obs, nextObs, one, actions, rewards, notDone]);
      optimizer.dispose();
      online.dispose();
      target.dispose();
    },
  };
}

/**
 * The same DQN update as `makeLearner`, run by the DqnAgent that `pixelrl train` uses (its fused
 * forward pass, JS-side action mask and flat Adam with gradient-norm clipping): one
 * `agent.update(batch)` on a batch made once, and one greedy `agent.act` for act().
 */
export function makeAgentLearner(c: LearnerCase, batchSize: number, seed = 0): Learner {
  const rng = new Rng(seed);
  const config: DqnConfig = { ...ATARI_PRESET, net: c.spec, learningRate: 1e-4, batchSize };
  const agent = new DqnAgent(config, { inputShape: c.inputShape, numActions: c.actions, seed });
  const size = c.inputShape.reduce((p, d) => p * d, 1);
  const image = c.inputShape.length === 3;
  const fill = (n: number) => {
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = image ? rng.int(256) : rng.normal();
    return data;
  };
  const batch: ReplayBatch<Float32Array> = {
    batchSize,
    obs: fill(batchSize * size),
    nextObs: fill(batchSize * size),
    actions: Int32Array.from({ length: batchSize }, () => rng.int(c.actions)),
    rewards: Float32Array.from({ length: batchSize }, () => rng.float()),
    dones: new Float32Array(batchSize),
    discounts: Float32Array.from({ length: batchSize }, () => (rng.bernoulli(0.05) ? 0 : 0.99)),
    weights: new Float32Array(batchSize).fill(1),
    indices: new Int32Array(batchSize),
    obsShape: [batchSize, ...c.inputShape],
  };
  const one = fill(size);
  const out = new Int32Array(1);
  const actRng = new Rng(seed + 1);
  return {
    step: () => agent.update(batch).loss,
    act: () => agent.act(one, 1, 0, actRng, out)[0],
    dispose: () => agent.dispose(),
  };
}
