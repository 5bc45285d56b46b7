/**
 * The environment registry: `make(id, options)` builds an env by id, `list()` describes them all.
 *
 * `createRegistry()` returns a registry with the bundled envs and the user envs of this process.
 * User envs are the one piece of module-level state: `register(spec)` adds one for every registry
 * made afterwards, as Gymnasium's `register` does, because the loops, vector envs and loaders each
 * build their registry from `createRegistry()` and a custom env must reach all of them
 * (`pixelrl train --env-module ./my-env.js`). Worker threads do not see them (a worker imports
 * only the bundled envs). A program may still build a `new Registry()` of its own.
 */

import { ATARI_DEFAULTS, AtariEnv, type AtariOptions } from './atari/atari-env.js';
import type { GameSpec } from './atari/game.js';
import { CartPoleEnv } from './classic/cartpole.js';
import type { Env } from './core.js';
import { GAMES } from './games/index.js';
import type { BoxArray } from './spaces.js';
import { TimeLimit } from './wrappers/time-limit.js';

/** Any env the registry makes: Box observations, Discrete actions. */
export type AnyEnv = Env<BoxArray, number>;

export interface EnvSpec {
  /** e.g. `Breakout-v0`, `CartPole-v1`. */
  readonly id: string;
  readonly kind: 'atari' | 'classic';
  readonly description: string;
  /** Option names `make` accepts, with their defaults. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Builds the env. `options` have been checked against `defaults`' keys. */
  create(options: Record<string, unknown>, seed: number): AnyEnv;
  /** Random and reference scores, for normalized scores (Atari games). */
  readonly scores?: { readonly random: number; readonly reference: number };
  /** The game, for Atari envs (its reference policy, its rules). */
  readonly game?: GameSpec;
}

export interface EnvDescription {
  id: string;
  kind: 'atari' | 'classic';
  description: string;
  actionMeanings: readonly string[];
  observationShape: readonly number[];
  scores?: { random: number; reference: number };
}

export class Registry {
  private readonly specs = new Map<string, EnvSpec>();

  register(spec: EnvSpec): void {
    if (this.specs.has(spec.id)) throw new Error(`an env with id ${spec.id} is already registered`);
    if (!/^[A-Za-z][\w-]*-v\d+$/.test(spec.id)) {
      throw new Error(`env id ${JSON.stringify(spec.id)} must look like Name-v0`);
    }
    this.specs.set(spec.id, spec);
  }

  ids(): string[] {
    return [...this.specs.keys()];
  }

  spec(id: string): EnvSpec {
    const spec = this.specs.get(id);
    if (!spec) {
      throw new Error(`unknown env ${JSON.stringify(id)}; the registered envs are: ${this.ids().join(', ')}`);
    }
    return spec;
  }

  /** Builds env `id` with `options` (unknown option names are refused, listing the valid ones). */
  make(id: string, options: Record<string, unknown> = {}, seed = 0): AnyEnv {
    const spec = this.spec(id);
    const valid = Object.keys(spec.defaults);
    for (const key of Object.keys(options)) {
      if (!valid.includes(key)) {
        throw new Error(
          `${id} has no option ${JSON.stringify(key)}; valid options are: ${valid.join(', ') || '(none)'}`,
        );
      }
    }
    return spec.create({ ...spec.defaults, ...options }, seed);
  }

  list(): EnvDescription[] {
    return this.ids().map((id) => {
      const spec = this.spec(id);
      const env = spec.create({ ...spec.defaults }, 0);
      const d: EnvDescription = {
        id,
        kind: spec.kind,
        description: spec.description,
        actionMeanings: env.actionMeanings ?? [],
        observationShape: (env.observationSpace as { shape?: readonly number[] }).shape ?? [],
      };
      if (spec.scores) d.scores = { ...spec.scores };
      env.close();
      return d;
    });
  }
}

/** The EnvSpec of a bundled pixel game, run by the Atari harness. */
export function atariSpec(game: GameSpec): EnvSpec {
  return {
    id: game.id,
    kind: 'atari',
    description: game.description,
    defaults: { ...ATARI_DEFAULTS },
    create: (options, seed) => new AtariEnv(game.create(), options as AtariOptions, seed),
    scores: game.scores,
    game,
  };
}

const userSpecs = new Map<string, EnvSpec>();

/**
 * Registers a user env for this process: every registry `createRegistry()` makes from now on
 * holds it (the training loops, `pixelrl train --env-module`, the loaders of eval/play). Throws
 * when the id is malformed or taken by a bundled or user env.
 */
export function register(spec: EnvSpec): void {
  const probe = createRegistry();
  if (probe.ids().includes(spec.id)) throw new Error(`an env with id ${spec.id} is already registered`);
  new Registry().register(spec); // checks the id's form
  userSpecs.set(spec.id, spec);
}

/** Removes a user env registered with {@link register} (tests, reloads); false when there was none. */
export function unregister(id: string): boolean {
  return userSpecs.delete(id);
}

/** A registry holding every bundled env and every user env of {@link register}. */
export function createRegistry(): Registry {
  const registry = new Registry();
  registry.register({
    id: 'CartPole-v1',
    kind: 'classic',
    description: 'Balance a pole on a cart (Gymnasium dynamics); +1 per step, 500-step limit.',
    defaults: { maxEpisodeSteps: 500 },
    create: (options, seed) => new TimeLimit(new CartPoleEnv(seed), Number(options.maxEpisodeSteps)),
  });
  for (const game of GAMES) registry.register(atariSpec(game));
  for (const spec of userSpecs.values()) registry.register(spec);
  return registry;
}
