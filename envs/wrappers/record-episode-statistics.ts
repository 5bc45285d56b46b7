/**
 * RecordEpisodeStatistics: sums rewards and counts steps, and on the step that ends an episode
 * (terminated or truncated) puts `info.episode = { return, length, timeSeconds }` (Gymnasium's
 * wrapper of the same name; SB3's Monitor). It reports what it sees: to report a real Atari game
 * (all lives, unclipped score), place it beneath EpisodicLife and ClipReward, as makeAtari does.
 */
import type { Env, EpisodeStats, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Wrapper } from './wrapper.js';

export interface RecordEpisodeStatisticsOptions {
  /** How many recent episodes {@link RecordEpisodeStatistics.recent} keeps. Default 100 (as Gymnasium). */
  bufferLength?: number;
  /** Wall clock in milliseconds, replaceable in tests. Default `performance.now`. */
  clock?: () => number;
}

export class RecordEpisodeStatistics<Obs, Act> extends Wrapper<Obs, Act> {
  /** The last `bufferLength` finished episodes, oldest first. */
  readonly recent: EpisodeStats[] = [];
  /** Episodes finished since this wrapper was made. */
  episodeCount = 0;
  private readonly bufferLength: number;
  private readonly clock: () => number;
  private episodeReturn = 0;
  private episodeLength = 0;
  private startMs = 0;

  constructor(inner: Env<Obs, Act>, options: RecordEpisodeStatisticsOptions = {}) {
    super(inner);
    this.bufferLength = options.bufferLength ?? 100;
    if (!Number.isInteger(this.bufferLength) || this.bufferLength < 1) {
      throw new Error(
        `RecordEpisodeStatistics: bufferLength must be an integer >= 1, got ${this.bufferLength}`,
      );
    }
    this.clock = options.clock ?? (() => performance.now());
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    const r = this.inner.reset(opts);
    this.episodeReturn = 0;
    this.episodeLength = 0;
    this.startMs = this.clock();
    return r;
  }

  override step(action: Act): StepResult<Obs> {
    const r = this.inner.step(action);
    this.episodeReturn += r.reward;
    this.episodeLength++;
    if (r.terminated || r.truncated) {
      const episode: EpisodeStats = {
        return: this.episodeReturn,
        length: this.episodeLength,
        timeSeconds: (this.clock() - this.startMs) / 1000,
      };
      r.info = { ...r.info, episode };
      this.recent.push(episode);
      if (this.recent.length > this.bufferLength) this.recent.shift();
      this.episodeCount++;
    }
    return r;
  }
}
