/**
 * Claiming a run directory for a new run, so that no run is ever overwritten: a new run takes a
 * folder that does not exist or is empty, and a second process that races for the same name
 * loses (the claim is an exclusive create). `--overwrite` moves an old run aside to a
 * timestamped backup with a rename, never deleting it.
 */
import { mkdir, open, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { syncDir } from './safe-files.js';

/** A run directory that a new run may not take. */
export class RunDirInUseError extends Error {
  constructor(readonly runDir: string) {
    super(
      `${runDir} already holds a run: resume it with --resume ${runDir}, pick another --run-name, ` +
        'or give --overwrite (the old run is moved to a timestamped backup, not deleted)',
    );
    this.name = 'RunDirInUseError';
  }
}

const CLAIM = '.pixelrl-new-run';

async function isEmptyDir(dir: string): Promise<boolean | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return false;
  } catch {
    return null;
  }
  return (await readdir(dir)).length === 0;
}

/**
 * Takes `runDir` for a new run: creates it, or takes it if it exists and is empty. Throws a
 * {@link RunDirInUseError} when it holds anything (or another process took it first).
 */
export async function claimNewRunDir(runDir: string): Promise<void> {
  await mkdir(dirname(resolve(runDir)), { recursive: true });
  try {
    await mkdir(runDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !(await isEmptyDir(runDir))) {
      throw new RunDirInUseError(runDir);
    }
  }
  // Two processes may both have found the folder empty: only one creates the claim file.
  try {
    await (await open(join(runDir, CLAIM), 'wx')).close();
  } catch {
    throw new RunDirInUseError(runDir);
  }
  await syncDir(dirname(resolve(runDir)));
}

/** Removes the claim file once the run's config.json is written (the run then holds the folder). */
export async function releaseClaim(runDir: string): Promise<void> {
  await rm(join(runDir, CLAIM), { force: true });
}

/** Whether `runDir` exists and holds anything. */
export async function runDirInUse(runDir: string): Promise<boolean> {
  return (await isEmptyDir(runDir)) === false;
}

/** Moves `runDir` to `<runDir>.backup-<UTC time>` and returns the new path (nothing is deleted). */
export async function moveRunAside(runDir: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*/, '');
  for (let i = 0; ; i++) {
    const backup = `${runDir.replace(/\/+$/, '')}.backup-${stamp}${i === 0 ? '' : `-${i}`}`;
    try {
      await stat(backup);
      continue;
    } catch {}
    await rename(runDir, backup);
    await syncDir(dirname(resolve(runDir)));
    return backup;
  }
}

/** Gives up a claim of {@link claimNewRunDir} (a new run that failed to start): removes the claim and the folder if empty. */
export async function abandonNewRunDir(runDir: string): Promise<void> {
  await releaseClaim(runDir);
  try {
    if ((await readdir(runDir)).length === 0) await rmdir(runDir).catch(() => {});
  } catch {}
}
