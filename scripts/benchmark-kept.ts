/**
 * The part of each finished benchmark run kept in the repository: its config.json and
 * metrics.jsonl under benchmarks/runs/<key>/, enough for `pixelrl plot`. Run directories under
 * checkpoints/ are not committed and do not outlive the machine, so without this copy a game's
 * plot could not be redrawn with all its runs.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../src/viz/atomic.js';

export const KEPT_ROOT = 'benchmarks/runs';
export const KEPT_FILES = ['config.json', 'metrics.jsonl'] as const;
/** A run's metrics are a few hundred kB; a copy beyond this is refused rather than committed. */
const MAX_KEPT_BYTES = 32 << 20;

/** Copies a finished run's config.json and metrics.jsonl into `dest` (each written atomically); returns the paths. */
export function keepRunFiles(runDir: string, dest: string): string[] {
  mkdirSync(dest, { recursive: true });
  return KEPT_FILES.map((name) => {
    const from = join(runDir, name);
    const bytes = statSync(from).size;
    if (bytes > MAX_KEPT_BYTES)
      throw new Error(`${from} is ${bytes} bytes, over the ${MAX_KEPT_BYTES} a kept copy may hold`);
    const to = join(dest, name);
    writeFileAtomic(to, readFileSync(from));
    return to;
  });
}

/** The directory to plot a run from: its run directory when its metrics are there, else its kept copy, else undefined. */
export function plotSource(
  run: { key: string; runDir: string },
  keptRoot: string = KEPT_ROOT,
  exists: (path: string) => boolean = existsSync,
): string | undefined {
  return [run.runDir, join(keptRoot, run.key)].find((dir) => exists(join(dir, 'metrics.jsonl')));
}
