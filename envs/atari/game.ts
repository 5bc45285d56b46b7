/**
 * What a pixel game gives the Atari harness. A game is a deterministic state machine advanced one
 * emulator frame at a time; it draws itself as palette indices (see palette.ts) into a
 * 160x210 byte buffer, score and lives included, as the 2600 does.
 */
import type { Rng } from '../../src/util/rng.js';
import type { ActionMeaning, AtariAction } from './actions.js';

export const SCREEN_WIDTH = 160;
export const SCREEN_HEIGHT = 210;

export interface Game {
  /** The minimal action set, in the order the agent's actions 0..n-1 map to. */
  readonly minimalActions: readonly ActionMeaning[];
  /** Starts a new game. All randomness of the episode comes from `rng`. */
  reset(rng: Rng): void;
  /** Advances one emulator frame under a full-set action; returns the reward of that frame. */
  tick(action: AtariAction, rng: Rng): number;
  /** The game is over (all lives lost, or the game's own end). */
  readonly gameOver: boolean;
  readonly lives: number;
  /** Draws the current screen as palette indices, SCREEN_WIDTH x SCREEN_HEIGHT, row-major. */
  draw(screen: Uint8Array): void;
  /** Plain-data state (for checkpoints and cloning), and its inverse. */
  getState(): unknown;
  setState(state: unknown): void;
  /**
   * The scripted reference policy: a full-set action chosen from the game's internal state (not
   * pixels). It plays the role of the DQN paper's human score in normalized scores.
   */
  referenceAction(): AtariAction;
}

/** Everything the registry needs to know about a game. */
export interface GameSpec {
  /** e.g. `Catch-v0`. */
  readonly id: string;
  readonly description: string;
  readonly create: () => Game;
  /**
   * Mean episode returns of a uniform-random policy and of the reference policy (sticky actions 0.25,
   * frameskip 4, 30 episodes), as printed by `npm run bench:games`. Used for normalized scores.
   */
  readonly scores?: { readonly random: number; readonly reference: number };
}
