/**
 * The on-policy side of `pixelrl train` (`--algo reinforce | a2c | ppo`): builds the run config
 * (the one run schema, hyperparameters under the algorithm's name) from its preset, a --config
 * file and the flags, in that order, through the library's `onPolicyRunConfig`, and trains it
 * through the on-policy model classes. The hyperparameter flags come from ON_POLICY_FIELDS
 * (agents/pg-config.ts), so each is defined once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ON_POLICY_ALGOS, ON_POLICY_FIELDS, type OnPolicyAlgo } from '../../../agents/pg-config.js';
import type { PresetKind } from '../../../agents/pg-presets.js';
import type { Engine } from '../../engine/select.js';
import { type OnPolicySettings, onPolicyRunConfig } from '../../train/api/configs.js';
import { load } from '../../train/api/load.js';
import { type OnPolicyModel, onPolicyModelFor } from '../../train/api/on-policy.js';
import type { Callback } from '../../train/callbacks.js';
import { type OldNames, upgradeRunConfig, withOldNames } from '../../train/legacy-config.js';
import { type OnPolicyRunConfig, onPolicyRunKeys } from '../../train/on-policy-config.js';
import { RUN_DEFAULTS } from '../../train/train-config.js';
import { kebab } from './cli-args.js';
import { readConfigFile } from './config-file.js';
import { withTunedEntry } from './hyperparams.js';
import { runSummary } from './run-summary.js';

/** The flags of `pixelrl train` that an on-policy run reads. */
export interface OnPolicyFlags {
  env?: string;
  algo: string;
  steps?: number;
  preset?: string;
  seed?: number;
  envs?: number;
  workers?: number;
  workerTimeout?: number;
  config?: string;
  hyperparams?: string;
  evalInterval?: number;
  evalEpisodes?: number;
  checkpointInterval?: number;
  logEveryUpdates?: number;
  [field: string]: unknown;
}

export function isOnPolicyAlgo(algo: string): algo is OnPolicyAlgo {
  return (ON_POLICY_ALGOS as readonly string[]).includes(algo);
}

/** The on-policy run fields that have a flag besides the shared ones (--steps, --envs, …). */
const RUN_FIELDS = {
  logEveryUpdates: { kind: 'int', help: 'updates between train metrics lines' },
} as const;

/** Every on-policy field with a flag, over the three algorithms (for the flag list). */
export function onPolicyFieldTable(): Record<string, { kind: string; help: string }> {
  return Object.assign({}, RUN_FIELDS, ...ON_POLICY_ALGOS.map((a) => ON_POLICY_FIELDS[a]));
}

/**
 * The run's config from flags: the preset, then a --config file (today's schema or the old flat
 * names), then the flags. Throws an Error with a clear message on a bad combination or value.
 * `dqnOnlyFields`: flags that only DQN reads; giving one with an on-policy algo is an error.
 */
export function onPolicyConfigFromFlags(
  flags: OnPolicyFlags,
  dqnOnlyFields: readonly string[],
  log?: (line: string) => void,
): OnPolicyRunConfig {
  const algo = flags.algo;
  if (!isOnPolicyAlgo(algo)) throw new Error(`--algo ${algo} is not one of ${ON_POLICY_ALGOS.join(', ')}`);
  const oldNames: OldNames = new Map();
  const what = `run settings and a "${algo}" object`;
  const read = flags.config ? readConfigFile(flags.config, what, algo, oldNames) : {};
  // The env's tuned entry (hyperparams/<algo>.json) under the file, both in today's names.
  const tuned = withTunedEntry(flags, algo, read, RUN_DEFAULTS.env, (c) => upgradeRunConfig(c, algo));
  if (tuned.note) log?.(tuned.note);
  const file = tuned.file;
  const keys = onPolicyRunKeys(algo).filter((k) => k !== 'bestOf');
  for (const key of Object.keys(file)) {
    if (!keys.includes(key)) {
      throw new Error(
        `${tuned.source}: unknown setting '${key}'; valid settings are: ${keys.filter((k) => k !== 'format').join(', ')}`,
      );
    }
  }
  for (const key of dqnOnlyFields) {
    if (flags[key] !== undefined && !(key in ON_POLICY_FIELDS[algo])) {
      throw new Error(`--${kebab(key)} is a DQN setting; --algo ${algo} does not use it`);
    }
  }
  const { [algo]: fileHyper, format: _format, algo: _algo, env: fileEnv, ...run } = file;
  if (fileHyper !== undefined && (typeof fileHyper !== 'object' || fileHyper === null)) {
    throw new Error(`${tuned.source}: ${algo} must be an object of ${algo} settings`);
  }
  const hyper: Record<string, unknown> = { ...(fileHyper as Record<string, unknown> | undefined) };
  for (const key of Object.keys(onPolicyFieldTable())) {
    if (flags[key] === undefined || key in RUN_FIELDS) continue;
    if (!(key in ON_POLICY_FIELDS[algo]))
      throw new Error(`--${kebab(key)} is not a setting of --algo ${algo}`);
    hyper[key] = flags[key];
  }
  const set = (key: string, value: unknown) => {
    if (value !== undefined) run[key] = value;
  };
  set('seed', flags.seed);
  set('steps', flags.steps);
  set('numEnvs', flags.envs);
  set('workers', flags.workers);
  set('workerTimeout', flags.workerTimeout);
  set('evalInterval', flags.evalInterval);
  set('evalEpisodes', flags.evalEpisodes);
  set('checkpointInterval', flags.checkpointInterval);
  set('logEveryUpdates', flags.logEveryUpdates);
  const env = flags.env ?? (typeof fileEnv === 'string' ? fileEnv : RUN_DEFAULTS.env);
  const settings: OnPolicySettings<OnPolicyAlgo> = {
    ...run,
    [algo]: hyper,
    preset: flags.preset as PresetKind | undefined,
  };
  // An error about a setting the file gave under its old name names that name too.
  return withOldNames(oldNames, () => onPolicyRunConfig(algo, env, settings));
}

/** The algo a run directory was trained with (its config.json), or undefined when it has none. */
export function runAlgo(runDir: string): string | undefined {
  try {
    const config = JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')) as { algo?: unknown };
    return typeof config.algo === 'string' ? config.algo : undefined;
  } catch {
    return undefined;
  }
}

export interface OnPolicyRunArgs {
  config: OnPolicyRunConfig | null;
  runDir: string;
  resume: boolean;
  steps?: number;
  progress: 'auto' | 'bar' | 'lines' | 'off';
  log: (line: string) => void;
  signal: AbortSignal;
  engine?: Engine;
  /** Training callbacks (--record-every). */
  callbacks?: Callback[];
}

/** Trains (or resumes) through the on-policy model classes and returns the summary line the CLI prints. */
export async function runOnPolicy(args: OnPolicyRunArgs): Promise<string> {
  let model: OnPolicyModel<OnPolicyAlgo>;
  let steps: number | undefined;
  if (args.resume) {
    model = (await load(args.runDir)) as OnPolicyModel<OnPolicyAlgo>;
    // --steps on resume is the new total (the schedules then anneal over it); learn() takes the steps to go.
    steps = Math.max(0, (args.steps ?? model.config.steps) - model.steps);
  } else {
    if (args.config === null) throw new Error('a new run needs a config');
    model = onPolicyModelFor(args.config, args.runDir);
  }
  try {
    const result = await model.learn({
      steps,
      progress: args.progress,
      signal: args.signal,
      engine: args.engine,
      callbacks: args.callbacks,
      // Status lines (evaluations, faults, the stop and its resume command) in every mode; the
      // per-update lines only where no bar is drawn (trainOnPolicy decides).
      log: args.log,
    });
    return runSummary(
      {
        stopped: result.stopped,
        steps: result.steps,
        seconds: result.seconds,
        episodes: result.episodes,
        meanReturn: result.meanRecentReturn,
        lastEval: result.lastEval,
      },
      args.runDir,
    );
  } finally {
    model.dispose();
  }
}
