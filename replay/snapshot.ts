/**
 * Replay snapshots: the whole buffer (frames, per-slot fields, write positions, sampler state and
 * priorities, optionally the sampling RNG) to one file and back.
 *
 * File layout:
 *   "PIXELRL-REPLAY\n" + version byte                                        16 bytes
 *   record*: [u32 LE head length][u32 LE payload length][sha256 of head][sha256 of payload]
 *            [head: MessagePack][payload: raw bytes]
 *     { kind: 'meta', state without arrays, arrays: [{ name, type, length }], rng? }   no payload
 *     { kind: 'array', name, offset (bytes) }    payload: one slice (<= 16 MiB) of that array
 *     { kind: 'end', records }                                                      no payload
 *
 * Array slices go to disk straight from the buffer's memory and come back straight into the new
 * buffer's memory (no copies through MessagePack), one slice in flight, so a 7 GB buffer needs
 * only tens of MiB more while saving. Saving writes a temporary file and renames it over the
 * target once complete: a crash never leaves a half-written snapshot under the real name. Do not
 * add to the buffer until the returned promise resolves. Loading refuses foreign files (magic),
 * corrupted records (hash), truncated files (no end record) and snapshots of another shape, each
 * with a message that says which; it builds a new buffer, so a failed load damages nothing.
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { Packr, Unpackr } from 'msgpackr';
import { Rng, type RngState } from '../src/util/rng.js';
import type { StateArray } from '../src/util/state-bundle.js';
import type { FrameDtype } from './frame-store.js';
import type { MemoryProbe } from './memory-check.js';
import { ReplayBuffer, type ReplayBufferState } from './replay-buffer.js';

const MAGIC = Buffer.from('PIXELRL-REPLAY\n\u0001', 'latin1');
const SLICE_BYTES = 16 * 1024 * 1024;
const PREFIX_BYTES = 4 + 4 + 32 + 32;
const MAX_HEAD_BYTES = 64 * 1024 * 1024;

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

type RecordHead =
  | MetaRecord
  | { kind: 'array'; name: string; offset: number }
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

function describeArrays(arrays: Record<string, StateArray>): ArrayInfo[] {
  return Object.entries(arrays).map(([name, a]) => ({ name, type: a.constructor.name, length: a.length }));
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
  // One write in flight while the next record is hashed: the disk and the hash overlap.
  let inFlight: Promise<unknown> = Promise.resolve();
  const write = async (head: RecordHead, payload: Uint8Array = new Uint8Array(0)) => {
    const headBytes = Buffer.from(packr.pack(head)); // copied: a Packr reuses its output buffer
    const prefix = Buffer.alloc(PREFIX_BYTES);
    prefix.writeUInt32LE(headBytes.length, 0);
    prefix.writeUInt32LE(payload.length, 4);
    createHash('sha256').update(headBytes).digest().copy(prefix, 8);
    createHash('sha256').update(payload).digest().copy(prefix, 40);
    await inFlight;
    inFlight = file.writev([prefix, headBytes, payload]);
    inFlight.catch(() => {}); // rethrown by the next `await inFlight`; not unhandled meanwhile
    records++;
  };
  try {
    await file.write(MAGIC);
    const { config, store, sampler } = state;
    const meta: MetaRecord = { kind: 'meta', config, store, sampler, arrays: describeArrays(state.arrays) };
    if (options.rng) meta.rng = options.rng.getState();
    await write(meta);
    for (const [name, array] of Object.entries(state.arrays)) {
      const bytes = bytesOf(array);
      for (let offset = 0; offset < bytes.length; offset += SLICE_BYTES) {
        await write({ kind: 'array', name, offset }, bytes.subarray(offset, offset + SLICE_BYTES));
      }
    }
    await write({ kind: 'end', records: records + 1 });
    await inFlight;
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
    await reader.payloadInto(new Uint8Array(0));
    const buffer = new ReplayBuffer<D>(meta.config as ReplayBuffer<D>['config'], probe);
    const targets = buffer.getState().arrays;
    if (JSON.stringify(describeArrays(targets)) !== JSON.stringify(meta.arrays)) {
      throw new Error(
        `${path}: the snapshot's arrays do not match its config (${JSON.stringify(meta.arrays).slice(0, 200)})`,
      );
    }
    const filled = new Map<string, number>();
    let records = 1;
    for (;;) {
      const head = await reader.next();
      if (head === null)
        throw new Error(
          `${path}: replay snapshot is truncated (no end record); it was not completely written`,
        );
      records++;
      if (head.kind === 'end') {
        await reader.payloadInto(new Uint8Array(0));
        if (head.records !== records)
          throw new Error(`${path}: replay snapshot has ${records} records, its end says ${head.records}`);
        break;
      }
      if (head.kind !== 'array' || !Object.hasOwn(targets, head.name)) {
        throw new Error(
          `${path}: unexpected record ${JSON.stringify(head).slice(0, 100)} in replay snapshot`,
        );
      }
      const target = bytesOf(targets[head.name]);
      const end = head.offset + reader.payloadLength;
      if (head.offset !== (filled.get(head.name) ?? 0) || end > target.length) {
        throw new Error(
          `${path}: array "${head.name}" slice at byte ${head.offset} is out of order or too long`,
        );
      }
      await reader.payloadInto(target.subarray(head.offset, end));
      filled.set(head.name, end);
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

/** Reads records one at a time: `next()` for the head, then `payloadInto()` to read and verify the rest. */
class RecordReader {
  private position = 0;
  private readonly unpackr = new Unpackr({ useRecords: false });
  private readonly prefix = Buffer.alloc(PREFIX_BYTES);
  private recordStart = 0;
  /** Payload bytes of the current record. */
  payloadLength = 0;

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

  /** The next record's head, or null at the end of the file. */
  async next(): Promise<RecordHead | null> {
    this.recordStart = this.position;
    const { bytesRead } = await this.file.read(this.prefix, 0, PREFIX_BYTES, this.position);
    if (bytesRead === 0) return null;
    if (bytesRead < PREFIX_BYTES) throw this.truncated();
    const headLength = this.prefix.readUInt32LE(0);
    this.payloadLength = this.prefix.readUInt32LE(4);
    if (headLength > MAX_HEAD_BYTES || this.payloadLength > SLICE_BYTES) {
      throw new Error(
        `${this.path}: replay snapshot record at byte ${this.position} has impossible lengths; the file is corrupted`,
      );
    }
    const head = Buffer.alloc(headLength);
    await this.readExactly(head, this.position + PREFIX_BYTES);
    this.position += PREFIX_BYTES + headLength;
    if (!createHash('sha256').update(head).digest().equals(this.prefix.subarray(8, 40)))
      throw this.corrupted();
    try {
      return this.unpackr.unpack(head) as RecordHead;
    } catch {
      throw this.corrupted();
    }
  }

  /** Reads the current record's payload into `dest` (exactly payloadLength bytes) and checks the hash. */
  async payloadInto(dest: Uint8Array): Promise<void> {
    if (dest.length !== this.payloadLength) throw this.corrupted();
    await this.readExactly(dest, this.position);
    this.position += dest.length;
    if (!createHash('sha256').update(dest).digest().equals(this.prefix.subarray(40))) throw this.corrupted();
  }

  private async readExactly(dest: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < dest.length) {
      const { bytesRead } = await this.file.read(dest, done, dest.length - done, position + done);
      if (bytesRead === 0) throw this.truncated();
      done += bytesRead;
    }
  }

  private corrupted(): Error {
    return new Error(
      `${this.path}: replay snapshot is corrupted (checksum mismatch in the record at byte ${this.recordStart})`,
    );
  }

  private truncated(): Error {
    return new Error(
      `${this.path}: replay snapshot is truncated at byte ${this.recordStart}; it was not completely written`,
    );
  }
}
