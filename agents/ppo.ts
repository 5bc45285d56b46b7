/**
 * PPO with the clipped surrogate (Schulman et al. 2017), as CleanRL's ppo.py / ppo_atari.py
 * update it: `updateEpochs` passes over the rollout, each split into `numMinibatches` shuffled
 * minibatches; advantages normalised per minibatch; loss
 *   L = L_clip + c_v·L_V − c_e·mean(H),
 * with L_V optionally clipped around the old values; approximate KL and the clip fraction are
 * measured on every minibatch (before its step) and averaged; `targetKl` stops the epochs early.
 */
import * as tf from '@tensorflow/tfjs';
import type { StateBundle } from '../src/checkpoint/checkpoint.js';
import type { Rng, RngState } from '../src/util/rng.js';
import { annealedLearningRate, buildActorCritic } from './a2c.js';
import type { ActorCritic } from './actor-critic.js';
import { entropy, logProbOf } from './categorical.js';
import {
  explainedVariance,
  type OnPolicyAgent,
  type OnPolicyBatch,
  selectRows,
  type UpdateStats,
} from './on-policy-types.js';
import type { PPOConfig } from './pg-config.js';
import {
  approxKl,
  clipFraction,
  clippedValueLoss,
  normalizeAdvantages,
  ppoClipLoss,
  valueLoss,
} from './policy-losses.js';

/** The scalars each minibatch reports, in this order. */
const STAT_NAMES = [
  'loss',
  'policyLoss',
  'valueLoss',
  'entropy',
  'approxKl',
  'clipFraction',
  'gradNorm',
] as const;

export class PPOAgent implements OnPolicyAgent {
  readonly ac: ActorCritic;

  constructor(
    readonly config: PPOConfig,
    inputShape: number[],
    numActions: number,
    /** Shuffles the minibatches; also seeds the weights (one draw, at construction). */
    private readonly rng: Rng,
  ) {
    this.ac = buildActorCritic(config, inputShape, numActions, rng.spawn());
  }

  getState(): StateBundle {
    const state = this.ac.getState();
    return { ...state, json: { ...state.json, shuffleRng: this.rng.getState() } };
  }

  setState(state: StateBundle): void {
    this.ac.setState(state);
    const rng = state.json.shuffleRng;
    if (rng === undefined) throw new Error('PPO state has no shuffleRng: it was not saved by a PPO agent');
    this.rng.setState(rng as RngState);
  }

  /** The clip range after spending `progress` of the budget (SB3's linear schedule when annealing). */
  clipRange(progress: number): number {
    return this.config.annealClip ? this.config.clipCoef * (1 - progress) : this.config.clipCoef;
  }

  update(batch: OnPolicyBatch, progress: number): UpdateStats {
    const c = this.config;
    const learningRate = annealedLearningRate(c, progress);
    this.ac.setLearningRate(learningRate);
    // A clip range of exactly 0 (the last update of an annealed run) would freeze the policy
    // and divide nothing useful; keep it a hair above 0.
    const clip = Math.max(this.clipRange(progress), 1e-8);
    const minibatchSize = Math.floor(batch.size / c.numMinibatches);
    const order = Int32Array.from({ length: batch.size }, (_, i) => i);
    const perMinibatch: tf.Tensor1D[] = [];
    try {
      for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
        this.rng.shuffle(order);
        const epochStart = perMinibatch.length;
        for (let start = 0; start + minibatchSize <= batch.size; start += minibatchSize) {
          const mb = selectRows(batch, order.subarray(start, start + minibatchSize));
          perMinibatch.push(this.minibatchStep(mb, clip));
        }
        if (c.targetKl !== null) {
          const kls = perMinibatch.slice(epochStart).map((s) => s.dataSync()[4]);
          if (kls.reduce((a, b) => a + b, 0) / kls.length > c.targetKl) break;
        }
      }
      const meansT = tf.tidy(() => tf.mean(tf.stack(perMinibatch), 0));
      const means = meansT.dataSync();
      meansT.dispose();
      const stat = (name: (typeof STAT_NAMES)[number]): number => means[STAT_NAMES.indexOf(name)];
      return {
        loss: stat('loss'),
        policyLoss: stat('policyLoss'),
        valueLoss: stat('valueLoss'),
        entropy: stat('entropy'),
        approxKl: stat('approxKl'),
        clipFraction: stat('clipFraction'),
        gradNorm: stat('gradNorm'),
        clipRange: clip,
        learningRate,
        gradientSteps: perMinibatch.length,
        explainedVariance: explainedVariance(batch.values, batch.returns),
      };
    } finally {
      tf.dispose(perMinibatch);
    }
  }

  /** One gradient step on one minibatch; returns its STAT_NAMES scalars as a [7] tensor. */
  private minibatchStep(mb: OnPolicyBatch, clip: number): tf.Tensor1D {
    const c = this.config;
    const adv = c.normalizeAdvantages ? normalizeAdvantages(mb.advantages) : mb.advantages;
    const obsT = this.ac.obsTensor(mb.obs, mb.size);
    const actT = tf.tensor1d(mb.actions, 'int32');
    const oldLogPiT = tf.tensor1d(mb.logProbs);
    const oldValuesT = tf.tensor1d(mb.values);
    const advT = tf.tensor1d(adv);
    const retT = tf.tensor1d(mb.returns);
    let parts: tf.Scalar[] = [];
    try {
      const { loss, gradNorm } = this.ac.step(() => {
        const { logits, values } = this.ac.forward(obsT);
        const logPi = logProbOf(logits, actT);
        const pl = ppoClipLoss(logPi, oldLogPiT, advT, clip);
        const vl = c.clipValueLoss
          ? clippedValueLoss(values, oldValuesT, retT, clip)
          : valueLoss(values, retT);
        const ent = tf.mean(entropy(logits)) as tf.Scalar;
        const total = tf.add(tf.sub(pl, tf.mul(c.entCoef, ent)), tf.mul(c.vfCoef, vl)) as tf.Scalar;
        // Measured with the parameters before this step, as CleanRL does.
        const kl = approxKl(logPi, oldLogPiT);
        const cf = clipFraction(logPi, oldLogPiT, clip);
        parts = [pl, vl, ent, kl, cf].map((t) => tf.keep(t));
        return total;
      });
      parts.unshift(loss);
      return tf.tidy(() => tf.concat([tf.stack(parts), tf.tensor1d([gradNorm])]) as tf.Tensor1D);
    } finally {
      tf.dispose([obsT, actT, oldLogPiT, oldValuesT, advT, retT, ...parts]);
    }
  }
}
