/**
 * makeAtari: the standard DQN environment stack for a bundled pixel game, put together in one place
 * (as SB3's AtariWrapper over ALE v5). From the game outwards:
 *
 *   AtariEnv (frameskip 1, sticky actions 0.25)
 *   → AtariPreprocessing φ      skip 4 frames, max of the last two, grayscale, 84x84 uint8
 *   → RecordEpisodeStatistics   info.episode for the real game: all lives, unclipped score (SB3's
 *                               Monitor sits at the same place, beneath the tricks below)
 *   → NoopReset(30)             random no-op starts
 *   → EpisodicLife              a lost life ends the agent's episode (training only)
 *   → FireReset                 when action 1 is FIRE (after EpisodicLife: each new life serves)
 *   → ClipReward                rewards → their sign
 *   → FrameStack(4)             [84, 84, 4], newest last
 *
 * The length in info.episode counts agent steps (φ steps), no-ops and reset presses included.
 */
import { AtariEnv } from './atari/atari-env.js';
import type { Env } from './core.js';
import { createRegistry, type Registry } from './registry.js';
import { AtariPreprocessing } from './wrappers/atari-preprocessing.js';
import { ClipReward } from './wrappers/clip-reward.js';
import { EpisodicLife } from './wrappers/episodic-life.js';
import { FireReset } from './wrappers/fire-reset.js';
import { FrameStack } from './wrappers/frame-stack.js';
import { NoopReset } from './wrappers/noop-reset.js';
import { RecordEpisodeStatistics } from './wrappers/record-episode-statistics.js';

export interface MakeAtariOptions {
  /** Sticky actions: the probability that a frame repeats the previous frame's action. Default 0.25 (ALE v5). */
  repeatActionProbability?: number;
  /** All 18 joystick actions instead of the game's minimal set. Default false. */
  fullActionSpace?: boolean;
  /** Truncate an episode after this many emulator frames; 0 never. Default 108000 (30 minutes at 60 Hz). */
  maxNumFramesPerEpisode?: number;
  /** Emulator frames per agent step, skipped by φ. Default 4. */
  frameskip?: number;
  /** Side of φ's square grayscale observation. Default 84. */
  screenSize?: number;
  /** The most random NOOPs played after a reset; 0 for none. Default 30. */
  noopMax?: number;
  /** A lost life ends the agent's episode (for training; false to evaluate). Default true (SB3). */
  terminalOnLifeLoss?: boolean;
  /** Press FIRE after each reset: `auto` does when the game's action 1 is FIRE. Default `auto`. */
  fireReset?: boolean | 'auto';
  /** Replace rewards by their sign. Default true. */
  clipReward?: boolean;
  /** Frames stacked into an observation (FrameStack), or false for single 84x84 frames. Default 4. */
  historyLength?: number | false;
}

export const MAKE_ATARI_DEFAULTS: Required<MakeAtariOptions> = {
  repeatActionProbability: 0.25,
  fullActionSpace: false,
  maxNumFramesPerEpisode: 108_000,
  frameskip: 4,
  screenSize: 84,
  noopMax: 30,
  terminalOnLifeLoss: true,
  fireReset: 'auto',
  clipReward: true,
  historyLength: 4,
};

/** Builds the DQN stack for game `id`; `seed` seeds the game and the no-op counts. */
export function makeAtari(
  id: string,
  options: MakeAtariOptions = {},
  seed = 0,
  registry: Registry = createRegistry(),
): Env<Uint8Array, number> {
  const o = validate(id, { ...MAKE_ATARI_DEFAULTS, ...options });
  if (registry.spec(id).kind !== 'atari') {
    throw new Error(
      `makeAtari builds pixel games; ${id} is a ${registry.spec(id).kind} env (use registry.make for it)`,
    );
  }
  const base = registry.make(
    id,
    {
      frameskip: 1,
      repeatActionProbability: o.repeatActionProbability,
      fullActionSpace: o.fullActionSpace,
      maxNumFramesPerEpisode: o.maxNumFramesPerEpisode,
      obsType: 'grayscale',
    },
    seed,
  );
  if (!(base instanceof AtariEnv))
    throw new Error(`makeAtari: the registry made ${id} without the Atari harness`);
  let env: Env<Uint8Array, number> = new AtariPreprocessing(base, {
    frameskip: o.frameskip,
    screenSize: o.screenSize,
  });
  env = new RecordEpisodeStatistics(env);
  if (o.noopMax > 0) env = new NoopReset(env, o.noopMax, seed);
  if (o.terminalOnLifeLoss) env = new EpisodicLife(env);
  const names = base.actionMeanings;
  const canFire = names[1] === 'FIRE' && names.length >= 3;
  if (o.fireReset === true && !canFire) {
    throw new Error(
      `makeAtari: fireReset is true but ${id}'s action 1 is not FIRE (actions: ${names.join(', ')})`,
    );
  }
  if (o.fireReset === true || (o.fireReset === 'auto' && canFire)) env = new FireReset(env);
  if (o.clipReward) env = new ClipReward(env);
  if (o.historyLength !== false) env = new FrameStack(env, o.historyLength);
  return env;
}

function validate(id: string, o: Required<MakeAtariOptions>): Required<MakeAtariOptions> {
  const known = Object.keys(MAKE_ATARI_DEFAULTS);
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      throw new Error(
        `makeAtari(${id}): unknown option ${JSON.stringify(key)}; valid options are: ${known.join(', ')}`,
      );
    }
  }
  const bad = (name: string, want: string): Error =>
    new Error(
      `makeAtari(${id}): ${name} must be ${want}, got ${JSON.stringify(o[name as keyof MakeAtariOptions])}`,
    );
  const isInt = (v: unknown, min: number): boolean => Number.isInteger(v) && (v as number) >= min;
  for (const name of ['fullActionSpace', 'terminalOnLifeLoss', 'clipReward'] as const) {
    if (typeof o[name] !== 'boolean') throw bad(name, 'true or false');
  }
  if (!isInt(o.frameskip, 1)) throw bad('frameskip', 'an integer >= 1');
  if (!isInt(o.screenSize, 1)) throw bad('screenSize', 'an integer >= 1');
  if (!isInt(o.noopMax, 0)) throw bad('noopMax', 'an integer >= 0');
  if (o.fireReset !== 'auto' && typeof o.fireReset !== 'boolean')
    throw bad('fireReset', "true, false or 'auto'");
  if (o.historyLength !== false && !isInt(o.historyLength, 1))
    throw bad('historyLength', 'an integer >= 1 or false');
  return o;
}
