/**
 * ClipReward: replaces each reward by its sign, −1, 0 or +1 (Mnih et al. 2015; SB3's ClipRewardEnv),
 * so that one learning rate fits games whose scores differ by orders of magnitude. Put
 * RecordEpisodeStatistics beneath it to report the game's real score.
 */
import type { StepResult } from '../core.js';
import { Wrapper } from './wrapper.js';

export class ClipReward<Obs, Act> extends Wrapper<Obs, Act> {
  override step(action: Act): StepResult<Obs> {
    const r = this.inner.step(action);
    r.reward = Math.sign(r.reward);
    return r;
  }
}
