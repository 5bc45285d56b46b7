/**
 * The training run's settings besides the agent's hyperparameters (those are `DqnConfig`):
 * which env, how long, how many envs, when to evaluate, log and save. Together with the
 * `DqnConfig` they are the run's config.json.
 */
import { type DqnConfig, validateDqnConfig } from '../../agents/dqn-config.js';

export interface RunSettings {
  /** Registered env id, e.g. `CartPole-v1`, `Catch-v0`. */
  env: string;
  /** Options for the env (the registry's, e.g. `{ repeatActionProbability: 0 }`). */
  envOptions: Record<string, unknown>;
  /** The algorithm; only `dqn` for now. */
  algo: 'dqn';
  /** Agent steps to train for, summed over envs. */
  steps: number;
  /** Seeds everything: networks, envs, exploration, replay sampling, evaluation. */
  seed: number;
  /** Envs stepped together. */
  numEnvs: number;
  /** Worker threads for the envs (0 = in the main thread). */
  workers: number;
  /** Agent steps between evaluations; 0 = only at the end. */
  evalInterval: number;
  /** Episodes per evaluation; 0 = no evaluation. */
  evalEpisodes: number;
  /** ε of the evaluation policy (0.05 in the DQN paper). */
  evalEpsilon: number;
  /** Up to this many no-op actions at the start of each evaluation episode (pixel games' NoopReset). */
  evalNoopMax: number;
  /** Agent steps between train-metric lines. */
  logInterval: number;
  /** Agent steps between checkpoints; 0 = only at the end (and on Ctrl-C). */
  checkpointInterval: number;
  /** Save the replay memory in checkpoints (large for pixel games; needed for an exact resume). */
  saveReplay: boolean;
  /**
   * Side of the square grayscale frame φ makes of a pixel game's screen: 84 as in the DQN paper;
   * 42 costs the network ~6x less (the default of `pixelrl train` on a CPU).
   */
  frameSize: number;
}

/** A run's whole config: settings plus the agent's hyperparameters. */
export interface RunConfig extends RunSettings {
  dqn: DqnConfig;
}

export const RUN_DEFAULTS: RunSettings = {
  env: 'Catch-v0',
  envOptions: {},
  algo: 'dqn',
  steps: 100_000,
  seed: 0,
  numEnvs: 1,
  workers: 0,
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
  evalNoopMax: [0, 10_000],
  logInterval: [1, 1e11],
  checkpointInterval: [0, 1e11],
  frameSize: [8, 512],
} as const satisfies Partial<Record<keyof RunSettings, readonly [number, number]>>;

/** Ranges of the DQN settings whose size drives memory or time (DqnConfig checks their types). */
export const DQN_BOUNDS = {
  historyLength: [1, 64],
  nStep: [1, 1000],
  batchSize: [1, 65_536],
  gradientSteps: [1, 1000],
  bufferSize: [1, 1e9],
} as const;

/** Every top-level key a run config may hold: the settings, `dqn`, and the bookkeeping ones. */
export const RUN_KEYS: readonly string[] = [...Object.keys(RUN_DEFAULTS), 'dqn', 'format', 'bestOf'];

/** Checks a run config; the error names the field and what it should be. */
export function validateRunConfig(config: RunConfig): RunConfig {
  if (typeof config !== 'object' || config === null) throw new Error('a run config must be an object');
  // `bestOf` marks the best-agent copy of a run (run-dqn.ts); it is not a setting.
  const { bestOf: _bestOf, ...rest } = config as RunConfig & { bestOf?: string };
  config = rest as RunConfig;
  for (const key of Object.keys(config)) {
    if (!RUN_KEYS.includes(key)) {
      throw new Error(
        `unknown run setting '${key}'; valid settings are: ${RUN_KEYS.slice(0, -2).join(', ')}`,
      );
    }
  }
  const intIn = (name: string, value: unknown, [lo, hi]: readonly [number, number]) => {
    if (!Number.isSafeInteger(value) || (value as number) < lo || (value as number) > hi) {
      throw new Error(`${name} must be an integer from ${lo} to ${hi}, got ${JSON.stringify(value)}`);
    }
  };
  if (typeof config.env !== 'string' || config.env === '')
    throw new Error('env must be an env id such as CartPole-v1');
  if (config.algo !== 'dqn')
    throw new Error(`algo must be 'dqn' (the only algorithm pixelrl trains so far), got ${config.algo}`);
  for (const [name, range] of Object.entries(RUN_BOUNDS))
    intIn(name, config[name as keyof RunSettings], range);
  if (!Number.isSafeInteger(config.seed))
    throw new Error(`seed must be an integer, got ${JSON.stringify(config.seed)}`);
  if (typeof config.evalEpsilon !== 'number' || !(config.evalEpsilon >= 0 && config.evalEpsilon <= 1)) {
    throw new Error(`evalEpsilon must be a number in [0, 1], got ${JSON.stringify(config.evalEpsilon)}`);
  }
  if (typeof config.saveReplay !== 'boolean') {
    throw new Error(`saveReplay must be true or false, got ${JSON.stringify(config.saveReplay)}`);
  }
  if (
    typeof config.envOptions !== 'object' ||
    config.envOptions === null ||
    Array.isArray(config.envOptions)
  ) {
    throw new Error('envOptions must be an object of env options');
  }
  if (typeof config.dqn !== 'object' || config.dqn === null || Array.isArray(config.dqn)) {
    throw new Error('dqn must be an object of DQN settings');
  }
  const dqn = validateDqnConfig(config.dqn as unknown as Record<string, unknown>);
  for (const [name, range] of Object.entries(DQN_BOUNDS)) {
    intIn(`DQN setting ${name}`, dqn[name as keyof typeof DQN_BOUNDS], range);
  }
  const needed = config.numEnvs * (dqn.historyLength + dqn.nStep + 1);
  if (dqn.bufferSize < needed) {
    throw new Error(
      `bufferSize ${dqn.bufferSize} is too small: ${config.numEnvs} env(s) × (historyLength ${dqn.historyLength} + nStep ${dqn.nStep} + 1) = ${needed} transitions must fit; raise bufferSize or lower nStep`,
    );
  }
  return { ...config, dqn };
}
