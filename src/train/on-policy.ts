/**
 * An on-policy run (REINFORCE, A2C, PPO) with its run directory, the same way runDqn does it:
 * config.json, metrics.jsonl/.csv, a progress display, checkpoints every `checkpointInterval`,
 * at the end and on a graceful stop (an aborted `signal`), and resume from the last checkpoint.
 *
 * Entry point for the CLI: `trainOnPolicy(config, runDir, hooks)`.
 */

import { join } from 'node:path';
import type { OnPolicyAgent, UpdateStats } from '../../agents/on-policy-types.js';
import { makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import {
  disposeCheckpoint,
  readCheckpoint,
  readRunConfig,
  writeCheckpoint,
  writeRunConfig,
} from '../checkpoint/checkpoint.js';
import { checkingFile } from '../checkpoint/run-config.js';
import { abandonNewRunDir, claimNewRunDir, releaseClaim } from '../checkpoint/run-dir.js';
import type { Engine } from '../engine/select.js';
import { fixed } from '../util/fixed.js';
import { type Callback, CallbackList } from './callbacks.js';
import {
  describeEval,
  describeFault,
  describeStop,
  type MetricRecord,
  MetricsLogger,
  type MetricsPosition,
} from './metrics.js';
import { checkLoss, checkWeights, nonFiniteHint } from './non-finite.js';
import { hyperparamsOf, type OnPolicyRunConfig, validateOnPolicyRunConfig } from './on-policy-config.js';
import { makeOnPolicyEnvs, type OnPolicyEnvs } from './on-policy-envs.js';
import { OnPolicyLoop, type OnPolicyTrainRecord } from './on-policy-loop.js';
import type { EpisodeListener } from './on-policy-rollout.js';
import { createProgress, progressMode } from './progress.js';
import { makeRunView, saveAgentDir } from './run-view.js';
import { TfEventsWriter } from './tfevents.js';

export interface OnPolicyHooks {
  /** Continue the run in `runDir` from its checkpoint (then `config` may be null: it is read from config.json). */
  resume?: boolean;
  /** Status lines (start, checkpoints, stop) and one line per `train` record. */
  log?: (line: string) => void;
  /** Progress display on stderr; default `off`. */
  progress?: 'auto' | 'bar' | 'lines' | 'off';
  /** Called after every update. */
  onUpdate?: (u: { step: number; update: number; stats: UpdateStats }) => void;
  /** Called for every finished episode. */
  onEpisode?: EpisodeListener;
  /** Also receives every metrics record. */
  onRecord?: (record: MetricRecord | OnPolicyTrainRecord) => void;
  /** Record the first step at which the mean return of the last 100 episodes reaches this. */
  solvedThreshold?: number;
  /** Stop (with a checkpoint) as soon as `solvedThreshold` is reached. */
  stopWhenSolved?: boolean;
  /** Aborting it stops the run gracefully after the current iteration, with a checkpoint. */
  signal?: AbortSignal;
  /** Stop (as on a signal, with a checkpoint) once this many steps are done; for tests. */
  stopAtStep?: number;
  /** Training callbacks (src/train/callbacks.ts); one returning false stops the run gracefully. */
  callbacks?: readonly Callback[];
  /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
  engine?: Engine;
  /** Build the vector env yourself; default: makeOnPolicyEnvs(config). */
  makeEnvs?: (config: OnPolicyRunConfig) => OnPolicyEnvs | Promise<OnPolicyEnvs>;
}

export interface OnPolicyResult {
  runDir: string | null;
  /** Agent steps taken, summed over envs (including those before a resume). */
  steps: number;
  updates: number;
  episodes: number;
  /** Seconds of training (including those before a resume). */
  timeSeconds: number;
  /** Agent steps per second of wall time in this process. */
  sps: number;
  /** Mean return of the last 100 episodes at the end (NaN if none finished). */
  meanReturn100: number;
  /** The first step at which the 100-episode mean reached `hooks.solvedThreshold` (this process), or null. */
  solvedAtStep: number | null;
  /** The run stopped before its budget (signal, stopAtStep, stopWhenSolved). */
  stopped: boolean;
  /** The last update's statistics. */
  lastStats: UpdateStats | null;
  /** The last evaluation (greedy policy), if any ran. */
  lastEval: { meanReturn: number; stdReturn: number } | null;
  /** The trained agent; the caller disposes it (`agent.ac.dispose()`). */
  agent: OnPolicyAgent;
}

async function loadConfig(
  config: OnPolicyRunConfig | null,
  runDir: string | null,
  resume: boolean,
): Promise<OnPolicyRunConfig> {
  if (!resume) {
    if (config === null) throw new Error('trainOnPolicy: a new run needs a config');
    return validateOnPolicyRunConfig(config);
  }
  if (runDir === null) throw new Error('trainOnPolicy: resume needs the run directory');
  const { format: _format, ...saved } = await readRunConfig(runDir);
  // Old names are read, and fields added since the run was written take the shared defaults.
  const loaded = checkingFile(join(runDir, 'config.json'), () => validateOnPolicyRunConfig(saved));
  if (config !== null && config.steps !== loaded.steps) {
    // A longer budget is allowed: the schedules then anneal over the new total.
    loaded.steps = config.steps;
  }
  return loaded;
}

/**
 * Trains (or, with `hooks.resume`, continues) an on-policy agent.
 * @param runDir the run directory; `null` writes nothing (tests, quick scripts).
 */
export async function trainOnPolicy(
  configIn: OnPolicyRunConfig | null,
  runDir: string | null,
  hooks: OnPolicyHooks = {},
): Promise<OnPolicyResult> {
  const log = hooks.log ?? (() => {});
  const resume = hooks.resume === true;
  const config = await loadConfig(configIn, runDir, resume);
  // Refuse an existing run before anything is allocated (nothing a user has is overwritten).
  if (!resume && runDir !== null) await claimNewRunDir(runDir);
  const hint = nonFiniteHint(hyperparamsOf(config) as unknown as Record<string, unknown>);
  let envs: OnPolicyEnvs;
  try {
    envs = await (hooks.makeEnvs ?? makeOnPolicyEnvs)(config);
  } catch (err) {
    if (!resume && runDir !== null) await abandonNewRunDir(runDir);
    throw err;
  }
  let metrics: MetricsLogger | null = null;
  let tfevents: TfEventsWriter | null = null;
  let solvedAtStep: number | null = null;
  const barShown = progressMode(hooks.progress ?? 'off') === 'bar';
  const emit = (record: MetricRecord | OnPolicyTrainRecord): void => {
    metrics?.log(record as MetricRecord);
    tfevents?.log(record as MetricRecord);
    hooks.onRecord?.(record);
    if (record.kind === 'fault') log(describeFault(record));
    if (record.kind === 'eval') log(describeEval(record));
    // A line per update would scroll the bar away; with a bar, the bar shows the progress.
    if (record.kind === 'train' && !barShown) {
      const r = record as OnPolicyTrainRecord;
      log(
        `step ${r.step} | ${fixed(r.sps, 0)} sps | mean100 ${fixed(loop.meanRecentReturn(), 1)} | loss ${fixed(r.loss, 4)} ` +
          `ent ${fixed(r.entropy, 3)}${r.approxKl !== undefined ? ` kl ${fixed(r.approxKl, 4)}` : ''}`,
      );
    }
  };
  const onEpisode: EpisodeListener = (ep) => {
    if (solvedAtStep === null && hooks.solvedThreshold !== undefined && loop.recentReturns.length >= 100) {
      if (loop.meanRecentReturn() >= hooks.solvedThreshold) solvedAtStep = ep.step;
    }
    hooks.onEpisode?.(ep);
  };
  let loop: OnPolicyLoop;
  try {
    loop = new OnPolicyLoop(config, envs, emit, onEpisode, hooks.engine);
  } catch (e) {
    await envs.close();
    if (!resume && runDir !== null) await abandonNewRunDir(runDir);
    throw e;
  }
  const startStep = { step: 0, time: performance.now() };
  let lastEval: { meanReturn: number; stdReturn: number } | null = null;
  let stopped = false;
  const save = async (): Promise<void> => {
    if (runDir === null || metrics === null) return;
    const loopState = loop.getState();
    loopState.json.metrics = metrics.position();
    const agentState = loop.agent.getState();
    checkWeights(agentState, loop.step, hint);
    await writeCheckpoint(runDir, config.algo, loop.step, { agent: agentState, loop: loopState });
    await callbacks.checkpoint(loop.step);
  };
  const callbacks = new CallbackList(hooks.callbacks);
  try {
    if (resume && runDir !== null) {
      const loaded = await readCheckpoint(runDir, config.algo, { agent: loop.agent.getState().models });
      try {
        const { agent, loop: loopPart } = loaded.parts;
        if (!agent || !loopPart) throw new Error(`the checkpoint of ${runDir} has no 'agent' or 'loop' part`);
        loop.agent.setState(agent);
        const exact = await loop.setState(loopPart);
        if (!exact)
          log('resume: these envs cannot be saved; they start fresh episodes (not an exact resume)');
        metrics = new MetricsLogger(runDir, loopPart.json.metrics as MetricsPosition);
        tfevents = new TfEventsWriter(runDir);
      } finally {
        disposeCheckpoint(loaded);
      }
      log(`resumed ${runDir} at step ${loop.step}`);
    } else {
      if (runDir !== null) {
        await writeRunConfig(runDir, config as unknown as Record<string, unknown>);
        await releaseClaim(runDir);
        metrics = new MetricsLogger(runDir);
        tfevents = new TfEventsWriter(runDir);
        log(`run directory ${runDir}`);
      }
      await loop.start();
    }
    startStep.step = loop.step;
    startStep.time = performance.now();
    const ac = loop.agent.ac;
    await callbacks.start(
      makeRunView(
        {
          algo: config.algo,
          runDir: runDir ?? '',
          totalSteps: config.steps,
          seed: config.seed,
          step: () => loop.step,
          episodes: () => loop.episodes,
          meanRecentReturn: () => loop.meanRecentReturn(),
          // Greedy, as the loop's own evaluation (pixel envs stack their frames themselves).
          actor: {
            historyLength: 1,
            evalEpsilon: 0,
            act: (obs, count, _epsilon, rng, out) => {
              out.set(ac.act(obs, count, rng, true).actions);
              return out;
            },
          },
          // The env of the loop's own evaluation: whole games, raw rewards.
          makeEvalEnv: (seed) =>
            config.atari !== null
              ? makeAtari(config.env, { ...config.atari, terminalOnLifeLoss: false, clipReward: false }, seed)
              : createRegistry().make(config.env, config.envOptions, seed),
          frames: (step) => step * (config.atari !== null ? (config.atari.frameskip ?? 4) : 1),
          timeSeconds: () => loop.timeSeconds,
          emit: (record) => emit(record),
          saveAgent: async (dir) => {
            const agentState = loop.agent.getState();
            checkWeights(agentState, loop.step, hint);
            await saveAgentDir(dir, config.algo, config, loop.step, agentState);
          },
          checkpoint: save,
        },
        callbacks,
      ),
    );
    const progress = createProgress(config.steps, hooks.progress ?? 'off');
    const every = config.checkpointInterval;
    let lastYield = performance.now();
    try {
      while (loop.step < config.steps) {
        if (
          hooks.signal?.aborted ||
          callbacks.stopRequested ||
          (hooks.stopAtStep !== undefined && loop.step >= hooks.stopAtStep)
        ) {
          stopped = true;
          break;
        }
        const before = loop.step;
        const stats = await loop.iterate();
        checkLoss(stats.loss, loop.step, hint);
        hooks.onUpdate?.({ step: loop.step, update: loop.updates, stats });
        await callbacks.update({
          step: loop.step,
          updates: loop.updates,
          loss: stats.loss,
          stats: stats as unknown as Record<string, number | undefined>,
        });
        await callbacks.step(loop.step);
        const crossed = (interval: number): boolean =>
          interval > 0 &&
          Math.floor(loop.step / interval) > Math.floor(before / interval) &&
          loop.step < config.steps;
        if (config.evalEpisodes > 0 && crossed(config.evalInterval)) {
          const result = loop.evaluateNow();
          lastEval = result;
          await callbacks.eval(loop.step, result);
        }
        if (crossed(every)) await save();
        const seconds = (performance.now() - startStep.time) / 1000;
        progress.update({
          step: loop.step,
          sps: (loop.step - startStep.step) / seconds,
          epsilon: Number.NaN,
          meanReturn: loop.meanRecentReturn(),
        });
        if (hooks.stopWhenSolved && solvedAtStep !== null) {
          stopped = true;
          break;
        }
        if (performance.now() - lastYield > 200) {
          // The loop only awaits promises that are already settled (in-thread envs): let signals
          // (Ctrl-C, SIGTERM) and timers in a few times a second, or a stop is never noticed.
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
    } finally {
      progress.stop();
    }
    // A run resumed at its end (killed during its last save) does not evaluate a second time.
    if (!stopped && config.evalEpisodes > 0 && loop.step > startStep.step) {
      const result = loop.evaluateNow();
      lastEval = result;
      await callbacks.eval(loop.step, result);
    }
    await save();
    await callbacks.end(loop.step, stopped);
    if (runDir !== null) {
      log(
        stopped
          ? describeStop(loop.step, runDir)
          : `done: ${loop.step} steps; checkpoint in ${join(runDir, 'checkpoint')}`,
      );
    }
  } catch (e) {
    loop.agent.ac.dispose();
    throw e;
  } finally {
    await envs.close();
  }
  const seconds = (performance.now() - startStep.time) / 1000;
  return {
    runDir,
    steps: loop.step,
    updates: loop.updates,
    episodes: loop.episodes,
    timeSeconds: loop.timeSeconds,
    sps: (loop.step - startStep.step) / seconds,
    meanReturn100: loop.meanRecentReturn(),
    solvedAtStep,
    stopped,
    lastStats: loop.lastStats,
    lastEval: lastEval && { meanReturn: lastEval.meanReturn, stdReturn: lastEval.stdReturn },
    agent: loop.agent,
  };
}
