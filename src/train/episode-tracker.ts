/**
 * EpisodeTracker: each env's running episode (undiscounted return, length) and the rule for when
 * an episode is reported, shared by the DQN loop and the on-policy collectors.
 *
 * An episode is reported when it ends:
 *   - the env's own statistics (`info.episode`, RecordEpisodeStatistics) when it gives them;
 *   - with `envReportsEpisodes` (pixel games under EpisodicLife, where a lost life ends the agent's
 *     episode but not the game), only those: the sums kept here then run over the whole game;
 *   - otherwise the sums kept here, on terminated or truncated;
 *   - always, when a fault cut the episode short (`info.fault`: its env or worker failed and was
 *     rebuilt): the sums kept here, marked `truncated`, so that no episode goes missing from the
 *     per-env counts (the rebuilt env never reports the game it lost).
 */
import type { VecEnvFault } from '../rollout/vec-env.js';

/** One reported episode of one env. */
export interface EpisodeEnd {
  envIndex: number;
  return: number;
  /** In agent steps. */
  length: number;
  /** Cut short by this fault (not a real end of the episode). */
  fault?: VecEnvFault;
}

/** What the tracker reads of a step's info. */
export interface StepInfo {
  episode?: unknown;
  fault?: VecEnvFault;
}

export class EpisodeTracker {
  /** Env i's return so far (raw rewards). */
  readonly returns: Float64Array;
  /** Env i's length so far, in agent steps. */
  readonly lengths: Float64Array;

  constructor(
    numEnvs: number,
    /** See the file header. */
    private readonly envReportsEpisodes: boolean,
  ) {
    this.returns = new Float64Array(numEnvs);
    this.lengths = new Float64Array(numEnvs);
  }

  /** Adds env i's step (`ended`: terminated or truncated); returns the episode it ends, if any. */
  add(i: number, reward: number, ended: boolean, info: StepInfo | undefined): EpisodeEnd | null {
    this.returns[i] += reward;
    this.lengths[i] += 1;
    let end: EpisodeEnd | null = null;
    if (info?.fault) {
      end = { envIndex: i, return: this.returns[i], length: this.lengths[i], fault: info.fault };
    } else {
      const own = episodeInfo(info);
      if (own !== null) end = { envIndex: i, ...own };
      else if (ended && !this.envReportsEpisodes) {
        end = { envIndex: i, return: this.returns[i], length: this.lengths[i] };
      }
    }
    if (end !== null || (ended && !this.envReportsEpisodes)) {
      this.returns[i] = 0;
      this.lengths[i] = 0;
    }
    return end;
  }

  /** Forgets every running episode (new episodes start, e.g. after a resume with fresh envs). */
  clear(): void {
    this.returns.fill(0);
    this.lengths.fill(0);
  }
}

/** The episode statistics an env put in `info.episode`, if it did. */
export function episodeInfo(
  info: { episode?: unknown } | undefined,
): { return: number; length: number } | null {
  const e = info?.episode as { return?: unknown; length?: unknown } | undefined;
  return typeof e?.return === 'number' && typeof e.length === 'number'
    ? { return: e.return, length: e.length }
    : null;
}

/** The distinct faults in a step's (or reset's) infos, in env order (a worker fault is shared by its envs). */
export function faultsIn(infos: readonly (StepInfo | undefined)[]): VecEnvFault[] {
  const seen = new Set<VecEnvFault>();
  for (const info of infos) if (info?.fault) seen.add(info.fault);
  return [...seen];
}
