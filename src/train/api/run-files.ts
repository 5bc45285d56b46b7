/**
 * Run directories for the training API: a fresh one when the caller names none, and `saveRun`,
 * which writes a model's run into another directory through the checkpoint functions (config.json,
 * the newest complete checkpoint) with its logs beside them, so the copy is a run directory like
 * any other: `pixelrl eval | play | plot | tsne` read it and `learn` continues it.
 */
import { mkdtempSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  disposeCheckpoint,
  readCheckpoint,
  readRunConfig,
  writeCheckpoint,
  writeRunConfig,
} from '../../checkpoint/checkpoint.js';
import { upgradeRunConfig } from '../legacy-config.js';

/** A new, not yet existing run directory under the OS's temp folder. */
export function freshRunDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'pixelrl-')), 'run');
}

async function entries(dir: string): Promise<string[] | null> {
  try {
    return await readdir(dir);
  } catch {
    return null;
  }
}

/** The log files a run directory holds besides its checkpoint (metrics, TensorBoard events). */
function isLogFile(name: string): boolean {
  return name === 'metrics.jsonl' || name === 'metrics.csv' || name.startsWith('events.out.tfevents.');
}

/**
 * Writes the run in `runDir` into `dir` (which must not exist or be empty): config.json, its
 * checkpoint, its logs, `best/` and `videos/` when present.
 */
export async function saveRun(runDir: string, dir: string, algo: string): Promise<void> {
  if (resolve(dir) === resolve(runDir)) return;
  const there = await entries(dir);
  if (there !== null && there.length > 0) {
    throw new Error(`${dir} already holds files: save into a new or empty directory`);
  }
  // Written in today's names, whichever names the run was saved with.
  const { format: _format, ...config } = upgradeRunConfig(await readRunConfig(runDir));
  const loaded = await readCheckpoint(runDir, algo);
  try {
    await writeRunConfig(dir, config);
    await writeCheckpoint(dir, algo, loaded.manifest.step, loaded.parts);
  } finally {
    disposeCheckpoint(loaded);
  }
  for (const name of (await entries(runDir)) ?? []) {
    if (isLogFile(name)) await copyFile(join(runDir, name), join(dir, name));
  }
  if ((await entries(join(runDir, 'best'))) !== null) {
    const best = upgradeRunConfig(await readRunConfig(join(runDir, 'best')));
    const { format: _f, ...bestConfig } = best;
    const loadedBest = await readCheckpoint(join(runDir, 'best'), algo);
    try {
      await writeRunConfig(join(dir, 'best'), { ...bestConfig, bestOf: dir });
      await writeCheckpoint(join(dir, 'best'), algo, loadedBest.manifest.step, loadedBest.parts);
    } finally {
      disposeCheckpoint(loadedBest);
    }
  }
  const videos = await entries(join(runDir, 'videos'));
  if (videos !== null) {
    await mkdir(join(dir, 'videos'), { recursive: true });
    for (const name of videos) await copyFile(join(runDir, 'videos', name), join(dir, 'videos', name));
  }
}
