/**
 * The on-policy side of `pixelrl train` (`--algo reinforce | a2c | ppo`): builds the algorithm's
 * config from its preset, a --config file and the flags, in that order, and runs
 * `trainOnPolicy` (src/train/on-policy.ts). The hyperparameter flags come from ON_POLICY_FIELDS
 * (agents/pg-config.ts), so each is defined once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ON_POLICY_ALGOS,
  ON_POLICY_FIELDS,
  type OnPolicyAlgo,
  type OnPolicyConfig,
} from '../../../agents/pg-config.js';
import { onPolicyPreset, PPO_PIXEL_CPU_OVERRIDES, type PresetKind } from '../../../agents/pg-presets.js';
import { createRegistry } from '../../../envs/registry.js';
import type { Engine } from '../../engine/select.js';
import { load } from '../../train/api/load.js';
import { type OnPolicyModel, onPolicyModelFor } from '../../train/api/on-policy.js';
import type { Callback } from '../../train/callbacks.js';
import { RUN_DEFAULTS } from '../../train/train-config.js';
import { kebab } from './cli-args.js';
import { readConfigFile } from './config-file.js';
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
  config?: string;
  evalInterval?: number;
  evalEpisodes?: number;
  checkpointInterval?: number;
  [field: string]: unknown;
}

export function isOnPolicyAlgo(algo: string): algo is OnPolicyAlgo {
  return (ON_POLICY_ALGOS as readonly string[]).includes(algo);
}

/** Every on-policy hyperparameter field, over the three algorithms (for the flag list). */
export function onPolicyFieldTable(): Record<string, { kind: string; help: string }> {
  return Object.assign({}, ...ON_POLICY_ALGOS.map((a) => ON_POLICY_FIELDS[a]));
}

/**
 * The run's config from flags. Throws an Error with a clear message on a bad combination.
 * `dqnOnlyFields`: flags that only DQN reads; giving one with an on-policy algo is an error.
 */
export function onPolicyConfigFromFlags(
  flags: OnPolicyFlags,
  dqnOnlyFields: readonly string[],
): OnPolicyConfig {
  const algo = flags.algo;
  if (!isOnPolicyAlgo(algo)) throw new Error(`--algo ${algo} is not one of ${ON_POLICY_ALGOS.join(', ')}`);
  const file = flags.config ? readConfigFile(flags.config, `${algo} config fields`) : {};
  const env = flags.env ?? (file.env as string | undefined) ?? RUN_DEFAULTS.env;
  const kind = createRegistry().spec(env).kind;
  const presetName = (flags.preset ?? (kind === 'atari' ? 'atari' : 'classic')) as PresetKind;
  const config = onPolicyPreset(algo, presetName) as OnPolicyConfig & Record<string, unknown>;
  config.env = env;
  config.envOptions = {};
  if (kind === 'atari') {
    config.atari = config.atari ?? {};
    // Without a preset, PPO on a pixel game gets the CPU-sized settings its acceptance run used.
    if (flags.preset === undefined && algo === 'ppo')
      Object.assign(config, structuredClone(PPO_PIXEL_CPU_OVERRIDES));
  } else {
    config.atari = null;
  }
  Object.assign(config, file, { algo, env });
  for (const key of dqnOnlyFields) {
    if (flags[key] !== undefined && !(key in ON_POLICY_FIELDS[algo])) {
      throw new Error(`--${kebab(key)} is a DQN setting; --algo ${algo} does not use it`);
    }
  }
  for (const key of Object.keys(onPolicyFieldTable())) {
    if (flags[key] === undefined) continue;
    if (!(key in ON_POLICY_FIELDS[algo]))
      throw new Error(`--${kebab(key)} is not a setting of --algo ${algo}`);
    config[key] = flags[key];
  }
  const set = (key: string, value: unknown) => {
    if (value !== undefined) config[key] = value;
  };
  set('seed', flags.seed);
  set('totalSteps', flags.steps);
  set('numEnvs', flags.envs);
  set('workers', flags.workers);
  set('evalEverySteps', flags.evalInterval);
  set('evalEpisodes', flags.evalEpisodes);
  set('checkpointEverySteps', flags.checkpointInterval);
  return config;
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
  config: OnPolicyConfig | null;
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
    steps = Math.max(0, (args.steps ?? model.config.totalSteps) - model.steps);
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
      log: args.progress === 'lines' ? args.log : undefined,
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
