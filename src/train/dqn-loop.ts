/**
 * The DQN training loop (Mnih et al. 2015, Algorithm 1, with CleanRL's / SB3's step counting):
 *
 *   every iteration, all N envs take one step:
 *     a = random before learningStarts, else ε-greedy(Q(stack)), ε = linear schedule(step)
 *     store (frame, a, r, terminated, truncated, nextFrame) per env in the replay
 *   step += N; then, by crossings of step over multiples of:
 *     trainFrequency        → gradientSteps updates on sampled batches (after learningStarts)
 *     targetUpdateInterval  → θ' ← τθ + (1 − τ)θ'
 *     logInterval           → a `train` metrics line;  evalInterval → an evaluation
 *     checkpointInterval    → a checkpoint
 *
 * Everything that changes lives in this object and in its agent, replay and envs, and all of it
 * goes into the checkpoint, so a resumed run continues step for step (same seed, cpu backend).
 */
import { Packr } from 'msgpackr';
import { DqnAgent } from '../../agents/dqn.js';
import { FrameStacks } from '../../agents/frame-stacks.js';
import { annealedSchedule, linearSchedule, type Schedule } from '../../agents/schedules.js';
import { ReplayBuffer } from '../../replay/replay-buffer.js';
import type { TrainRecord } from '../checkpoint/metric-records.js';
import type { Engine } from '../engine/select.js';
import type { EnvRecipe } from '../rollout/env-recipe.js';
import type { FaultInjection } from '../rollout/fault-injection.js';
import { SyncVecEnv, type SyncVecEnvState } from '../rollout/sync-vec-env.js';
import { ThreadedVecEnv } from '../rollout/threaded-vec-env.js';
import type { VecEnvFault, VecStepResult } from '../rollout/vec-env.js';
import { deriveSeeds, Rng, splitmix32 } from '../util/rng.js';
import type { StateBundle } from '../util/state-bundle.js';
import { type EnvSetup, setupEnv } from './env-setup.js';
import { type EpisodeEnd, EpisodeTracker, faultsIn } from './episode-tracker.js';
import { type EvaluationResult, evaluate } from './evaluate.js';
import { LapTimer } from './lap-timer.js';
import { faultRecord, type MetricRecord } from './metrics.js';
import { checkLoss, nonFiniteHint } from './non-finite.js';
import { type RunConfig, workerTimeoutOf } from './train-config.js';

type Frames = Uint8Array | Float32Array;

/** Milliseconds spent in each part of training (for the benchmark's breakdown). */
export interface Timing {
  env: number;
  replay: number;
  /** Acting: the forward passes that choose actions. */
  forward: number;
  /** Updates: target computation, forward + backward, optimizer. */
  backward: number;
  evaluation: number;
}

/** How the loop runs its envs' worker threads (ThreadedVecEnv's settings). */
export interface RolloutOptions {
  /** Restarts allowed per worker before training stops with an error. Default 10. */
  maxRestarts?: number;
  /** Test only: envs that fail on purpose (src/rollout/fault-injection.ts). */
  fault?: FaultInjection | FaultInjection[];
}

const packr = new Packr({ moreTypes: true });

export class DqnLoop {
  readonly agent: DqnAgent;
  readonly replay: ReplayBuffer<'uint8' | 'float32'>;
  /**
   * The vector env: a SyncVecEnv (in process; its state goes into checkpoints) or a ThreadedVecEnv
   * (worker threads; its envs restart their episodes on resume). Made in `start` when threaded.
   */
  envs!: SyncVecEnv<Frames> | ThreadedVecEnv<Frames>;
  private readonly envSeed: number;
  readonly setup: EnvSetup;
  /** What the vector env builds: the setup's recipe (plus a test's fault injection). */
  private readonly recipe: EnvRecipe;
  readonly timing: Timing = { env: 0, replay: 0, forward: 0, backward: 0, evaluation: 0 };
  /** Agent steps taken, summed over envs. */
  step = 0;
  episodes = 0;
  /** Updates (calls of `train` that took gradient steps) in this process. */
  updates = 0;
  /** Returns of the last 100 episodes (oldest first). */
  recentReturns: number[] = [];
  lastLoss = Number.NaN;
  lastMeanQ = Number.NaN;
  /** Mean return of the best evaluation so far (-Infinity before the first). */
  bestEvalReturn = Number.NEGATIVE_INFINITY;
  /** Seconds of training before this process (from a checkpoint). */
  elapsedBefore = 0;
  private readonly epsilon: Schedule;
  private readonly learningRate: Schedule;
  private readonly priorityBeta: Schedule;
  private readonly history: FrameStacks;
  private readonly stack: Float32Array;
  private readonly actions: Int32Array;
  private lastFrames: Frames;
  /** Each env's running episode (return, length) and when it is reported. */
  private readonly tracker: EpisodeTracker;
  /** Faults of the first reset, logged (at its step) when the loop first iterates: the logs open after `start`. */
  private pendingFaults: VecEnvFault[] = [];
  private readonly lap: LapTimer<keyof Timing>;
  private actRng: Rng;
  private sampleRng: Rng;
  private readonly startedAt = performance.now();
  private spsMark = { step: 0, time: performance.now() };

  constructor(
    readonly config: RunConfig,
    /** Receives every metrics record. */
    private readonly emit: (record: MetricRecord) => void = () => {},
    /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
    engine?: Engine,
    private readonly rollout: RolloutOptions = {},
  ) {
    const { dqn, numEnvs, seed } = config;
    this.setup = setupEnv(config.env, config.envOptions, config.frameSize, config.evalNoopMax);
    this.recipe = rollout.fault ? { ...this.setup.recipe, fault: rollout.fault } : this.setup.recipe;
    const [netSeed, envSeed, actSeed, sampleSeed] = deriveSeeds(seed, 4);
    const frameSize = this.setup.frameShape.reduce((a, b) => a * b, 1);
    const inputShape =
      this.setup.frameShape.length === 1 && dqn.historyLength === 1
        ? [frameSize]
        : [...this.setup.frameShape, dqn.historyLength];
    this.agent = new DqnAgent(dqn, { inputShape, numActions: this.setup.numActions, seed: netSeed, engine });
    this.replay = new ReplayBuffer<'uint8' | 'float32'>({
      capacity: dqn.bufferSize,
      numEnvs,
      frameShape: this.setup.frameShape,
      frameDtype: this.setup.frameDtype,
      historyLength: dqn.historyLength,
      nStep: dqn.nStep,
      gamma: dqn.gamma,
      sampler: dqn.prioritized
        ? {
            kind: 'prioritized',
            alpha: dqn.priorityAlpha,
            beta: dqn.priorityBeta,
            epsilon: dqn.priorityEpsilon,
          }
        : { kind: 'uniform' },
      layout: 'channels-last',
      checkContinuity: false,
    });
    if (config.workers === 0) {
      // Env i is built from the recipe and seeded with
      // deriveSeeds(envSeed, numEnvs)[i], as ThreadedVecEnv's env i is.
      this.envs = new SyncVecEnv<Frames>({ recipe: this.recipe, numEnvs, seed: envSeed });
    }
    this.envSeed = envSeed;
    this.epsilon = linearSchedule(dqn.epsilonStart, dqn.epsilonEnd, dqn.explorationFraction * config.steps);
    this.learningRate = annealedSchedule(dqn.learningRate, dqn.annealLr, config.steps);
    // PER's β, annealed to 1 over the run (Schaul et al. 2016).
    this.priorityBeta = linearSchedule(dqn.priorityBeta, 1, config.steps);
    this.history = new FrameStacks(numEnvs, frameSize, dqn.historyLength);
    this.stack = new Float32Array(numEnvs * this.history.stackSize);
    this.actions = new Int32Array(numEnvs);
    this.tracker = new EpisodeTracker(numEnvs, this.setup.gameEpisodesFromInfo);
    this.lap = new LapTimer(this.timing);
    this.actRng = new Rng(actSeed);
    this.sampleRng = new Rng(sampleSeed);
    this.lastFrames = new Float32Array(0);
  }

  /** Resets the envs (call once, before `iterate`). */
  async start(): Promise<void> {
    const { config } = this;
    if (config.workers > 0) {
      const { maxRestarts } = this.rollout;
      this.envs = await ThreadedVecEnv.create<Frames>({
        recipe: this.recipe,
        numEnvs: config.numEnvs,
        numWorkers: config.workers,
        seed: this.envSeed,
        stepTimeoutMs: workerTimeoutOf(config) * 1000,
        ...(maxRestarts !== undefined ? { maxRestarts } : {}),
      });
    }
    const { obs, infos } = await this.envs.reset();
    this.pendingFaults = faultsIn(infos);
    this.lastFrames = obs.slice() as Frames;
    for (let i = 0; i < this.config.numEnvs; i++) this.history.push(i, this.frameOf(obs, i));
  }

  /** Emulator frames for `steps` agent steps. */
  frames(steps = this.step): number {
    return steps * this.setup.frameskip;
  }

  /** Seconds of training, this process and before. */
  get timeSeconds(): number {
    return this.elapsedBefore + (performance.now() - this.startedAt) / 1000;
  }

  currentEpsilon(): number {
    return this.epsilon(this.step);
  }

  /** Mean of the last 100 episode returns (NaN before the first episode). */
  meanRecentReturn(): number {
    const r = this.recentReturns;
    return r.length === 0 ? Number.NaN : r.reduce((a, b) => a + b, 0) / r.length;
  }

  private frameOf(obs: Frames | Float64Array, i: number): Frames {
    const size = this.history.frameSize;
    return obs.subarray(i * size, (i + 1) * size) as Frames;
  }

  /** One step of every env, then whatever updates, syncs and logs the step count calls for. */
  async iterate(): Promise<void> {
    const { dqn, numEnvs } = this.config;
    const before = this.step;
    const epsilon = this.epsilon(before);
    for (const fault of this.pendingFaults.splice(0)) this.logFault(fault);
    this.lap.start();
    if (before < dqn.learningStarts) {
      for (let i = 0; i < numEnvs; i++) this.actions[i] = this.actRng.int(this.setup.numActions);
    } else {
      this.agent.act(this.history.stackAll(this.stack), numEnvs, epsilon, this.actRng, this.actions);
    }
    this.lap.lap('forward');
    const r = await this.envs.step(this.actions).catch((e: unknown): never => {
      throw new Error(`the envs failed at step ${before}: ${(e as Error).message}`);
    });
    this.lap.lap('env');
    this.step = before + numEnvs;
    this.record(r);
    this.lap.lap('replay');
    const crossed = (interval: number) =>
      interval > 0 && Math.floor(this.step / interval) > Math.floor(before / interval);
    if (this.step >= dqn.learningStarts && crossed(dqn.trainFrequency)) this.train();
    if (this.step >= dqn.learningStarts && crossed(dqn.targetUpdateInterval)) this.agent.updateTarget();
    if (crossed(this.config.logInterval) && !Number.isNaN(this.lastLoss)) this.logTrain(epsilon);
  }

  /**
   * Stores each env's transition in the replay, logs the faults and the episodes that ended (at
   * `this.step`), and moves the frame stacks on.
   */
  private record(r: VecStepResult<Frames>): void {
    const { dqn, numEnvs } = this.config;
    for (const fault of faultsIn(r.infos)) this.logFault(fault);
    for (let i = 0; i < numEnvs; i++) {
      const terminated = r.terminated[i] === 1;
      const truncated = r.truncated[i] === 1;
      const ended = terminated || truncated;
      const obs = this.frameOf(r.obs, i);
      const raw = r.rewards[i];
      this.replay.add(i, {
        frame: this.frameOf(this.lastFrames, i),
        action: this.actions[i],
        reward: dqn.clipRewards ? Math.sign(raw) : raw,
        terminated,
        truncated,
        nextFrame: (ended ? r.infos[i].finalObs : obs) as Frames,
      });
      const episode = this.tracker.add(i, raw, ended, r.infos[i]);
      if (episode) this.logEpisode(episode);
      if (ended) this.history.reset(i);
      this.history.push(i, obs);
    }
    this.lastFrames.set(r.obs);
  }

  private logEpisode(ep: EpisodeEnd): void {
    this.emit({
      kind: 'episode',
      step: this.step,
      frames: this.frames(),
      timeSeconds: this.timeSeconds,
      return: ep.return,
      length: ep.length,
      envIndex: ep.envIndex,
      ...(ep.fault ? { truncated: true } : {}),
    });
    this.episodes++;
    this.recentReturns.push(ep.return);
    if (this.recentReturns.length > 100) this.recentReturns.shift();
  }

  private logFault(fault: VecEnvFault): void {
    this.emit(faultRecord(fault, this.step, this.frames(), this.timeSeconds));
  }

  private train(): void {
    const { dqn } = this.config;
    if (!this.replay.canSample(dqn.batchSize)) return;
    if (dqn.prioritized) {
      this.replay.setBeta(this.priorityBeta(this.step));
    }
    this.agent.setLearningRate(this.learningRate(this.step));
    this.updates++;
    for (let g = 0; g < dqn.gradientSteps; g++) {
      this.lap.start();
      const batch = this.replay.sample(dqn.batchSize, this.sampleRng);
      this.lap.lap('replay');
      const result = this.agent.update(batch);
      this.lap.lap('backward');
      checkLoss(result.loss, this.step, nonFiniteHint(dqn as unknown as Record<string, unknown>));
      if (dqn.prioritized) this.replay.updatePriorities(batch.indices, result.tdErrors);
      this.lastLoss = result.loss;
      this.lastMeanQ = result.meanQ;
    }
  }

  /** Steps per second since the previous call. */
  sps(): number {
    const now = performance.now();
    const sps = ((this.step - this.spsMark.step) * 1000) / Math.max(1e-9, now - this.spsMark.time);
    this.spsMark = { step: this.step, time: now };
    return sps;
  }

  private logTrain(epsilon: number): void {
    const record: TrainRecord & { learningRate: number } = {
      kind: 'train',
      step: this.step,
      frames: this.frames(),
      timeSeconds: this.timeSeconds,
      loss: this.lastLoss,
      meanQ: this.lastMeanQ,
      epsilon,
      sps: this.sps(),
      learningRate: this.learningRate(this.step),
    };
    this.emit(record);
  }

  /** Runs an evaluation (own RNG and env; the training streams are untouched) and logs it. */
  evaluateNow(): EvaluationResult {
    this.lap.start();
    const { config } = this;
    const seed = splitmix32(config.seed * 7919 + this.step);
    const env = this.setup.makeEval(seed);
    // makeAtari's envs play their own no-op starts (up to 30); the others get none.
    const result = evaluate({
      agent: this.agent,
      env,
      episodes: config.evalEpisodes,
      epsilon: config.evalEpsilon,
      historyLength: config.dqn.historyLength,
      rng: new Rng(seed),
      seed,
    });
    env.close();
    this.emit({
      kind: 'eval',
      step: this.step,
      frames: this.frames(),
      timeSeconds: this.timeSeconds,
      meanReturn: result.meanReturn,
      stdReturn: result.stdReturn,
      episodes: config.evalEpisodes,
    });
    this.lap.lap('evaluation');
    return result;
  }

  /** The loop's own state (counters, RNGs, envs, frame histories) as a checkpoint part. */
  getState(): StateBundle {
    return {
      json: {
        step: this.step,
        episodes: this.episodes,
        recentReturns: this.recentReturns,
        lastLoss: this.lastLoss,
        lastMeanQ: this.lastMeanQ,
        bestEvalReturn: Number.isFinite(this.bestEvalReturn) ? this.bestEvalReturn : null,
        timeSeconds: this.timeSeconds,
        actRng: this.actRng.getState(),
        sampleRng: this.sampleRng.getState(),
        episodeReturn: Array.from(this.tracker.returns),
        episodeLength: Array.from(this.tracker.lengths),
      },
      arrays: {
        history: this.history.getState(),
        lastFrames: this.lastFrames.slice(),
        ...(this.envs instanceof SyncVecEnv ? { envs: packr.pack(this.envs.getState()) } : {}),
      },
      models: {},
    };
  }

  setState(state: StateBundle): void {
    const j = state.json as Record<string, never>;
    this.step = j.step;
    this.episodes = j.episodes;
    this.recentReturns = [...(j.recentReturns as number[])];
    this.lastLoss = j.lastLoss ?? Number.NaN;
    this.lastMeanQ = j.lastMeanQ ?? Number.NaN;
    this.bestEvalReturn = j.bestEvalReturn ?? Number.NEGATIVE_INFINITY;
    this.elapsedBefore = j.timeSeconds;
    this.actRng = Rng.fromState(j.actRng);
    this.sampleRng = Rng.fromState(j.sampleRng);
    this.tracker.returns.set(j.episodeReturn as number[]);
    this.tracker.lengths.set(j.episodeLength as number[]);
    if (state.arrays.envs && this.envs instanceof SyncVecEnv) {
      this.envs.setState(packr.unpack(state.arrays.envs as Uint8Array) as SyncVecEnvState);
      this.history.setState(state.arrays.history);
      this.lastFrames.set(state.arrays.lastFrames);
    } else {
      // Envs in worker threads keep no state across runs: they start new episodes.
      this.tracker.clear();
    }
    this.spsMark = { step: this.step, time: performance.now() };
  }

  async close(): Promise<void> {
    await this.envs.close();
    this.agent.dispose();
  }
}
