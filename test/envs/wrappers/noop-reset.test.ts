import { describe, expect, it } from 'vitest';
import { NoopReset } from '../../../envs/wrappers/noop-reset.js';
import { ScriptedEnv } from './scripted-env.js';

function countNoops(log: string[]): number {
  return log.filter((l) => l === 'step 0').length;
}

describe('NoopReset', () => {
  it('plays between 1 and noopMax NOOPs after reset, returning the last observation', () => {
    const inner = new ScriptedEnv({ episodeLength: 1000 });
    const env = new NoopReset(inner, 30, 5);
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) {
      inner.log.length = 0;
      const { obs } = env.reset();
      const n = countNoops(inner.log);
      expect(inner.log[0]).toBe('reset');
      expect(n).toBe(env.lastNoops);
      expect(obs[1]).toBe(n); // the observation after the n-th no-op
      seen.add(n);
    }
    expect(Math.min(...seen)).toBe(1);
    expect(Math.max(...seen)).toBe(30);
    expect(seen.size).toBe(30); // 300 draws from U{1..30} miss a value with probability < 1e-12
  });

  it('draws the same counts under the same seed, and other counts under another', () => {
    const counts = (seed: number): number[] => {
      const env = new NoopReset(new ScriptedEnv({ episodeLength: 1000 }), 30);
      const out = [env.reset({ seed }), env.reset(), env.reset(), env.reset(), env.reset()];
      return out.map((r) => r.obs[1]);
    };
    expect(counts(1)).toEqual(counts(1));
    expect(counts(1)).not.toEqual(counts(2));
  });

  it('round-trips its RNG state', () => {
    const a = new NoopReset(new ScriptedEnv({ episodeLength: 1000 }), 30, 9);
    a.reset();
    const b = new NoopReset(new ScriptedEnv({ episodeLength: 1000 }), 30, 123);
    b.setState(a.getState());
    for (let i = 0; i < 10; i++) expect(b.reset().obs[1]).toBe(a.reset().obs[1]);
  });

  it('resets again (without the seed) when the episode ends during the no-ops', () => {
    const inner = new ScriptedEnv({ episodeLength: 2 });
    const env = new NoopReset(inner, 30, 1);
    env.reset({ seed: 11 });
    const n = env.lastNoops;
    expect(n).toBeGreaterThanOrEqual(4); // seed 11 draws enough no-ops to end two episodes
    // 2 no-ops end an episode: reset(seed), NOOP, NOOP, reset, NOOP, NOOP, reset, …
    expect(inner.log.filter((l) => l.startsWith('reset'))).toEqual([
      'reset(seed=11)',
      ...Array(Math.floor(n / 2)).fill('reset'),
    ]);
    expect(countNoops(inner.log)).toBe(n);
  });

  it('with noopMax 0 plays none; refuses bad arguments', () => {
    const inner = new ScriptedEnv({ episodeLength: 5 });
    new NoopReset(inner, 0).reset();
    expect(inner.log).toEqual(['reset']);
    expect(() => new NoopReset(inner, -1)).toThrow(/noopMax must be an integer >= 0, got -1/);
    const noNoop = new ScriptedEnv({ episodeLength: 5, actionMeanings: ['FIRE', 'LEFT'] });
    expect(() => new NoopReset(noNoop)).toThrow(/needs action 0 to be NOOP, but this env's action 0 is FIRE/);
  });
});
