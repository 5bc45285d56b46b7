/** Test helpers for the bundled games: drive a Game directly, or hash a long AtariEnv episode. */
import { Action, type ActionMeaning } from '../../../envs/atari/actions.js';
import { AtariEnv, type AtariOptions } from '../../../envs/atari/atari-env.js';
import type { Game, GameSpec } from '../../../envs/atari/game.js';
import { hashBytes } from '../../../envs/hash.js';
import { Rng } from '../../../src/util/rng.js';

/** A game, reset with `seed`, and the Rng its ticks draw from. */
export function started<G extends Game>(game: G, seed = 1): { game: G; rng: Rng } {
  const rng = new Rng(seed);
  game.reset(rng);
  return { game, rng };
}

/** Ticks `game` `frames` times with `action`; returns the summed reward. */
export function hold(game: Game, rng: Rng, action: ActionMeaning, frames: number): number {
  let total = 0;
  for (let f = 0; f < frames && !game.gameOver; f++) total += game.tick(Action[action], rng);
  return total;
}

/** Changes some fields of a game's state (through getState/setState, as a checkpoint would). */
export function patch<S>(game: { getState(): S; setState(s: unknown): void }, change: (s: S) => void): void {
  const s = game.getState();
  change(s);
  game.setState(s);
}

/**
 * Plays `steps` agent steps from reset({seed}), with actions drawn from `actionSeed` (or all 0
 * when `actions` is 'noop'), and returns a hash chained over every observation, reward and flag.
 */
export function episodeHash(
  spec: GameSpec,
  options: AtariOptions,
  seed: number,
  steps: number,
  actions: 'random' | 'noop' = 'random',
  actionSeed = 99,
): string {
  const env = new AtariEnv(spec.create(), { obsType: 'grayscale', ...options }, seed);
  const rng = new Rng(actionSeed);
  let h = Number.parseInt(hashBytes(env.reset({ seed }).obs), 16);
  for (let t = 0; t < steps; t++) {
    const a = actions === 'random' ? rng.int(env.actionSpace.n) : 0;
    const r = env.step(a);
    h = Number.parseInt(hashBytes(r.obs, h), 16) ^ (r.reward * 7919 + (r.terminated ? 1 : 0));
    if (r.terminated || r.truncated) h = Number.parseInt(hashBytes(env.reset().obs, h), 16);
  }
  return (h >>> 0).toString(16);
}
