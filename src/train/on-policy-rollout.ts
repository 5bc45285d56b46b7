/**
 * Collects fixed-length rollouts (T steps × N envs) for A2C and PPO and turns them into a flat
 * batch with GAE advantages.
 *
 * Episode ends, with the vector env's same-step autoreset:
 *   - terminated: no bootstrap; the mask (1 − done_t) cuts the GAE recursion at step t.
 *   - truncated (time limit): the episode did not end in the MDP, so the value of the state it was
 *     cut in still counts. As SB3 does, it is folded into the reward, r_t += γ·V(finalObs), and the
 *     step is then masked like a terminal one (the next row belongs to a new episode).
 */
import type { ActorCritic } from '../../agents/actor-critic.js';
import type { OnPolicyBatch } from '../../agents/on-policy-types.js';
import type { BoxArray } from '../../envs/spaces.js';
import { gae } from '../../replay/returns.js';
import type { VecEnvFault } from '../rollout/vec-env.js';
import type { Rng } from '../util/rng.js';
import { EpisodeTracker, faultsIn, type StepInfo } from './episode-tracker.js';
import type { OnPolicyEnvs, OnPolicyStep } from './on-policy-envs.js';

/** Called for every finished episode (to write the `episode` metrics lines). */
export type EpisodeListener = (ep: {
  envIndex: number;
  return: number;
  length: number;
  step: number;
  /** Cut short by a fault of its env or worker (reported to the FaultListener). */
  truncated?: boolean;
}) => void;

/** Called for every fault the vector env reports, with the step count after the step. */
export type FaultListener = (fault: VecEnvFault, step: number) => void;

export interface RolloutArgs {
  envs: OnPolicyEnvs;
  ac: ActorCritic;
  /** Steps per env per rollout. */
  numSteps: number;
  gamma: number;
  gaeLambda: number;
  /** Samples the actions. */
  rng: Rng;
  onEpisode?: EpisodeListener;
  onFault?: FaultListener;
  /**
   * The env stack reports its episodes itself (`info.episode`, pixel games): then only those are
   * reported, since a lost life ends the agent's episode but not the game's.
   */
  envReportsEpisodes?: boolean;
}

/** A collector's checkpointed state (plain data and typed arrays, for msgpackr). */
export interface CollectorState {
  step: number;
  nextObs: Float32Array | Uint8Array | Float64Array;
  episodeReturns: number[];
  episodeLengths: number[];
  /** REINFORCE only: the episodes in progress. */
  running?: unknown;
}

/** Resets the envs with `seed` (reporting a worker restarted in the reset); returns a copy of the obs. */
export async function startEnvs(
  envs: OnPolicyEnvs,
  seed: number,
  step: number,
  onFault?: FaultListener,
): Promise<BoxArray> {
  const r = await envs.reset({ seed });
  const infos = (r as { infos?: StepInfo[] }).infos ?? [];
  for (const fault of faultsIn(infos)) onFault?.(fault, step);
  return r.obs.slice();
}

/**
 * Reports a step's episode ends and faults: the episodes `tracker` says ended go to `onEpisode`
 * (a fault's cut-short episode marked `truncated`), the step's distinct faults to `onFault`.
 */
export function reportStep(
  r: OnPolicyStep,
  step: number,
  tracker: EpisodeTracker,
  listeners: { onEpisode?: EpisodeListener; onFault?: FaultListener },
): void {
  for (const fault of faultsIn(r.infos)) listeners.onFault?.(fault, step);
  for (let i = 0; i < tracker.returns.length; i++) {
    const ended = r.terminated[i] === 1 || r.truncated[i] === 1;
    const ep = tracker.add(i, r.rewards[i], ended, r.infos[i]);
    if (ep) {
      listeners.onEpisode?.({
        envIndex: i,
        return: ep.return,
        length: ep.length,
        step,
        ...(ep.fault ? { truncated: true } : {}),
      });
    }
  }
}

/**
 * Holds the rollout storage and the envs' current observation between rollouts.
 * Row t·N + i of every array is step t of env i.
 */
export class RolloutCollector {
  readonly numEnvs: number;
  readonly obsSize: number;
  /** Steps taken so far, summed over envs. */
  step = 0;
  private readonly size: number;
  private readonly obs: Float32Array | Uint8Array;
  private readonly actions: Int32Array;
  private readonly logProbs: Float32Array;
  private readonly values: Float32Array;
  private readonly rewards: Float32Array;
  private readonly dones: Uint8Array;
  private readonly tracker: EpisodeTracker;
  private nextObs: Float32Array | Uint8Array | Float64Array | null = null;

  constructor(private readonly args: RolloutArgs) {
    this.numEnvs = args.envs.numEnvs;
    this.obsSize = args.envs.obsSize;
    this.size = args.numSteps * this.numEnvs;
    const dtype = args.envs.singleObservationSpace.dtype;
    this.obs =
      dtype === 'uint8'
        ? new Uint8Array(this.size * this.obsSize)
        : new Float32Array(this.size * this.obsSize);
    this.actions = new Int32Array(this.size);
    this.logProbs = new Float32Array(this.size);
    this.values = new Float32Array(this.size);
    this.rewards = new Float32Array(this.size);
    this.dones = new Uint8Array(this.size);
    this.tracker = new EpisodeTracker(this.numEnvs, args.envReportsEpisodes ?? false);
  }

  /** Resets the envs (once, before the first rollout). */
  async start(seed: number): Promise<void> {
    this.nextObs = await startEnvs(this.args.envs, seed, this.step, this.args.onFault);
  }

  /** What a checkpoint needs to continue: counters, the envs' current observations, running episodes. */
  getState(): CollectorState {
    if (this.nextObs === null) throw new Error('RolloutCollector: nothing to save before start()');
    return {
      step: this.step,
      nextObs: this.nextObs.slice(),
      episodeReturns: Array.from(this.tracker.returns),
      episodeLengths: Array.from(this.tracker.lengths),
    };
  }

  setState(state: CollectorState): void {
    this.step = state.step;
    this.nextObs = state.nextObs.slice();
    this.tracker.returns.set(state.episodeReturns);
    this.tracker.lengths.set(state.episodeLengths);
  }

  /** Steps every env `numSteps` times with the current policy; returns the batch with advantages. */
  async collect(): Promise<OnPolicyBatch> {
    const { envs, ac, numSteps, gamma, rng } = this.args;
    const n = this.numEnvs;
    if (this.nextObs === null) throw new Error('RolloutCollector: call start(seed) before collect()');
    for (let t = 0; t < numSteps; t++) {
      const row = t * n;
      const current = this.nextObs;
      this.obs.set(current, row * this.obsSize);
      const act = ac.act(current, n, rng);
      this.actions.set(act.actions, row);
      this.logProbs.set(act.logProbs, row);
      this.values.set(act.values, row);
      const r = await envs.step(act.actions);
      this.step += n;
      reportStep(r, this.step, this.tracker, this.args);
      for (let i = 0; i < n; i++) {
        this.rewards[row + i] = r.rewards[i];
        this.dones[row + i] = r.terminated[i] || r.truncated[i] ? 1 : 0;
      }
      this.bootstrapTruncated(r, row);
      this.nextObs = r.obs.slice();
    }
    const lastValues = ac.values(this.nextObs, n);
    const { advantages, returns } = gae(
      this.rewards,
      this.values,
      this.dones,
      lastValues,
      gamma,
      this.args.gaeLambda,
      n,
    );
    return {
      size: this.size,
      obs: this.obs,
      actions: this.actions,
      logProbs: this.logProbs,
      values: this.values,
      advantages,
      returns,
    };
  }

  /** r_t += γ·V(finalObs) for envs whose episode was truncated (not terminated) on this step. */
  private bootstrapTruncated(r: OnPolicyStep, row: number): void {
    const cut: number[] = [];
    for (let i = 0; i < this.numEnvs; i++) {
      if (r.truncated[i] && !r.terminated[i] && r.infos[i]?.finalObs !== undefined) cut.push(i);
    }
    if (cut.length === 0) return;
    const finals =
      this.obs instanceof Uint8Array
        ? new Uint8Array(cut.length * this.obsSize)
        : new Float32Array(cut.length * this.obsSize);
    cut.forEach((i, k) => {
      finals.set(r.infos[i].finalObs as ArrayLike<number>, k * this.obsSize);
    });
    const v = this.args.ac.values(finals, cut.length);
    cut.forEach((i, k) => {
      this.rewards[row + i] += this.args.gamma * v[k];
    });
  }
}
