/**
 * The network(s) and optimiser every on-policy agent shares: a categorical policy π(·|s) and a
 * state value V(s), either from one torso with two heads (`sharedTorso`) or from two networks
 * built from the same torso spec. The agents (reinforce.ts, a2c.ts, ppo.ts) differ only in the
 * loss they hand to {@link ActorCritic.step}.
 *
 *     obs ─ torso ─┬─ logits [B, A]          (shared torso: buildNetwork 'actor-critic' head)
 *                  └─ value  [B, 1]
 *     obs ─ torso ── logits [B, A]           (separate: two buildNetwork 'q'-style linear heads,
 *     obs ─ torso ── value  [B, 1]            one with A outputs, one with 1)
 */
import * as tf from '@tensorflow/tfjs';
import { clipByGlobalNorm } from '../src/backend/ops.js';
import { buildNetwork } from '../src/nets/index.js';
import type { Rng } from '../src/util/rng.js';
import { type SampledActions, sampleActions } from './categorical.js';
import { compileForward, type ForwardFn } from './functional-net.js';
import { orthogonalInit } from './orthogonal-init.js';

/**
 * Adam whose step size can change between updates (learning-rate annealing). tfjs reads
 * `learningRate` on every `applyGradients`, but keeps it protected.
 */
class AnnealableAdam extends tf.AdamOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}

/** RMSProp whose step size can change between updates (see {@link AnnealableAdam}). */
class AnnealableRmsProp extends tf.RMSPropOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}

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
  readonly optimizer: AnnealableAdam | AnnealableRmsProp;
  readonly numActions: number;
  readonly inputShape: number[];
  private readonly maxGradNorm: number;
  /** The models' forward passes, compiled to plain ops (functional-net.ts). */
  private readonly forwards: ForwardFn[];
  private readonly obsSize: number;

  constructor(opts: ActorCriticOptions) {
    this.numActions = opts.numActions;
    this.inputShape = [...opts.inputShape];
    this.obsSize = opts.inputShape.reduce((a, b) => a * b, 1);
    this.maxGradNorm = opts.maxGradNorm;
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
      const actor = buildNetwork(opts.net, this.inputShape, { kind: 'q', actions: opts.numActions }, { rng: rng.spawn() });
      orthogonalInit(actor, (name) => gainOf(name, head.policy, ''), rng);
      const critic = buildNetwork(opts.net, this.inputShape, { kind: 'q', actions: 1 }, { rng: rng.spawn() });
      orthogonalInit(critic, (name) => gainOf(name, '', head.value), rng);
      this.models = [actor, critic];
    }
    this.forwards = this.models.map(compileForward);
    this.optimizer =
      opts.optimizer === 'adam'
        ? new AnnealableAdam(opts.learningRate, 0.9, 0.999, opts.optimizerEpsilon)
        : new AnnealableRmsProp(opts.learningRate, opts.rmspropDecay ?? 0.99, 0, opts.optimizerEpsilon);
  }

  /** The trainable variables of all models, in a fixed order (for gradients and checkpoints). */
  variables(): tf.Variable[] {
    return this.models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
  }

  setLearningRate(lr: number): void {
    this.optimizer.setLearningRate(lr);
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
    const [logitsT, valuesT] = tf.tidy(() => {
      const out = this.forward(this.obsTensor(obs, batch));
      return [out.logits, out.values];
    });
    try {
      const logits = logitsT.dataSync() as Float32Array;
      const values = Float32Array.from(valuesT.dataSync());
      return { ...sampleActions(logits, this.numActions, rng, greedy), values };
    } finally {
      logitsT.dispose();
      valuesT.dispose();
    }
  }

  /** V(s) for a batch of observations (bootstrapping the last step of a rollout). */
  values(obs: ObsArray, batch: number): Float32Array {
    const v = tf.tidy(() => this.forward(this.obsTensor(obs, batch)).values);
    try {
      return Float32Array.from(v.dataSync());
    } finally {
      v.dispose();
    }
  }

  /**
   * One gradient step on `loss()`: gradients of all variables, clipped to `maxGradNorm` in global
   * norm, applied by the optimiser. Returns the gradient norm before clipping (as a scalar the
   * caller disposes), so it can be logged without forcing a read here.
   */
  step(loss: () => tf.Scalar): tf.Scalar {
    return tf.tidy(() => {
      const { grads } = tf.variableGrads(loss, this.variables());
      if (this.maxGradNorm > 0) {
        const clipped = clipByGlobalNorm(grads, this.maxGradNorm);
        this.optimizer.applyGradients(named(clipped.grads));
        return clipped.globalNorm;
      }
      this.optimizer.applyGradients(named(grads));
      return tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
    });
  }

  dispose(): void {
    for (const m of this.models) m.dispose();
    this.optimizer.dispose();
  }
}

function named(grads: tf.NamedTensorMap): { name: string; tensor: tf.Tensor }[] {
  return Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
}
