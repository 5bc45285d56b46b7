/**
 * The run's logs: one JSON object per line in `metrics.jsonl` (the format the plot tools read),
 * and the same records as rows of `metrics.csv`.
 *
 *   { kind: 'episode', step, frames, timeSeconds, return, length, envIndex }
 *   { kind: 'train',   step, frames, timeSeconds, loss, meanQ?, epsilon?, sps }
 *   { kind: 'eval',    step, frames, timeSeconds, meanReturn, stdReturn, episodes }
 *   { kind: 'fault',   step, frames, timeSeconds, fault, envIndex, workerIndex, affectedEnvs,
 *                      restartsLeft?, message }        a worker or env failed (training went on)
 *
 * `step` counts agent steps summed over envs; `frames` emulator frames (step × frameskip).
 * Writes are synchronous appends: a line is on disk when `log` returns, so a crash loses nothing
 * that was logged, and the checkpoint can record the files' lengths to cut them back on resume.
 */
import { appendFileSync, existsSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalRecord, FaultRecord, MetricRecord } from '../checkpoint/metric-records.js';
import type { VecEnvFault } from '../rollout/vec-env.js';
import { fixed } from './progress.js';

export type { FaultRecord, MetricRecord } from '../checkpoint/metric-records.js';

/** The metrics record of a fault the vector env reported at agent step `step`. */
export function faultRecord(
  fault: VecEnvFault,
  step: number,
  frames: number,
  timeSeconds: number,
): FaultRecord {
  return {
    kind: 'fault',
    step,
    frames,
    timeSeconds,
    fault: fault.kind,
    envIndex: fault.envIndex,
    workerIndex: fault.workerIndex,
    affectedEnvs: [...fault.affectedEnvs],
    ...(fault.restartsLeft !== undefined ? { restartsLeft: fault.restartsLeft } : {}),
    message: fault.message,
  };
}

/** The one line a trainer prints per evaluation, e.g. `eval at step 5000: return 12.3 ± 4.5 (10 episodes)`. */
export function describeEval(r: EvalRecord): string {
  return `eval at step ${r.step}: return ${fixed(r.meanReturn, 1)} ± ${fixed(r.stdReturn, 1)} (${r.episodes} episodes)`;
}

/** `s` as one shell word: as it is when it is plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

/** The last line of a run stopped with a checkpoint: the command that continues it, ready to paste. */
export function describeStop(step: number, runDir: string): string {
  return `stopped at step ${step}; checkpoint saved, continue with: pixelrl train --resume ${shellWord(runDir)}`;
}

const FAULT_WHAT: Record<VecEnvFault['kind'], string> = {
  'env-error': 'threw',
  'worker-exit': 'exited',
  'worker-error': 'failed',
  timeout: 'stopped answering',
};

/**
 * The one line a trainer prints for a fault, e.g. `warning: step 120: worker 1 (env 3) exited
 * (worker exited with code: 70); episodes of envs 2, 3 cut short, envs rebuilt; 9 restarts left`.
 */
export function describeFault(r: FaultRecord): string {
  const who =
    r.workerIndex >= 0 && r.fault !== 'env-error'
      ? `worker ${r.workerIndex} (stepping env ${r.envIndex})`
      : `env ${r.envIndex}`;
  const what = FAULT_WHAT[r.fault as VecEnvFault['kind']] ?? r.fault;
  const left = r.restartsLeft !== undefined ? `; ${r.restartsLeft} restarts left` : '';
  const envs = r.affectedEnvs.length === 1 ? 'env' : 'envs';
  return `warning: step ${r.step}: ${who} ${what} (${r.message}); episodes of ${envs} ${r.affectedEnvs.join(', ')} cut short, ${envs} rebuilt${left}`;
}

export const CSV_COLUMNS = [
  'kind',
  'step',
  'frames',
  'timeSeconds',
  'return',
  'length',
  'envIndex',
  'loss',
  'meanQ',
  'epsilon',
  'sps',
  'meanReturn',
  'stdReturn',
  'episodes',
] as const;

/** Byte lengths of the two log files (a checkpoint records them). */
export interface MetricsPosition {
  jsonlBytes: number;
  csvBytes: number;
}

export class MetricsLogger {
  readonly jsonlPath: string;
  readonly csvPath: string;

  /**
   * Opens the logs of `runDir`. With `resumeAt`, the files are cut back to those lengths (lines
   * logged after the checkpoint are dropped, since the resumed run logs them again); without it,
   * they are started afresh.
   */
  constructor(runDir: string, resumeAt?: MetricsPosition) {
    this.jsonlPath = join(runDir, 'metrics.jsonl');
    this.csvPath = join(runDir, 'metrics.csv');
    if (resumeAt) {
      for (const [path, bytes] of [
        [this.jsonlPath, resumeAt.jsonlBytes],
        [this.csvPath, resumeAt.csvBytes],
      ] as const) {
        if (!existsSync(path)) throw new Error(`cannot resume the logs: ${path} is missing`);
        if (statSync(path).size < bytes) {
          throw new Error(`cannot resume the logs: ${path} is shorter than when the checkpoint was taken`);
        }
        truncateSync(path, bytes);
      }
    } else {
      writeFileSync(this.jsonlPath, '');
      writeFileSync(this.csvPath, `${CSV_COLUMNS.join(',')}\n`);
    }
  }

  log(record: MetricRecord): void {
    appendFileSync(this.jsonlPath, `${JSON.stringify(record)}\n`);
    const r = record as unknown as Record<string, unknown>;
    appendFileSync(
      this.csvPath,
      `${CSV_COLUMNS.map((c) => (r[c] === undefined ? '' : String(r[c]))).join(',')}\n`,
    );
  }

  position(): MetricsPosition {
    return { jsonlBytes: statSync(this.jsonlPath).size, csvBytes: statSync(this.csvPath).size };
  }
}
