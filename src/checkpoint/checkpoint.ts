/**
 * Checkpoints: the state of a run, written into its run directory so that no kill loses it.
 *
 *   checkpoints/<run>/
 *     config.json             what was run: { format, env, algo, seed, ...the full config }
 *     metrics.jsonl, .csv     the logs (the checkpoint records their lengths at save time)
 *     checkpoint/             the latest complete checkpoint
 *       manifest.json         format tag, algo, step, every file with its byte size and CRC-32C
 *       state.json            each part's plain data (counters, RNG states, schedule position…)
 *       <part>.<array>.bin    each part's typed arrays, raw little-endian
 *       <part>.<model>/       each part's tfjs models (model.json + weights.bin)
 *
 * Invariant: at every moment, and after any kill (one, or one in each of two runs in a row), one
 * of `checkpoint.tmp/`, `checkpoint/`, `checkpoint.old/` holds a complete checkpoint, and the
 * reader takes the newest complete one in that order. A folder is complete when its manifest
 * exists and every file it lists has the listed size: every file is fsynced before the manifest
 * is renamed into place, so a manifest never describes bytes that are not on disk.
 *
 * Writing (`writeCheckpoint`):
 *   0. settle: move the newest complete checkpoint to `checkpoint/` (finishing an interrupted
 *      write: promote a complete tmp, or an old that is the only complete one) and remove the
 *      others, which are older or incomplete; a damaged `checkpoint/` that is not replaced by a
 *      newer one is moved aside to `checkpoint.damaged-<time>/`, never deleted;
 *   1. write `checkpoint.tmp/` (files fsynced, manifest last, by rename);
 *   2. rename `checkpoint/` → `checkpoint.old/`;  3. rename `checkpoint.tmp/` → `checkpoint/`;
 *   4. fsync the run directory, remove `checkpoint.old/`.
 * Each intermediate state (tmp complete with or without checkpoint/ or old/, old only, both)
 * reads as the newest checkpoint; test/checkpoint/protocol.test.ts builds each one and loads it.
 *
 * Reading trusts nothing: the manifest is checked (checkpoint-manifest.ts), every path stays
 * inside the folder, only regular files of the listed sizes are read, checksums are verified.
 *
 * Anything stateful takes part through `Checkpointable` (src/util/state-bundle.ts): its state
 * is a bundle of plain data, typed arrays and tfjs models, so PPO and DQN share this module.
 */
import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import type * as tf from '@tensorflow/tfjs';
import type { StateArray, StateBundle } from '../util/state-bundle.js';
import {
  type ArrayDtype,
  arrayFile,
  BYTES_PER_ELEMENT,
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointManifest,
  checkManifest,
  modelDir,
} from './checkpoint-manifest.js';
import {
  insideDir,
  mkdirDurable,
  readJsonFile,
  readRegularFile,
  removeTree,
  syncDir,
  writeAndSync,
  writeFileDurable,
} from './safe-files.js';
import { loadModelFromDir, saveModelToDir } from './tfjs-files.js';

export { CHECKPOINT_FORMAT, type CheckpointManifest } from './checkpoint-manifest.js';
export { RUN_FORMAT, readRunConfig, writeRunConfig } from './run-config.js';

const DIR = 'checkpoint';
/** The folders of a run directory that may hold a checkpoint, newest first (see the header). */
const CANDIDATES = [`${DIR}.tmp`, DIR, `${DIR}.old`] as const;

/**
 * Per part, the networks its models must match (built from the run's config): their shapes are
 * checked and their topologies used (see loadModelFromDir). Parts and models not named are read
 * with the file's own topology, within size bounds.
 */
export type ModelTemplates = Record<string, Record<string, tf.LayersModel>>;

/** What {@link readCheckpoint} returns: the manifest and every part's state (models loaded). */
export interface LoadedCheckpoint {
  manifest: CheckpointManifest;
  parts: Record<string, StateBundle>;
  /** The folder it was read from. */
  dir: string;
  /** Why newer candidate folders were passed over (empty when `checkpoint/` itself was read). */
  skipped: string[];
}

function dtypeOf(a: StateArray): ArrayDtype {
  if (a instanceof Float32Array) return 'float32';
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  return 'uint8';
}

function arrayFrom(buf: Buffer, dtype: ArrayDtype): StateArray {
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

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether `dir` holds a complete checkpoint: a manifest that parses and every listed file at its
 * listed size (cheap: no checksums; those are checked on read).
 */
async function isComplete(dir: string): Promise<boolean> {
  try {
    const manifest = checkManifest(
      await readJsonFile(join(dir, 'manifest.json')),
      join(dir, 'manifest.json'),
    );
    for (const [file, size] of Object.entries(manifest.files)) {
      const info = await stat(await insideDir(dir, file, 'manifest.json'));
      if (!info.isFile() || info.size !== size) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** The folder of the newest complete checkpoint of `runDir`, or null if there is none. */
export async function checkpointDir(runDir: string): Promise<string | null> {
  for (const name of CANDIDATES) if (await isComplete(join(runDir, name))) return join(runDir, name);
  return null;
}

/** Step 0 of writing (see the header): the newest complete checkpoint is `checkpoint/`, alone. */
async function settle(runDir: string): Promise<void> {
  const [tmp, current, old] = CANDIDATES.map((n) => join(runDir, n));
  const newest = await checkpointDir(runDir);
  if (newest === tmp) {
    if (await exists(current)) {
      await removeTree(old);
      await rename(current, old);
    }
    await rename(tmp, current);
  } else if (newest === old || newest === null) {
    if (await exists(current)) {
      const stamp = new Date().toISOString().replace(/[-:.]/g, '');
      await rename(current, join(runDir, `${DIR}.damaged-${stamp}`));
    }
    if (newest === old) await rename(old, current);
  }
  await syncDir(runDir);
  await removeTree(tmp);
  await removeTree(old);
}

/** Writes a checkpoint of `parts` into `runDir` (see the file header for the protocol). */
export async function writeCheckpoint(
  runDir: string,
  algo: string,
  step: number,
  parts: Record<string, StateBundle>,
): Promise<void> {
  await mkdirDurable(runDir);
  await settle(runDir);
  const tmp = join(runDir, `${DIR}.tmp`);
  await mkdir(tmp);
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    algo,
    step,
    savedAt: new Date().toISOString(),
    parts: {},
    files: {},
    checksums: {},
  };
  const checksums = manifest.checksums as Record<string, number>;
  const put = async (file: string, bytes: Uint8Array) => {
    await writeAndSync(join(tmp, file), bytes);
    manifest.files[file] = bytes.byteLength;
    checksums[file] = crc32c(bytes);
  };
  const json: Record<string, unknown> = {};
  for (const [part, bundle] of Object.entries(parts)) {
    const entry: CheckpointManifest['parts'][string] = { arrays: {}, models: {} };
    json[part] = bundle.json;
    for (const [name, array] of Object.entries(bundle.arrays)) {
      const file = arrayFile(part, name);
      await put(file, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      entry.arrays[name] = { file, dtype: dtypeOf(array), length: array.length };
    }
    for (const [name, model] of Object.entries(bundle.models)) {
      const dir = modelDir(part, name);
      await mkdir(join(tmp, dir));
      await saveModelToDir(model, join(tmp, dir));
      for (const file of ['model.json', 'weights.bin']) {
        const bytes = await readRegularFile(join(tmp, dir, file), Number.MAX_SAFE_INTEGER);
        manifest.files[`${dir}/${file}`] = bytes.byteLength;
        checksums[`${dir}/${file}`] = crc32c(bytes);
      }
      entry.models[name] = dir;
    }
    manifest.parts[part] = entry;
  }
  await put('state.json', Buffer.from(JSON.stringify(json)));
  await writeFileDurable(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 1));
  await syncDir(runDir);
  const current = join(runDir, DIR);
  const old = join(runDir, `${DIR}.old`);
  if (await exists(current)) await rename(current, old);
  await rename(tmp, current);
  await syncDir(runDir);
  await removeTree(old);
}

/**
 * Reads and verifies the checkpoint of `runDir`: the newest complete one (see the header).
 * Throws an Error that names the file and says why when the run directory or its checkpoint is
 * missing, truncated, edited or was written by something else.
 */
export async function readCheckpoint(
  runDir: string,
  expectedAlgo?: string,
  templates: ModelTemplates = {},
): Promise<LoadedCheckpoint> {
  if (!(await exists(runDir))) throw new Error(`run directory ${runDir} does not exist`);
  const errors: string[] = [];
  for (const name of CANDIDATES) {
    const dir = join(runDir, name);
    if (!(await exists(join(dir, 'manifest.json')))) continue;
    try {
      const loaded = await readCheckpointDir(dir, runDir, expectedAlgo, templates);
      return { ...loaded, dir, skipped: errors };
    } catch (err) {
      errors.push((err as Error).message);
      if ((err as { wrongAlgo?: boolean }).wrongAlgo) throw err;
    }
  }
  if (errors.length > 0) throw new Error(errors[0]);
  throw new Error(
    `${runDir} has no checkpoint (no ${DIR}/manifest.json): the run was never saved, or this is not a pixelrl run directory`,
  );
}

async function readCheckpointDir(
  dir: string,
  runDir: string,
  expectedAlgo: string | undefined,
  templates: ModelTemplates,
): Promise<Omit<LoadedCheckpoint, 'dir' | 'skipped'>> {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = checkManifest(await readJsonFile(manifestPath), manifestPath);
  if (expectedAlgo !== undefined && manifest.algo !== expectedAlgo) {
    throw Object.assign(new Error(`${runDir} is a ${manifest.algo} run, not ${expectedAlgo}`), {
      wrongAlgo: true,
    });
  }
  /** A listed file's bytes, its size and checksum verified. */
  const read = async (file: string): Promise<Buffer> => {
    const path = await insideDir(dir, file, manifestPath);
    const bytes = await readRegularFile(path, Number.MAX_SAFE_INTEGER, manifest.files[file]).catch(
      (err: Error) => {
        throw new Error(`checkpoint file ${err.message}: the checkpoint is truncated or damaged`);
      },
    );
    const sum = manifest.checksums?.[file];
    if (sum !== undefined && crc32c(bytes) !== sum) {
      throw new Error(
        `checkpoint file ${path} does not match its checksum: the checkpoint is damaged or was edited`,
      );
    }
    return bytes;
  };
  for (const file of Object.keys(manifest.files)) {
    // Sizes first, for every file, before anything large is read.
    const path = await insideDir(dir, file, manifestPath);
    const size = await stat(path).then(
      (s) => (s.isFile() ? s.size : -2),
      () => -1,
    );
    if (size !== manifest.files[file]) {
      const was = size === -1 ? 'missing' : size === -2 ? 'not a regular file' : `${size} bytes`;
      throw new Error(
        `checkpoint file ${path} is ${was}, expected ${manifest.files[file]}: the checkpoint is truncated or damaged`,
      );
    }
  }
  const stateText = (await read('state.json')).toString('utf8');
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(stateText) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${join(dir, 'state.json')} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new Error(`${join(dir, 'state.json')} is not an object of parts`);
  }
  const parts: Record<string, StateBundle> = {};
  try {
    for (const [part, entry] of Object.entries(manifest.parts)) {
      const partJson = json[part] ?? {};
      if (typeof partJson !== 'object' || partJson === null || Array.isArray(partJson)) {
        throw new Error(`${join(dir, 'state.json')}: part '${part}' is not an object`);
      }
      const bundle: StateBundle = { json: partJson as Record<string, unknown>, arrays: {}, models: {} };
      parts[part] = bundle;
      for (const [name, a] of Object.entries(entry.arrays)) {
        const bytes = await read(a.file);
        if (bytes.byteLength !== a.length * BYTES_PER_ELEMENT[a.dtype])
          throw new Error(`${a.file}: wrong size`);
        bundle.arrays[name] = arrayFrom(bytes, a.dtype);
      }
      for (const [name, sub] of Object.entries(entry.models)) {
        for (const file of ['model.json', 'weights.bin']) await read(`${sub}/${file}`);
        bundle.models[name] = await loadModelFromDir(join(dir, sub), templates[part]?.[name]);
      }
    }
  } catch (err) {
    disposeCheckpoint({ parts });
    throw err;
  }
  return { manifest, parts };
}

/** Disposes the models of a loaded checkpoint. */
export function disposeCheckpoint(loaded: Pick<LoadedCheckpoint, 'parts'>): void {
  for (const part of Object.values(loaded.parts)) for (const m of Object.values(part.models)) m.dispose();
}
