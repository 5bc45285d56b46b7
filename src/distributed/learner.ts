/**
 * `runLearner`: the Ape-X learner of `pixelrl train --distributed`. It writes the run directory
 * a local DQN run writes (config.json, metrics.jsonl/.csv, checkpoint/, best/; plus
 * distributed.json), so
 * `pixelrl eval | play | plot | tsne` read it unchanged, and resumes from its checkpoint.
 *
 *   publish spec + weights v → loop: read stream entries → LearnerCore.consume (replay, updates)
 *     every publishInterval updates: publish weights v+1 (actors pull them)
 *     evalInterval / checkpointInterval crossings: evaluate / checkpoint, then XACK what it holds
 *   at the end: a last evaluation and checkpoint, XACK, spec status 'done' (actors stop)
 *
 * The Redis URL is an argument only: it goes into no file and no log line (redis.ts redacts it).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  disposeCheckpoint,
  readCheckpoint,
  readRunConfig,
  writeCheckpoint,
  writeRunConfig,
} from '../checkpoint/checkpoint.js';
import type { Engine } from '../engine/select.js';
import { type MetricRecord, MetricsLogger, type MetricsPosition } from '../train/metrics.js';
import { createProgress } from '../train/progress.js';
import type { RunSummary } from '../train/run-dqn.js';
import { type RunConfig, validateRunConfig } from '../train/train-config.js';
import type { StateBundle } from '../util/state-bundle.js';
import { LearnerCore } from './learner-core.js';
import { LearnerStream } from './learner-stream.js';
import { connectRedis, redactRedisUrl, runKeys } from './redis.js';
import { writeSpec } from './run-spec.js';
import {
  DISTRIBUTED_FILE,
  type DistributedRunConfig,
  isDistributedRun,
  plainRunConfig,
  readDistributedSettings,
  validateDistributedSettings,
  writeDistributedSettings,
} from './settings.js';
import { publishedVersion, publishWeights, weightsMessage } from './weights.js';
import { decodeMessage } from './wire.js';

export interface LearnerOptions {
  runDir: string;
  /** The config of a new run (see settings.ts makeDistributed); read from config.json on resume. */
  config?: DistributedRunConfig;
  resume?: boolean;
  /** A new total of steps for a resumed run. */
  steps?: number;
  redisUrl: string;
  /** The run's name in Redis (default: the run directory's name). */
  run?: string;
  progress?: 'auto' | 'bar' | 'lines' | 'off';
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Stop (with a checkpoint, as on Ctrl-C) once this many transitions are consumed; for tests. */
  stopAtStep?: number;
  onRecord?: (record: MetricRecord) => void;
  /** Called once the spec and the first weights are published. */
  onReady?: () => void;
  /** The engine the learner trains on (src/engine/select.ts); default: tfjs on the current backend. */
  engine?: Engine;
}

export interface LearnerSummary extends RunSummary {
  updates: number;
  weightsVersion: number;
}

/** Reads and checks the config.json and distributed.json of a distributed run. */
export async function readDistributedConfig(runDir: string): Promise<DistributedRunConfig> {
  if (!isDistributedRun(runDir))
    throw new Error(`${runDir} is not a distributed run (no ${DISTRIBUTED_FILE})`);
  const saved = await readRunConfig(runDir);
  if (saved.algo !== 'dqn') throw new Error(`${runDir} is a ${String(saved.algo)} run, not dqn`);
  const { format: _format, ...rest } = saved;
  const config = validateRunConfig(rest as unknown as RunConfig);
  return { ...config, distributed: await readDistributedSettings(runDir) };
}

export async function runLearner(options: LearnerOptions): Promise<LearnerSummary> {
  const { runDir } = options;
  const log = options.log ?? (() => {});
  let config: DistributedRunConfig;
  if (options.resume) {
    config = await readDistributedConfig(runDir);
    if (options.steps !== undefined && options.steps !== config.steps) {
      log(`resume: steps ${config.steps} → ${options.steps}`);
      config = { ...config, steps: options.steps };
      await writeRunConfig(runDir, plainRunConfig(config) as unknown as Record<string, unknown>);
    }
  } else {
    if (!options.config) throw new Error('runLearner: a new run needs a config');
    config = options.config;
    validateRunConfig(plainRunConfig(config));
    validateDistributedSettings(config.distributed);
  }
  const runName = options.run ?? basenameOf(runDir);
  const keys = runKeys(runName);
  let metrics: MetricsLogger | undefined;
  const core = new LearnerCore(
    config,
    (record) => {
      metrics?.log(record);
      options.onRecord?.(record);
    },
    options.engine,
  );
  const redis = connectRedis(options.redisUrl, { log, name: 'pixelrl-learner' });
  try {
    let runId: string = randomUUID();
    let lastEntryId = '0-0';
    let version = 0;
    if (options.resume) {
      const loaded = await readCheckpoint(runDir, 'dqn');
      try {
        const { agent, loop, lanes, replay } = loaded.parts;
        if (!agent || !loop || !lanes)
          throw new Error(`the checkpoint of ${runDir} is not a distributed learner's`);
        core.agent.setState(agent);
        if (replay) {
          core.replay.setState(toReplayState(replay));
          core.lanes.setState(lanes);
        } else log('resume: the checkpoint has no replay memory; it refills from now on');
        core.setState(loop);
        runId = String(loop.json.runId);
        lastEntryId = String(loop.json.lastEntryId);
        version = Number(loop.json.weightsVersion);
        metrics = new MetricsLogger(runDir, loop.json.metrics as MetricsPosition);
      } finally {
        disposeCheckpoint(loaded);
      }
      log(`resumed ${runDir} at step ${core.step}`);
    } else {
      await writeRunConfig(runDir, plainRunConfig(config) as unknown as Record<string, unknown>);
      await writeDistributedSettings(runDir, config.distributed);
      metrics = new MetricsLogger(runDir);
      // A new run under an old name: the old run's stream and weights are not this run's.
      await redis.del(keys.stream, keys.progress, keys.weights, keys.weightsVersion);
      log(`run directory ${runDir}`);
    }
    const publish = async () => {
      version = Math.max(version, await publishedVersion(redis, keys)) + 1;
      await publishWeights(redis, keys, weightsMessage(core.agent, runId, version, core.updates));
    };
    const announce = async () => {
      await writeSpec(redis, keys, { runId, status: 'running', config });
      await publish();
    };
    const stream = new LearnerStream(redis, keys, lastEntryId, async () => {
      log('redis: the consumer group was gone (a restarted Redis?); made it again, republished the run');
      await announce();
    });
    await stream.ensureGroup(options.resume ? '0' : '$');
    await announce();
    log(`learner of run ${runName} on ${redactRedisUrl(options.redisUrl)}: waiting for actors`);
    options.onReady?.();

    const save = async () => {
      const loop = core.getState();
      loop.json.metrics = (metrics as MetricsLogger).position();
      loop.json.runId = runId;
      loop.json.lastEntryId = stream.lastInserted;
      loop.json.weightsVersion = version;
      const parts: Record<string, StateBundle> = {
        agent: core.agent.getState(),
        loop,
        lanes: core.lanes.getState(),
      };
      if (config.saveReplay) parts.replay = fromReplayState(core.replay.getState());
      await writeCheckpoint(runDir, 'dqn', core.step, parts);
      await stream.ackAll();
    };
    let bestReturn = core.bestEvalReturn;
    const keepBest = async (meanReturn: number) => {
      if (!(meanReturn > bestReturn)) return;
      bestReturn = meanReturn;
      core.bestEvalReturn = meanReturn;
      const bestDir = join(runDir, 'best');
      await writeRunConfig(bestDir, {
        ...(plainRunConfig(config) as unknown as Record<string, unknown>),
        bestOf: runDir,
      });
      await writeCheckpoint(bestDir, 'dqn', core.step, { agent: core.agent.getState() });
    };

    const progress = createProgress(config.steps, options.progress ?? 'auto');
    let lastEval: RunSummary['lastEval'] = null;
    let stopped = false;
    let publishedAt = core.updates;
    let spsMark = { step: core.step, time: performance.now(), sps: 0 };
    const crossed = (before: number, interval: number) =>
      interval > 0 && Math.floor(core.step / interval) > Math.floor(before / interval);
    const stopNow = () =>
      options.signal?.aborted === true ||
      (options.stopAtStep !== undefined && core.step >= options.stopAtStep);
    while (core.step < config.steps && !stopped) {
      if (stopNow()) {
        stopped = true;
        break;
      }
      const entries = await stream.read(16, 100);
      const readUpTo: Record<string, string> = {};
      for (const entry of entries) {
        if (core.step >= config.steps || stopNow()) break;
        const before = core.step;
        const message = entry.data && decodeMessage(entry.data, entry.compressed);
        if (message?.kind === 'experience') {
          core.consume(message, runId);
          readUpTo[String(message.actor)] = `${message.session}:${message.seq}`;
        } else core.dropped++;
        stream.inserted(entry.id);
        if (core.updates - publishedAt >= config.distributed.publishInterval) {
          await publish();
          publishedAt = core.updates;
        }
        if (config.evalEpisodes > 0 && crossed(before, config.evalInterval) && core.step < config.steps) {
          lastEval = core.evaluateNow();
          await keepBest(lastEval.meanReturn);
        }
        if (crossed(before, config.checkpointInterval) && core.step < config.steps) await save();
      }
      if (Object.keys(readUpTo).length > 0) await redis.hset(keys.progress, readUpTo);
      const now = performance.now();
      if (now - spsMark.time > 1000) {
        spsMark = {
          step: core.step,
          time: now,
          sps: ((core.step - spsMark.step) * 1000) / (now - spsMark.time),
        };
      }
      progress.update({
        step: core.step,
        sps: spsMark.sps,
        epsilon: Number.NaN,
        meanReturn: core.meanRecentReturn(),
      });
    }
    progress.stop();
    if (!stopped && config.evalEpisodes > 0) {
      lastEval = core.evaluateNow();
      await keepBest(lastEval.meanReturn);
    }
    await save();
    if (!stopped) {
      await publish();
      await writeSpec(redis, keys, { runId, status: 'done', config });
    }
    log(
      stopped
        ? `stopped at step ${core.step}; checkpoint saved, continue with: pixelrl train --resume ${runDir} --distributed --redis URL`
        : `done: ${core.step} transitions, ${core.updates} updates; checkpoint in ${join(runDir, 'checkpoint')}`,
    );
    return {
      runDir,
      step: core.step,
      episodes: core.episodes,
      meanRecentReturn: core.meanRecentReturn(),
      lastEval,
      stopped,
      seconds: core.timeSeconds,
      updates: core.updates,
      weightsVersion: version,
    };
  } finally {
    redis.disconnect();
    core.dispose();
  }
}

function basenameOf(dir: string): string {
  const parts = dir.replace(/\/+$/, '').split('/');
  return parts[parts.length - 1];
}

type ReplayState = ReturnType<LearnerCore['replay']['getState']>;

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
