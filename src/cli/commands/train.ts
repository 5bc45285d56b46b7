/**
 * `pixelrl train`: trains DQN on a registered env and writes a run directory under checkpoints/.
 *
 * Settings come, lowest priority first, from: the preset (`classic` for vector envs, `atari` for
 * pixel games, or --preset), a --config JSON file, then flags. The DQN flags are generated from
 * `DQN_FIELDS` (agents/dqn-config.ts), so a hyperparameter is defined in one place.
 * Bad arguments → a one-line message and exit code 2 (commander errors, via the program).
 */
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DQN_FIELDS, DQN_PRESETS, type DqnConfig, type DqnPresetName } from '../../../agents/dqn-config.js';
import { BACKEND_NAMES, type BackendName, initBackend } from '../../backend/select.js';
import { moveRunAside, RunDirInUseError, runDirInUse } from '../../checkpoint/run-dir.js';
import type { Device } from '../../engine/ort/session.js';
import { createEngine, type Engine } from '../../engine/select.js';
import type { EngineName } from '../../engine/types.js';
import { type DqnSettings, dqnRunConfig } from '../../train/api/configs.js';
import type { RolloutOptions } from '../../train/dqn-loop.js';
import { upgradeRunConfig } from '../../train/legacy-config.js';
import { NonFiniteError } from '../../train/non-finite.js';
import { checkRunFits } from '../../train/run-fits.js';
import { RUN_DEFAULTS, RUN_KEYS, type RunConfig } from '../../train/train-config.js';
import { addEngineFlags, intArg, kebab, runDirOf } from './cli-args.js';
import { readConfigFile } from './config-file.js';
import { dashboardOption, startTrainDashboard } from './dashboard.js';
import { withTunedEntry } from './hyperparams.js';
import { addDistributedFlags, distributedJob, wantsDistributed } from './train-distributed.js';
import {
  addLibraryFlags,
  type LibraryFlags,
  prepareLibraryFlags,
  runDqnModel,
  trainingCallbacks,
} from './train-library.js';
import {
  isOnPolicyAlgo,
  onPolicyConfigFromFlags,
  onPolicyFieldTable,
  runAlgo,
  runOnPolicy,
} from './train-on-policy.js';

/** Every algorithm `pixelrl train --algo` knows. */
export const ALGOS = ['dqn', 'reinforce', 'a2c', 'ppo'] as const;

function numberArg(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

/** The hidden --test-faults flag's value: a JSON object of RolloutOptions. */
function parseRolloutOptions(v: string): RolloutOptions {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch (e) {
    throw new InvalidArgumentError(`not JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError('expected a JSON object such as {"fault": {...}, "maxRestarts": 1}');
  }
  return parsed as RolloutOptions;
}

/** `<env>-<algo>-s<seed>-<YYYYMMDD-HHMMSS>-<4 hex>`: unique to the second, plus a random suffix. */
export function defaultRunName(env: string, algo: string, seed: number, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${env}-${algo}-s${seed}-${stamp}-${randomBytes(2).toString('hex')}`;
}

interface TrainFlags extends LibraryFlags {
  env?: string;
  algo: string;
  steps?: number;
  preset?: DqnPresetName | 'cleanrl';
  seed?: number;
  envs?: number;
  workers?: number;
  workerTimeout?: number;
  backend?: BackendName;
  engine?: EngineName | 'auto';
  device?: Device;
  threads?: number;
  runName?: string;
  resume?: string;
  overwrite?: boolean;
  config?: string;
  /** A hyperparams file whose entry for the env the run starts from (`none`: no entry). */
  hyperparams?: string;
  evalInterval?: number;
  evalEpisodes?: number;
  checkpointInterval?: number;
  saveReplay?: boolean;
  frameSize?: number;
  progress: 'auto' | 'bar' | 'lines' | 'off';
  testFaults?: RolloutOptions;
  dashboard?: number | boolean;
  distributed?: boolean | number;
  redis?: string;
  localActors?: number;
  [dqnField: string]: unknown;
}

/**
 * Builds the run config from flags (exported for tests). Throws an Error with a clear message.
 * `log` gets the line that says which tuned entry (hyperparams/dqn.json) the run starts from.
 */
export function configFromFlags(flags: TrainFlags, log?: (line: string) => void): RunConfig {
  const read = flags.config ? readConfigFile(flags.config, 'run settings and a "dqn" object') : {};
  const settings = withTunedEntry(flags, 'dqn', read, RUN_DEFAULTS.env, (c) => upgradeRunConfig(c, 'dqn'));
  const file = settings.file;
  if (settings.note) log?.(settings.note);
  for (const key of Object.keys(file)) {
    if (!RUN_KEYS.includes(key) || key === 'bestOf') {
      throw new Error(
        `${settings.source}: unknown setting '${key}'; valid settings are: ${RUN_KEYS.filter((k) => k !== 'bestOf' && k !== 'format').join(', ')}`,
      );
    }
  }
  const {
    dqn: fileDqn,
    format: _format,
    ...fileRun
  } = file as {
    dqn?: Partial<DqnConfig>;
    format?: unknown;
    env?: string;
    steps?: number;
  };
  const env = flags.env ?? fileRun.env ?? RUN_DEFAULTS.env;
  if (flags.preset === 'cleanrl') throw new Error('--preset cleanrl is for --algo reinforce | a2c | ppo');
  const dqn: Record<string, unknown> = { ...fileDqn };
  for (const key of Object.keys(DQN_FIELDS)) if (flags[key] !== undefined) dqn[key] = flags[key];
  const { env: _env, algo: _algo, ...run } = fileRun as Record<string, unknown>;
  const set = (key: keyof RunConfig, value: unknown) => {
    if (value !== undefined) run[key] = value;
  };
  set('steps', flags.steps);
  set('seed', flags.seed);
  set('numEnvs', flags.envs);
  set('workers', flags.workers);
  set('workerTimeout', flags.workerTimeout);
  set('evalInterval', flags.evalInterval);
  set('evalEpisodes', flags.evalEpisodes);
  set('checkpointInterval', flags.checkpointInterval);
  set('saveReplay', flags.saveReplay);
  set('frameSize', flags.frameSize);
  // The library's defaults (presets, CPU-sized pixel settings, classic budgets): one definition.
  const config = dqnRunConfig(env, {
    ...(run as DqnSettings),
    dqn: dqn as Partial<DqnConfig>,
    preset: flags.preset as DqnPresetName | undefined,
  });
  checkRunFits(config);
  return config;
}

export function trainCommand(): Command {
  const cmd = new Command('train')
    .description(
      'train an agent (DQN, REINFORCE, A2C, PPO); writes checkpoints/<run-name>/ (config, metrics, checkpoint)',
    )
    .option('--env <id>', `env id (see pixelrl envs); default ${RUN_DEFAULTS.env}`)
    .addOption(new Option('--algo <name>', 'algorithm').choices([...ALGOS]).default('dqn'))
    .option('--steps <n>', 'agent steps to train for (summed over envs)', intArg('--steps', 1))
    .addOption(
      new Option('--preset <name>', 'hyperparameter preset (cleanrl: on-policy algos only)').choices([
        ...Object.keys(DQN_PRESETS),
        'cleanrl',
      ]),
    )
    .option('--seed <n>', 'random seed', intArg('--seed', 0))
    .option('--envs <n>', 'envs stepped together', intArg('--envs', 1))
    .option('--workers <n>', 'worker threads for the envs (0 = main thread)', intArg('--workers', 0))
    .option(
      '--worker-timeout <seconds>',
      'seconds a worker thread may take for one step before it is restarted (default 30)',
      intArg('--worker-timeout', 1),
    )
    .addOption(
      new Option('--backend <name>', 'tfjs backend (default: best available)').choices([...BACKEND_NAMES]),
    );
  addEngineFlags(cmd, 'training engine');
  cmd
    .option('--run-name <name>', 'run directory name under checkpoints/')
    .option('--resume <run>', 'continue a stopped run (name under checkpoints/ or a path)')
    .option(
      '--overwrite',
      'start a new run under an existing --run-name: the old run is moved to <name>.backup-<time>, not deleted',
    )
    .option(
      '--config <file>',
      'JSON file of run settings, with the hyperparameters in an object named after --algo ("dqn", "ppo", …)',
    )
    .option(
      '--hyperparams <file>',
      "per-game tuned settings to start from (default: the package's hyperparams/<algo>.json unless --preset; none = no entry)",
    )
    .option('--eval-interval <n>', 'steps between evaluations', intArg('--eval-interval', 0))
    .option('--eval-episodes <n>', 'episodes per evaluation', intArg('--eval-episodes', 0))
    .option('--checkpoint-interval <n>', 'steps between checkpoints', intArg('--checkpoint-interval', 0))
    .option(
      '--frame-size <n>',
      'side of the square φ frame of pixel games (84 = DQN paper)',
      intArg('--frame-size', 8),
    )
    .option('--no-save-replay', 'leave the replay memory out of checkpoints (smaller; resume not exact)')
    .addOption(
      new Option('--progress <mode>', 'progress display')
        .choices(['auto', 'bar', 'lines', 'off'])
        .default('auto'),
    )
    .addOption(dashboardOption())
    .addOption(
      // Test only (not in --help): worker faults on purpose, so the CLI's fault path can be tested.
      new Option('--test-faults <json>', 'test only: RolloutOptions as JSON (src/train/dqn-loop.ts)')
        .hideHelp()
        .argParser(parseRolloutOptions),
    );
  addDistributedFlags(cmd);
  addLibraryFlags(cmd);
  addFieldFlags(cmd, Object.entries(DQN_FIELDS), '');
  // Hyperparameters of the on-policy algos that DQN has no flag for.
  const onPolicyOnly = Object.entries(onPolicyFieldTable()).filter(([key]) => !(key in DQN_FIELDS));
  addFieldFlags(cmd, onPolicyOnly, ' (on-policy)');
  // Booleans with a --no- form default to undefined so the preset decides.
  for (const key of [...Object.keys(DQN_FIELDS), ...onPolicyOnly.map(([key]) => key)]) {
    cmd.setOptionValueWithSource(key, undefined, 'default');
  }
  cmd.setOptionValueWithSource('saveReplay', undefined, 'default');

  cmd.action(async (flags: TrainFlags) => {
    // Which tuned entry the run starts from: said once the run is set to start.
    const notes: string[] = [];
    const note = (line: string) => notes.push(line);
    if (flags.resume && (flags.config || flags.env || flags.preset || flags.hyperparams)) {
      cmd.error(
        '--resume continues a run with its saved config: do not combine it with --env, --preset, --config or --hyperparams',
        {
          exitCode: 2,
        },
      );
    }
    if (flags.resume && flags.overwrite) {
      cmd.error('error: --overwrite starts a new run; it does not go with --resume', { exitCode: 2 });
    }
    try {
      await prepareLibraryFlags(flags);
    } catch (err) {
      cmd.error(`error: ${(err as Error).message}`, { exitCode: 2 });
    }
    if (wantsDistributed(flags)) {
      const job = distributedJob(flags, () => configFromFlags(flags, note));
      await runTraining(
        cmd,
        flags,
        { ...job, defaultName: (c) => defaultRunName(c.env, 'dqn', c.seed) },
        notes,
      );
      return;
    }
    const algo = flags.resume ? (runAlgo(runDirOf(flags.resume)) ?? 'dqn') : flags.algo;
    const resume = flags.resume !== undefined;
    const steps = resume ? flags.steps : undefined;
    if (isOnPolicyAlgo(algo)) {
      await runTraining(
        cmd,
        flags,
        {
          config: () => {
            return onPolicyConfigFromFlags({ ...flags, algo }, Object.keys(DQN_FIELDS), note);
          },
          defaultName: (config) => defaultRunName(config.env, algo, config.seed),
          run: ({ config, runDir, log, signal, engine }) => {
            if (!resume) log(`run directory ${runDir}`);
            const { progress } = flags;
            return runOnPolicy({
              config: config ?? null,
              runDir,
              resume,
              steps,
              progress,
              log,
              signal,
              engine,
              callbacks: trainingCallbacks(flags),
            });
          },
        },
        notes,
      );
      return;
    }
    await runTraining(
      cmd,
      flags,
      {
        config: () => {
          const stray = onPolicyOnly.find(([key]) => flags[key] !== undefined);
          if (stray)
            throw new Error(`--${kebab(stray[0])} is an on-policy setting; --algo dqn does not use it`);
          return configFromFlags(flags, note);
        },
        defaultName: (config) => defaultRunName(config.env, 'dqn', config.seed),
        run: async ({ config, runDir, log, signal, engine }) => {
          const callbacks = trainingCallbacks(flags);
          return runDqnModel({
            config,
            runDir,
            resume,
            steps,
            progress: flags.progress,
            log,
            signal,
            engine,
            callbacks,
            ...(flags.testFaults ? { rollout: flags.testFaults } : {}),
          });
        },
      },
      notes,
    );
  });
  return cmd;
}

/** What differs between training DQN and an on-policy algo; {@link runTraining} does the rest. */
interface TrainJob<C> {
  /** The new run's config from the flags; throws an Error that is a user's mistake. Not on --resume. */
  config(): C;
  /** The run directory's name when --run-name is not given. */
  defaultName(config: C): string;
  /** Trains (or resumes, with `config` undefined); resolves with the summary for stdout. */
  run(args: {
    config: C | undefined;
    runDir: string;
    log: (line: string) => void;
    signal: AbortSignal;
    engine: Engine;
  }): Promise<string>;
}

/**
 * The shared flow of `pixelrl train`: config from flags (a mistake → exit code 2), backend, run
 * directory, the run with Ctrl-C as a graceful stop, a failed resume → exit code 2, the summary.
 */
async function runTraining<C>(
  cmd: Command,
  flags: TrainFlags,
  job: TrainJob<C>,
  notes: readonly string[] = [],
): Promise<void> {
  const fail = (message: string): never => cmd.error(`error: ${message}`, { exitCode: 2 });
  let config: C | undefined;
  if (!flags.resume) {
    try {
      config = job.config();
    } catch (err) {
      fail((err as Error).message);
    }
  }
  // On a terminal, clear the progress bar's line first so that a message is never mixed into it.
  const log = (line: string) => process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${line}\n`);
  const runDir = runDirOf(flags.resume ?? flags.runName ?? job.defaultName(config as C));
  if (!flags.resume && (await runDirInUse(runDir)) && !flags.overwrite) {
    fail(new RunDirInUseError(runDir).message);
  }
  for (const line of notes) log(line);
  let engine: Engine;
  try {
    engine = createEngine({ engine: flags.engine, device: flags.device, threads: flags.threads });
  } catch (err) {
    return fail((err as Error).message);
  }
  log(`engine: ${engine.reason}${engine.skipped.map((s) => `; skipped ${s}`).join('')}`);
  const threads = engine.name === 'tfjs' ? flags.threads : 1;
  await initBackend({ backend: flags.backend, threads, log }).catch((err: Error) => fail(err.message));
  if (!flags.resume && flags.overwrite && (await runDirInUse(runDir))) {
    log(`--overwrite: moved the old run to ${await moveRunAside(runDir)}`);
  }
  const dashboard = await startTrainDashboard(runDir, flags.dashboard, log, fail);
  await withGracefulStop(log, async (signal) => {
    const summary = await job.run({ config, runDir, log, signal, engine }).catch((err: Error): never => {
      if (err instanceof NonFiniteError) throw err;
      // Another process took the name between the check above and the run's claim.
      if (err instanceof RunDirInUseError) fail(err.message);
      if (flags.resume) fail(`cannot resume ${runDir}: ${err.message}`);
      throw err;
    });
    process.stdout.write(summary);
  }).finally(() => dashboard?.close());
}

/**
 * Runs `train` with Ctrl-C (SIGINT) or SIGTERM as a graceful stop: the first aborts `signal` (the
 * loop finishes its step and saves a checkpoint), and the saved stop exits 0 like a finished run;
 * a second signal quits at once (128 + its number, as a shell reports a kill).
 */
async function withGracefulStop(
  log: (line: string) => void,
  train: (signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(name === 'SIGTERM' ? 143 : 130);
    log(`stopping (${name}): finishing this step and saving a checkpoint (Ctrl-C again to quit at once)`);
    controller.abort();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, onSignal);
  try {
    await train(controller.signal);
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}

/** One flag per config field (booleans get a --no- form), parsed by the field's kind. */
function addFieldFlags(
  cmd: Command,
  fields: readonly (readonly [string, { kind: string; help: string; off?: string }])[],
  helpSuffix: string,
): void {
  for (const [key, field] of fields) {
    const flag = `--${kebab(key)}`;
    const help = `${field.help}${helpSuffix}`;
    if (field.kind === 'boolean') {
      cmd.option(flag, help);
      cmd.option(`--no-${kebab(key)}`, `${field.off ?? `turn off: ${field.help}`}${helpSuffix}`);
    } else if (field.kind === 'int') {
      cmd.option(`${flag} <n>`, help, intArg(flag, 0));
    } else if (field.kind === 'string' || field.kind === 'optimizer' || field.kind === 'loss') {
      cmd.option(`${flag} <value>`, help);
    } else {
      cmd.option(`${flag} <x>`, help, numberArg);
    }
  }
}
