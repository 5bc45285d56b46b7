/**
 * Replay snapshots: the whole buffer (frames, per-slot fields, write positions, sampler state and
 * priorities, optionally the sampling RNG) to one file and back.
 *
 * File layout:
 *   "PIXELRL-REPLAY\n" + version byte                         16 bytes
 *   record*: [u32 LE body length][sha256 of body, 32 bytes][body: MessagePack]
 *     { kind: 'meta', state without arrays, arrays: [{ name, type, length }], rng? }
 *     { kind: 'array', name, offset (bytes), bytes }        one per slice of at most 16 MiB
 *     { kind: 'end', records }
 *
 * Saving streams slice by slice (a 7 GB buffer needs ~32 MiB more while saving), into a
 * temporary file that is renamed over the target only once complete, so a crash never leaves a
 * half-written snapshot under the real name. Loading refuses foreign files (magic), corrupted
 * records (hash), truncated files (no end record) and snapshots of another shape, each with a
 * message that says which. A load builds a new buffer, so a failed load damages nothing.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { Packr, Unpackr } from 'msgpackr';
import { Rng, type RngState } from '../src/util/rng.js';
import type { FrameDtype } from './frame-store.js';
import type { MemoryProbe } from './memory-check.js';
import { ReplayBuffer, type ReplayBufferState, type StateArray } from './replay-buffer.js';

const MAGIC = Buffer.from('PIXELRL-REPLAY\n\u0001', 'latin1');
const SLICE_BYTES = 16 * 1024 * 1024;
const HASH_BYTES = 32;

interface ArrayInfo {
  name: string;
  type: string;
  length: number;
}

interface MetaRecord {
  kind: 'meta';
  config: ReplayBufferState['config'];
  store: ReplayBufferState['store'];
  sampler: ReplayBufferState['sampler'];
  arrays: ArrayInfo[];
  rng?: RngState;
}

type SnapshotRecord =
  | MetaRecord
  | { kind: 'array'; name: string; offset: number; bytes: Uint8Array }
  | { kind: 'end'; records: number };

export interface SaveSnapshotOptions {
  /** The RNG the training loop samples with, saved alongside so that a resume is exact. */
  rng?: Rng;
}

export interface LoadedSnapshot<D extends FrameDtype> {
  buffer: ReplayBuffer<D>;
  /** The RNG saved with the snapshot, if one was. */
  rng?: Rng;
}

function bytesOf(array: StateArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Writes `buffer` to `path` (atomically: a temporary file, then rename). */
export async function saveReplaySnapshot(
  path: string,
  buffer: ReplayBuffer<FrameDtype>,
  options: SaveSnapshotOptions = {},
): Promise<void> {
  const state = buffer.getState();
  const packr = new Packr({ useRecords: false });
  const temporary = `${path}.tmp-${process.pid}`;
  const file = await open(temporary, 'w');
  let records = 0;
  const write = async (record: SnapshotRecord) => {
    const body = packr.pack(record);
    const head = Buffer.alloc(4 + HASH_BYTES);
    head.writeUInt32LE(body.length, 0);
    createHash('sha256').update(body).digest().copy(head, 4);
    await file.write(head);
    await file.write(body);
    records++;
  };
  try {
    await file.write(MAGIC);
    const arrays = Object.entries(state.arrays).map(([name, a]) => ({
      name,
      type: a.constructor.name,
      length: a.length,
    }));
    const meta: MetaRecord = {
      kind: 'meta',
      config: state.config,
      store: state.store,
      sampler: state.sampler,
      arrays,
    };
    if (options.rng) meta.rng = options.rng.getState();
    await write(meta);
    for (const [name, array] of Object.entries(state.arrays)) {
      const bytes = bytesOf(array);
      for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) {
        await write({ kind: 'array', name, offset, bytes: bytes.subarray(offset, offset + SLICE_BYTES) });
      }
    }
    await write({ kind: 'end', records: records + 1 });
    await file.sync();
    await file.close();
    await rename(temporary, path);
  } catch (error) {
    await file.close().catch(() => {});
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Reads a snapshot written by {@link saveReplaySnapshot} into a new buffer. */
export async function loadReplaySnapshot<D extends FrameDtype = FrameDtype>(
  path: string,
  probe?: MemoryProbe,
): Promise<LoadedSnapshot<D>> {
  const file = await open(path, 'r');
  try {
    const reader = new RecordReader(file, path);
    await reader.checkMagic();
    const meta = await reader.next();
    if (meta?.kind !== 'meta')
      throw new Error(`${path}: replay snapshot has no meta record at the start; it is corrupted`);
    const buffer = new ReplayBuffer<D>(meta.config as ReplayBuffer<D>['config'], probe);
    const targets = buffer.getState().arrays;
    const expected = Object.entries(targets).map(([name, a]) => ({
      name,
      type: a.constructor.name,
      length: a.length,
    }));
    if (JSON.stringify(expected) !== JSON.stringify(meta.arrays)) {
      throw new Error(
        `${path}: the snapshot's arrays do not match its config (${JSON.stringify(meta.arrays).slice(0, 200)})`,
      );
    }
    const filled = new Map<string, number>();
    let records = 1;
    for (;;) {
      const record = await reader.next();
      if (record === null)
        throw new Error(
          `${path}: replay snapshot is truncated (no end record); it was not completely written`,
        );
      records++;
      if (record.kind === 'end') {
        if (record.records !== records)
          throw new Error(`${path}: replay snapshot has ${records} records, its end says ${record.records}`);
        break;
      }
      if (record.kind !== 'array' || !(record.name in targets)) {
        throw new Error(
          `${path}: unexpected record ${JSON.stringify(record).slice(0, 100)} in replay snapshot`,
        );
      }
      const target = bytesOf(targets[record.name]);
      if (
        record.offset !== (filled.get(record.name) ?? 0) ||
        record.offset + record.bytes.length > target.length
      ) {
        throw new Error(
          `${path}: array "${record.name}" slice at byte ${record.offset} is out of order or too long`,
        );
      }
      target.set(record.bytes, record.offset);
      filled.set(record.name, record.offset + record.bytes.length);
    }
    for (const [name, array] of Object.entries(targets)) {
      if ((filled.get(name) ?? 0) !== array.byteLength)
        throw new Error(`${path}: array "${name}" is incomplete in the snapshot`);
    }
    buffer.setState({ config: meta.config, store: meta.store, sampler: meta.sampler, arrays: targets });
    return meta.rng ? { buffer, rng: Rng.fromState(meta.rng) } : { buffer };
  } finally {
    await file.close();
  }
}

/** Reads length-prefixed, hashed MessagePack records one at a time. */
class RecordReader {
  private position = 0;
  private readonly unpackr = new Unpackr({ useRecords: false });
  private readonly head = Buffer.alloc(4 + HASH_BYTES);
  private body = Buffer.alloc(0);

  constructor(
    private readonly file: FileHandle,
    private readonly path: string,
  ) {}

  async checkMagic(): Promise<void> {
    const magic = Buffer.alloc(MAGIC.length);
    const { bytesRead } = await this.file.read(magic, 0, magic.length, 0);
    if (bytesRead !== magic.length || !magic.equals(MAGIC)) {
      throw new Error(
        `${this.path}: not a pixelrl replay snapshot (or of another version); expected it to start with "PIXELRL-REPLAY"`,
      );
    }
    this.position = magic.length;
  }

  /** The next record, or null at the end of the file. */
  async next(): Promise<SnapshotRecord | null> {
    const { bytesRead } = await this.file.read(this.head, 0, this.head.length, this.position);
    if (bytesRead === 0) return null;
    if (bytesRead < this.head.length) throw this.truncated();
    const length = this.head.readUInt32LE(0);
    if (length > 2 * SLICE_BYTES)
      throw new Error(`${this.path}: replay snapshot record of ${length} bytes; the file is corrupted`);
    if (this.body.length < length) this.body = Buffer.alloc(length);
    const body = this.body.subarray(0, length);
    const read = await this.file.read(body, 0, length, this.position + this.head.length);
    if (read.bytesRead < length) throw this.truncated();
    if (!createHash('sha256').update(body).digest().equals(this.head.subarray(4))) {
      throw new Error(
        `${this.path}: replay snapshot is corrupted (checksum mismatch in the record at byte ${this.position})`,
      );
    }
    this.position += this.head.length + length;
    return this.unpackr.unpack(body) as SnapshotRecord;
  }

  private truncated(): Error {
    return new Error(
      `${this.path}: replay snapshot is truncated at byte ${this.position}; it was not completely written`,
    );
  }
}
