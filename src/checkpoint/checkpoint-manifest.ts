/**
 * manifest.json of a checkpoint: its type, and the check that a manifest read from disk is one
 * pixelrl wrote: every part's array and model entries name the file this writer gives them
 * (`<part>.<name>.bin`, `<part>.<name>/`), every size agrees, every path stays inside the
 * checkpoint folder. A manifest that fails says which file and which entry.
 */
import { isAbsolute, normalize } from 'node:path';

export const CHECKPOINT_FORMAT = 'pixelrl-checkpoint';
export const CHECKPOINT_VERSION = 1;

export type ArrayDtype = 'float32' | 'float64' | 'int32' | 'uint8';

export const BYTES_PER_ELEMENT: Record<ArrayDtype, number> = { float32: 4, float64: 8, int32: 4, uint8: 1 };

export interface ArrayEntry {
  file: string;
  dtype: ArrayDtype;
  length: number;
}

export interface PartEntry {
  arrays: Record<string, ArrayEntry>;
  models: Record<string, string>;
}

/** manifest.json of a checkpoint. */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  algo: string;
  /** Agent steps at save time (for messages; the parts hold the real counters). */
  step: number;
  savedAt: string;
  parts: Record<string, PartEntry>;
  /** Every file of the checkpoint (relative path) with its size in bytes. */
  files: Record<string, number>;
  /** CRC-32C of every file (absent in checkpoints written before it was added). */
  checksums?: Record<string, number>;
}

/** A part's or array's name as a file name: anything but word characters, '.' and '-' becomes '_'. */
export const safeName = (name: string): string => name.replace(/[^\w.-]/g, '_');
export const arrayFile = (part: string, name: string): string => `${safeName(part)}.${safeName(name)}.bin`;
export const modelDir = (part: string, name: string): string => `${safeName(part)}.${safeName(name)}`;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Checks `value` (manifest.json at `path`) and returns it typed; throws an Error naming `path`. */
export function checkManifest(value: unknown, path: string): CheckpointManifest {
  const bad = (what: string): never => {
    throw new Error(`checkpoint manifest ${path}: ${what}`);
  };
  if (!isRecord(value)) return bad('not a JSON object');
  if (value.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `${path} was not written by pixelrl (manifest format is ${JSON.stringify(value.format)})`,
    );
  }
  if (value.version !== CHECKPOINT_VERSION) {
    throw new Error(
      `${path} is checkpoint version ${JSON.stringify(value.version)}; this pixelrl reads version ${CHECKPOINT_VERSION}`,
    );
  }
  if (typeof value.algo !== 'string') bad('algo is not a string');
  if (!isCount(value.step)) bad(`step ${JSON.stringify(value.step)} is not a count of steps`);
  const files = value.files;
  if (!isRecord(files)) return bad("'files' is not an object of sizes");
  for (const [file, size] of Object.entries(files)) {
    if (isAbsolute(file) || normalize(file).startsWith('..') || file.includes('\\') || file.includes('\0')) {
      bad(`file entry ${JSON.stringify(file)} leads outside the checkpoint folder`);
    }
    if (!isCount(size)) bad(`the size of ${file} is ${JSON.stringify(size)}`);
  }
  if (value.checksums !== undefined) {
    if (!isRecord(value.checksums)) bad("'checksums' is not an object");
    for (const [file, sum] of Object.entries(value.checksums as Record<string, unknown>)) {
      if (!(file in files)) bad(`checksum of ${file}, which is not in 'files'`);
      if (!isCount(sum) || (sum as number) > 0xffffffff)
        bad(`the checksum of ${file} is ${JSON.stringify(sum)}`);
    }
  }
  if (!('state.json' in files)) bad("'files' does not list state.json");
  const parts = value.parts;
  if (!isRecord(parts)) return bad("'parts' is not an object");
  for (const [part, entry] of Object.entries(parts)) {
    if (!isRecord(entry) || !isRecord(entry.arrays) || !isRecord(entry.models)) {
      bad(`part '${part}' needs 'arrays' and 'models' objects`);
    }
    const { arrays, models } = entry as { arrays: Record<string, unknown>; models: Record<string, unknown> };
    for (const [name, a] of Object.entries(arrays)) {
      const where = `array '${part}.${name}'`;
      if (!isRecord(a)) return bad(`${where} is not an object`);
      if (a.file !== arrayFile(part, name))
        bad(`${where} names file ${JSON.stringify(a.file)}, not ${arrayFile(part, name)}`);
      if (typeof a.dtype !== 'string' || !(a.dtype in BYTES_PER_ELEMENT))
        bad(`${where} has dtype ${JSON.stringify(a.dtype)}`);
      if (!isCount(a.length)) bad(`${where} has length ${JSON.stringify(a.length)}`);
      const bytes = (a.length as number) * BYTES_PER_ELEMENT[a.dtype as ArrayDtype];
      if (files[a.file as string] !== bytes) {
        bad(
          `${where} of ${a.length} ${a.dtype} needs ${bytes} bytes; 'files' lists ${JSON.stringify(files[a.file as string])}`,
        );
      }
    }
    for (const [name, dir] of Object.entries(models)) {
      if (dir !== modelDir(part, name)) {
        bad(`model '${part}.${name}' names folder ${JSON.stringify(dir)}, not ${modelDir(part, name)}`);
      }
      for (const file of ['model.json', 'weights.bin']) {
        if (!(`${dir}/${file}` in files))
          bad(`'files' does not list ${dir}/${file} of model '${part}.${name}'`);
      }
    }
  }
  if (typeof value.savedAt !== 'string') bad('savedAt is not a string');
  return value as unknown as CheckpointManifest;
}
