import { describe, expect, it } from 'vitest';
import { RecordEpisodeStatistics } from '../../../envs/wrappers/record-episode-statistics.js';
import { ScriptedEnv } from './scripted-env.js';

describe('RecordEpisodeStatistics', () => {
  it('reports return, length and time on the step that ends the episode, and only there', () => {
    let now = 1000;
    const env = new RecordEpisodeStatistics(new ScriptedEnv({ episodeLength: 3, reward: (t) => t * 1.5 }), {
      clock: () => now,
    });
    env.reset();
    now = 1250;
    expect(env.step(0).info.episode).toBeUndefined();
    expect(env.step(0).info.episode).toBeUndefined();
    now = 3500;
    const last = env.step(0);
    expect(last.terminated).toBe(true);
    expect(last.info.episode).toEqual({ return: 1.5 + 3 + 4.5, length: 3, timeSeconds: 2.5 });
  });

  it('also reports truncated episodes, and starts counting afresh after reset', () => {
    const env = new RecordEpisodeStatistics(
      new ScriptedEnv({ episodeLength: 2, truncate: true, reward: () => -1 }),
    );
    for (let e = 0; e < 3; e++) {
      env.reset();
      env.step(0);
      const r = env.step(0);
      expect(r.truncated).toBe(true);
      expect(r.info.episode?.return).toBe(-2);
      expect(r.info.episode?.length).toBe(2);
    }
    expect(env.episodeCount).toBe(3);
  });

  it('keeps the last bufferLength episodes', () => {
    const env = new RecordEpisodeStatistics(new ScriptedEnv({ episodeLength: 1, reward: () => 1 }), {
      bufferLength: 2,
    });
    for (let e = 0; e < 5; e++) {
      env.reset();
      env.step(0);
    }
    expect(env.recent.length).toBe(2);
    expect(env.episodeCount).toBe(5);
    expect(
      () => new RecordEpisodeStatistics(new ScriptedEnv({ episodeLength: 1 }), { bufferLength: 0 }),
    ).toThrow(/bufferLength must be an integer >= 1, got 0/);
  });
});
