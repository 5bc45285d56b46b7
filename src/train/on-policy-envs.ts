/**
 * The vector env an on-policy run steps: the narrow interface the collectors need, and the
 * factory that picks one.
 *
 * - `workers = 0`: SyncVecEnv (src/rollout/), in this thread, whose env states go into a
 *   checkpoint, so a resumed run continues step for step.
 * - `workers > 0`: ThreadedVecEnv (piscina-style worker threads, src/rollout/); its envs cannot
 *   be saved, so a resumed threaded run starts fresh episodes (said in the log).
 * Both have the same-step autoreset with `infos[i].finalObs` (src/rollout/vec-env.ts).
 */

import type { BoxArray, BoxDtype } from '../../envs/spaces.js';
import type { EnvRecipe } from '../rollout/env-recipe.js';
import { SyncVecEnv } from '../rollout/sync-vec-env.js';
import { ThreadedVecEnv } from '../rollout/threaded-vec-env.js';
import type { OnPolicyRunConfig } from './on-policy-config.js';
import { workerTimeoutOf } from './train-config.js';

/** One vector step, as the collectors read it. */
export interface OnPolicyStep {
  obs: BoxArray;
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  infos: { finalObs?: BoxArray; episode?: unknown }[];
}

/** What the collectors need of a vector env (any VecEnv fits). */
export interface OnPolicyEnvs {
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly obsShape: readonly number[];
  readonly singleObservationSpace: { readonly dtype: BoxDtype };
  readonly singleActionSpace: { readonly n: number };
  reset(opts?: { seed?: number }): { obs: BoxArray } | Promise<{ obs: BoxArray }>;
  step(actions: Int32Array): OnPolicyStep | Promise<OnPolicyStep>;
  close(): void | Promise<void>;
  /** Present when the envs can be checkpointed (SyncVecEnv). */
  getState?(): unknown;
  setState?(state: never): void;
}

export { episodeInfo } from './episode-tracker.js';

/** Builds the run's vector env from its config (see the file header for which one). */
export async function makeOnPolicyEnvs(config: OnPolicyRunConfig): Promise<OnPolicyEnvs> {
  const atari = config.atari;
  const recipe: EnvRecipe =
    atari !== null ? { id: config.env, atari } : { id: config.env, options: config.envOptions };
  if (config.workers > 0) {
    return ThreadedVecEnv.create({
      recipe,
      numEnvs: config.numEnvs,
      numWorkers: config.workers,
      seed: config.seed,
      stepTimeoutMs: workerTimeoutOf(config) * 1000,
    });
  }
  // Env i is built with deriveSeeds(seed, N)[i]; the collectors' first reset({ seed: config.seed })
  // reseeds every RNG of the stack with that same seed, so the streams are those of env i's seed.
  return new SyncVecEnv({ recipe, numEnvs: config.numEnvs, seed: config.seed });
}
