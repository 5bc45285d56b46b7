/**
 * ClipReward: replaces each reward by its sign, −1, 0 or +1 (Mnih et al. 2015; SB3's ClipRewardEnv),
 * so that one learning rate fits games whose scores differ by orders of magnitude. Put
 * RecordEpisodeStatistics beneath it to report the game's real score.
 */
import type { Env, ResetOptions, ResetResult, RgbFrame, StepResult } from '../core.js';

export class ClipReward<Obs, Act> implements Env<Obs, Act> {
  readonly observationSpace: Env<Obs, Act>['observationSpace'];
  readonly actionSpace: Env<Obs, Act>['actionSpace'];
  readonly actionMeanings: Env<Obs, Act>['actionMeanings'];

  constructor(readonly inner: Env<Obs, Act>) {
    this.observationSpace = inner.observationSpace;
    this.actionSpace = inner.actionSpace;
    this.actionMeanings = inner.actionMeanings;
  }

  reset(opts?: ResetOptions): ResetResult<Obs> {
    return this.inner.reset(opts);
  }

  step(action: Act): StepResult<Obs> {
    const r = this.inner.step(action);
    r.reward = Math.sign(r.reward);
    return r;
  }

  render(): RgbFrame {
    return this.inner.render();
  }

  close(): void {
    this.inner.close();
  }
}
