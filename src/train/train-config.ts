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

/** Checks a run config; the error names the field and what it should be. */
export function validateRunConfig(config: RunConfig): RunConfig {
  // `bestOf` marks the best-agent copy of a run (run-dqn.ts); it is not a setting.
  const { bestOf: _bestOf, ...rest } = config as RunConfig & { bestOf?: string };
  config = rest as RunConfig;
  const intAtLeast = (name: keyof RunSettings, min: number) => {
    const v = config[name];
    if (!Number.isSafeInteger(v) || (v as number) < min) {
      throw new Error(`${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    }
  };
  if (typeof config.env !== 'string' || config.env === '')
    throw new Error('env must be an env id such as CartPole-v1');
  if (config.algo !== 'dqn')
    throw new Error(`algo must be 'dqn' (the only algorithm pixelrl trains so far), got ${config.algo}`);
  intAtLeast('steps', 1);
  intAtLeast('numEnvs', 1);
  intAtLeast('workers', 0);
  intAtLeast('evalInterval', 0);
  intAtLeast('evalEpisodes', 0);
  intAtLeast('evalNoopMax', 0);
  intAtLeast('logInterval', 1);
  intAtLeast('checkpointInterval', 0);
  intAtLeast('frameSize', 8);
  if (!Number.isSafeInteger(config.seed)) throw new Error(`seed must be an integer, got ${config.seed}`);
  if (!(config.evalEpsilon >= 0 && config.evalEpsilon <= 1)) {
    throw new Error(`evalEpsilon must be in [0, 1], got ${config.evalEpsilon}`);
  }
  if (typeof config.envOptions !== 'object' || config.envOptions === null) {
    throw new Error('envOptions must be an object of env options');
  }
  const dqn = validateDqnConfig(config.dqn as unknown as Record<string, unknown>);
  if (dqn.bufferSize < config.numEnvs * (dqn.historyLength + dqn.nStep + 1)) {
    throw new Error(`bufferSize ${dqn.bufferSize} is too small for ${config.numEnvs} envs`);
  }
  return { ...config, dqn };
}
