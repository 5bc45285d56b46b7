/**
 * Which env a DQN run steps, and what its frames look like.
 *
 * - classic envs (CartPole): the observation vector is the frame; one frame per observation.
 * - pixel games: φ from `makeAtari` (frameskip 4, max-pool, 84x84 gray, no-op reset) with
 *   `frameStack: false`, so each step yields one 84x84 frame: the agent keeps the last 4 of each
 *   env (agents/frame-history.ts) and the replay stores each frame once, as Dopamine does.
 */
import type { Env } from '../../envs/core.js';
import { createRegistry, type EnvSpec } from '../../envs/registry.js';
import type { BoxArray } from '../../envs/spaces.js';

type BoxEnv = Env<BoxArray, number>;

/** How to build the run's envs, and facts the loop needs about them. */
export interface EnvSetup {
  spec: EnvSpec;
  /** Builds a training env (seeded). */
  makeTrain(seed: number): BoxEnv;
  /** Builds an evaluation env (full episodes: no episodic-life cut). */
  makeEval(seed: number): BoxEnv;
  /** Shape of one frame: [84, 84] for pixel games, [4] for CartPole. */
  frameShape: number[];
  /** Element type of a frame as the replay stores it. */
  frameDtype: 'uint8' | 'float32';
  /** Emulator frames per agent step (4 for pixel games, 1 otherwise). */
  frameskip: number;
  numActions: number;
  /** Normalized-score anchors, when the env has them. */
  scores?: { random: number; reference: number };
}

/** Describes and builds env `id` for DQN. Throws with the list of ids when `id` is unknown. */
export function setupEnv(id: string, options: Record<string, unknown>): EnvSetup {
  const registry = createRegistry();
  const spec = registry.spec(id);
  if (spec.kind === 'atari') return setupPixelGame(spec, options);
  const makeTrain = (seed: number) => registry.make(id, options, seed);
  const probe = makeTrain(0);
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
    makeTrain,
    makeEval: makeTrain,
    frameShape: shape,
    frameDtype: 'float32',
    frameskip: 1,
    numActions,
  };
}

function setupPixelGame(spec: EnvSpec, _options: Record<string, unknown>): EnvSetup {
  throw new Error(
    `${spec.id}: pixel games need envs/make-atari.ts (φ preprocessing), which has not landed yet`,
  );
}
