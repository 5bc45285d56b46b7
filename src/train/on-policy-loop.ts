/**
 * The on-policy training loop shared by REINFORCE, A2C and PPO, one iteration at a time:
 *
 *     batch ← collect(policy)      (A2C/PPO: T × N rollout with GAE; REINFORCE: whole episodes)
 *     set lr (and PPO's clip range) from the loop's schedules at the steps before the batch
 *     stats ← agent.update(batch)
 *     emit a `train` record every logEveryUpdates updates, an `episode` record per episode
 *
 * Everything that changes lives in this object, its agent, collector and envs, and all of it goes
 * into the checkpoint (taken between iterations), so a resumed run with in-thread envs continues
 * step for step. Random streams: deriveSeeds(config.seed) → weights, acting, PPO shuffles; env i
 * is seeded with deriveSeeds(config.seed, N)[i] by the vector env.
 */
import { Packr } from 'msgpackr';
import { A2CAgent } from '../../agents/a2c.js';
import type { OnPolicyAgent, UpdateStats } from '../../agents/on-policy-types.js';
import { PPOAgent } from '../../agents/ppo.js';
import { annealedSchedule, type Schedule } from '../../agents/schedules.js';
import { makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import type { Engine } from '../engine/select.js';
import { deriveSeeds, Rng, type RngState, splitmix32 } from '../util/rng.js';
import type { StateBundle } from '../util/state-bundle.js';
import { type EvaluationResult, evaluate, type GreedyActor } from './evaluate.js';
import { faultRecord, type MetricRecord } from './metrics.js';
import { hyperparamsOf, type OnPolicyRunConfig } from './on-policy-config.js';
import type { OnPolicyEnvs } from './on-policy-envs.js';
import { EpisodeCollector } from './on-policy-episodes.js';
import {
  type CollectorState,
  type EpisodeListener,
  type FaultListener,
  RolloutCollector,
} from './on-policy-rollout.js';

const packr = new Packr({ moreTypes: true });

/** Builds the agent named by `config.algo`, with the hyperparameters nested under that name. */
export function makeOnPolicyAgent(
  config: OnPolicyRunConfig,
  inputShape: number[],
  numActions: number,
  rng: Rng,
  engine?: Engine,
): OnPolicyAgent {
  switch (config.algo) {
    case 'reinforce': // the same step, with Monte-Carlo advantages (see agents/a2c.ts)
      return new A2CAgent(config.reinforce, inputShape, numActions, rng, engine);
    case 'a2c':
      return new A2CAgent(config.a2c, inputShape, numActions, rng, engine);
    case 'ppo':
      return new PPOAgent(config.ppo, inputShape, numActions, rng, engine);
  }
}

/** A `train` record with the algorithm's extras (policyLoss, approxKl, …) next to the fixed fields. */
export type OnPolicyTrainRecord = Extract<MetricRecord, { kind: 'train' }> & UpdateStats;

export class OnPolicyLoop {
  readonly agent: OnPolicyAgent;
  readonly collector: RolloutCollector | EpisodeCollector;
  updates = 0;
  episodes = 0;
  /** Returns of the last 100 episodes (oldest first). */
  recentReturns: number[] = [];
  /** Seconds of training before this process (from a checkpoint). */
  elapsedBefore = 0;
  /** The last update's statistics. */
  lastStats: UpdateStats | null = null;
  private readonly actRng: Rng;
  private readonly startedAt = performance.now();
  private readonly framesPerStep: number;
  /** The schedules this loop owns, by agent step: the learning rate, and PPO's clip range. */
  private readonly learningRate: Schedule;
  private readonly clipRange: Schedule | null;

  constructor(
    readonly config: OnPolicyRunConfig,
    readonly envs: OnPolicyEnvs,
    /** Receives every metrics record. */
    private readonly emit: (record: MetricRecord | OnPolicyTrainRecord) => void = () => {},
    /** Also told of every finished episode. */
    onEpisode?: EpisodeListener,
    /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
    engine?: Engine,
  ) {
    if (envs.numEnvs !== config.numEnvs) {
      throw new Error(`the vector env has ${envs.numEnvs} envs but config.numEnvs is ${config.numEnvs}`);
    }
    const [netSeed, actSeed, shuffleSeed] = deriveSeeds(config.seed, 3);
    this.actRng = new Rng(actSeed);
    const agentRng = config.algo === 'ppo' ? new Rng(shuffleSeed) : new Rng(netSeed);
    this.agent = makeOnPolicyAgent(config, [...envs.obsShape], envs.singleActionSpace.n, agentRng, engine);
    const h = this.agent.config;
    this.learningRate = annealedSchedule(h.learningRate, h.annealLr, config.steps);
    this.clipRange =
      this.agent instanceof PPOAgent
        ? annealedSchedule(this.agent.config.clipCoef, this.agent.config.annealClip, config.steps)
        : null;
    this.framesPerStep =
      config.atari !== null ? (config.atari.frameskip ?? 4) : Number(config.envOptions.frameskip ?? 1);
    const listener: EpisodeListener = (ep) => {
      this.episodes++;
      this.recentReturns.push(ep.return);
      if (this.recentReturns.length > 100) this.recentReturns.shift();
      this.emit({
        kind: 'episode',
        step: ep.step,
        frames: ep.step * this.framesPerStep,
        timeSeconds: this.timeSeconds,
        return: ep.return,
        length: ep.length,
        envIndex: ep.envIndex,
        ...(ep.truncated ? { truncated: true } : {}),
      });
      onEpisode?.(ep);
    };
    const onFault: FaultListener = (fault, step) =>
      this.emit(faultRecord(fault, step, step * this.framesPerStep, this.timeSeconds));
    const common = {
      envs,
      ac: this.agent.ac,
      gamma: hyperparamsOf(config).gamma,
      rng: this.actRng,
      onEpisode: listener,
      onFault,
      envReportsEpisodes: config.atari !== null,
    };
    this.collector =
      config.algo === 'reinforce'
        ? new EpisodeCollector({ ...common, episodesPerUpdate: config.reinforce.episodesPerUpdate })
        : new RolloutCollector({
            ...common,
            ...rolloutLength(config.algo === 'a2c' ? config.a2c : config.ppo),
          });
  }

  /** Agent steps so far, summed over envs. */
  get step(): number {
    return this.collector.step;
  }

  get timeSeconds(): number {
    return this.elapsedBefore + (performance.now() - this.startedAt) / 1000;
  }

  /** Mean return of the last 100 episodes (NaN before the first). */
  meanRecentReturn(): number {
    const r = this.recentReturns;
    return r.length === 0 ? Number.NaN : r.reduce((a, b) => a + b, 0) / r.length;
  }

  /** Resets the envs; call once before the first iteration of a fresh run. */
  async start(): Promise<void> {
    await this.collector.start(this.config.seed);
  }

  /** One collect + update. */
  async iterate(): Promise<UpdateStats> {
    const step = this.step;
    const batch = await this.collector.collect();
    this.agent.setLearningRate(this.learningRate(step));
    if (this.clipRange !== null) (this.agent as PPOAgent).setClipRange(this.clipRange(step));
    const stats = this.agent.update(batch);
    this.updates++;
    this.lastStats = stats;
    if (this.updates % this.config.logEveryUpdates === 0) {
      const t = this.timeSeconds;
      this.emit({
        kind: 'train',
        step: this.step,
        frames: this.step * this.framesPerStep,
        timeSeconds: t,
        sps: this.step / t,
        ...stats,
      });
    }
    return stats;
  }

  /**
   * Plays `config.evalEpisodes` full episodes with the greedy policy in a fresh env and emits an
   * `eval` record. Its own Rng and env: the training streams are not touched.
   */
  evaluateNow(): EvaluationResult {
    const c = this.config;
    const seed = splitmix32(c.seed ^ this.step);
    const env =
      c.atari !== null
        ? makeAtari(c.env, { ...c.atari, terminalOnLifeLoss: false, clipReward: false }, seed)
        : createRegistry().make(c.env, c.envOptions, seed);
    const ac = this.agent.ac;
    const greedy: GreedyActor = {
      act: (obs, count, _epsilon, rng, out) => {
        out.set(ac.act(obs, count, rng, true).actions);
        return out;
      },
    };
    try {
      const result = evaluate({
        agent: greedy,
        env,
        episodes: c.evalEpisodes,
        epsilon: 0,
        historyLength: 1,
        rng: new Rng(seed),
        seed,
      });
      this.emit({
        kind: 'eval',
        step: this.step,
        frames: this.step * this.framesPerStep,
        timeSeconds: this.timeSeconds,
        meanReturn: result.meanReturn,
        stdReturn: result.stdReturn,
        episodes: c.evalEpisodes,
      });
      return result;
    } finally {
      env.close();
    }
  }

  /** The loop's own state (counters, RNG, collector, envs when they can be saved). */
  getState(): StateBundle {
    const arrays: StateBundle['arrays'] = { collector: packr.pack(this.collector.getState()) };
    if (this.envs.getState) arrays.envs = packr.pack(this.envs.getState());
    return {
      json: {
        updates: this.updates,
        episodes: this.episodes,
        recentReturns: this.recentReturns,
        timeSeconds: this.timeSeconds,
        actRng: this.actRng.getState(),
      },
      arrays,
      models: {},
    };
  }

  /**
   * Restores a state taken by {@link getState}. Returns false when the envs could not be restored
   * (threaded envs, a checkpoint without them, or env states that no longer fit the env stack):
   * they were reset to fresh episodes instead.
   */
  async setState(state: StateBundle): Promise<boolean> {
    const j = state.json;
    this.updates = Number(j.updates);
    this.episodes = Number(j.episodes);
    this.recentReturns = [...(j.recentReturns as number[])];
    this.elapsedBefore = Number(j.timeSeconds);
    this.actRng.setState(j.actRng as RngState);
    const collector = packr.unpack(state.arrays.collector as Uint8Array) as CollectorState;
    const envState = state.arrays.envs;
    if (this.envs.setState && envState instanceof Uint8Array) {
      try {
        this.envs.setState(packr.unpack(envState) as never);
        this.collector.setState(collector);
        return true;
      } catch {
        // The env stack changed since the checkpoint (or cannot be restored): start fresh
        // episodes below rather than refuse to resume the agent.
      }
    }
    // Fresh episodes from a seed that depends on where the run stopped, keeping the step count.
    await this.collector.start(this.config.seed + collector.step);
    this.collector.step = collector.step;
    return false;
  }
}

/** What the rollout collector takes from A2C's or PPO's hyperparameters. */
function rolloutLength(h: { numSteps: number; gaeLambda: number }): { numSteps: number; gaeLambda: number } {
  return { numSteps: h.numSteps, gaeLambda: h.gaeLambda };
}
