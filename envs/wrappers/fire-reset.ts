/**
 * FireReset: after each reset presses FIRE, then action 2, for games that wait for FIRE to
 * launch the ball or start (SB3's FireResetEnv; Breakout would otherwise idle until the agent finds
 * FIRE). Needs actionMeanings with FIRE at index 1 and at least 3 actions. Above EpisodicLife it
 * also fires after every lost life, as a new life needs a new serve.
 */
import type { Env, ResetOptions, ResetResult } from '../core.js';
import { Wrapper, withoutSeed } from './wrapper.js';

const FIRE = 1;

export class FireReset<Obs> extends Wrapper<Obs, number> {
  constructor(inner: Env<Obs, number>) {
    super(inner);
    const names = inner.actionMeanings;
    if (!names || names[FIRE] !== 'FIRE' || names.length < 3) {
      throw new Error(
        `FireReset needs action 1 to be FIRE and at least 3 actions; this env's actions are [${names?.join(', ') ?? 'unnamed'}]`,
      );
    }
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    this.inner.reset(opts);
    let s = this.inner.step(FIRE);
    if (s.terminated || s.truncated) this.inner.reset(withoutSeed(opts));
    s = this.inner.step(2);
    if (s.terminated || s.truncated) return this.inner.reset(withoutSeed(opts));
    return { obs: s.obs, info: s.info };
  }
}
