/**
 * Checkpoints: the state of a run, written atomically into its run directory.
 *
 *   checkpoints/<run>/
 *     config.json             what was run: { format, env, algo, seed, ...the full config }
 *     metrics.jsonl, .csv     the logs (the checkpoint records their lengths at save time)
 *     checkpoint/             the latest complete checkpoint
 *       manifest.json         format tag, algo, step, and every file with its byte size
 *       state.json            each part's plain data (counters, RNG states, schedule position…)
 *       <part>.<array>.bin    each part's typed arrays, raw little-endian
 *       <part>.<model>/       each part's tfjs models (model.json + weights.bin)
 *
 * A checkpoint is written into `checkpoint.tmp/`, then `checkpoint/` is renamed to
 * `checkpoint.old/`, the new one renamed into place, and the old one removed: at every moment one
 * complete checkpoint exists on disk (the reader falls back to `checkpoint.old/` if a crash hit
 * between the renames). The manifest's byte sizes catch a truncated or edited checkpoint.
 *
 * Anything stateful takes part through {@link Checkpointable}: its state is a bundle of plain
 * data, typed arrays and tfjs models, so PPO and DQN share this module.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadModelFromDir, saveModelToDir } from './tfjs-files.js';

/** The typed arrays a state may hold. */
export type StateArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A part's state: plain JSON, typed arrays and tfjs models. */
export interface StateBundle {
  json: Record<string, unknown>;
  arrays: Record<string, StateArray>;
  models: Record<string, tf.LayersModel>;
}

/** Anything that can be saved into a checkpoint and restored from one. */
export interface Checkpointable {
  getState(): StateBundle;
  setState(state: StateBundle): void;
}

export const CHECKPOINT_FORMAT = 'pixelrl-checkpoint';
export const RUN_FORMAT = 'pixelrl-run';
const VERSION = 1;
const DIR = 'checkpoint';

interface ArrayEntry {
  file: string;
  dtype: 'float32' | 'float64' | 'int32' | 'uint8';
  length: number;
}

/** manifest.json of a checkpoint. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  algo: string;
  /** Agent steps at save time (for messages; the parts hold the real counters). */
  step: number;
  savedAt: string;
  parts: Record<string, { arrays: Record<string, ArrayEntry>; models: Record<string, string> }>;
  /** Every file of the checkpoint (relative path) with its size in bytes. */
  files: Record<string, number>;
}

/** What {@link readCheckpoint} returns: the manifest and every part's state (models loaded). */
export interface LoadedCheckpoint {
  manifest: CheckpointManifest;
  parts: Record<string, StateBundle>;
}

function dtypeOf(a: StateArray): ArrayEntry['dtype'] {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'uint8';
}

function arrayFrom(buf: Buffer, dtype: ArrayEntry['dtype']): StateArray {
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  switch (dtype) {
    case 'float32':
      return new Float32Array(copy);
    case 'float64':
      return new Float64Array(copy);
    case 'int32':
      return new Int32Array(copy);
    case 'uint8':
      return new Uint8Array(copy);
  }
}

const safeName = (name: string) => name.replace(/[^\w.-]/g, '_');

/** Writes a checkpoint of `parts` into `runDir` atomically (see the file header). */
export async function writeCheckpoint(
  runDir: string,
  algo: string,
  step: number,
  parts: Record<string, StateBundle>,
): Promise<void> {
  const tmp = join(runDir, `${DIR}.tmp`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: VERSION,
    algo,
    step,
    savedAt: new Date().toISOString(),
    parts: {},
    files: {},
  };
  const json: Record<string, unknown> = {};
  for (const [part, bundle] of Object.entries(parts)) {
    const entry: CheckpointManifest['parts'][string] = { arrays: {}, models: {} };
    json[part] = bundle.json;
    for (const [name, array] of Object.entries(bundle.arrays)) {
      const file = `${safeName(part)}.${safeName(name)}.bin`;
      await writeFile(join(tmp, file), new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      entry.arrays[name] = { file, dtype: dtypeOf(array), length: array.length };
    }
    for (const [name, model] of Object.entries(bundle.models)) {
      const dir = `${safeName(part)}.${safeName(name)}`;
      await mkdir(join(tmp, dir));
      await saveModelToDir(model, join(tmp, dir));
      entry.models[name] = dir;
    }
    manifest.parts[part] = entry;
  }
  await writeFile(join(tmp, 'state.json'), JSON.stringify(json));
  manifest.files = await fileSizes(tmp);
  await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
  const current = join(runDir, DIR);
  const old = join(runDir, `${DIR}.old`);
  await rm(old, { recursive: true, force: true });
  if (await exists(current)) await rename(current, old);
  await rename(tmp, current);
  await rm(old, { recursive: true, force: true });
}

async function fileSizes(dir: string, prefix = ''): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, await fileSizes(dir, rel));
    else out[rel] = (await stat(join(dir, rel))).size;
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The folder of the newest complete checkpoint of `runDir`, or null if there is none. */
export async function checkpointDir(runDir: string): Promise<string | null> {
  for (const name of [DIR, `${DIR}.old`]) {
    if (await exists(join(runDir, name, 'manifest.json'))) return join(runDir, name);
  }
  return null;
}

/**
 * Reads and verifies the checkpoint of `runDir`. Throws an Error that says why when the run
 * directory or its checkpoint is missing, truncated, or was written by something else.
 */
export async function readCheckpoint(runDir: string, expectedAlgo?: string): Promise<LoadedCheckpoint> {
  if (!(await exists(runDir))) throw new Error(`run directory ${runDir} does not exist`);
  const dir = await checkpointDir(runDir);
  if (dir === null) {
    throw new Error(
      `${runDir} has no checkpoint (no ${DIR}/manifest.json): the run was never saved, or this is not a pixelrl run directory`,
    );
  }
  let manifest: CheckpointManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as CheckpointManifest;
  } catch (err) {
    throw new Error(
      `the checkpoint manifest ${join(dir, 'manifest.json')} is unreadable: ${(err as Error).message}`,
    );
  }
  if (manifest?.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `${dir} was not written by pixelrl (manifest format is ${JSON.stringify(manifest?.format)})`,
    );
  }
  if (manifest.version !== VERSION) {
    throw new Error(
      `${dir} is checkpoint version ${manifest.version}; this pixelrl reads version ${VERSION}`,
    );
  }
  if (expectedAlgo !== undefined && manifest.algo !== expectedAlgo) {
    throw new Error(`${runDir} is a ${manifest.algo} run, not ${expectedAlgo}`);
  }
  for (const [file, size] of Object.entries(manifest.files)) {
    let actual = -1;
    try {
      actual = (await stat(join(dir, file))).size;
    } catch {}
    if (actual !== size) {
      throw new Error(
        `checkpoint file ${join(dir, file)} is ${actual < 0 ? 'missing' : `${actual} bytes`}, expected ${size}: the checkpoint is truncated or damaged`,
      );
    }
  }
  const json = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as Record<
    string,
    Record<string, unknown>
  >;
  const parts: Record<string, StateBundle> = {};
  for (const [part, entry] of Object.entries(manifest.parts)) {
    const bundle: StateBundle = { json: json[part] ?? {}, arrays: {}, models: {} };
    for (const [name, a] of Object.entries(entry.arrays)) {
      bundle.arrays[name] = arrayFrom(await readFile(join(dir, a.file)), a.dtype);
    }
    for (const [name, sub] of Object.entries(entry.models)) {
      bundle.models[name] = await loadModelFromDir(join(dir, sub));
    }
    parts[part] = bundle;
  }
  return { manifest, parts };
}

/** Disposes the models of a loaded checkpoint. */
export function disposeCheckpoint(loaded: LoadedCheckpoint): void {
  for (const part of Object.values(loaded.parts)) for (const m of Object.values(part.models)) m.dispose();
}

/** Writes config.json of a run directory (creating it). */
export async function writeRunConfig(runDir: string, config: Record<string, unknown>): Promise<void> {
  await mkdir(runDir, { recursive: true });
  await writeFile(
    join(runDir, 'config.json'),
    `${JSON.stringify({ format: RUN_FORMAT, ...config }, null, 2)}\n`,
  );
}

/** Reads config.json of a run directory, refusing a missing or foreign one. */
export async function readRunConfig(runDir: string): Promise<Record<string, unknown>> {
  const path = join(runDir, 'config.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`${runDir} is not a pixelrl run directory: ${path} is missing`);
  }
  let config: Record<string, unknown>;
  try {
    config = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new Error(
      `${path} is not valid JSON (${(err as Error).message}): the file is truncated or foreign`,
    );
  }
  if (config?.format !== RUN_FORMAT) {
    throw new Error(`${path} was not written by pixelrl (format is ${JSON.stringify(config?.format)})`);
  }
  return config;
}
