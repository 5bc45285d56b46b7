/**
 * Collects whole episodes for REINFORCE: each env's steps are kept until its episode ends, then
 * the Monte-Carlo returns G_t = Σ_k γ^k r_{t+k} are computed back from the end and the episode
 * joins the batch. A batch is handed out once it holds `episodesPerUpdate` episodes.
 *
 * - A truncated episode (time limit) is completed with γ·V(finalObs) added to its last reward:
 *   the time limit is not part of the MDP (DESIGN.md), so its tail is estimated, not zeroed.
 * - Episodes still running when a batch is handed out carry over into the next batch; their
 *   first steps were sampled by the previous policy. With one gradient step per batch the two
 *   policies are close, and dropping those steps would bias the batch towards short episodes.
 */
import type { ActorCritic } from '../../agents/actor-critic.js';
import type { OnPolicyBatch } from '../../agents/on-policy-types.js';
import type { BoxArray } from '../../envs/spaces.js';
import { discountedReturns } from '../../replay/returns.js';
import type { Rng } from '../util/rng.js';
import { EpisodeTracker } from './episode-tracker.js';
import type { OnPolicyEnvs } from './on-policy-envs.js';
import {
  type CollectorState,
  type EpisodeListener,
  type FaultListener,
  reportStep,
  startEnvs,
} from './on-policy-rollout.js';

export interface EpisodeCollectorArgs {
  envs: OnPolicyEnvs;
  ac: ActorCritic;
  episodesPerUpdate: number;
  gamma: number;
  rng: Rng;
  onEpisode?: EpisodeListener;
  onFault?: FaultListener;
  /** See RolloutArgs.envReportsEpisodes. */
  envReportsEpisodes?: boolean;
}

/** One env's episode in progress. */
interface Trajectory {
  obs: BoxArray[];
  actions: number[];
  logProbs: number[];
  values: number[];
  rewards: number[];
}

const emptyTrajectory = (): Trajectory => ({ obs: [], actions: [], logProbs: [], values: [], rewards: [] });

export class EpisodeCollector {
  /** Steps taken so far, summed over envs. */
  step = 0;
  private running: Trajectory[];
  private nextObs: BoxArray | null = null;
  private readonly tracker: EpisodeTracker;

  constructor(private readonly args: EpisodeCollectorArgs) {
    this.running = Array.from({ length: args.envs.numEnvs }, emptyTrajectory);
    this.tracker = new EpisodeTracker(args.envs.numEnvs, args.envReportsEpisodes ?? false);
  }

  async start(seed: number): Promise<void> {
    this.nextObs = await startEnvs(this.args.envs, seed, this.step, this.args.onFault);
  }

  getState(): CollectorState {
    if (this.nextObs === null) throw new Error('EpisodeCollector: nothing to save before start()');
    return {
      step: this.step,
      nextObs: this.nextObs.slice(),
      episodeReturns: Array.from(this.tracker.returns),
      episodeLengths: Array.from(this.tracker.lengths),
      running: this.running,
    };
  }

  setState(state: CollectorState): void {
    this.step = state.step;
    this.nextObs = state.nextObs.slice();
    this.tracker.returns.set(state.episodeReturns);
    this.tracker.lengths.set(state.episodeLengths);
    this.running = structuredClone(state.running as Trajectory[]);
  }

  /** Steps the envs until `episodesPerUpdate` episodes have ended; returns them as one batch. */
  async collect(): Promise<OnPolicyBatch> {
    const { envs, ac, rng, gamma } = this.args;
    const n = envs.numEnvs;
    const size = envs.obsSize;
    if (this.nextObs === null) throw new Error('EpisodeCollector: call start(seed) before collect()');
    const done: Trajectory[] = [];
    while (done.length < this.args.episodesPerUpdate) {
      const current = this.nextObs;
      const act = ac.act(current, n, rng);
      const r = await envs.step(act.actions);
      this.step += n;
      reportStep(r, this.step, this.tracker, this.args);
      for (let i = 0; i < n; i++) {
        const tr = this.running[i];
        tr.obs.push(current.slice(i * size, (i + 1) * size));
        tr.actions.push(act.actions[i]);
        tr.logProbs.push(act.logProbs[i]);
        tr.values.push(act.values[i]);
        tr.rewards.push(r.rewards[i]);
        if (r.terminated[i] || r.truncated[i]) {
          const finalObs = r.infos[i]?.finalObs;
          if (r.truncated[i] && !r.terminated[i] && finalObs !== undefined) {
            tr.rewards[tr.rewards.length - 1] += gamma * ac.values(finalObs, 1)[0];
          }
          done.push(tr);
          this.running[i] = emptyTrajectory();
        }
      }
      this.nextObs = r.obs.slice();
    }
    return toBatch(done, size, gamma);
  }
}

function toBatch(episodes: Trajectory[], obsSize: number, gamma: number): OnPolicyBatch {
  const total = episodes.reduce((s, e) => s + e.actions.length, 0);
  const first = episodes[0].obs[0];
  const obs =
    first instanceof Uint8Array ? new Uint8Array(total * obsSize) : new Float32Array(total * obsSize);
  const actions = new Int32Array(total);
  const logProbs = new Float32Array(total);
  const values = new Float32Array(total);
  const returns = new Float32Array(total);
  const advantages = new Float32Array(total);
  let k = 0;
  for (const ep of episodes) {
    // G_t back from the episode's end: no bootstrap after it (lastValues 0; the last step is the end).
    const g = discountedReturns(ep.rewards, new Uint8Array(ep.rewards.length), [0], gamma);
    for (let t = 0; t < ep.actions.length; t++, k++) {
      obs.set(ep.obs[t], k * obsSize);
      actions[k] = ep.actions[t];
      logProbs[k] = ep.logProbs[t];
      values[k] = ep.values[t];
      returns[k] = g[t];
      advantages[k] = g[t] - ep.values[t];
    }
  }
  return { size: total, obs, actions, logProbs, values, advantages, returns };
}
