/**
 * A2C: synchronous advantage actor-critic (Mnih et al. 2016, Algorithm S3, with N envs stepped
 * in lock-step instead of asynchronous workers). One gradient step per rollout on
 *   L = −mean(log π(a_t|s_t)·Â_t) + c_v·½·mean((V(s_t) − R_t)²) − c_e·mean(H(π(·|s_t))).
 * The advantages come from n-step returns or GAE, computed by the training loop.
 * REINFORCE with a baseline takes the same step with Monte-Carlo advantages (reinforce.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { StateBundle } from '../src/checkpoint/checkpoint.js';
import type { Rng } from '../src/util/rng.js';
import { ActorCritic } from './actor-critic.js';
import { entropy, logProbOf } from './categorical.js';
import {
  explainedVariance,
  type OnPolicyAgent,
  type OnPolicyBatch,
  type UpdateStats,
} from './on-policy-types.js';
import type { A2CConfig, OnPolicyCommonConfig } from './pg-config.js';
import { normalizeAdvantages, policyGradientLoss, valueLoss } from './policy-losses.js';

/** The learning rate after spending `progress` of the budget: linear to 0 when annealing. */
export function annealedLearningRate(config: OnPolicyCommonConfig, progress: number): number {
  return config.annealLr ? config.learningRate * (1 - progress) : config.learningRate;
}

/** Builds the networks an on-policy agent trains, from its config. */
export function buildActorCritic(
  config: OnPolicyCommonConfig & { rmspropDecay?: number },
  inputShape: number[],
  numActions: number,
  rng: Rng,
): ActorCritic {
  return new ActorCritic({
    net: config.net,
    sharedTorso: config.sharedTorso,
    inputShape,
    numActions,
    optimizer: config.optimizer,
    learningRate: config.learningRate,
    optimizerEpsilon: config.optimizerEpsilon,
    rmspropDecay: config.rmspropDecay,
    maxGradNorm: config.maxGradNorm,
    rng,
  });
}

/**
 * One actor-critic gradient step on a whole batch (A2C's and REINFORCE's update).
 * @param learningRate the step size for this update.
 */
export function actorCriticStep(
  ac: ActorCritic,
  batch: OnPolicyBatch,
  config: Pick<OnPolicyCommonConfig, 'entCoef' | 'vfCoef' | 'normalizeAdvantages'>,
  learningRate: number,
): UpdateStats {
  ac.setLearningRate(learningRate);
  const adv = config.normalizeAdvantages ? normalizeAdvantages(batch.advantages) : batch.advantages;
  const obsT = ac.obsTensor(batch.obs, batch.size);
  const actT = tf.tensor1d(batch.actions, 'int32');
  const advT = tf.tensor1d(adv);
  const retT = tf.tensor1d(batch.returns);
  let parts: tf.Scalar[] = [];
  try {
    const { loss: lossT, gradNorm } = ac.step(() => {
      const { logits, values } = ac.forward(obsT);
      const pl = policyGradientLoss(logProbOf(logits, actT), advT);
      const vl = valueLoss(values, retT);
      const ent = tf.mean(entropy(logits)) as tf.Scalar;
      const total = tf.add(tf.sub(pl, tf.mul(config.entCoef, ent)), tf.mul(config.vfCoef, vl)) as tf.Scalar;
      parts = [pl, vl, ent].map((t) => tf.keep(t));
      return total;
    });
    parts.push(lossT);
    const stacked = tf.tidy(() => tf.stack(parts));
    const [policyLoss, valueLossValue, ent, loss] = stacked.dataSync();
    stacked.dispose();
    return {
      loss,
      policyLoss,
      valueLoss: valueLossValue,
      entropy: ent,
      gradNorm,
      learningRate,
      gradientSteps: 1,
      explainedVariance: explainedVariance(batch.values, batch.returns),
    };
  } finally {
    tf.dispose([obsT, actT, advT, retT, ...parts]);
  }
}

export class A2CAgent implements OnPolicyAgent {
  readonly ac: ActorCritic;

  constructor(
    readonly config: A2CConfig,
    inputShape: number[],
    numActions: number,
    rng: Rng,
  ) {
    this.ac = buildActorCritic(config, inputShape, numActions, rng);
  }

  update(batch: OnPolicyBatch, progress: number): UpdateStats {
    return actorCriticStep(this.ac, batch, this.config, annealedLearningRate(this.config, progress));
  }

  getState(): StateBundle {
    return this.ac.getState();
  }

  setState(state: StateBundle): void {
    this.ac.setState(state);
  }
}
