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
import type * as tf from '@tensorflow/tfjs';
import { readFlatWeights, writeFlatWeights } from '../src/engine/flat-weights.js';
import { type Engine, tfjsEngine } from '../src/engine/select.js';
import type { ActorCriticLearner, HeadGradients } from '../src/engine/types.js';
import { buildNetwork, LAYER_NAMES } from '../src/nets/index.js';
import type { Rng } from '../src/util/rng.js';
import type { StateBundle } from '../src/util/state-bundle.js';
import { type SampledActions, sampleActions } from './categorical.js';
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
  /** Optimiser ε. */
  optimizerEpsilon: number;
  /** RMSProp decay ρ (ignored by Adam). */
  rmspropDecay?: number;
  /** Global-norm gradient clip; 0 disables it. */
  maxGradNorm: number;
  /** Seeds the weight initialisers. */
  rng: Rng;
  /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
  engine?: Engine;
}

/** What {@link ActorCritic.act} returns for one batch of observations (one per env). */
export interface ActResult extends SampledActions {
  /** V(s) of each observation. */
  values: Float32Array;
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
  /** `[shared]` or `[actor, critic]`: hold the weights only at checkpoints (see getState). */
  readonly models: tf.LayersModel[];
  readonly learner: ActorCriticLearner;
  readonly numActions: number;
  readonly inputShape: number[];
  readonly optimizerKind: 'adam' | 'rmsprop';

  constructor(opts: ActorCriticOptions) {
    this.numActions = opts.numActions;
    this.inputShape = [...opts.inputShape];
    this.optimizerKind = opts.optimizer;
    const rng = opts.rng;
    const { logits, value, q } = LAYER_NAMES;
    const head = { policy: opts.sharedTorso ? logits : q, value: opts.sharedTorso ? value : q };
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
    this.learner = (opts.engine ?? tfjsEngine()).actorCriticLearner(this.models, {
      kind: opts.optimizer,
      epsilon: opts.optimizerEpsilon,
      maxGradNorm: opts.maxGradNorm,
      decay: opts.rmspropDecay ?? 0.99,
    });
  }

  /**
   * Samples one action per observation (or takes the most likely one, `greedy`) and reports
   * log π(a|s) and V(s) as the network saw them.
   */
  act(obs: ObsArray, batch: number, rng: Rng, greedy = false): ActResult {
    const { logits, values } = this.outputs(obs, batch);
    return { ...sampleActions(logits, this.numActions, rng, greedy), values: Float32Array.from(values) };
  }

  /** Logits [batch × actions] and values [batch]. */
  outputs(obs: ObsArray, batch: number): { logits: Float32Array; values: Float32Array } {
    return this.learner.outputs(obs instanceof Float64Array ? Float32Array.from(obs) : obs, batch);
  }

  /** V(s) for a batch of observations (bootstrapping the last step of a rollout). */
  values(obs: ObsArray, batch: number): Float32Array {
    return Float32Array.from(this.outputs(obs, batch).values);
  }

  /**
   * One gradient step with `learningRate` whose loss is computed in JS on the network's outputs
   * (policy-loss-grads.ts): `head` returns the loss and ∂loss/∂outputs, and the engine
   * backpropagates them and applies the optimizer (clipping the global norm to `maxGradNorm`).
   */
  stepWithHead<R extends HeadGradients>(
    obs: ObsArray,
    batch: number,
    head: (logits: Float32Array, values: Float32Array) => R,
    learningRate: number,
  ): { result: R; gradNorm: number } {
    return this.learner.stepWithHead(
      obs instanceof Float64Array ? Float32Array.from(obs) : obs,
      batch,
      head,
      learningRate,
    );
  }

  /** The models' names in a checkpoint: `actorCritic`, or `actor` and `critic`. */
  modelNames(): string[] {
    return this.models.length === 1 ? ['actorCritic'] : ['actor', 'critic'];
  }

  /** Weights (copied from the engine into the models) and optimiser state, as a checkpoint part. */
  getState(): StateBundle {
    const opt = this.learner.getOptimizerState();
    writeFlatWeights(this.models, this.learner.getParams());
    const models: Record<string, tf.LayersModel> = {};
    this.modelNames().forEach((name, i) => {
      models[name] = this.models[i];
    });
    return {
      json: { optimizerStep: opt.step, optimizer: this.optimizerKind },
      arrays: { 'optimizer.first': opt.first, 'optimizer.second': opt.second },
      models,
    };
  }

  /** Copies weights and optimiser state in from a bundle saved by an agent of the same shape. */
  setState(state: StateBundle): void {
    const sources = this.modelNames().map((name, i) => {
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
      return source;
    });
    sources.forEach((source, i) => {
      this.models[i].setWeights(source.getWeights());
    });
    this.learner.setParams(readFlatWeights(sources));
    const first = state.arrays['optimizer.first'];
    const second = state.arrays['optimizer.second'];
    if (!(first instanceof Float32Array) || !(second instanceof Float32Array)) {
      throw new Error('actor-critic state has no optimizer moments (optimizer.first / optimizer.second)');
    }
    this.learner.setOptimizerState({ step: Number(state.json.optimizerStep), first, second });
  }

  dispose(): void {
    this.learner.dispose();
    for (const m of this.models) m.dispose();
  }
}
