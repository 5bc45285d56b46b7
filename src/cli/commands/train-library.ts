/**
 * The flags of `pixelrl train` that reach into the training API: `--env-module` (custom envs,
 * checked with checkEnv first), `--record-every` / `--video-format` (episodes as videos into
 * `<run>/videos/`), and the DQN run itself as a user of the `DQN` model class.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Engine } from '../../engine/select.js';
import { DQN } from '../../train/api/dqn.js';
import { prepareEnvModule } from '../../train/api/env-module.js';
import type { Callback } from '../../train/callbacks.js';
import type { RolloutOptions } from '../../train/dqn-loop.js';
import type { RunConfig } from '../../train/train-config.js';
import { type VideoFormat, VideoRecorderCallback } from '../../train/video-callback.js';
import { runSummary } from './run-summary.js';

export interface LibraryFlags {
  env?: string;
  workers?: number;
  envModule?: string;
  recordEvery?: number;
  videoFormat?: VideoFormat;
}

export function addLibraryFlags(cmd: Command): void {
  cmd
    .option('--env-module <file>', 'a JS/TS module that registers custom envs (then pick one with --env)')
    .option(
      '--record-every <n>',
      'save an evaluation episode as a video every N steps into <run>/videos/',
      (v) => {
        const n = Number(v);
        if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < 1) {
          throw new InvalidArgumentError('--record-every must be an integer >= 1');
        }
        return n;
      },
    )
    .addOption(
      new Option('--video-format <format>', 'video format of --record-every (mp4 needs ffmpeg)')
        .choices(['gif', 'apng', 'mp4'])
        .default('gif'),
    );
}

/** Imports and checks `--env-module` (before any config is built). Throws a one-line Error. */
export async function prepareLibraryFlags(flags: LibraryFlags): Promise<void> {
  if (flags.envModule !== undefined) await prepareEnvModule(flags.envModule, flags.env, flags.workers ?? 0);
}

/** The callbacks the flags ask for. */
export function trainingCallbacks(flags: LibraryFlags): Callback[] {
  if (flags.recordEvery === undefined) return [];
  return [new VideoRecorderCallback({ everySteps: flags.recordEvery, format: flags.videoFormat ?? 'gif' })];
}

export interface DqnRunArgs {
  /** The new run's config; undefined on resume. */
  config: RunConfig | undefined;
  runDir: string;
  resume: boolean;
  /** On resume: the new total budget (the CLI's --steps). */
  steps?: number;
  progress: 'auto' | 'bar' | 'lines' | 'off';
  log: (line: string) => void;
  signal: AbortSignal;
  engine?: Engine;
  callbacks: Callback[];
  /** Worker-thread settings (the hidden --test-faults flag). */
  rollout?: RolloutOptions;
}

/** Trains (or resumes) a DQN run through the `DQN` model and returns the summary line. */
export async function runDqnModel(args: DqnRunArgs): Promise<string> {
  const { runDir, progress, log, signal, engine, callbacks } = args;
  let model: DQN;
  let steps: number | undefined;
  if (args.resume) {
    model = await DQN.load(runDir);
    // --steps on resume is the new total; learn() takes the steps still to go.
    steps = Math.max(0, (args.steps ?? model.config.steps) - model.steps);
  } else {
    if (!args.config) throw new Error('a new run needs a config');
    model = new DQN(args.config.env, { ...args.config, runDir });
  }
  try {
    const r = await model.learn({ steps, callbacks, signal, progress, log, engine, rollout: args.rollout });
    return runSummary(
      {
        stopped: r.stopped,
        steps: r.steps,
        seconds: r.seconds,
        episodes: r.episodes,
        meanReturn: r.meanRecentReturn,
        lastEval: r.lastEval,
      },
      runDir,
    );
  } finally {
    model.dispose();
  }
}
