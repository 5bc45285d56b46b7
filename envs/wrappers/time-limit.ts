/**
 * TimeLimit: truncates an episode after `maxEpisodeSteps` agent steps (Gymnasium's TimeLimit).
 * A step that both terminates and hits the limit reports terminated (the MDP really ended).
 */
import type { Env, ResetOptions, ResetResult, RgbFrame, StepResult } from '../core.js';

export class TimeLimit<Obs, Act> implements Env<Obs, Act> {
  readonly observationSpace: Env<Obs, Act>['observationSpace'];
  readonly actionSpace: Env<Obs, Act>['actionSpace'];
  readonly actionMeanings: Env<Obs, Act>['actionMeanings'];
  private elapsedSteps = 0;

  constructor(
    readonly inner: Env<Obs, Act>,
    readonly maxEpisodeSteps: number,
  ) {
    if (!Number.isInteger(maxEpisodeSteps) || maxEpisodeSteps < 1) {
      throw new Error(`TimeLimit: maxEpisodeSteps must be an integer >= 1, got ${maxEpisodeSteps}`);
    }
    this.observationSpace = inner.observationSpace;
    this.actionSpace = inner.actionSpace;
    this.actionMeanings = inner.actionMeanings;
  }

  reset(opts?: ResetOptions): ResetResult<Obs> {
    this.elapsedSteps = 0;
    return this.inner.reset(opts);
  }

  step(action: Act): StepResult<Obs> {
    const r = this.inner.step(action);
    this.elapsedSteps++;
    if (this.elapsedSteps >= this.maxEpisodeSteps && !r.terminated) r.truncated = true;
    return r;
  }

  render(): RgbFrame {
    return this.inner.render();
  }

  close(): void {
    this.inner.close();
  }
}
