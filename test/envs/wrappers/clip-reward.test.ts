import { describe, expect, it } from 'vitest';
import { ClipReward } from '../../../envs/wrappers/clip-reward.js';
import { ScriptedEnv } from './scripted-env.js';

describe('ClipReward', () => {
  it('replaces each reward by its sign', () => {
    const rewards = [5, -3, 0, 0.2, -0.01, 100];
    const env = new ClipReward(new ScriptedEnv({ episodeLength: 6, reward: (t) => rewards[t - 1] }));
    env.reset();
    expect(rewards.map(() => env.step(0).reward)).toEqual([1, -1, 0, 1, -1, 1]);
  });
});
