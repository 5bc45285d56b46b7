/**
 * The learner's state and its reaction to one stream message: insert the transitions into the
 * replay lanes (lanes.ts), log the actors' episodes, and train as the local loop does, by
 * crossings of the transitions consumed (`step`) over the config's intervals:
 *
 *   trainFrequency        → gradientSteps updates per crossing, after learningStarts
 *   targetUpdateInterval  → θ' ← τθ + (1 − τ)θ';   logInterval → a `train` metrics line
 *
 * Priorities: the actors' |δ| on insert, the learner's |δ| after each update (Ape-X).
 * ε is the actors' (Ape-X's fixed ε_i), so `train` lines carry no ε.
 */
import { DqnAgent } from '../../agents/dqn.js';
import { annealedSchedule, linearSchedule, type Schedule } from '../../agents/schedules.js';
import { ReplayBuffer } from '../../replay/replay-buffer.js';
import type { Engine } from '../engine/select.js';
import { type EnvSetup, setupEnv } from '../train/env-setup.js';
import { evaluate } from '../train/evaluate.js';
import type { MetricRecord } from '../train/metrics.js';
import { deriveSeeds, Rng, splitmix32 } from '../util/rng.js';
import type { StateBundle } from '../util/state-bundle.js';
import { LaneInserter } from './lanes.js';
import type { DistributedRunConfig } from './settings.js';
import { checkSegment, type ExperienceMessage, transitionsOf } from './wire.js';

/** What the learner counts per actor slot (in the checkpoint; the tests compare it with the stream). */
export interface ActorTally {
  messages: number;
  transitions: number;
  /** Distinct sessions (actor processes) seen on the slot. */
  sessions: number;
  lastSession: string;
  /** Weights versions the slot's messages were made with: first and latest. */
  firstWeightsVersion: number;
  lastWeightsVersion: number;
}

export class LearnerCore {
  readonly agent: DqnAgent;
  readonly replay: ReplayBuffer<'uint8' | 'float32'>;
  readonly lanes: LaneInserter;
  readonly setup: EnvSetup;
  /** Transitions consumed (the run's step count). */
  step = 0;
  updates = 0;
  episodes = 0;
  recentReturns: number[] = [];
  lastLoss = Number.NaN;
  lastMeanQ = Number.NaN;
  bestEvalReturn = Number.NEGATIVE_INFINITY;
  elapsedBefore = 0;
  /** Messages of another run id, or whose entry was trimmed before the learner read it. */
  dropped = 0;
  tallies: Record<string, ActorTally> = {};
  private sampleRng: Rng;
  private readonly learningRate: Schedule;
  private readonly priorityBeta: Schedule;
  private readonly startedAt = performance.now();
  private spsMark = { step: 0, time: performance.now() };

  constructor(
    readonly config: DistributedRunConfig,
    private readonly emit: (record: MetricRecord) => void,
    /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
    engine?: Engine,
  ) {
    const { dqn, numEnvs, seed } = config;
    this.setup = setupEnv(config.env, config.envOptions, config.frameSize, config.evalNoopMax);
    const [netSeed, , , sampleSeed] = deriveSeeds(seed, 4);
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
      sampler: {
        kind: 'prioritized',
        alpha: dqn.priorityAlpha,
        beta: dqn.priorityBeta,
        epsilon: dqn.priorityEpsilon,
      },
      layout: 'channels-last',
      checkContinuity: false,
    });
    this.lanes = new LaneInserter(this.replay, numEnvs);
    this.sampleRng = new Rng(sampleSeed);
    this.learningRate = annealedSchedule(dqn.learningRate, dqn.annealLr, config.steps);
    // PER's β, annealed to 1 over the run (Schaul et al. 2016).
    this.priorityBeta = linearSchedule(dqn.priorityBeta, 1, config.steps);
  }

  get timeSeconds(): number {
    return this.elapsedBefore + (performance.now() - this.startedAt) / 1000;
  }

  frames(step = this.step): number {
    return step * this.setup.frameskip;
  }

  meanRecentReturn(): number {
    const r = this.recentReturns;
    return r.length === 0 ? Number.NaN : r.reduce((a, b) => a + b, 0) / r.length;
  }

  /** Inserts one message and trains as its transitions call for; false if it was not for this run. */
  consume(message: ExperienceMessage, runId: string): boolean {
    const { distributed: d, dqn } = this.config;
    if (message.runId !== runId || !(message.actor >= 0 && message.actor < d.actors)) {
      this.dropped++;
      return false;
    }
    for (const s of message.segments) {
      checkSegment(s, this.replay.frameSize);
      if (!(s.env >= 0 && s.env < d.envsPerActor))
        throw new Error(`a message names env ${s.env} of ${d.envsPerActor}`);
    }
    const before = this.step;
    for (const s of message.segments) {
      this.lanes.insert(message.actor * d.envsPerActor + s.env, message.session, s);
    }
    const n = transitionsOf(message);
    this.step = before + n;
    this.tally(message, n);
    for (const e of message.episodes)
      this.logEpisode(message.actor * d.envsPerActor + e.env, e.return, e.length);
    const crossings = (interval: number) =>
      interval > 0 ? Math.floor(this.step / interval) - Math.floor(before / interval) : 0;
    if (this.step >= dqn.learningStarts) {
      for (let c = crossings(dqn.trainFrequency); c > 0; c--) this.train();
      if (crossings(dqn.targetUpdateInterval) > 0) this.agent.updateTarget();
    }
    if (crossings(this.config.logInterval) > 0 && !Number.isNaN(this.lastLoss)) this.logTrain();
    return true;
  }

  private tally(message: ExperienceMessage, n: number): void {
    const key = String(message.actor);
    const t = this.tallies[key] ?? {
      messages: 0,
      transitions: 0,
      sessions: 0,
      lastSession: '',
      firstWeightsVersion: message.weightsVersion,
      lastWeightsVersion: message.weightsVersion,
    };
    this.tallies[key] = t;
    t.messages++;
    t.transitions += n;
    if (t.lastSession !== message.session) t.sessions++;
    t.lastSession = message.session;
    t.lastWeightsVersion = message.weightsVersion;
  }

  private train(): void {
    const { dqn } = this.config;
    if (!this.replay.canSample(dqn.batchSize)) return;
    this.replay.setBeta(this.priorityBeta(this.step));
    this.agent.setLearningRate(this.learningRate(this.step));
    for (let g = 0; g < dqn.gradientSteps; g++) {
      const batch = this.replay.sample(dqn.batchSize, this.sampleRng);
      const result = this.agent.update(batch);
      this.replay.updatePriorities(batch.indices, result.tdErrors);
      this.lastLoss = result.loss;
      this.lastMeanQ = result.meanQ;
      this.updates++;
    }
  }

  private logEpisode(lane: number, ret: number, length: number): void {
    this.emit({
      kind: 'episode',
      step: this.step,
      frames: this.frames(),
      timeSeconds: this.timeSeconds,
      return: ret,
      length,
      envIndex: lane,
    });
    this.episodes++;
    this.recentReturns.push(ret);
    if (this.recentReturns.length > 100) this.recentReturns.shift();
  }

  /** Transitions per second since the previous call. */
  sps(): number {
    const now = performance.now();
    const sps = ((this.step - this.spsMark.step) * 1000) / Math.max(1e-9, now - this.spsMark.time);
    this.spsMark = { step: this.step, time: now };
    return sps;
  }

  private logTrain(): void {
    this.emit({
      kind: 'train',
      step: this.step,
      frames: this.frames(),
      timeSeconds: this.timeSeconds,
      loss: this.lastLoss,
      meanQ: this.lastMeanQ,
      sps: this.sps(),
    });
  }

  /** An evaluation as the local loop runs it (own env and RNG), logged. */
  evaluateNow(): { meanReturn: number; stdReturn: number } {
    const { config } = this;
    const seed = splitmix32(config.seed * 7919 + this.step);
    const env = this.setup.makeEval(seed);
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
    return { meanReturn: result.meanReturn, stdReturn: result.stdReturn };
  }

  getState(): StateBundle {
    return {
      json: {
        step: this.step,
        updates: this.updates,
        episodes: this.episodes,
        recentReturns: this.recentReturns,
        lastLoss: Number.isNaN(this.lastLoss) ? null : this.lastLoss,
        lastMeanQ: Number.isNaN(this.lastMeanQ) ? null : this.lastMeanQ,
        bestEvalReturn: Number.isFinite(this.bestEvalReturn) ? this.bestEvalReturn : null,
        timeSeconds: this.timeSeconds,
        sampleRng: this.sampleRng.getState(),
        dropped: this.dropped,
        tallies: this.tallies,
      },
      arrays: {},
      models: {},
    };
  }

  setState(state: StateBundle): void {
    const j = state.json as Record<string, never>;
    this.step = j.step;
    this.updates = j.updates;
    this.episodes = j.episodes;
    this.recentReturns = [...(j.recentReturns as number[])];
    this.lastLoss = j.lastLoss ?? Number.NaN;
    this.lastMeanQ = j.lastMeanQ ?? Number.NaN;
    this.bestEvalReturn = j.bestEvalReturn ?? Number.NEGATIVE_INFINITY;
    this.elapsedBefore = j.timeSeconds;
    this.sampleRng = Rng.fromState(j.sampleRng);
    this.dropped = j.dropped;
    this.tallies = structuredClone(j.tallies as Record<string, ActorTally>);
    this.spsMark = { step: this.step, time: performance.now() };
  }

  dispose(): void {
    this.agent.dispose();
  }
}
