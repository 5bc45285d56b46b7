import { describe, expect, it } from 'vitest';
import { FireReset } from '../../../envs/wrappers/fire-reset.js';
import { ScriptedEnv } from './scripted-env.js';

describe('FireReset', () => {
  it('presses FIRE then action 2 after reset, and returns what the second press showed', () => {
    const inner = new ScriptedEnv({ episodeLength: 10 });
    const env = new FireReset(inner);
    const { obs } = env.reset({ seed: 4 });
    expect(inner.log).toEqual(['reset(seed=4)', 'step 1', 'step 2']);
    expect(Array.from(obs)).toEqual([1, 2]);
  });

  it('resets again, without the seed, if a press ends the episode', () => {
    const inner = new ScriptedEnv({ episodeLength: 1 });
    const env = new FireReset(inner);
    const { obs } = env.reset({ seed: 4 });
    expect(inner.log).toEqual(['reset(seed=4)', 'step 1', 'reset', 'step 2', 'reset']);
    expect(Array.from(obs)).toEqual([3, 0]);
  });

  it('refuses an env without FIRE at action 1', () => {
    const inner = new ScriptedEnv({ episodeLength: 5, actionMeanings: ['NOOP', 'RIGHT', 'LEFT'] });
    expect(() => new FireReset(inner)).toThrow(/needs action 1 to be FIRE.*\[NOOP, RIGHT, LEFT\]/);
  });
});
