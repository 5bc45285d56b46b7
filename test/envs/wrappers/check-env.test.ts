import { describe, expect, it } from 'vitest';
import { AtariEnv } from '../../../envs/atari/atari-env.js';
import { checkEnv } from '../../../envs/check-env.js';
import type { Env } from '../../../envs/core.js';
import { CatchGame } from '../../../envs/games/catch.js';
import { createRegistry } from '../../../envs/registry.js';
import type { BoxArray } from '../../../envs/spaces.js';
import { AtariPreprocessing } from '../../../envs/wrappers/atari-preprocessing.js';
import { ClipReward } from '../../../envs/wrappers/clip-reward.js';
import { EpisodicLife } from '../../../envs/wrappers/episodic-life.js';
import { FrameStack } from '../../../envs/wrappers/frame-stack.js';
import { NoopReset } from '../../../envs/wrappers/noop-reset.js';
import { RecordEpisodeStatistics } from '../../../envs/wrappers/record-episode-statistics.js';

describe('every wrapper passes checkEnv', () => {
  const registry = createRegistry();
  const catchGray = (): Env<BoxArray, number> => registry.make('Catch-v0', { obsType: 'grayscale' }, 0);
  const phi = (): AtariPreprocessing =>
    new AtariPreprocessing(new AtariEnv(new CatchGame(), { frameskip: 1 }, 0));
  const cases: [string, () => Env<BoxArray, number>][] = [
    ['FrameStack(CartPole, 4)', () => new FrameStack(registry.make('CartPole-v1'), 4)],
    ['FrameStack(Catch gray, 4)', () => new FrameStack(catchGray(), 4)],
    ['FrameStack(Catch rgb, 2)', () => new FrameStack(registry.make('Catch-v0'), 2)],
    ['RecordEpisodeStatistics(CartPole)', () => new RecordEpisodeStatistics(registry.make('CartPole-v1'))],
    ['NoopReset(Catch)', () => new NoopReset(catchGray(), 30)],
    ['EpisodicLife(Catch)', () => new EpisodicLife(catchGray())],
    ['ClipReward(Catch)', () => new ClipReward(catchGray())],
    ['AtariPreprocessing(Catch)', phi],
    [
      'AtariPreprocessing rgb 42x42',
      () =>
        new AtariPreprocessing(new AtariEnv(new CatchGame(), { frameskip: 1 }), {
          grayscale: false,
          screenSize: 42,
        }),
    ],
  ];
  for (const [name, make] of cases) {
    it(name, () => {
      expect(() => checkEnv(make(), { steps: 150 })).not.toThrow();
    });
  }
});
