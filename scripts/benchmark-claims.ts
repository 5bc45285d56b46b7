/**
 * What lets several benchmark runners share one plan (scripts/benchmark-games.ts, one per core):
 * a lock file per run, so that no two train the same (algo, game, seed); and the rule that a
 * finished result counts only while its tuned entry is unchanged: when an entry's config changes,
 * its old result moves to results.json's `superseded` list and its run directory is moved aside
 * (never deleted), so the run is trained again with the new settings.
 */
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { BenchmarkResult, BenchmarkResults } from './benchmark-results.js';

/** JSON with object keys sorted, so that two configs compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Whether process `pid` is alive on this machine. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lock file `path` for this process: true when taken (created, or left by a process that
 * is gone), false when a live process holds it. `pid` is for tests.
 */
export function takeLock(path: string, pid = process.pid): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number.parseInt(readFileSync(path, 'utf8'), 10);
    if (Number.isSafeInteger(holder) && holder > 0 && alive(holder)) return false;
    rmSync(path, { force: true });
  }
  return false;
}

/** Removes lock file `path` if this process (`pid`) holds it. */
export function releaseLock(path: string, pid = process.pid): void {
  if (!existsSync(path)) return;
  if (Number.parseInt(readFileSync(path, 'utf8'), 10) === pid) rmSync(path, { force: true });
}

/** A results file with the superseded results kept beside the current ones. */
export interface ResultsWithHistory extends BenchmarkResults {
  superseded?: BenchmarkResult[];
}

/**
 * Moves `key`'s result from `runs` to `superseded` when its config differs from `config` (the
 * config the tuned entry gives now); returns the moved result, or undefined when it is current or
 * absent.
 */
export function supersedeStale(
  results: ResultsWithHistory,
  key: string,
  config: Record<string, unknown>,
): BenchmarkResult | undefined {
  const old = results.runs.find((r) => r.key === key);
  if (!old || canonicalJson(old.config) === canonicalJson(config)) return undefined;
  results.runs = results.runs.filter((r) => r !== old);
  results.superseded = [...(results.superseded ?? []), old];
  return old;
}

/**
 * Moves the files of run `key` under `runsDir` (its directory, state, log, config) into
 * `runsDir/superseded/<key>-<stamp>/`; returns that folder, or undefined when there was nothing.
 */
export function moveRunAside(runsDir: string, key: string, stamp: string): string | undefined {
  const names = [key, `${key}.bench.json`, `${key}.log`, `${key}.config.json`].filter((n) =>
    existsSync(join(runsDir, n)),
  );
  if (names.length === 0) return undefined;
  const dest = join(runsDir, 'superseded', `${key}-${stamp}`);
  if (existsSync(dest)) throw new Error(`${dest} exists already; refusing to move ${key} over it`);
  mkdirSync(dest, { recursive: true });
  for (const n of names) renameSync(join(runsDir, n), join(dest, basename(n)));
  return dest;
}
