/**
 * EnvRecipe: a plain-data description of one env, and `buildEnv`, the one function that turns it
 * into an env. SyncVecEnv and the worker threads of ThreadedVecEnv both call `buildEnv`, so both
 * build exactly the same wrapper stack (φ included) from the same seed.
 *
 * A recipe, not a factory closure, because a closure cannot cross into a worker thread: everything a
 * worker gets goes through the structured clone algorithm.
 *
 * Seeds: env i of a vector env built with seed s starts from `deriveSeeds(s, n)[i]`. When an env has
 * to be rebuilt after a fault (generation g ≥ 1), it gets `generationSeed(seed_i, g)`: a new episode
 * stream, still a pure function of the vector env's seed, in both vector envs.
 */
import { type MakeAtariOptions, makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import { Box, type BoxArray, type BoxDtype, Discrete } from '../../envs/spaces.js';
import { splitmix32 } from '../util/rng.js';
import { type FaultInjection, FaultyEnv, failAs, faultFor, validateFault } from './fault-injection.js';
import type { BoxEnv } from './vec-env.js';

export interface EnvRecipe {
  /** A registered env id, e.g. `CartPole-v1` or `Breakout-v0`. */
  id: string;
  /**
   * Options for the registry's `make(id, options)`, for a raw env (for pixel games: the Atari
   * harness's options). Not with `atari`, which carries the harness options itself.
   */
  options?: Record<string, unknown>;
  /**
   * A pixel game through the DQN stack, `makeAtari(id, atari, seed)`: φ (skip 4 with max-pool,
   * grayscale 84x84), episode statistics, no-op starts, episodic life, fire reset, reward clipping,
   * frame stack; `{}` for its defaults. Absent or false: the raw env from the registry.
   */
  atari?: MakeAtariOptions | false;
  /** Test only: make envs fail on purpose (see fault-injection.ts); at most one per env. */
  fault?: FaultInjection | FaultInjection[];
}

/** Which copy of an env is being built: its index in the vector env and how often it was rebuilt. */
export interface BuildContext {
  /** 0..numEnvs-1. */
  envIndex: number;
  /** 0 for the first build, +1 for each rebuild after a fault. */
  generation: number;
}

/**
 * Builds the env a recipe describes, seeded with `seed`. The returned env has not been reset.
 * Throws an Error that says what was wrong with the recipe.
 */
export function buildEnv(recipe: EnvRecipe, seed: number, ctx: BuildContext = FIRST_BUILD): BoxEnv {
  checkRecipe(recipe);
  const fault = faultFor(recipe.fault, ctx.envIndex, ctx.generation);
  if (fault?.atBuild !== undefined)
    failAs(fault, `env ${ctx.envIndex} when building generation ${ctx.generation}`);
  const env: BoxEnv = recipe.atari
    ? makeAtari(recipe.id, recipe.atari, seed)
    : createRegistry().make(recipe.id, recipe.options ?? {}, seed);
  return fault ? new FaultyEnv(env, fault) : env;
}

/** The spaces of the env a recipe builds, as a vector env needs them to lay out its buffers. */
export interface RecipeShape {
  observationSpace: Box<BoxDtype>;
  actionSpace: Discrete;
  /** Elements per observation. */
  obsSize: number;
  dtype: BoxDtype;
}

/**
 * Builds one throw-away env to read its spaces. Throws if they are not a Box observation space and
 * a Discrete action space (the only kinds a vector env batches).
 */
export function recipeShape(recipe: EnvRecipe): RecipeShape {
  const env = buildEnv(recipe, 0, { envIndex: -1, generation: 0 });
  try {
    const { observationSpace, actionSpace } = env;
    if (!(observationSpace instanceof Box)) {
      throw new Error(`${recipe.id}: a vector env needs a Box observation space, got ${observationSpace}`);
    }
    if (!(actionSpace instanceof Discrete)) {
      throw new Error(`${recipe.id}: a vector env needs a Discrete action space, got ${actionSpace}`);
    }
    return { observationSpace, actionSpace, obsSize: observationSpace.size, dtype: observationSpace.dtype };
  } finally {
    env.close();
  }
}

/** A zero-filled typed array of `dtype`, optionally over (part of) a given buffer. */
export function typedArrayOf(
  dtype: BoxDtype,
  length: number,
  buffer?: ArrayBufferLike,
  byteOffset = 0,
): BoxArray {
  const b = buffer ?? new ArrayBuffer(length * BYTES_PER_ELEMENT[dtype]);
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(b, byteOffset, length);
    case 'float32':
      return new Float32Array(b, byteOffset, length);
    case 'float64':
      return new Float64Array(b, byteOffset, length);
  }
}

/** Bytes per element of each observation dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<BoxDtype, number>> = {
  uint8: 1,
  float32: 4,
  float64: 8,
};

/** The seed of env `base`'s rebuild number `generation` (generation 0 is `base` itself). */
export function generationSeed(base: number, generation: number): number {
  if (generation === 0) return base >>> 0;
  return splitmix32((base | 0) ^ Math.imul(generation, 0x9e3779b9));
}

/**
 * Checks that a recipe is well-formed plain data (it must survive structured cloning into a worker).
 * Throws an Error that says what is wrong and what to pass instead.
 */
export function checkRecipe(recipe: EnvRecipe): void {
  if (typeof recipe !== 'object' || recipe === null || typeof recipe.id !== 'string') {
    throw new Error(`an EnvRecipe needs an env id, e.g. { id: 'CartPole-v1' }; got ${describe(recipe)}`);
  }
  const options = recipe.options;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw new Error(`EnvRecipe.options must be an object of env options, got ${describe(options)}`);
  }
  if (recipe.atari && options !== undefined) {
    throw new Error(
      `EnvRecipe for ${recipe.id}: give the harness options inside atari (e.g. atari: { repeatActionProbability: 0 }), not in options`,
    );
  }
  if (
    recipe.atari !== undefined &&
    recipe.atari !== false &&
    (typeof recipe.atari !== 'object' || recipe.atari === null)
  ) {
    throw new Error(
      `EnvRecipe.atari must be makeAtari options ({} for the defaults) or false, got ${describe(recipe.atari)}`,
    );
  }
  if (recipe.fault !== undefined) {
    const faults = Array.isArray(recipe.fault) ? recipe.fault : [recipe.fault];
    for (const f of faults) validateFault(f);
  }
  try {
    structuredClone(recipe);
  } catch (e) {
    throw new Error(
      `an EnvRecipe must be plain data (no functions or class instances) so it can be sent to a worker thread: ${(e as Error).message}`,
    );
  }
}

const FIRST_BUILD: BuildContext = { envIndex: 0, generation: 0 };

function describe(x: unknown): string {
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}
