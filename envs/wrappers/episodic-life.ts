/**
 * EpisodicLife: a lost life ends the agent's episode (terminated = true) while the game goes on, so
 * the value of a state reflects the cost of dying (Mnih et al. 2015; SB3's EpisodicLifeEnv). For
 * training only: evaluation plays whole games.
 *
 * reset() after a life loss does not reset the game: it plays one NOOP to move on from the lost
 * life (that step's reward is not returned; RecordEpisodeStatistics beneath still counts it). Only
 * when the game really ended (terminated or truncated beneath), or when a seed is given, does it
 * reset the game. Lives are read from `info.lives`.
 */
import type { Env, Info, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Wrapper, withoutSeed } from './wrapper.js';

const NOOP = 0;

export class EpisodicLife<Obs> extends Wrapper<Obs, number> {
  private lives = 0;
  /** The last step ended the real game, so the next reset must reset it. */
  private realDone = true;

  constructor(inner: Env<Obs, number>) {
    super(inner);
    const meaning = inner.actionMeanings?.[NOOP];
    if (meaning !== undefined && meaning !== 'NOOP') {
      throw new Error(`EpisodicLife needs action 0 to be NOOP, but this env's action 0 is ${meaning}`);
    }
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    let result: ResetResult<Obs>;
    if (this.realDone || opts?.seed !== undefined) {
      result = this.inner.reset(opts);
    } else {
      const s = this.inner.step(NOOP);
      result =
        s.terminated || s.truncated ? this.inner.reset(withoutSeed(opts)) : { obs: s.obs, info: s.info };
    }
    this.lives = livesOf(result.info);
    return result;
  }

  override step(action: number): StepResult<Obs> {
    const r = this.inner.step(action);
    this.realDone = r.terminated || r.truncated;
    const lives = livesOf(r.info);
    // lives === 0 is the game's own end, which the env beneath reports as terminated.
    if (lives < this.lives && lives > 0) r.terminated = true;
    this.lives = lives;
    return r;
  }
}

function livesOf(info: Info): number {
  if (typeof info.lives !== 'number') {
    throw new Error(
      'EpisodicLife needs info.lives from the env beneath it (an Atari-style game); it has none',
    );
  }
  return info.lives;
}
