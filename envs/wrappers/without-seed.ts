/** Shared by the wrappers that reset their inner env more than once per reset of their own. */
import type { ResetOptions } from '../core.js';

/**
 * The options of a reset that continues an episode stream: the same, minus the seed (reseeding
 * again would replay the episode that just ended, possibly forever).
 */
export function withoutSeed(opts?: ResetOptions): ResetOptions | undefined {
  if (opts?.seed === undefined) return opts;
  const { seed: _seed, ...rest } = opts;
  return rest;
}
