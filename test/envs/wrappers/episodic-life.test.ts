import { describe, expect, it } from 'vitest';
import { ClipReward } from '../../../envs/wrappers/clip-reward.js';
import { EpisodicLife } from '../../../envs/wrappers/episodic-life.js';
import { RecordEpisodeStatistics } from '../../../envs/wrappers/record-episode-statistics.js';
import { ScriptedEnv } from './scripted-env.js';

/** 3 lives; a life is lost at steps 3 and 6, the last at step 8 (game over). */
const livesAt = (t: number): number => (t < 3 ? 3 : t < 6 ? 2 : t < 8 ? 1 : 0);

describe('EpisodicLife', () => {
  it('ends the episode at a lost life, and the next reset continues the game with a NOOP', () => {
    const inner = new ScriptedEnv({ episodeLength: 8, lives: livesAt });
    const env = new EpisodicLife(inner);
    env.reset();
    expect([1, 2, 3].map(() => env.step(2).terminated)).toEqual([false, false, true]);
    inner.log.length = 0;
    const r = env.reset();
    expect(inner.log).toEqual(['step 0']); // no reset of the game
    expect(Array.from(r.obs)).toEqual([1, 4]); // same game, step 4
    expect(env.step(2).terminated).toBe(false); // step 5
    expect(env.step(2).terminated).toBe(true); // step 6: 2 → 1 lives
    env.reset(); // step 7 (NOOP)
    const last = env.step(2); // step 8: game over
    expect(last.terminated).toBe(true);
    inner.log.length = 0;
    env.reset();
    expect(inner.log).toEqual(['reset']); // the game really ended: a new one
  });

  it('resets the game when reset is given a seed, even after a lost life', () => {
    const inner = new ScriptedEnv({ episodeLength: 8, lives: livesAt });
    const env = new EpisodicLife(inner);
    env.reset();
    for (let i = 0; i < 3; i++) env.step(0);
    inner.log.length = 0;
    env.reset({ seed: 3 });
    expect(inner.log).toEqual(['reset(seed=3)']);
  });

  it('under RecordEpisodeStatistics-beneath, reports the whole game with its unclipped score', () => {
    // Raw rewards 10·t: the game's return over steps 1..8 is 10·36 = 360, whatever the agent saw.
    const inner = new ScriptedEnv({ episodeLength: 8, lives: livesAt, reward: (t) => 10 * t });
    const env = new ClipReward(new EpisodicLife(new RecordEpisodeStatistics(inner)));
    env.reset();
    const episodes: unknown[] = [];
    let agentReturn = 0;
    let agentEpisodes = 0;
    for (let guard = 0; guard < 20 && episodes.length === 0; guard++) {
      const r = env.step(3);
      agentReturn += r.reward;
      if (r.info.episode) episodes.push(r.info.episode);
      if (r.terminated || r.truncated) {
        agentEpisodes++;
        if (episodes.length === 0) env.reset();
      }
    }
    expect(agentEpisodes).toBe(3); // one per life
    expect(agentReturn).toBe(6); // steps 1,2,3 | 5,6 | 8 clipped to +1; steps 4 and 7 were reset NOOPs
    expect(episodes).toEqual([{ return: 360, length: 8, timeSeconds: expect.any(Number) }]);
  });

  it('refuses an env without info.lives', () => {
    const env = new EpisodicLife(new ScriptedEnv({ episodeLength: 3 }));
    expect(() => env.reset()).toThrow(/needs info.lives from the env beneath it/);
  });
});
