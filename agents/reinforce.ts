/**
 * REINFORCE with a learned value baseline (Williams 1992; Sutton & Barto 2018, §13.4): after
 * a batch of complete episodes, one gradient step on
 *   −mean(log π(a_t|s_t)·(G_t − V(s_t))) + c_v·½·mean((V(s_t) − G_t)²) − c_e·mean(H),
 * with G_t the discounted Monte-Carlo return from step t to the episode's end (computed by the
 * training loop, which gathers whole episodes). The baseline lowers the variance without bias;
 * the advantages are normalised per batch when `normalizeAdvantages` is on.
 */
import type { StateBundle } from '../src/checkpoint/checkpoint.js';
import type { Rng } from '../src/util/rng.js';
import { actorCriticStep, annealedLearningRate, buildActorCritic } from './a2c.js';
import type { ActorCritic } from './actor-critic.js';
import type { OnPolicyAgent, OnPolicyBatch, UpdateStats } from './on-policy-types.js';
import type { ReinforceConfig } from './pg-config.js';

export class ReinforceAgent implements OnPolicyAgent {
  readonly ac: ActorCritic;

  constructor(
    readonly config: ReinforceConfig,
    inputShape: number[],
    numActions: number,
    rng: Rng,
  ) {
    this.ac = buildActorCritic(config, inputShape, numActions, rng);
  }

  /** The batch's `advantages` must be G_t − V(s_t) and its `returns` G_t. */
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
