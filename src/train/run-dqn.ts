/**
 * A DQN run with its run directory: config.json, metrics, progress, evaluations, checkpoints
 * every N steps, at the end and on a graceful stop (an aborted `signal`, e.g. Ctrl-C), and
 * resume from the last checkpoint.
 */
import { join } from 'node:path';
import {
  disposeCheckpoint,
  readCheckpoint,
  readRunConfig,
  writeCheckpoint,
  writeRunConfig,
} from '../checkpoint/checkpoint.js';
import { abandonNewRunDir, claimNewRunDir, releaseClaim } from '../checkpoint/run-dir.js';
import type { Engine } from '../engine/select.js';
import type { StateBundle } from '../util/state-bundle.js';
import { type Callback, CallbackList } from './callbacks.js';
import { DqnLoop, type RolloutOptions } from './dqn-loop.js';
import {
  describeEval,
  describeFault,
  describeStop,
  type MetricRecord,
  MetricsLogger,
  type MetricsPosition,
} from './metrics.js';
import { checkWeights, nonFiniteHint } from './non-finite.js';
import { createProgress } from './progress.js';
import { checkRunFits } from './run-fits.js';
import { makeRunView, saveAgentDir } from './run-view.js';
import { TfEventsWriter } from './tfevents.js';
import { type RunConfig, validateRunConfig } from './train-config.js';

export interface RunDqnOptions {
  /** The run directory, e.g. `checkpoints/<run-name>`. */
  runDir: string;
  /** The config of a new run; ignored (read from config.json) when resuming. */
  config?: RunConfig;
  /** Continue the run in `runDir` from its checkpoint. */
  resume?: boolean;
  /** Change the total steps of a resumed run (to train longer; the schedules stretch). */
  steps?: number;
  progress?: 'auto' | 'bar' | 'lines' | 'off';
  /** Status lines (start, checkpoints, stop). */
  log?: (line: string) => void;
  /** Aborting it stops the run gracefully: the loop finishes its step, saves, and returns. */
  signal?: AbortSignal;
  /** Stop (as on Ctrl-C, with a checkpoint) once this many steps are done; for tests. */
  stopAtStep?: number;
  /** Also receives every metrics record. */
  onRecord?: (record: MetricRecord) => void;
  /** Training callbacks (src/train/callbacks.ts); one returning false stops the run gracefully. */
  callbacks?: readonly Callback[];
  /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
  engine?: Engine;
  /** Worker-thread settings of the vector env (timeout, restarts; a test's fault injection). */
  rollout?: RolloutOptions;
}

export interface RunSummary {
  runDir: string;
  step: number;
  episodes: number;
  /** Mean return of the last 100 training episodes. */
  meanRecentReturn: number;
  lastEval: { meanReturn: number; stdReturn: number } | null;
  /** The run stopped before its step budget (signal or stopAtStep). */
  stopped: boolean;
  seconds: number;
}

export async function runDqn(options: RunDqnOptions): Promise<RunSummary> {
  const { runDir } = options;
  const log = options.log ?? (() => {});
  let config: RunConfig;
  if (options.resume) {
    const saved = await readRunConfig(runDir);
    if (saved.algo !== 'dqn') throw new Error(`${runDir} is a ${String(saved.algo)} run, not dqn`);
    const { format: _format, ...rest } = saved;
    config = validateRunConfig(rest as unknown as RunConfig);
    if (options.steps !== undefined && options.steps !== config.steps) {
      // Training longer: the schedules (ε, learning-rate decay) now span the new total, so the
      // run no longer matches one started with it; config.json records the new total.
      log(
        `resume: steps ${config.steps} → ${options.steps}; the ε and learning-rate schedules stretch to the new total`,
      );
      config = validateRunConfig({ ...config, steps: options.steps });
      await writeRunConfig(runDir, config as unknown as Record<string, unknown>);
    }
  } else {
    if (!options.config) throw new Error('runDqn: a new run needs a config');
    config = validateRunConfig(options.config);
    checkRunFits(config);
    // Refuse an existing run before anything is allocated (nothing a user has is overwritten).
    await claimNewRunDir(runDir);
  }
  if (config.steps <= config.dqn.learningStarts) {
    log(
      `warning: --steps ${config.steps} ends before learning starts (learningStarts ${config.dqn.learningStarts}): no gradient step will be taken`,
    );
  }

  let metrics: MetricsLogger | undefined;
  let tfevents: TfEventsWriter | undefined;
  const emit = (record: MetricRecord) => {
    metrics?.log(record);
    tfevents?.log(record);
    options.onRecord?.(record);
    if (record.kind === 'fault') log(describeFault(record));
    if (record.kind === 'eval') log(describeEval(record));
  };
  let loop: DqnLoop;
  try {
    loop = new DqnLoop(config, emit, options.engine, options.rollout);
  } catch (err) {
    if (!options.resume) await abandonNewRunDir(runDir);
    throw err;
  }
  try {
    await loop.start().catch(async (err: unknown) => {
      if (!options.resume) await abandonNewRunDir(runDir);
      throw err;
    });
    if (options.resume) {
      const loaded = await readCheckpoint(runDir, 'dqn', { agent: loop.agent.getState().models });
      try {
        const parts = loaded.parts;
        for (const why of loaded.skipped) log(`resume: passed over a newer checkpoint folder: ${why}`);
        for (const name of ['agent', 'loop']) {
          if (!parts[name])
            throw new Error(`the checkpoint of ${runDir} has no '${name}' part: it is not a DQN checkpoint`);
        }
        loop.agent.setState(parts.agent);
        if (parts.replay) loop.replay.setState(toReplayState(parts.replay));
        else log('resume: the checkpoint has no replay memory; it refills from now on (not an exact resume)');
        if (!parts.loop.arrays.envs && config.workers === 0) {
          throw new Error(
            `the checkpoint of ${runDir} has no env state (loop.envs) although its envs ran in this thread: it was edited or damaged`,
          );
        }
        if (!parts.loop.arrays.envs) log('resume: the envs ran in worker threads; they start new episodes');
        loop.setState(parts.loop);
        metrics = new MetricsLogger(runDir, parts.loop.json.metrics as MetricsPosition);
        tfevents = new TfEventsWriter(runDir);
      } finally {
        disposeCheckpoint(loaded);
      }
      log(`resumed ${runDir} at step ${loop.step}`);
    } else {
      await writeRunConfig(runDir, config as unknown as Record<string, unknown>);
      await releaseClaim(runDir);
      metrics = new MetricsLogger(runDir);
      tfevents = new TfEventsWriter(runDir);
      log(`run directory ${runDir}`);
    }

    const hint = nonFiniteHint(config.dqn as unknown as Record<string, unknown>);
    const save = async () => {
      const loopState = loop.getState();
      loopState.json.metrics = (metrics as MetricsLogger).position();
      const agentState = loop.agent.getState();
      checkWeights(agentState, loop.step, hint);
      const parts: Record<string, StateBundle> = { agent: agentState, loop: loopState };
      if (config.saveReplay) parts.replay = fromReplayState(loop.replay.getState());
      await writeCheckpoint(runDir, 'dqn', loop.step, parts);
      await callbacks.checkpoint(loop.step);
    };

    /**
     * The agent of the best evaluation so far goes to `<run>/best/` (a run directory of its own
     * with the agent only: `pixelrl eval <run>/best`), as SB3's EvalCallback keeps best_model.
     */
    const saveAgent = async (dir: string, extra: Record<string, unknown> = {}) => {
      const agentState = loop.agent.getState();
      checkWeights(agentState, loop.step, hint);
      await saveAgentDir(dir, 'dqn', config, loop.step, agentState, extra);
    };
    const callbacks = new CallbackList(options.callbacks);
    await callbacks.start(
      makeRunView(
        {
          algo: 'dqn',
          runDir,
          totalSteps: config.steps,
          seed: config.seed,
          step: () => loop.step,
          episodes: () => loop.episodes,
          meanRecentReturn: () => loop.meanRecentReturn(),
          actor: {
            historyLength: config.dqn.historyLength,
            evalEpsilon: config.evalEpsilon,
            act: (obs, count, epsilon, rng, out) => loop.agent.act(obs, count, epsilon, rng, out),
          },
          makeEvalEnv: (seed) => loop.setup.makeEval(seed),
          frames: (step) => loop.frames(step),
          timeSeconds: () => loop.timeSeconds,
          emit,
          saveAgent: (dir) => saveAgent(dir),
          checkpoint: save,
        },
        callbacks,
      ),
    );
    let bestReturn = Number(loop.bestEvalReturn);
    const keepBest = async (meanReturn: number) => {
      if (!(meanReturn > bestReturn)) return;
      bestReturn = meanReturn;
      loop.bestEvalReturn = meanReturn;
      await saveAgent(join(runDir, 'best'), { bestOf: runDir });
    };

    const progress = createProgress(config.steps, options.progress ?? 'auto');
    let lastEval: RunSummary['lastEval'] = null;
    let stopped = false;
    // A run resumed at its end (killed during its last save) does not evaluate a second time.
    const firstStep = loop.step;
    const crossed = (before: number, interval: number) =>
      interval > 0 && Math.floor(loop.step / interval) > Math.floor(before / interval);
    let spsMark = { step: loop.step, time: performance.now(), sps: 0 };
    let lastYield = performance.now();
    while (loop.step < config.steps) {
      if (
        options.signal?.aborted ||
        callbacks.stopRequested ||
        (options.stopAtStep !== undefined && loop.step >= options.stopAtStep)
      ) {
        stopped = true;
        break;
      }
      const before = loop.step;
      const updatesBefore = loop.updates;
      await loop.iterate();
      if (loop.updates > updatesBefore) {
        await callbacks.update({
          step: loop.step,
          updates: loop.updates,
          loss: loop.lastLoss,
          stats: { meanQ: loop.lastMeanQ, epsilon: loop.currentEpsilon() },
        });
      }
      await callbacks.step(loop.step);
      if (config.evalEpisodes > 0 && crossed(before, config.evalInterval) && loop.step < config.steps) {
        const result = loop.evaluateNow();
        lastEval = result;
        await keepBest(result.meanReturn);
        await callbacks.eval(loop.step, result);
      }
      if (crossed(before, config.checkpointInterval) && loop.step < config.steps) await save();
      const now = performance.now();
      if (now - lastYield > 200) {
        // The loop is synchronous: let signals (Ctrl-C) and timers in a few times a second.
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = performance.now();
      }
      if (now - spsMark.time > 1000) {
        spsMark = {
          step: loop.step,
          time: now,
          sps: ((loop.step - spsMark.step) * 1000) / (now - spsMark.time),
        };
      }
      progress.update({
        step: loop.step,
        sps: spsMark.sps,
        epsilon: loop.currentEpsilon(),
        meanReturn: loop.meanRecentReturn(),
      });
    }
    progress.stop();
    if (!stopped && config.evalEpisodes > 0 && loop.step > firstStep) {
      const result = loop.evaluateNow();
      lastEval = result;
      await keepBest(result.meanReturn);
      await callbacks.eval(loop.step, result);
    }
    await save();
    await callbacks.end(loop.step, stopped);
    log(
      stopped
        ? describeStop(loop.step, runDir)
        : `done: ${loop.step} steps; checkpoint in ${join(runDir, 'checkpoint')}`,
    );
    return {
      runDir,
      step: loop.step,
      episodes: loop.episodes,
      meanRecentReturn: loop.meanRecentReturn(),
      lastEval: lastEval && { meanReturn: lastEval.meanReturn, stdReturn: lastEval.stdReturn },
      stopped,
      seconds: loop.timeSeconds,
    };
  } finally {
    await loop.close();
  }
}

type ReplayState = ReturnType<DqnLoop['replay']['getState']>;

function fromReplayState(state: ReplayState): StateBundle {
  return {
    json: { config: state.config, store: state.store, sampler: state.sampler },
    arrays: state.arrays,
    models: {},
  };
}

function toReplayState(bundle: StateBundle): ReplayState {
  const j = bundle.json as Record<string, never>;
  return {
    config: j.config,
    store: j.store,
    sampler: j.sampler,
    arrays: bundle.arrays as ReplayState['arrays'],
  };
}
