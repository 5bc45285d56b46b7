/**
 * DQN (Mnih et al. 2015): an online Q-network trained on replayed transitions towards targets
 * from a slowly updated target network, acting ε-greedily. Options: Double DQN, dueling head,
 * n-step returns and prioritized replay (the replay buffer builds the n-step batch and the
 * priorities; the agent returns the TD errors).
 *
 * The agent is thin: the engine (src/engine/) owns the parameters and runs the forward pass and
 * the whole train step (targets, loss, backward, optimizer). The agent knows nothing of envs,
 * files or the training schedule: the loop decides when to act, update and sync (src/train/).
 */
import type * as tf from '@tensorflow/tfjs';
import type { ReplayBatch } from '../replay/replay-buffer.js';
import { readFlatWeights, writeFlatWeights } from '../src/engine/flat-weights.js';
import { type Engine, tfjsEngine } from '../src/engine/select.js';
import type { DqnLearner, DqnStepResult } from '../src/engine/types.js';
import { buildNetwork } from '../src/nets/index.js';
import { Rng } from '../src/util/rng.js';
import type { Checkpointable, StateBundle } from '../src/util/state-bundle.js';
import type { DqnConfig } from './dqn-config.js';

export interface DqnAgentOptions {
  /** Shape of one network input: `[height, width, historyLength]` for images, `[size]` for vectors. */
  inputShape: number[];
  numActions: number;
  /** Seeds the weight initialisation. */
  seed: number;
  /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
  engine?: Engine;
}

/** What one `update` reports (see the engine's DqnStepResult). */
export type UpdateResult = DqnStepResult;

export class DqnAgent implements Checkpointable {
  /** The networks in tfjs format; they hold the engine's weights after `getState`. */
  readonly online: tf.LayersModel;
  readonly target: tf.LayersModel;
  readonly numActions: number;
  readonly inputShape: readonly number[];
  readonly learner: DqnLearner;
  /** The learning rate of the next updates (a schedule owned by the loop sets it). */
  learningRate: number;
  /** Gradient steps taken so far. */
  gradientSteps = 0;

  constructor(
    readonly config: DqnConfig,
    options: DqnAgentOptions,
  ) {
    this.numActions = options.numActions;
    this.inputShape = [...options.inputShape];
    const head = {
      kind: config.dueling ? ('dueling' as const) : ('q' as const),
      actions: options.numActions,
    };
    this.online = buildNetwork(config.net, this.inputShape as number[], head, { rng: new Rng(options.seed) });
    this.target = buildNetwork(config.net, this.inputShape as number[], head, { rng: new Rng(options.seed) });
    this.learningRate = config.learningRate;
    this.learner = (options.engine ?? tfjsEngine()).dqnLearner(this.online, this.target, options.numActions, {
      doubleDqn: config.doubleDqn,
      loss: config.loss,
      huberDelta: config.huberDelta,
      optimizer: {
        kind: config.optimizer,
        epsilon: config.optimizerEpsilon,
        maxGradNorm: config.maxGradNorm,
      },
    });
  }

  /** Q(s, ·) of the online network for `count` stacked observations: [count × numActions], row-major. */
  qValues(obs: Float32Array | Uint8Array, count: number): Float32Array {
    return this.learner.qValues(obs, count);
  }

  /**
   * ε-greedy actions for `count` stacked observations. Per observation one `rng.float()` decides
   * explore or exploit, and an explorer draws `rng.int(numActions)`; the network runs only if
   * someone exploits (ties go to the lowest action). `out` receives the actions.
   */
  act(obs: Float32Array | Uint8Array, count: number, epsilon: number, rng: Rng, out: Int32Array): Int32Array {
    let greedy = 0;
    for (let i = 0; i < count; i++) {
      if (rng.float() < epsilon) out[i] = rng.int(this.numActions);
      else {
        out[i] = -1;
        greedy++;
      }
    }
    if (greedy === 0) return out;
    const q = this.learner.qValues(obs, count);
    const n = this.numActions;
    for (let i = 0; i < count; i++) {
      if (out[i] !== -1) continue;
      let best = 0;
      for (let a = 1; a < n; a++) if (q[i * n + a] > q[i * n + best]) best = a;
      out[i] = best;
    }
    return out;
  }

  /** One gradient step on a replay batch (rewards already n-step summed, discounts γ^k or 0). */
  update(batch: ReplayBatch<Uint8Array | Float32Array>): UpdateResult {
    const result = this.learner.step(batch, this.learningRate);
    this.gradientSteps++;
    return result;
  }

  /** Sets the learning rate of the next updates (for a schedule owned by the loop). */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** θ' ← τθ + (1 − τ)θ' with the configured τ (τ = 1: the hard sync of the Nature paper). */
  updateTarget(): void {
    this.learner.syncTarget(this.config.tau);
  }

  /** Weights (copied from the engine into the tfjs models), optimizer state and counters. */
  getState(): StateBundle {
    const opt = this.learner.getOptimizerState();
    writeFlatWeights([this.online], this.learner.getParams('online'));
    writeFlatWeights([this.target], this.learner.getParams('target'));
    return {
      json: { gradientSteps: this.gradientSteps, optimizerStep: opt.step, optimizer: this.config.optimizer },
      arrays: { 'optimizer.first': opt.first, 'optimizer.second': opt.second },
      models: { online: this.online, target: this.target },
    };
  }

  /** Restores from a bundle whose models have this agent's architecture (weights are copied in). */
  setState(state: StateBundle): void {
    for (const name of ['online', 'target'] as const) {
      const source = state.models[name];
      if (!source) throw new Error(`DQN state has no '${name}' network`);
      const weights = source.getWeights();
      const own = this[name].getWeights();
      if (weights.length !== own.length || weights.some((w, i) => w.shape.join() !== own[i].shape.join())) {
        throw new Error(`DQN state: the '${name}' network has a different architecture than this agent's`);
      }
      this[name].setWeights(weights);
      this.learner.setParams(name, readFlatWeights([source]));
    }
    const first = state.arrays['optimizer.first'];
    const second = state.arrays['optimizer.second'];
    if (!(first instanceof Float32Array) || !(second instanceof Float32Array)) {
      throw new Error('DQN state has no optimizer moments (optimizer.first / optimizer.second)');
    }
    this.learner.setOptimizerState({ step: Number(state.json.optimizerStep), first, second });
    this.gradientSteps = Number(state.json.gradientSteps);
  }

  dispose(): void {
    this.learner.dispose();
    this.online.dispose();
    this.target.dispose();
  }
}
