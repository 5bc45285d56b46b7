/**
 * Atomic file output: everything is written to a temporary file beside the target, fsynced and
 * renamed over it at the end, so a crash or an error half-way never leaves a truncated image behind and a
 * reader never sees a partial file (rename is atomic within one directory on POSIX and NTFS).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A file being written; `commit()` renames it into place, `abort()` deletes it. */
export interface AtomicFile {
  /** The temporary path being written. */
  readonly tempPath: string;
  /** The descriptor of the temporary file. */
  readonly fd: number;
  write(bytes: Uint8Array): void;
  commit(): void;
  abort(): void;
}

/** Opens `path`'s temporary sibling for writing (creating the directory if needed). */
export function openAtomic(path: string): AtomicFile {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tempPath = join(dir, `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tempPath, 'w');
  let open = true;
  const close = (): void => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    tempPath,
    fd,
    write(bytes: Uint8Array): void {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    },
    commit(): void {
      // On disk before it takes the name: a crash after the rename never leaves an empty file.
      fsyncSync(fd);
      close();
      renameSync(tempPath, path);
    },
    abort(): void {
      close();
      rmSync(tempPath, { force: true });
    },
  };
}

/** Writes `data` to `path` atomically. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const file = openAtomic(path);
  try {
    file.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    file.commit();
  } catch (err) {
    file.abort();
    throw err;
  }
}
