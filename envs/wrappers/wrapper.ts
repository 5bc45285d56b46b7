/**
 * Wrapper: the base of every env wrapper, as Gymnasium's `Wrapper` (gymnasium/core.py). It holds the
 * env it wraps in `inner` and forwards everything to it: the spaces and action meanings (copied at
 * construction), reset, step, render and close. A wrapper extends it and overrides only what it
 * changes; one that changes the observation space assigns its own `observationSpace` in its
 * constructor, and one that needs more of its inner env than `Env` narrows `inner` with `declare`.
 *
 * State: a checkpoint walks the chain through `inner` (envs/env-state.ts), taking each level's
 * number, flag, typed-array and Rng fields, and its own getState() where it has one. The base adds
 * no such field and no getState, so each wrapper's state is exactly what the wrapper itself keeps.
 *
 * The extends goes one level deep: a wrapper extends Wrapper, never another wrapper.
 */
import type { Env, ResetOptions, ResetResult, RgbFrame, StepResult } from '../core.js';
import type { Space } from '../spaces.js';

export class Wrapper<Obs, Act> implements Env<Obs, Act> {
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  readonly actionMeanings: readonly string[] | undefined;

  constructor(readonly inner: Env<Obs, Act>) {
    this.observationSpace = inner.observationSpace;
    this.actionSpace = inner.actionSpace;
    this.actionMeanings = inner.actionMeanings;
  }

  reset(opts?: ResetOptions): ResetResult<Obs> {
    return this.inner.reset(opts);
  }

  step(action: Act): StepResult<Obs> {
    return this.inner.step(action);
  }

  render(): RgbFrame {
    return this.inner.render();
  }

  close(): void {
    this.inner.close();
  }
}

/**
 * The options of a reset that continues an episode stream, for a wrapper that resets its inner env
 * more than once per reset of its own: the same options minus the seed (reseeding again would replay
 * the episode that just ended, possibly forever).
 */
export function withoutSeed(opts?: ResetOptions): ResetOptions | undefined {
  if (opts?.seed === undefined) return opts;
  const { seed: _seed, ...rest } = opts;
  return rest;
}
