/**
 * An on-policy run's config (REINFORCE, A2C, PPO) in the one run schema of train-config.ts: the
 * shared run settings, the on-policy run fields (`atari`, `logEveryUpdates`), and the algorithm's
 * hyperparameters under its name (`ppo: PPOConfig`, …), as a DQN run nests `dqn`.
 */

import {
  ON_POLICY_ALGOS,
  ON_POLICY_COMMON_DEFAULTS,
  type OnPolicyAlgo,
  type OnPolicyConfig,
  type OnPolicyConfigOf,
  validateOnPolicyConfig,
} from '../../agents/pg-config.js';
import { ON_POLICY_PRESETS, PRESET_RUNS, type PresetKind } from '../../agents/pg-presets.js';
import type { MakeAtariOptions } from '../../envs/make-atari.js';
import { type OldNames, upgradeRunConfig, withOldNames } from './legacy-config.js';
import { checkIntIn, RUN_SETTING_KEYS, type RunSettings, validateRunSettings } from './train-config.js';

/** An on-policy run's fields besides its hyperparameters. */
export interface OnPolicyRunSettings extends Omit<RunSettings, 'algo'> {
  /**
   * Pixel games: the makeAtari stack's options (φ, no-op starts, episodic life, reward clipping,
   * frame stack; `{}` for its defaults, see envs/make-atari.ts); `null` for vector envs, which
   * are made by the registry with `envOptions`. Episode returns in the metrics are then the real
   * game's (all lives, unclipped), from the stack's RecordEpisodeStatistics.
   */
  atari: MakeAtariOptions | null;
  /** Write a `train` metrics line every this many updates. */
  logEveryUpdates: number;
}

/**
 * The run config of on-policy algorithm `A`: its settings and, under its name, its hyperparameters
 * (for a union of algorithms, the union of their run configs).
 */
export type OnPolicyRunConfigOf<A extends OnPolicyAlgo> = A extends OnPolicyAlgo
  ? OnPolicyRunSettings & { algo: A } & { [K in A]: OnPolicyConfigOf[K] }
  : never;

export type OnPolicyRunConfig = OnPolicyRunConfigOf<OnPolicyAlgo>;

/** The run settings every on-policy preset starts from. */
export const ON_POLICY_RUN_DEFAULTS: Omit<OnPolicyRunSettings, 'env'> = {
  envOptions: {},
  atari: null,
  seed: 1,
  steps: 100_000,
  numEnvs: 8,
  workers: 0,
  workerTimeout: 30,
  logEveryUpdates: 1,
  checkpointInterval: 0,
  evalInterval: 0,
  evalEpisodes: 0,
};

/** Every top-level key an on-policy run config of `algo` may hold. */
export function onPolicyRunKeys(algo: OnPolicyAlgo): string[] {
  return [...RUN_SETTING_KEYS, 'atari', 'logEveryUpdates', algo, 'format', 'bestOf'];
}

/** The hyperparameters of an on-policy run config. */
export function hyperparamsOf(config: OnPolicyRunConfig): OnPolicyConfig {
  return (config as unknown as Record<OnPolicyAlgo, OnPolicyConfig>)[config.algo];
}

/** The preset of `algo` named `preset` as a whole run config, a fresh copy the caller may change. */
export function onPolicyPreset<A extends OnPolicyAlgo>(
  algo: A,
  preset: PresetKind = 'classic',
): OnPolicyRunConfigOf<A> {
  const byName = ON_POLICY_PRESETS[algo] as Record<string, OnPolicyConfigOf[A]> | undefined;
  if (byName === undefined) {
    throw new Error(`unknown on-policy algo '${algo}': use one of ${ON_POLICY_ALGOS.join(', ')}`);
  }
  const hyper = byName[preset];
  if (hyper === undefined) {
    throw new Error(`unknown preset '${preset}' for ${algo}: use one of ${Object.keys(byName).join(', ')}`);
  }
  const run = PRESET_RUNS[algo][preset];
  return structuredClone({
    ...ON_POLICY_RUN_DEFAULTS,
    ...run,
    algo,
    [algo]: hyper,
  }) as OnPolicyRunConfigOf<A>;
}

/**
 * Checks an on-policy run config (today's names or the old flat ones, see legacy-config.ts) and
 * returns it with today's names. Fields a run written before they existed lacks take the shared
 * defaults, so older runs stay loadable. The error names the field and what it should be.
 */
export function validateOnPolicyRunConfig(input: unknown): OnPolicyRunConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error('a run config must be an object');
  const algo = (input as { algo?: unknown }).algo as OnPolicyAlgo;
  if (!ON_POLICY_ALGOS.includes(algo)) {
    throw new Error(`algo must be one of ${ON_POLICY_ALGOS.join(', ')}, got ${JSON.stringify(algo)}`);
  }
  const oldNames: OldNames = new Map();
  const { bestOf: _bestOf, ...upgraded } = upgradeRunConfig(input as Record<string, unknown>, algo, oldNames);
  return withOldNames(oldNames, () => checkOnPolicyRunConfig(algo, upgraded));
}

/** {@link validateOnPolicyRunConfig} on a config of `algo` in today's names. */
function checkOnPolicyRunConfig(algo: OnPolicyAlgo, upgraded: Record<string, unknown>): OnPolicyRunConfig {
  const hyper = upgraded[algo];
  if (typeof hyper !== 'object' || hyper === null || Array.isArray(hyper)) {
    throw new Error(`${algo} must be an object of ${algo} settings`);
  }
  const config = {
    ...ON_POLICY_RUN_DEFAULTS,
    ...upgraded,
    [algo]: { ...ON_POLICY_COMMON_DEFAULTS, ...hyper },
  } as unknown as OnPolicyRunConfig;
  validateRunSettings(config as unknown as Record<string, unknown>, onPolicyRunKeys(algo));
  checkIntIn('logEveryUpdates', config.logEveryUpdates, [1, 1e11]);
  const atari = config.atari;
  if (atari !== null && (typeof atari !== 'object' || Array.isArray(atari))) {
    throw new Error('atari must be null or an object of makeAtari options');
  }
  validateOnPolicyConfig(algo, hyperparamsOf(config), config.numEnvs);
  return config;
}
