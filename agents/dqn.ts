/**
 * DQN (Mnih et al. 2015): an online Q-network trained on replayed transitions towards targets
 * from a slowly updated target network, acting ε-greedily. Options: Double DQN, dueling head,
 * n-step returns and prioritized replay (the replay buffer builds the n-step batch and the
 * priorities; the agent returns the TD errors).
 *
 * The agent is thin: targets and losses are in value-losses.ts, the forward pass in
 * fused-forward.ts, the optimizer in flat-optimizer.ts. It knows nothing of envs, files or the
 * training schedule: the loop decides when to act, update and sync (src/train/).
 */
import * as tf from '@tensorflow/tfjs';
import type { ReplayBatch } from '../replay/replay-buffer.js';
import { buildNetwork } from '../src/nets/index.js';
import { Rng } from '../src/util/rng.js';
import type { DqnConfig } from './dqn-config.js';
import { FlatOptimizer } from './flat-optimizer.js';
import { type FusedForward, fusedForward } from './fused-forward.js';
import { compileJsMlp, type JsMlp } from './js-mlp.js';
import { doubleQLearningTarget, polyakUpdate, qLearningTarget, weightedHuberLoss } from './value-losses.js';

/** Dense networks up to this many parameters act in plain JS (js-mlp.ts); larger ones in tfjs. */
const JS_ACTING_MAX_PARAMS = 100_000;

export interface DqnAgentOptions {
  /** Shape of one network input: `[height, width, historyLength]` for images, `[size]` for vectors. */
  inputShape: number[];
  numActions: number;
  /** Seeds the weight initialisation. */
  seed: number;
}

/** What one `update` reports (numbers, read back from the backend once per update). */
export interface UpdateResult {
  /** Mean Huber loss of the last gradient step. */
  loss: number;
  /** Mean Q(s, a) over the last batch. */
  meanQ: number;
  /** δ = y − Q(s, a) of the last batch (for priorities). */
  tdErrors: Float32Array;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

/** Plain data + typed arrays + models: what a checkpoint stores for a stateful part. */
export interface StateBundle {
  json: Record<string, unknown>;
  arrays: Record<string, Float32Array | Uint8Array | Int32Array | Float64Array>;
  models: Record<string, tf.LayersModel>;
}

export class DqnAgent {
  readonly online: tf.LayersModel;
  readonly target: tf.LayersModel;
  readonly numActions: number;
  readonly inputShape: readonly number[];
  private readonly onlineForward: FusedForward;
  private readonly targetForward: FusedForward;
  private readonly optimizer: FlatOptimizer;
  /** Plain-JS Q for acting with small dense networks (see js-mlp.ts), else null. */
  private readonly jsMlp: JsMlp | null;
  private jsQ = new Float32Array(0);
  private mask = new Float32Array(0);
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
    this.onlineForward = fusedForward(this.online);
    this.targetForward = fusedForward(this.target);
    polyakUpdate(this.targetForward.variables, this.onlineForward.variables, 1);
    this.optimizer = new FlatOptimizer(this.onlineForward.variables, {
      kind: config.optimizer,
      learningRate: config.learningRate,
      epsilon: config.optimizerEpsilon,
      maxGradNorm: config.maxGradNorm,
    });
    this.jsMlp = this.optimizer.size <= JS_ACTING_MAX_PARAMS ? compileJsMlp(this.online) : null;
  }

  /** Q(s, ·) of the online network for `count` stacked observations: [count × numActions], row-major. */
  qValues(obs: Float32Array | Uint8Array, count: number): Float32Array {
    const q = tf.tidy(() => this.onlineForward(this.toTensor(obs, count)));
    const values = q.dataSync() as Float32Array;
    q.dispose();
    return values;
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
    let q: Float32Array;
    if (this.jsMlp) {
      if (this.jsQ.length < count * this.numActions) this.jsQ = new Float32Array(count * this.numActions);
      q = this.jsMlp.run(this.optimizer.params, obs, count, this.jsQ);
    } else {
      q = this.qValues(obs, count);
    }
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
    const { config } = this;
    const B = batch.batchSize;
    const target = tf.tidy(() => {
      const next = this.toTensor(batch.nextObs, B);
      const r = tf.tensor1d(batch.rewards);
      const discount = tf.tensor1d(batch.discounts);
      const qNextTarget = this.targetForward(next);
      return config.doubleDqn
        ? doubleQLearningTarget(r, discount, qNextTarget, this.onlineForward(next))
        : qLearningTarget(r, discount, qNextTarget);
    });
    let qa: tf.Tensor1D | null = null;
    const { value, grads } = tf.tidy(() => {
      const obs = this.toTensor(batch.obs, B);
      const mask = tf.tensor2d(this.actionMask(batch.actions, B), [B, this.numActions]);
      const weights = tf.tensor1d(batch.weights);
      return tf.variableGrads(() => {
        const q = this.onlineForward(obs);
        qa = tf.keep(tf.sum(tf.mul(q, mask), 1) as tf.Tensor1D);
        return weightedHuberLoss(qa, target, weights, config.huberDelta);
      }, this.onlineForward.variables);
    });
    const gradNorm = this.optimizer.apply(this.onlineForward.variables.map((v) => grads[v.name]));
    this.gradientSteps++;
    const q = qa as unknown as tf.Tensor1D;
    // One download for all three: [loss, mean Q, δ_1..δ_B].
    const stats = tf.tidy(() =>
      tf.concat([tf.reshape(value, [1]), tf.reshape(tf.mean(q), [1]), tf.sub(target, q)]),
    );
    const values = stats.dataSync() as Float32Array;
    tf.dispose([stats, value, q, target]);
    return { loss: values[0], meanQ: values[1], tdErrors: values.slice(2), gradNorm };
  }

  /** Sets the learning rate of the next updates (for a schedule owned by the loop). */
  setLearningRate(learningRate: number): void {
    this.optimizer.learningRate = learningRate;
  }

  /** θ' ← τθ + (1 − τ)θ' with the configured τ (τ = 1: the hard sync of the Nature paper). */
  updateTarget(): void {
    polyakUpdate(this.targetForward.variables, this.onlineForward.variables, this.config.tau);
  }

  getState(): StateBundle {
    const opt = this.optimizer.getState();
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
      const mine = this[name];
      const weights = source.getWeights();
      const own = mine.getWeights();
      if (weights.length !== own.length || weights.some((w, i) => w.shape.join() !== own[i].shape.join())) {
        throw new Error(`DQN state: the '${name}' network has a different architecture than this agent's`);
      }
      mine.setWeights(weights);
    }
    const first = state.arrays['optimizer.first'];
    const second = state.arrays['optimizer.second'];
    if (!(first instanceof Float32Array) || !(second instanceof Float32Array)) {
      throw new Error('DQN state has no optimizer moments (optimizer.first / optimizer.second)');
    }
    this.optimizer.setState({ step: Number(state.json.optimizerStep), first, second });
    this.gradientSteps = Number(state.json.gradientSteps);
  }

  dispose(): void {
    this.online.dispose();
    this.target.dispose();
  }

  /**
   * One-hot rows of the taken actions, made in JS (one upload, no op; and `tf.oneHot` with a
   * float32 dtype returns wrong values on wasm 4.22).
   */
  private actionMask(actions: Int32Array, count: number): Float32Array {
    const n = this.numActions;
    if (this.mask.length !== count * n) this.mask = new Float32Array(count * n);
    this.mask.fill(0);
    for (let i = 0; i < count; i++) this.mask[i * n + actions[i]] = 1;
    return this.mask;
  }

  private toTensor(obs: Float32Array | Uint8Array, count: number): tf.Tensor {
    const data = obs.length === count * this.inputSize ? obs : obs.subarray(0, count * this.inputSize);
    return tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data), [
      count,
      ...this.inputShape,
    ]);
  }

  private get inputSize(): number {
    return this.inputShape.reduce((a, b) => a * b, 1);
  }
}
