import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../envs/registry.js';
import { Rng } from '../../src/util/rng.js';
import { animationFrames, playEpisodes, randomPolicy, referencePolicy } from '../../src/viz/playback.js';

const registry = createRegistry();

describe('playEpisodes', () => {
  it('plays Catch-v0 with its reference policy to the end, scoring the sum of rewards', () => {
    const env = registry.make('Catch-v0', { obsType: 'rgb' });
    const steps = [...playEpisodes(env, referencePolicy(env), { rng: new Rng(0), seed: 3, episodes: 2 })];
    for (const episode of [1, 2]) {
      const ep = steps.filter((s) => s.episode === episode);
      expect(ep.map((s) => s.step)).toEqual(ep.map((_, i) => i));
      expect(ep.filter((s) => s.done).map((s) => s.step)).toEqual([ep.length - 1]);
      expect(ep.at(-1)!.score).toBe(ep.reduce((sum, s) => sum + s.reward, 0));
    }
    expect(steps[0].frame).toMatchObject({ width: 160, height: 210 });
    expect(steps.every((s) => !s.explored)).toBe(true);
  });

  it('is reproducible for a seed, and takes random actions with probability ε', () => {
    const run = (seed: number) => {
      const env = registry.make('Catch-v0');
      return [
        ...playEpisodes(env, referencePolicy(env), {
          rng: new Rng(seed),
          seed: 1,
          epsilon: 0.5,
          maxSteps: 200,
        }),
      ];
    };
    const a = run(1);
    expect(a).toHaveLength(200);
    expect(run(1).map((s) => s.action)).toEqual(a.map((s) => s.action));
    const explored = a.filter((s) => s.explored).length;
    expect(explored).toBeGreaterThan(70); // Binomial(200, 0.5): mean 100, sd 7
    expect(explored).toBeLessThan(130);
  });

  it('random and value-giving policies: the values reach the animation panel', () => {
    const env = registry.make('CartPole-v1');
    const rng = new Rng(2);
    const random = randomPolicy(env, rng);
    const withValues = (_obs: unknown, step: number) => ({ ...random(_obs, step), values: [step, -step] });
    const frames = [...animationFrames(playEpisodes(env, withValues, { rng, seed: 0, maxSteps: 5 }))];
    expect(frames.length).toBeGreaterThan(0);
    expect(frames[1].panel?.values).toEqual([1, -1]);
  });

  it('says when an env has no reference policy', () => {
    expect(() => referencePolicy(registry.make('CartPole-v1'))).toThrow(
      /no reference policy .*--policy random/,
    );
  });
});
