/**
 * TimeLimit: truncates an episode after `maxEpisodeSteps` agent steps (Gymnasium's TimeLimit).
 * A step that both terminates and hits the limit reports terminated (the MDP really ended).
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Wrapper } from './wrapper.js';

export class TimeLimit<Obs, Act> extends Wrapper<Obs, Act> {
  private elapsedSteps = 0;

  constructor(
    inner: Env<Obs, Act>,
    readonly maxEpisodeSteps: number,
  ) {
    super(inner);
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new Error(`TimeLimit: maxEpisodeSteps must be an integer >= 1, got ${maxEpisodeSteps}`);
    }
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    this.elapsedSteps = 0;
    return this.inner.reset(opts);
  }

  override step(action: Act): StepResult<Obs> {
    const r = this.inner.step(action);
    this.elapsedSteps++;
    if (this.elapsedSteps >= this.maxEpisodeSteps && !r.terminated) r.truncated = true;
    return r;
  }
}
