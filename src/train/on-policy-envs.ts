/**
 * The vector env an on-policy run steps: the narrow interface the collectors need, and the
 * factory that picks one.
 *
 * - `workers = 0`: the DQN loop's LocalVecEnv (src/train/local-vec-env.ts), in this thread, whose
 *   env states go into a checkpoint, so a resumed run continues step for step.
 * - `workers > 0`: ThreadedVecEnv (piscina-style worker threads, src/rollout/); its envs cannot
 *   be saved, so a resumed threaded run starts fresh episodes (said in the log).
 * Both have the same-step autoreset with `infos[i].finalObs` (src/rollout/vec-env.ts).
 */

import type { OnPolicyConfig } from '../../agents/pg-config.js';
import type { Env } from '../../envs/core.js';
import { makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import type { BoxArray, BoxDtype } from '../../envs/spaces.js';
import { ThreadedVecEnv } from '../rollout/threaded-vec-env.js';
import { LocalVecEnv } from './local-vec-env.js';

type BoxEnv = Env<BoxArray, number>;

/** One vector step, as the collectors read it. */
export interface OnPolicyStep {
  obs: BoxArray;
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  infos: { finalObs?: BoxArray; episode?: unknown }[];
}

/** What the collectors need of a vector env (VecEnv and LocalVecEnv both fit). */
export interface OnPolicyEnvs {
  readonly numEnvs: number;
  readonly obsSize: number;
  readonly obsShape: readonly number[];
  readonly singleObservationSpace: { readonly dtype: BoxDtype };
  readonly singleActionSpace: { readonly n: number };
  reset(opts?: { seed?: number }): { obs: BoxArray } | Promise<{ obs: BoxArray }>;
  step(actions: Int32Array): OnPolicyStep | Promise<OnPolicyStep>;
  close(): void | Promise<void>;
  /** Present when the envs can be checkpointed (LocalVecEnv). */
  getState?(): unknown;
  setState?(state: never): void;
}

/** The episode statistics an env put in `info.episode`, if it did. */
export function episodeInfo(
  info: { episode?: unknown } | undefined,
): { return: number; length: number } | null {
  const e = info?.episode as { return?: unknown; length?: unknown } | undefined;
  return typeof e?.return === 'number' && typeof e.length === 'number'
    ? { return: e.return, length: e.length }
    : null;
}

/** Builds the run's vector env from its config (see the file header for which one). */
export async function makeOnPolicyEnvs(config: OnPolicyConfig): Promise<OnPolicyEnvs> {
  const atari = config.atari;
  if (config.workers > 0) {
    return ThreadedVecEnv.create({
      recipe: atari !== null ? { id: config.env, atari } : { id: config.env, options: config.envOptions },
      numEnvs: config.numEnvs,
      numWorkers: config.workers,
      seed: config.seed,
    });
  }
  const registry = createRegistry();
  // LocalVecEnv reseeds every env at its first reset, so the build seed does not matter.
  const make = (): BoxEnv =>
    atari !== null
      ? makeAtari(config.env, atari, 0, registry)
      : registry.make(config.env, config.envOptions, 0);
  return new LocalVecEnv(make, config.numEnvs, config.seed);
}
