/**
 * The dashboard page's model of the runs: what the server's events have said so far, folded
 * into per-run record lists (apply one event at a time), and the figures the page shows for a
 * run: progress, steps per second, ETA, the last evaluation. Pure: no DOM.
 */
import type { EpisodeRecord, EvalRecord, TrainRecord } from '../../checkpoint/metric-records.js';
import type { DashboardEvent, RunInfo } from '../server/events.js';

export interface RunView {
  info: RunInfo;
  episodes: EpisodeRecord[];
  train: TrainRecord[];
  evals: EvalRecord[];
  /** Records received (the index of the next one). */
  count: number;
  problem: string | null;
}

export class DashboardState {
  readonly runs: RunView[] = [];
  /** Events applied (for the tests: the page is live). */
  updates = 0;

  apply(e: DashboardEvent): void {
    this.updates++;
    if (e.kind === 'runs') {
      for (const info of e.runs) {
        const have = this.runs[info.id];
        if (have) have.info = info;
        else this.runs[info.id] = { info, episodes: [], train: [], evals: [], count: 0, problem: null };
      }
      return;
    }
    const run = this.runs[e.run];
    if (!run) return;
    if (e.kind === 'checkpoint') run.info.checkpointStep = e.step;
    else if (e.kind === 'problem') run.problem = e.message;
    else {
      if (e.restarted) {
        run.episodes = [];
        run.train = [];
        run.evals = [];
        run.count = 0;
      }
      // Records the page already holds (an update that overlaps the first snapshot) are skipped.
      for (const r of e.records.slice(Math.max(0, run.count - e.at))) {
        if (r.kind === 'episode') run.episodes.push(r);
        else if (r.kind === 'train') run.train.push(r);
        else if (r.kind === 'eval') run.evals.push(r);
      }
      run.count = Math.max(run.count, e.at + e.records.length);
    }
  }
}

/** The latest step a run reported, of any record kind. */
export function latestStep(run: RunView): number {
  const last = (xs: { step: number }[]) => xs[xs.length - 1]?.step ?? 0;
  return Math.max(last(run.episodes), last(run.train), last(run.evals));
}

/** Steps the run will train for, from its config (`steps`), or null. */
export function totalSteps(run: RunView): number | null {
  const steps = run.info.config?.steps;
  return typeof steps === 'number' && steps > 0 ? steps : null;
}

/** Seconds left at the latest steps-per-second, or null when unknown or done. */
export function etaSeconds(run: RunView): number | null {
  const total = totalSteps(run);
  const sps = run.train[run.train.length - 1]?.sps;
  const step = latestStep(run);
  if (total === null || !sps || step >= total) return null;
  return (total - step) / sps;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
