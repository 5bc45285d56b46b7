/**
 * The file operations a run directory is read and written with, so that nothing a user has is
 * lost and nothing outside the run is read:
 *
 * - writes are durable and atomic: a temp name in the same folder, fsync, rename, fsync the
 *   folder (a kill leaves the old file or the new one, never a torn one);
 * - reads trust nothing: a relative path from a file (a manifest, a model.json) must stay inside
 *   its root once resolved, symlinks included; only regular files are read; the size is checked
 *   against a bound before a byte is allocated.
 *
 * Every error names the file it is about.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The largest JSON file of a run directory read (config.json, manifest.json, state.json, model.json). */
export const MAX_JSON_BYTES = 64 * 1024 * 1024;

/**
 * Resolves `rel` (a path written in a file of `root`) inside `root`; throws unless the result,
 * symlinks followed, is `root` itself or below it. `what` names the referring file for messages.
 */
export async function insideDir(root: string, rel: unknown, what: string): Promise<string> {
  if (typeof rel !== 'string' || rel === '' || rel.includes('\0')) {
    throw new Error(`${what}: ${JSON.stringify(rel)} is not a file name`);
  }
  if (isAbsolute(rel))
    throw new Error(`${what}: path ${rel} is absolute; only paths inside ${root} are read`);
  const path = resolve(root, rel);
  if (!isBelow(resolve(root), path)) {
    throw new Error(`${what}: path ${rel} leads outside ${root}; only paths inside it are read`);
  }
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(path), realpath(root)]);
  } catch {
    return path; // a missing file: the read that follows says so
  }
  if (!isBelow(realRoot, real)) {
    throw new Error(`${what}: ${rel} is a link to ${real}, outside ${root}; only files inside it are read`);
  }
  return path;
}

function isBelow(root: string, path: string): boolean {
  const r = relative(root, path);
  return r === '' || (!r.startsWith(`..${sep}`) && r !== '..' && !isAbsolute(r));
}

/**
 * The bytes of the regular file `path`, refusing anything else (folders, devices, FIFOs) and
 * files over `maxBytes` before reading them. `expectedBytes`, when given, must match the size.
 */
export async function readRegularFile(
  path: string,
  maxBytes: number,
  expectedBytes?: number,
): Promise<Buffer> {
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(path);
  } catch {
    throw new Error(`${path} is missing`);
  }
  if (info.isSymbolicLink()) {
    // insideDir has checked where it leads; what it leads to must be a regular file too.
    info = await lstat(await realpath(path));
  }
  if (!info.isFile()) throw new Error(`${path} is not a regular file`);
  if (expectedBytes !== undefined && info.size !== expectedBytes) {
    throw new Error(
      `${path} is ${info.size} bytes, expected ${expectedBytes}: the file is truncated or foreign`,
    );
  }
  if (info.size > maxBytes)
    throw new Error(`${path} is ${info.size} bytes, more than the ${maxBytes} allowed`);
  // O_NONBLOCK: should the file be swapped for a FIFO after the check, open does not hang.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    if (!opened.isFile() || opened.size !== info.size) throw new Error(`${path} changed while it was read`);
    const buf = Buffer.allocUnsafe(opened.size);
    let offset = 0;
    while (offset < buf.length) {
      const { bytesRead } = await handle.read(buf, offset, buf.length - offset, offset);
      if (bytesRead === 0) throw new Error(`${path} ended at ${offset} of ${buf.length} bytes`);
      offset += bytesRead;
    }
    return buf;
  } finally {
    await handle.close();
  }
}

/** Parses the JSON file `path` (a regular file up to {@link MAX_JSON_BYTES}); the error names it. */
export async function readJsonFile(path: string): Promise<unknown> {
  const text = (await readRegularFile(path, MAX_JSON_BYTES)).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(
      `${path} is not valid JSON (${(err as Error).message}): the file is truncated or foreign`,
    );
  }
}

/** Writes `data` to `path` durably: into `<path>.tmp`, fsync, rename over `path`, fsync the folder. */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp`);
  await writeAndSync(tmp, data);
  await rename(tmp, path);
  await syncDir(dirname(path));
}

/** Writes a new file and fsyncs it (not its folder). */
export async function writeAndSync(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsyncs a folder, so that the renames and creations in it survive a power cut. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a folder; the renames are still atomic there.
  } finally {
    await handle.close();
  }
}

/** mkdir -p, then fsync the parent so the new folder's name is durable. */
export async function mkdirDurable(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await syncDir(dirname(resolve(dir)));
}

/** Removes a folder tree (no error if it is gone). */
export async function removeTree(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}
