/**
 * The run settings: one schema for every algorithm. A run config (config.json, a `--config` file,
 * the options of `new DQN(...)` / `new PPO(...)`) is
 *
 *   { env, envOptions, algo, steps, seed, numEnvs, workers, evalInterval, evalEpisodes,
 *     checkpointInterval,                      ← RunSettings: the same names for every algorithm
 *     …the algorithm's own run fields,          ← DQN: evalEpsilon, logInterval, frameSize, …
 *     [algo]: { …hyperparameters } }           ← `dqn: DqnConfig`, `ppo: PPOConfig`, …
 *
 * This file holds the shared fields and DQN's run config; on-policy-config.ts holds the on-policy
 * one, and legacy-config.ts reads the names older runs and config files used.
 */
import { type DqnConfig, validateDqnConfig } from '../../agents/dqn-config.js';
import { type OldNames, upgradeRunConfig, withOldNames } from './legacy-config.js';

/** Every algorithm pixelrl trains, by the name its run config nests its hyperparameters under. */
export const ALGOS = ['dqn', 'reinforce', 'a2c', 'ppo'] as const;
export type Algo = (typeof ALGOS)[number];

/** The fields every run has, with the same names whatever its algorithm. */
export interface RunSettings {
  /** Registered env id, e.g. `CartPole-v1`, `Catch-v0`. */
  env: string;
  /** Options for the env (the registry's, e.g. `{ repeatActionProbability: 0 }`). */
  envOptions: Record<string, unknown>;
  /** The algorithm; its hyperparameters are the object of the same name. */
  algo: Algo;
  /** Agent steps to train for, summed over envs. */
  steps: number;
  /** Seeds everything: networks, envs, exploration, replay sampling, evaluation. */
  seed: number;
  /** Envs stepped together. */
  numEnvs: number;
  /** Worker threads for the envs (0 = in the main thread). */
  workers: number;
  /**
   * Seconds a worker thread may take for one step or reset before it is terminated and restarted
   * (its envs' episodes are cut short). Absent in runs written before it existed: 30.
   */
  workerTimeout?: number;
  /** Agent steps between evaluations; 0 = only at the end. */
  evalInterval: number;
  /** Episodes per evaluation; 0 = no evaluation. */
  evalEpisodes: number;
  /** Agent steps between checkpoints; 0 = only at the end (and on Ctrl-C). */
  checkpointInterval: number;
}

/** A DQN run's fields besides its hyperparameters. */
export interface DqnRunSettings extends RunSettings {
  algo: 'dqn';
  /** ε of the evaluation policy (0.05 in the DQN paper). */
  evalEpsilon: number;
  /** Up to this many no-op actions at the start of each evaluation episode (pixel games' NoopReset). */
  evalNoopMax: number;
  /** Agent steps between train-metric lines. */
  logInterval: number;
  /** Save the replay memory in checkpoints (large for pixel games; needed for an exact resume). */
  saveReplay: boolean;
  /**
   * Side of the square grayscale frame φ makes of a pixel game's screen: 84 as in the DQN paper;
   * 42 costs the network ~6x less (the default of `pixelrl train` on a CPU).
   */
  frameSize: number;
}

/** A DQN run's whole config: its settings plus the agent's hyperparameters. */
export interface RunConfig extends DqnRunSettings {
  dqn: DqnConfig;
}

export const RUN_DEFAULTS: DqnRunSettings = {
  env: 'Catch-v0',
  envOptions: {},
  algo: 'dqn',
  steps: 100_000,
  seed: 0,
  numEnvs: 1,
  workers: 0,
  workerTimeout: 30,
  evalInterval: 10_000,
  evalEpisodes: 10,
  evalEpsilon: 0.05,
  evalNoopMax: 30,
  logInterval: 1000,
  checkpointInterval: 50_000,
  saveReplay: true,
  frameSize: 84,
};

/**
 * The range of every numeric run setting, checked before anything is allocated. Wider than any
 * run needs; each bound is there so that a typo (`evalEpisodes: 1e9`) is refused, not run.
 */
export const RUN_BOUNDS = {
  steps: [1, 1e11],
  numEnvs: [1, 1024],
  workers: [0, 256],
  evalInterval: [0, 1e11],
  evalEpisodes: [0, 10_000],
  checkpointInterval: [0, 1e11],
} as const satisfies Partial<Record<keyof RunSettings, readonly [number, number]>>;

/** Seconds, for `workerTimeout` (optional, so checked apart from RUN_BOUNDS). */
export const WORKER_TIMEOUT_BOUNDS = [1, 86_400] as const;

/** The seconds a run's worker threads get per step or reset (30 where the config has none). */
export function workerTimeoutOf(config: { workerTimeout?: number }): number {
  return config.workerTimeout ?? 30;
}

/** The same for DQN's own run fields. */
const DQN_RUN_BOUNDS = {
  evalNoopMax: [0, 10_000],
  logInterval: [1, 1e11],
  frameSize: [8, 512],
} as const satisfies Partial<Record<keyof DqnRunSettings, readonly [number, number]>>;

/** Ranges of the DQN settings whose size drives memory or time (DqnConfig checks their types). */
export const DQN_BOUNDS = {
  historyLength: [1, 64],
  nStep: [1, 1000],
  batchSize: [1, 65_536],
  gradientSteps: [1, 1000],
  bufferSize: [1, 1e9],
} as const;

/** The keys every run config holds, besides its algorithm's own. */
export const RUN_SETTING_KEYS: readonly string[] = [
  'env',
  'envOptions',
  'algo',
  'steps',
  'seed',
  'numEnvs',
  'workers',
  'workerTimeout',
  'evalInterval',
  'evalEpisodes',
  'checkpointInterval',
] satisfies (keyof RunSettings)[];

/** Every top-level key a DQN run config may hold: the settings, `dqn`, and the bookkeeping ones. */
export const RUN_KEYS: readonly string[] = [...Object.keys(RUN_DEFAULTS), 'dqn', 'format', 'bestOf'];

/** Throws unless `value` is an integer in `[lo, hi]`; the message names `name`. */
export function checkIntIn(name: string, value: unknown, [lo, hi]: readonly [number, number]): void {
  if (!Number.isSafeInteger(value) || (value as number) < lo || (value as number) > hi) {
    throw new Error(`${name} must be an integer from ${lo} to ${hi}, got ${JSON.stringify(value)}`);
  }
}

/**
 * Checks the shared fields of a run config and refuses a top-level key outside `keys` (the
 * algorithm's whole list); the error names the field and what it should be.
 */
export function validateRunSettings(config: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of Object.keys(config)) {
    if (!keys.includes(key)) {
      const valid = keys.filter((k) => k !== 'format' && k !== 'bestOf');
      throw new Error(`unknown run setting '${key}'; valid settings are: ${valid.join(', ')}`);
    }
  }
  if (typeof config.env !== 'string' || config.env === '')
    throw new Error('env must be an env id such as CartPole-v1');
  if (!(ALGOS as readonly unknown[]).includes(config.algo))
    throw new Error(`algo must be one of ${ALGOS.join(', ')}, got ${JSON.stringify(config.algo)}`);
  for (const [name, range] of Object.entries(RUN_BOUNDS)) checkIntIn(name, config[name], range);
  if (config.workerTimeout !== undefined)
    checkIntIn('workerTimeout', config.workerTimeout, WORKER_TIMEOUT_BOUNDS);
  if (!Number.isSafeInteger(config.seed))
    throw new Error(`seed must be an integer, got ${JSON.stringify(config.seed)}`);
  const o = config.envOptions;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    throw new Error('envOptions must be an object of env options');
  }
}

/**
 * Checks a DQN run config (today's names or the old ones, see legacy-config.ts) and returns it
 * with today's names; the error names the field and what it should be.
 */
export function validateRunConfig(input: RunConfig): RunConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('a run config must be an object');
  // `bestOf` marks the best-agent copy of a run (run-dqn.ts); it is not a setting.
  const oldNames: OldNames = new Map();
  const raw = input as unknown as Record<string, unknown>;
  const { bestOf: _bestOf, ...rest } = upgradeRunConfig(raw, undefined, oldNames);
  return withOldNames(oldNames, () => checkDqnRunConfig(rest));
}

/** {@link validateRunConfig} on a config in today's names. */
function checkDqnRunConfig(rest: Record<string, unknown>): RunConfig {
  if (rest.algo !== 'dqn')
    throw new Error(`algo must be 'dqn' for a DQN run, got ${JSON.stringify(rest.algo)}`);
  validateRunSettings(rest, RUN_KEYS);
  const config = rest as unknown as RunConfig;
  for (const [name, range] of Object.entries(DQN_RUN_BOUNDS))
    checkIntIn(name, config[name as keyof DqnRunSettings], range);
  if (typeof config.evalEpsilon !== 'number' || !(config.evalEpsilon >= 0 && config.evalEpsilon <= 1)) {
    throw new Error(`evalEpsilon must be a number in [0, 1], got ${JSON.stringify(config.evalEpsilon)}`);
  }
  if (typeof config.saveReplay !== 'boolean') {
    throw new Error(`saveReplay must be true or false, got ${JSON.stringify(config.saveReplay)}`);
  }
  if (typeof config.dqn !== 'object' || config.dqn === null || Array.isArray(config.dqn)) {
    throw new Error('dqn must be an object of DQN settings');
  }
  const dqn = validateDqnConfig(config.dqn as unknown as Record<string, unknown>);
  for (const [name, range] of Object.entries(DQN_BOUNDS)) {
    checkIntIn(`DQN setting ${name}`, dqn[name as keyof typeof DQN_BOUNDS], range);
  }
  const needed = config.numEnvs * (dqn.historyLength + dqn.nStep + 1);
  if (dqn.bufferSize < needed) {
    throw new Error(
      `bufferSize ${dqn.bufferSize} is too small: ${config.numEnvs} env(s) × (historyLength ${dqn.historyLength} + nStep ${dqn.nStep} + 1) = ${needed} transitions must fit; raise bufferSize or lower nStep`,
    );
  }
  return { ...config, dqn };
}
