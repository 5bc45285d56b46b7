/**
 * PPO with the clipped surrogate (Schulman et al. 2017), as CleanRL's ppo.py / ppo_atari.py
 * update it: `updateEpochs` passes over the rollout, each split into `numMinibatches` shuffled
 * minibatches; advantages normalised per minibatch; loss
 *   L = L_clip + c_v·L_V − c_e·mean(H),
 * with L_V optionally clipped around the old values; approximate KL and the clip fraction are
 * measured on every minibatch (before its step) and averaged; `targetKl` stops the epochs early.
 * The loss and its gradient at the network's outputs come from ppoLossHead (policy-loss-grads.ts).
 */

import type { Engine } from '../src/engine/select.js';
import type { Rng, RngState } from '../src/util/rng.js';
import type { StateBundle } from '../src/util/state-bundle.js';
import { buildActorCritic } from './a2c.js';
import type { ActorCritic } from './actor-critic.js';
import {
  explainedVariance,
  type OnPolicyAgent,
  type OnPolicyBatch,
  selectRows,
  type UpdateStats,
} from './on-policy-types.js';
import type { PPOConfig } from './pg-config.js';
import { type LossHeadResult, ppoLossHead } from './policy-loss-grads.js';
import { normalizeAdvantages } from './policy-losses.js';

export class PPOAgent implements OnPolicyAgent {
  readonly ac: ActorCritic;
  private learningRate: number;
  private clipRange: number;

  constructor(
    readonly config: PPOConfig,
    inputShape: number[],
    numActions: number,
    /** Shuffles the minibatches; also seeds the weights (one draw, at construction). */
    private readonly rng: Rng,
    engine?: Engine,
  ) {
    this.ac = buildActorCritic(config, inputShape, numActions, rng.spawn(), engine);
    this.learningRate = config.learningRate;
    this.clipRange = config.clipCoef;
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

  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }

  /** Sets the clip range ε of the next updates (the loop's schedule; the config's clipCoef until then). */
  setClipRange(clipRange: number): void {
    this.clipRange = clipRange;
  }

  update(batch: OnPolicyBatch): UpdateStats {
    const c = this.config;
    const learningRate = this.learningRate;
    // A clip range of exactly 0 (the last update of an annealed run) would freeze the policy;
    // keep it a hair above 0.
    const clip = Math.max(this.clipRange, 1e-8);
    const minibatchSize = Math.floor(batch.size / c.numMinibatches);
    const order = Int32Array.from({ length: batch.size }, (_, i) => i);
    const sums = {
      loss: 0,
      policyLoss: 0,
      valueLoss: 0,
      entropy: 0,
      approxKl: 0,
      clipFraction: 0,
      gradNorm: 0,
    };
    let steps = 0;
    for (let epoch = 0; epoch < c.updateEpochs; epoch++) {
      this.rng.shuffle(order);
      let epochKl = 0;
      let epochSteps = 0;
      for (let start = 0; start + minibatchSize <= batch.size; start += minibatchSize) {
        const mb = selectRows(batch, order.subarray(start, start + minibatchSize));
        const s = this.minibatchStep(mb, clip, learningRate);
        for (const k of Object.keys(sums) as (keyof typeof sums)[]) sums[k] += s[k];
        epochKl += s.approxKl;
        epochSteps++;
        steps++;
      }
      if (c.targetKl !== null && epochKl / epochSteps > c.targetKl) break;
    }
    return {
      loss: sums.loss / steps,
      policyLoss: sums.policyLoss / steps,
      valueLoss: sums.valueLoss / steps,
      entropy: sums.entropy / steps,
      approxKl: sums.approxKl / steps,
      clipFraction: sums.clipFraction / steps,
      gradNorm: sums.gradNorm / steps,
      clipRange: clip,
      learningRate,
      gradientSteps: steps,
      explainedVariance: explainedVariance(batch.values, batch.returns),
    };
  }

  /**
   * One gradient step on one minibatch. The loss is ppoLossHead (policy-loss-grads.ts), the JS
   * twin of ppoClipLoss + (clipped)ValueLoss − entropy; approx KL and the clip fraction are
   * measured on the same forward pass, before the step, as CleanRL does.
   */
  private minibatchStep(
    mb: OnPolicyBatch,
    clip: number,
    learningRate: number,
  ): Omit<LossHeadResult, 'dLogits' | 'dValues'> & { gradNorm: number } {
    const c = this.config;
    const advantages = c.normalizeAdvantages ? normalizeAdvantages(mb.advantages) : mb.advantages;
    const { result, gradNorm } = this.ac.stepWithHead(
      mb.obs,
      mb.size,
      (logits, values) =>
        ppoLossHead({
          logits,
          numActions: this.ac.numActions,
          values,
          actions: mb.actions,
          advantages,
          returns: mb.returns,
          oldLogProbs: mb.logProbs,
          oldValues: mb.values,
          clipEpsilon: clip,
          clipValueLoss: c.clipValueLoss,
          entCoef: c.entCoef,
          vfCoef: c.vfCoef,
        }),
      learningRate,
    );
    const { dLogits: _l, dValues: _v, ...stats } = result;
    return { ...stats, gradNorm };
  }
}
