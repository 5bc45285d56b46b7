/**
 * The learner's end of the experience stream: a consumer group `learner` with one consumer.
 *
 *   read():  first the consumer's pending entries (delivered before a crash, never acknowledged),
 *            then new ones (`>`); entries up to `lastInserted` are already in the checkpoint the
 *            learner resumed from, so they are acknowledged and skipped, never inserted twice
 *   ackAll(): after a checkpoint: XACK of every entry inserted so far — an entry is acknowledged
 *            only once a checkpoint holds its transitions, so kill -9 loses nothing acknowledged
 *
 * A restarted Redis (no persistence) has no group: NOGROUP → the group is made again from the
 * stream's start (what actors added since), and `onRecreated` republishes the spec and weights.
 */
import type { Redis } from 'ioredis';
import { CONSUMER, GROUP, type RunKeys } from './redis.js';

export interface StreamEntry {
  id: string;
  /** The encoded message; null when the entry was trimmed before it was read. */
  data: Buffer | null;
  compressed: boolean;
}

/** Stream ids compare as (milliseconds, sequence). */
export function compareIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(BigInt);
  const [bm, bs] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}

export class LearnerStream {
  /** Ids inserted since the last acknowledgement. */
  private unacked: string[] = [];
  private pendingDone = false;
  private pendingCursor = '0';

  constructor(
    private readonly redis: Redis,
    private readonly keys: RunKeys,
    /** The newest entry a checkpoint holds ('0-0' for a new run). */
    public lastInserted: string,
    private readonly onRecreated: () => Promise<void>,
  ) {}

  /** Makes the group (at the stream's end for a new run, at its start after a Redis restart). */
  async ensureGroup(startId: '$' | '0'): Promise<void> {
    try {
      await this.redis.xgroup('CREATE', this.keys.stream, GROUP, startId, 'MKSTREAM');
    } catch (err) {
      if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
    }
  }

  /** Up to `count` entries, waiting at most `blockMs` for new ones. */
  async read(count: number, blockMs: number): Promise<StreamEntry[]> {
    try {
      return await this.readOnce(count, blockMs);
    } catch (err) {
      if (!String((err as Error).message).includes('NOGROUP')) throw err;
      await this.ensureGroup('0');
      this.pendingDone = true;
      await this.onRecreated();
      return [];
    }
  }

  private async readOnce(count: number, blockMs: number): Promise<StreamEntry[]> {
    const pending = !this.pendingDone;
    const args = pending
      ? ['GROUP', GROUP, CONSUMER, 'COUNT', String(count), 'STREAMS', this.keys.stream, this.pendingCursor]
      : [
          'GROUP',
          GROUP,
          CONSUMER,
          'COUNT',
          String(count),
          'BLOCK',
          String(blockMs),
          'STREAMS',
          this.keys.stream,
          '>',
        ];
    const reply = (await this.redis.callBuffer('XREADGROUP', ...args)) as
      | [Buffer, [Buffer, Buffer[] | null][]][]
      | null;
    const raw = reply?.[0]?.[1] ?? [];
    if (pending && raw.length === 0) this.pendingDone = true;
    const entries: StreamEntry[] = [];
    const skipped: string[] = [];
    for (const [idBuf, fields] of raw) {
      const id = idBuf.toString();
      if (pending) this.pendingCursor = id;
      if (compareIds(id, this.lastInserted) <= 0) {
        skipped.push(id);
        continue;
      }
      entries.push({ id, ...parseFields(fields) });
    }
    if (skipped.length > 0) await this.redis.xack(this.keys.stream, GROUP, ...skipped);
    return entries;
  }

  /** Records that entry `id`'s transitions are in the replay (entries are inserted in id order). */
  inserted(id: string): void {
    this.lastInserted = id;
    this.unacked.push(id);
  }

  /** Acknowledges every inserted entry (call once a checkpoint holds them). */
  async ackAll(): Promise<number> {
    if (this.unacked.length === 0) return 0;
    const ids = this.unacked;
    this.unacked = [];
    await this.redis.xack(this.keys.stream, GROUP, ...ids);
    return ids.length;
  }

  /** Entries inserted and not yet acknowledged. */
  get unackedCount(): number {
    return this.unacked.length;
  }
}

function parseFields(fields: Buffer[] | null): Omit<StreamEntry, 'id'> {
  if (fields === null) return { data: null, compressed: false };
  let data: Buffer | null = null;
  let compressed = false;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const name = fields[i].toString();
    if (name === 'm') data = fields[i + 1];
    else if (name === 'z') compressed = fields[i + 1].toString() === '1';
  }
  return { data, compressed };
}
