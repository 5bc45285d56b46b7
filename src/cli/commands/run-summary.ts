/** The lines `pixelrl train` prints when a run ends, for DQN and the on-policy algos alike. */
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fixed } from '../../train/progress.js';

export { fixed } from '../../train/progress.js';

export interface RunOutcome {
  /** Stopped before its budget (Ctrl-C). */
  stopped: boolean;
  steps: number;
  seconds: number;
  episodes: number;
  /** Mean return of the last 100 training episodes; NaN before the first. */
  meanReturn: number;
  lastEval: { meanReturn: number; stdReturn: number } | null;
}

/** `1.5 MiB`: bytes in a human unit. */
function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** Bytes under `dir` (links not followed), and those of replay files in its checkpoint. */
export function runDirBytes(dir: string): { total: number; replay: number } {
  let total = 0;
  let replay = 0;
  const walk = (path: string, inCheckpoint: boolean): void => {
    let names: string[];
    try {
      names = readdirSync(path);
    } catch {
      return;
    }
    for (const name of names) {
      const child = join(path, name);
      const info = lstatSync(child, { throwIfNoEntry: false });
      if (!info) continue;
      if (info.isDirectory()) walk(child, name === 'checkpoint');
      else if (info.isFile()) {
        total += info.size;
        if (inCheckpoint && name.startsWith('replay.')) replay += info.size;
      }
    }
  };
  walk(dir, false);
  return { total, replay };
}

/**
 * `trained N steps in S s: E episodes, mean return (last 100) M, evaluation m ± s`, the run
 * directory with its size, and how to shrink it when the replay memory is most of it.
 */
export function runSummary(o: RunOutcome, runDir: string): string {
  const evalText = o.lastEval
    ? `, evaluation ${fixed(o.lastEval.meanReturn, 1)} ± ${fixed(o.lastEval.stdReturn, 1)}`
    : '';
  const mean = Number.isNaN(o.meanReturn) ? '-' : fixed(o.meanReturn, 1);
  const { total, replay } = runDirBytes(runDir);
  const shrink =
    replay > 0
      ? `; the replay memory in its checkpoint is ${human(replay)}: --no-save-replay leaves it out (smaller, but a resume is then not exact)`
      : '';
  return (
    `${o.stopped ? 'stopped' : 'trained'} ${o.steps} steps in ${o.seconds.toFixed(0)} s: ` +
    `${o.episodes} episodes, mean return (last 100) ${mean}${evalText}\n` +
    `run directory: ${runDir} (${human(total)}${shrink})\n`
  );
}
