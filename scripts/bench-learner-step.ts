/**
 * One DQN learner step and one act() call, as bench-learner.ts times them (and as
 * bench_learner_torch.py mirrors them in PyTorch): online forward on the batch, target forward on
 * the next states, Huber loss on Q(s, a) against r + γ·discount·maxₐ' Q_target(s', a'),
 * backward, Adam. The batch is made once and reused, so the figures are the learner's alone.
 */
import { DqnAgent } from '../agents/dqn.js';
import { ATARI_PRESET, type DqnConfig } from '../agents/dqn-config.js';
import type { ReplayBatch } from '../replay/replay-config.js';
import type { Engine } from '../src/engine/select.js';
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
  { name: 'compact', spec: 'compact', inputShape: [42, 42, 4], actions: 3 },
  { name: 'mlp', spec: 'mlp', inputShape: [4], actions: 2 },
];

export interface Learner {
  /** One full DQN update; returns when the loss is computed (synchronised by reading it). */
  step(): number;
  /** Greedy action for one observation (batch 1). */
  act(): number;
  dispose(): void;
}

/**
 * The DQN update as the DqnAgent that `pixelrl train` runs it, on `engine`: one
 * `agent.update(batch)` on a batch made once (pixels as uint8, as the replay gives them), and one
 * greedy `agent.act` for act(). No gradient clipping, as in the PyTorch step.
 */
export function makeAgentLearner(c: LearnerCase, batchSize: number, engine: Engine, seed = 0): Learner {
  const rng = new Rng(seed);
  const config: DqnConfig = { ...ATARI_PRESET, net: c.spec, learningRate: 1e-4, batchSize, maxGradNorm: 0 };
  const agent = new DqnAgent(config, { inputShape: c.inputShape, numActions: c.actions, seed, engine });
  const size = c.inputShape.reduce((p, d) => p * d, 1);
  const image = c.inputShape.length === 3;
  const fill = (n: number): Float32Array | Uint8Array => {
    if (image) return Uint8Array.from({ length: n }, () => rng.int(256));
    return Float32Array.from({ length: n }, () => rng.normal());
  };
  const batch: ReplayBatch<Float32Array | Uint8Array> = {
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
