import { describe, expect, it } from 'vitest';
import { actionsOf } from '../../../envs/atari/actions.js';
import { AtariEnv } from '../../../envs/atari/atari-env.js';
import { checkEnv } from '../../../envs/check-env.js';
import { GAMES } from '../../../envs/games/index.js';
import { hashBytes } from '../../../envs/hash.js';
import { createRegistry } from '../../../envs/registry.js';
import { Rng } from '../../../src/util/rng.js';
import { episodeHash } from './helpers.js';

const MINIMAL: Record<string, string[]> = {
  'Pong-v0': ['NOOP', 'FIRE', 'RIGHT', 'LEFT', 'RIGHTFIRE', 'LEFTFIRE'],
  'Breakout-v0': ['NOOP', 'FIRE', 'RIGHT', 'LEFT'],
  'SpaceInvaders-v0': ['NOOP', 'FIRE', 'RIGHT', 'LEFT', 'RIGHTFIRE', 'LEFTFIRE'],
  'Freeway-v0': ['NOOP', 'UP', 'DOWN'],
  'Asterix-v0': ['NOOP', 'UP', 'RIGHT', 'LEFT', 'DOWN', 'UPRIGHT', 'UPLEFT', 'DOWNRIGHT', 'DOWNLEFT'],
};
const START_LIVES: Record<string, number> = {
  'Pong-v0': 0,
  'Breakout-v0': 5,
  'SpaceInvaders-v0': 3,
  'Freeway-v0': 0,
  'Seaquest-v0': 4,
  'Asterix-v0': 3,
};
const SIX = GAMES.filter((g) => g.id in START_LIVES);

describe('bundled games', () => {
  const registry = createRegistry();

  it('registers the six classics after Catch-v0', () => {
    expect(GAMES.map((g) => g.id)).toEqual([
      'Catch-v0',
      'Pong-v0',
      'Breakout-v0',
      'SpaceInvaders-v0',
      'Freeway-v0',
      'Seaquest-v0',
      'Asterix-v0',
    ]);
  });

  for (const spec of SIX) {
    describe(spec.id, () => {
      it('passes checkEnv with the minimal and the full action set', () => {
        expect(() => checkEnv(registry.make(spec.id), { steps: 200 })).not.toThrow();
        expect(() =>
          checkEnv(registry.make(spec.id, { fullActionSpace: true }), { steps: 50 }),
        ).not.toThrow();
      });

      it("uses ALE's minimal action set and reports its lives", () => {
        const env = registry.make(spec.id);
        const expected = MINIMAL[spec.id] ?? [
          ...new AtariEnv(spec.create(), { fullActionSpace: true }).actionMeanings,
        ];
        expect(env.actionMeanings).toEqual(expected);
        expect(env.reset({ seed: 3 }).info.lives).toBe(START_LIVES[spec.id]);
        expect(registry.make(spec.id, { fullActionSpace: true }).actionMeanings).toHaveLength(18);
      });

      it('is deterministic over a long episode: same seed and actions, same frames', () => {
        const a = episodeHash(spec, {}, 5, 1000);
        expect(episodeHash(spec, {}, 5, 1000)).toBe(a);
        expect(episodeHash(spec, {}, 6, 200)).not.toBe(episodeHash(spec, {}, 5, 200));
      });

      it('honours sticky actions: with probability 1 every action is the first NOOP', () => {
        const stuck = episodeHash(spec, { repeatActionProbability: 1 }, 5, 300, 'random');
        expect(episodeHash(spec, { repeatActionProbability: 0 }, 5, 300, 'noop')).toBe(stuck);
        expect(episodeHash(spec, { repeatActionProbability: 0 }, 5, 300, 'random')).not.toBe(stuck);
      });

      it('continues exactly from a saved state', () => {
        const env = new AtariEnv(spec.create(), { obsType: 'grayscale' }, 11);
        const rng = new Rng(12);
        env.reset();
        for (let t = 0; t < 200; t++) if (env.step(rng.int(env.actionSpace.n)).terminated) env.reset();
        const saved = env.getState();
        const actions = Array.from({ length: 100 }, () => rng.int(env.actionSpace.n));
        const run = (): number[] =>
          actions.map((a) => {
            const r = env.step(a);
            if (r.terminated || r.truncated) env.reset();
            return r.reward + Number.parseInt(hashBytes(r.obs), 16);
          });
        const first = run();
        env.setState(saved);
        expect(run()).toEqual(first);
      });

      it('refuses a state that is not its own, naming the field', () => {
        const game = spec.create();
        expect(() => game.setState(null)).toThrow(
          `${spec.id}: setState needs the object that getState() returned`,
        );
        expect(() => game.setState({ paddleX: 'left' })).toThrow(
          new RegExp(`^${spec.id}: setState field "\\w+"`),
        );
        const other = SIX.find((g) => g.id !== spec.id)?.create();
        expect(() => game.setState(other?.getState())).toThrow(/setState field/);
      });

      it('has a reference policy that picks minimal-set actions and outscores random play', () => {
        const play = (reference: boolean): number => {
          const env = new AtariEnv(spec.create(), { frameskip: 4 }, 31);
          const minimal = new Set(actionsOf(env.game.minimalActions));
          const rng = new Rng(32);
          env.reset();
          let total = 0;
          for (let f = 0; f < 20_000 && !env.isTerminated(); f++) {
            if (reference) expect(minimal.has(env.game.referenceAction())).toBe(true);
            total += env.emulateFrame(reference ? env.referenceAction() : rng.int(env.actionSpace.n));
          }
          return total;
        };
        expect(play(true)).toBeGreaterThan(play(false) + 10);
      });

      it('ends a random-play episode well within the frame limit', () => {
        const env = new AtariEnv(spec.create(), { frameskip: 4 }, 21);
        const rng = new Rng(22);
        env.reset();
        let frames = 0;
        while (!env.isTerminated() && !env.isTruncated()) {
          env.emulateFrame(rng.int(env.actionSpace.n));
          frames++;
        }
        expect(env.isTerminated()).toBe(true);
        expect(frames).toBeLessThan(20_000);
      });
    });
  }
});
