import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../envs/registry.js';
import { Rng } from '../../src/util/rng.js';
import {
  animationFrames,
  type PlaybackStep,
  playEpisodes,
  randomPolicy,
  referencePolicy,
} from '../../src/viz/playback.js';

const registry = createRegistry();
// Steps are few on purpose: under vitest an env step and render cost ~3 ms each.
const light = ({ frame: _, ...rest }: PlaybackStep) => rest;

describe('playEpisodes', () => {
  it('numbers episodes and steps, ends each on `done`, and keeps the score as the sum of rewards', () => {
    const env = registry.make('Catch-v0', { obsType: 'rgb' });
    const play = playEpisodes(env, referencePolicy(env), {
      rng: new Rng(0),
      seed: 3,
      episodes: 3,
      maxSteps: 40,
    });
    const first = play.next().value as PlaybackStep;
    expect(first.frame).toMatchObject({ width: 160, height: 210 });
    const steps = [light(first), ...[...play].map(light)];
    expect(steps).toHaveLength(120);
    for (const episode of [1, 2, 3]) {
      const ep = steps.filter((s) => s.episode === episode);
      expect(ep.map((s) => s.step)).toEqual(ep.map((_, i) => i));
      expect(ep.filter((s) => s.done).map((s) => s.step)).toEqual([39]);
      expect(ep.at(-1)!.score).toBe(ep.reduce((sum, s) => sum + s.reward, 0));
    }
    expect(steps.every((s) => !s.explored && s.lives === 3)).toBe(true);
  });

  it('shows no lives for a game without them (Pong reports 0 from the start, as ALE)', () => {
    const env = registry.make('Pong-v0');
    const steps = [
      ...playEpisodes(env, randomPolicy(env, new Rng(1)), { rng: new Rng(1), seed: 1, maxSteps: 5 }),
    ];
    expect(steps).toHaveLength(5);
    expect(steps.every((s) => s.lives === undefined && !('lives' in s))).toBe(true);
  });

  it('is reproducible for a seed, and takes random actions with probability ε', () => {
    const run = (seed: number) => {
      const env = registry.make('Catch-v0');
      const play = playEpisodes(env, referencePolicy(env), {
        rng: new Rng(seed),
        seed: 1,
        epsilon: 0.5,
        maxSteps: 60,
      });
      return [...play].map(({ action, explored }) => ({ action, explored }));
    };
    const a = run(1);
    expect(a).toHaveLength(60);
    expect(run(1)).toEqual(a);
    const explored = a.filter((s) => s.explored).length;
    expect(explored).toBeGreaterThan(15); // Binomial(60, 0.5): mean 30, sd 3.9
    expect(explored).toBeLessThan(45);
  });

  it('random and value-giving policies: the values reach the animation panel', () => {
    const env = registry.make('CartPole-v1');
    const rng = new Rng(2);
    const random = randomPolicy(env, rng);
    const withValues = (_obs: unknown, step: number) => ({ ...random(_obs, step), values: [step, -step] });
    const frames = [...animationFrames(playEpisodes(env, withValues, { rng, seed: 0, maxSteps: 5 }))];
    expect(frames.length).toBeGreaterThan(1);
    expect(frames[1].panel?.values).toEqual([1, -1]);
  });

  it('says when an env has no reference policy', () => {
    expect(() => referencePolicy(registry.make('CartPole-v1'))).toThrow(
      /no reference policy .*--policy random/,
    );
  });
});
