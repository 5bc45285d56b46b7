/**
 * A2C: synchronous advantage actor-critic (Mnih et al. 2016, Algorithm S3, with N envs stepped
 * in lock-step instead of asynchronous workers). One gradient step per rollout on
 *   L = −mean(log π(a_t|s_t)·Â_t) + c_v·½·mean((V(s_t) − R_t)²) − c_e·mean(H(π(·|s_t))).
 * The advantages come from n-step returns or GAE, computed by the training loop.
 *
 * REINFORCE with a learned value baseline (Williams 1992; Sutton & Barto 2018, §13.4) is the same
 * agent: after a batch of complete episodes the loop passes advantages G_t − V(s_t) and returns
 * G_t (the discounted Monte-Carlo return to the episode's end), and this takes the same step. The
 * baseline lowers the variance without bias; advantages are normalised per batch when
 * `normalizeAdvantages` is on.
 *
 * The loss is evaluated by actorCriticLossHead (policy-loss-grads.ts), the JS twin of
 * policyGradientLoss + valueLoss − entropy in policy-losses.ts.
 */

import type { Engine } from '../src/engine/select.js';
import type { Rng } from '../src/util/rng.js';
import type { StateBundle } from '../src/util/state-bundle.js';
import { ActorCritic } from './actor-critic.js';
import {
  explainedVariance,
  type OnPolicyAgent,
  type OnPolicyBatch,
  type UpdateStats,
} from './on-policy-types.js';
import type { A2CConfig, OnPolicyCommonConfig, ReinforceConfig } from './pg-config.js';
import { actorCriticLossHead } from './policy-loss-grads.js';
import { normalizeAdvantages } from './policy-losses.js';

/** Builds the networks an on-policy agent trains, from its config. */
export function buildActorCritic(
  config: OnPolicyCommonConfig & { rmspropDecay?: number },
  inputShape: number[],
  numActions: number,
  rng: Rng,
  engine?: Engine,
): ActorCritic {
  return new ActorCritic({
    engine,
    net: config.net,
    sharedTorso: config.sharedTorso,
    inputShape,
    numActions,
    optimizer: config.optimizer,
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
  const advantages = config.normalizeAdvantages ? normalizeAdvantages(batch.advantages) : batch.advantages;
  const { result, gradNorm } = ac.stepWithHead(
    batch.obs,
    batch.size,
    (logits, values) =>
      actorCriticLossHead({
        logits,
        numActions: ac.numActions,
        values,
        actions: batch.actions,
        advantages,
        returns: batch.returns,
        entCoef: config.entCoef,
        vfCoef: config.vfCoef,
      }),
    learningRate,
  );
  return {
    loss: result.loss,
    policyLoss: result.policyLoss,
    valueLoss: result.valueLoss,
    entropy: result.entropy,
    gradNorm,
    learningRate,
    gradientSteps: 1,
    explainedVariance: explainedVariance(batch.values, batch.returns),
  };
}

/** A2C's agent, and REINFORCE's: one actor-critic step per batch (see the header). */
export class A2CAgent implements OnPolicyAgent {
  readonly ac: ActorCritic;
  private learningRate: number;

  constructor(
    readonly config: A2CConfig | ReinforceConfig,
    inputShape: number[],
    numActions: number,
    rng: Rng,
    engine?: Engine,
  ) {
    this.ac = buildActorCritic(config, inputShape, numActions, rng, engine);
    this.learningRate = config.learningRate;
  }

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  update(batch: OnPolicyBatch): UpdateStats {
    return actorCriticStep(this.ac, batch, this.config, this.learningRate);
  }

  getState(): StateBundle {
    return this.ac.getState();
  }

  setState(state: StateBundle): void {
    this.ac.setState(state);
  }
}
