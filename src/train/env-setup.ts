/**
 * Which env a DQN run steps, and what its frames look like.
 *
 * - classic envs (CartPole): the observation vector is the frame; one frame per observation.
 * - pixel games: makeAtari's φ (frameskip 4, max-pool, grayscale, `frameSize`² area resize,
 *   no-op resets, episodic life for training) with `historyLength: false`, so each step yields one
 *   frame: the agent keeps the last 4 of each
 *   env (agents/frame-stacks.ts) and the replay stores each frame once, as Dopamine does.
 */
import type { Env } from '../../envs/core.js';
import { MAKE_ATARI_DEFAULTS, type MakeAtariOptions, makeAtari } from '../../envs/make-atari.js';
import { createRegistry, type EnvSpec } from '../../envs/registry.js';
import type { BoxArray } from '../../envs/spaces.js';
import type { EnvRecipe } from '../rollout/env-recipe.js';

type BoxEnv = Env<BoxArray, number>;

/** How to build the run's envs, and facts the loop needs about them. */
export interface EnvSetup {
  spec: EnvSpec;
  /** The training env as plain data: what the vector envs build, in this thread or in workers. */
  recipe: EnvRecipe;
  /** Builds an evaluation env (full episodes: no episodic-life cut). */
  makeEval(seed: number): BoxEnv;
  /** Shape of one frame: [84, 84] for pixel games, [4] for CartPole. */
  frameShape: number[];
  /** Element type of a frame as the replay stores it. */
  frameDtype: 'uint8' | 'float32';
  /** Emulator frames per agent step (4 for pixel games, 1 otherwise). */
  frameskip: number;
  numActions: number;
  /**
   * Episodes are the game's, reported by the env's RecordEpisodeStatistics in `info.episode`
   * (all lives, raw score), not the agent's (which end at each lost life under EpisodicLife).
   */
  gameEpisodesFromInfo: boolean;
  /** Normalized-score anchors, when the env has them. */
  scores?: { random: number; reference: number };
}

/** Describes and builds env `id` for DQN. Throws with the list of ids when `id` is unknown. */
export function setupEnv(
  id: string,
  options: Record<string, unknown>,
  frameSize = 84,
  evalNoopMax = 30,
): EnvSetup {
  const registry = createRegistry();
  const spec = registry.spec(id);
  if (spec.kind === 'atari') return setupPixelGame(spec, options, frameSize, evalNoopMax);
  const make = (seed: number) => registry.make(id, options, seed);
  const probe = make(0);
  const shape = [...((probe.observationSpace as { shape?: readonly number[] }).shape ?? [])];
  const numActions = (probe.actionSpace as { n?: number }).n;
  probe.close();
  if (numActions === undefined || shape.length !== 1) {
    throw new Error(
      `${id}: DQN needs Discrete actions and a vector or pixel observation, got shape [${shape}]`,
    );
  }
  return {
    spec,
    makeEval: make,
    recipe: { id, options },
    frameShape: shape,
    frameDtype: 'float32',
    frameskip: 1,
    numActions,
    gameEpisodesFromInfo: false,
  };
}

function setupPixelGame(
  spec: EnvSpec,
  options: Record<string, unknown>,
  frameSize: number,
  evalNoopMax: number,
): EnvSetup {
  // Rewards stay raw here: the loop clips them for learning (DqnConfig.clipRewards) and logs raw returns.
  const base: MakeAtariOptions = {
    ...options,
    screenSize: frameSize,
    historyLength: false,
    clipReward: false,
  };
  const make = (seed: number) => makeAtari(spec.id, base, seed);
  const makeEval = (seed: number) =>
    makeAtari(spec.id, { ...base, terminalOnLifeLoss: false, noopMax: evalNoopMax }, seed);
  const probe = make(0);
  const numActions = (probe.actionSpace as unknown as { n: number }).n;
  probe.close();
  const setup: EnvSetup = {
    spec,
    makeEval,
    recipe: { id: spec.id, atari: base },
    frameShape: [frameSize, frameSize],
    frameDtype: 'uint8',
    frameskip: Number(options.frameskip ?? MAKE_ATARI_DEFAULTS.frameskip),
    numActions,
    gameEpisodesFromInfo: true,
  };
  if (spec.scores) setup.scores = { ...spec.scores };
  return setup;
}
