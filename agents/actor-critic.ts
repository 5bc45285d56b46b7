/**
 * The network(s) and optimiser every on-policy agent shares: a categorical policy π(·|s) and a
 * state value V(s), either from one torso with two heads (`sharedTorso`) or from two networks
 * built from the same torso spec. The agents (a2c.ts for A2C and REINFORCE, ppo.ts) differ only in the
 * loss they hand to {@link ActorCritic.step}.
 *
 *     obs ─ torso ─┬─ logits [B, A]          (shared torso: buildNetwork 'actor-critic' head)
 *                  └─ value  [B, 1]
 *     obs ─ torso ── logits [B, A]           (separate: two buildNetwork 'q'-style linear heads,
 *     obs ─ torso ── value  [B, 1]            one with A outputs, one with 1)
 */
import * as tf from '@tensorflow/tfjs';
import type { StateBundle } from '../src/checkpoint/checkpoint.js';
import { buildNetwork } from '../src/nets/index.js';
import type { Rng } from '../src/util/rng.js';
import { type SampledActions, sampleActions } from './categorical.js';
import { FlatOptimizer } from './flat-optimizer.js';
import { compileForward, compileJsForward, type ForwardFn, type JsForward } from './functional-net.js';
import { orthogonalInit } from './orthogonal-init.js';

/** A flat batch of observations, in whatever dtype the env emits. */
export type ObsArray = Float32Array | Uint8Array | Float64Array;

export interface ActorCriticOptions {
  /** Torso spec for buildNetwork (preset name or spec string). */
  net: string;
  /** One torso with two heads, or two networks. */
  sharedTorso: boolean;
  /** Observation shape: `[size]` or `[height, width, channels]`. */
  inputShape: number[];
  /** Number of discrete actions. */
  numActions: number;
  optimizer: 'adam' | 'rmsprop';
  learningRate: number;
  /** Optimiser ε. */
  optimizerEpsilon: number;
  /** RMSProp decay ρ (ignored by Adam). */
  rmspropDecay?: number;
  /** Global-norm gradient clip; 0 disables it. */
  maxGradNorm: number;
  /** Seeds the weight initialisers. */
  rng: Rng;
}

/** What {@link ActorCritic.act} returns for one batch of observations (one per env). */
export interface ActResult extends SampledActions {
  /** V(s) of each observation. */
  values: Float32Array;
}

/** The policy and value outputs for a batch, as tensors (inside a gradient computation). */
export interface PolicyValue {
  /** [B, A] */
  logits: tf.Tensor2D;
  /** [B] */
  values: tf.Tensor1D;
}

/**
 * Orthogonal-init gains as in CleanRL's `layer_init` and SB3: √2 for the torso, 0.01 for the
 * policy head (so the first policy is nearly uniform), 1 for the value head.
 */
function gainOf(layerName: string, policyHead: string, valueHead: string): number {
  if (layerName === policyHead) return 0.01;
  if (layerName === valueHead) return 1;
  return Math.SQRT2;
}

export class ActorCritic {
  /** `[shared]` or `[actor, critic]`. */
  readonly models: tf.LayersModel[];
  readonly optimizer: FlatOptimizer;
  readonly numActions: number;
  readonly inputShape: number[];
  /** The models' forward passes, compiled to plain ops (functional-net.ts). */
  private readonly forwards: ForwardFn[];
  /** Plain-JS forward passes for acting (MLPs only; null otherwise), and whether their weights are stale. */
  private readonly jsForwards: JsForward[] | null;
  private jsStale = false;
  private readonly obsSize: number;

  constructor(opts: ActorCriticOptions) {
    this.numActions = opts.numActions;
    this.inputShape = [...opts.inputShape];
    this.obsSize = opts.inputShape.reduce((a, b) => a * b, 1);
    const rng = opts.rng;
    const head = { policy: opts.sharedTorso ? 'logits' : 'q', value: opts.sharedTorso ? 'value' : 'q' };
    if (opts.sharedTorso) {
      const model = buildNetwork(
        opts.net,
        this.inputShape,
        { kind: 'actor-critic', actions: opts.numActions },
        { rng: rng.spawn() },
      );
      orthogonalInit(model, (name) => gainOf(name, head.policy, head.value), rng);
      this.models = [model];
    } else {
      const actor = buildNetwork(
        opts.net,
        this.inputShape,
        { kind: 'q', actions: opts.numActions },
        { rng: rng.spawn() },
      );
      orthogonalInit(actor, (name) => gainOf(name, head.policy, ''), rng);
      const critic = buildNetwork(opts.net, this.inputShape, { kind: 'q', actions: 1 }, { rng: rng.spawn() });
      orthogonalInit(critic, (name) => gainOf(name, '', head.value), rng);
      this.models = [actor, critic];
    }
    this.forwards = this.models.map(compileForward);
    const js = this.models.map(compileJsForward);
    this.jsForwards = js.every((f) => f !== null) ? (js as JsForward[]) : null;
    this.optimizer = new FlatOptimizer(this.variables(), {
      kind: opts.optimizer,
      learningRate: opts.learningRate,
      epsilon: opts.optimizerEpsilon,
      maxGradNorm: opts.maxGradNorm,
      decay: opts.rmspropDecay ?? 0.99,
    });
  }

  /** The trainable variables of all models, in a fixed order (for gradients and checkpoints). */
  variables(): tf.Variable[] {
    return this.models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
  }

  setLearningRate(lr: number): void {
    this.optimizer.config.learningRate = lr;
  }

  /** Logits [B, A] and values [B] for a batch of observations (differentiable). */
  forward(obs: tf.Tensor): PolicyValue {
    return tf.tidy(() => {
      if (this.forwards.length === 1) {
        const [logits, value] = this.forwards[0](obs);
        return { logits: logits as tf.Tensor2D, values: tf.reshape(value, [-1]) as tf.Tensor1D };
      }
      const [logits] = this.forwards[0](obs);
      const [value] = this.forwards[1](obs);
      return { logits: logits as tf.Tensor2D, values: tf.reshape(value, [-1]) as tf.Tensor1D };
    });
  }

  /** A [B, ...inputShape] float32 tensor from a flat batch of observations. */
  obsTensor(obs: ObsArray, batch: number): tf.Tensor {
    if (obs.length !== batch * this.obsSize) {
      throw new Error(
        `expected ${batch} observations of shape [${this.inputShape}] (${batch * this.obsSize} values), got ${obs.length}`,
      );
    }
    const data = obs instanceof Float32Array ? obs : Float32Array.from(obs);
    return tf.tensor(data, [batch, ...this.inputShape], 'float32');
  }

  /**
   * Samples one action per observation (or takes the most likely one, `greedy`) and reports
   * log π(a|s) and V(s) as the network saw them.
   */
  act(obs: ObsArray, batch: number, rng: Rng, greedy = false): ActResult {
    const { logits, values } = this.outputs(obs, batch);
    return { ...sampleActions(logits, this.numActions, rng, greedy), values };
  }

  /** Logits and values as arrays, through the JS forward pass when there is one. */
  private outputs(obs: ObsArray, batch: number): { logits: Float32Array; values: Float32Array } {
    if (this.jsForwards !== null) {
      if (obs.length !== batch * this.obsSize) {
        throw new Error(
          `expected ${batch} observations of shape [${this.inputShape}], got ${obs.length} values`,
        );
      }
      if (this.jsStale) {
        for (const f of this.jsForwards) f.refresh();
        this.jsStale = false;
      }
      if (this.jsForwards.length === 1) {
        const [logits, values] = this.jsForwards[0].run(obs, batch);
        return { logits, values };
      }
      return { logits: this.jsForwards[0].run(obs, batch)[0], values: this.jsForwards[1].run(obs, batch)[0] };
    }
    const [logitsT, valuesT] = tf.tidy(() => {
      const out = this.forward(this.obsTensor(obs, batch));
      return [out.logits, out.values];
    });
    try {
      return { logits: logitsT.dataSync() as Float32Array, values: Float32Array.from(valuesT.dataSync()) };
    } finally {
      logitsT.dispose();
      valuesT.dispose();
    }
  }

  /** V(s) for a batch of observations (bootstrapping the last step of a rollout). */
  values(obs: ObsArray, batch: number): Float32Array {
    return this.outputs(obs, batch).values;
  }

  /**
   * One gradient step on `loss()`: gradients of all variables, clipped to `maxGradNorm` in global
   * norm and applied by the flat optimiser (agents/flat-optimizer.ts). Returns the loss (the
   * caller disposes it) and the gradient norm before clipping.
   */
  step(loss: () => tf.Scalar): { loss: tf.Scalar; gradNorm: number } {
    const vars = this.variables();
    const { value, grads } = tf.variableGrads(loss, vars);
    this.jsStale = true;
    return { loss: value, gradNorm: this.optimizer.apply(vars.map((v) => grads[v.name])) };
  }

  /**
   * One gradient step whose loss is computed in JS on the network's outputs (policy-loss-grads.ts):
   * the forward pass runs under the gradient tape, its logits and values are read back, `head`
   * returns the loss and ∂loss/∂outputs, and the tape backpropagates Σ outputs·∂loss/∂outputs,
   * whose gradient with respect to the weights is ∂loss/∂weights (the chain rule).
   */
  stepWithHead<R extends { dLogits: Float32Array; dValues: Float32Array }>(
    obs: tf.Tensor,
    head: (logits: Float32Array, values: Float32Array) => R,
  ): { result: R; gradNorm: number } {
    const vars = this.variables();
    let result: R | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const { logits, values } = this.forward(obs);
      result = head(logits.dataSync() as Float32Array, values.dataSync() as Float32Array);
      const dLogits = tf.tensor(result.dLogits, logits.shape);
      const dValues = tf.tensor(result.dValues, values.shape);
      return tf.add(tf.sum(tf.mul(logits, dLogits)), tf.sum(tf.mul(values, dValues))) as tf.Scalar;
    }, vars);
    value.dispose();
    this.jsStale = true;
    const gradNorm = this.optimizer.apply(vars.map((v) => grads[v.name]));
    return { result: result as unknown as R, gradNorm };
  }

  /** The models' names in a checkpoint: `actorCritic`, or `actor` and `critic`. */
  modelNames(): string[] {
    return this.models.length === 1 ? ['actorCritic'] : ['actor', 'critic'];
  }

  /** Weights and optimiser state, as a checkpoint part (src/checkpoint/checkpoint.ts). */
  getState(): StateBundle {
    const opt = this.optimizer.getState();
    const models: Record<string, tf.LayersModel> = {};
    this.modelNames().forEach((name, i) => {
      models[name] = this.models[i];
    });
    return {
      json: { optimizerStep: opt.step, optimizer: this.optimizer.config.kind },
      arrays: { 'optimizer.first': opt.first, 'optimizer.second': opt.second },
      models,
    };
  }

  /** Copies weights and optimiser state in from a bundle saved by an agent of the same shape. */
  setState(state: StateBundle): void {
    this.modelNames().forEach((name, i) => {
      const source = state.models[name];
      if (!source) {
        throw new Error(
          `actor-critic state has no '${name}' network (it has: ${Object.keys(state.models).join(', ') || 'none'}); was it saved with another sharedTorso setting?`,
        );
      }
      const weights = source.getWeights();
      const own = this.models[i].getWeights();
      if (weights.length !== own.length || weights.some((w, k) => w.shape.join() !== own[k].shape.join())) {
        throw new Error(
          `actor-critic state: the '${name}' network has a different architecture than this agent's`,
        );
      }
      this.models[i].setWeights(weights);
    });
    const first = state.arrays['optimizer.first'];
    const second = state.arrays['optimizer.second'];
    if (!(first instanceof Float32Array) || !(second instanceof Float32Array)) {
      throw new Error('actor-critic state has no optimizer moments (optimizer.first / optimizer.second)');
    }
    this.optimizer.setState({ step: Number(state.json.optimizerStep), first, second });
    this.jsStale = true;
  }

  dispose(): void {
    for (const m of this.models) m.dispose();
  }
}
