/**
 * Follows a run's metrics.jsonl as the trainer appends to it: each {@link MetricsTail.poll}
 * returns the records of the lines completed since the last one, parsed by src/viz/metrics.ts's
 * parseMetrics (the one reader of the format). A line still being written (no newline yet) waits
 * for the next poll; a file that shrank (a new run under the same name) starts over.
 */
import { open, stat } from 'node:fs/promises';
import type { MetricRecord } from '../../checkpoint/metric-records.js';
import { parseMetrics } from '../../viz/metrics.js';

export interface TailUpdate {
  /** True when the file was replaced or truncated: earlier records no longer hold. */
  restarted: boolean;
  records: MetricRecord[];
}

export class MetricsTail {
  private offset = 0;
  /** Lines read so far (for error messages naming the line). */
  private lines = 0;
  private pending = '';

  constructor(readonly file: string) {}

  async poll(): Promise<TailUpdate> {
    const size = await stat(this.file).then(
      (s) => (s.isFile() ? s.size : -1),
      () => -1,
    );
    let restarted = false;
    if (this.offset > 0 && size < this.offset) {
      this.offset = 0;
      this.lines = 0;
      this.pending = '';
      restarted = true;
    }
    if (size <= this.offset) return { restarted, records: [] };
    const handle = await open(this.file, 'r');
    let chunk: string;
    try {
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buf, 0, buf.length, this.offset);
      this.offset += bytesRead;
      chunk = buf.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
    const text = this.pending + chunk;
    const end = text.lastIndexOf('\n');
    this.pending = text.slice(end + 1);
    if (end < 0) return { restarted, records: [] };
    const complete = text.slice(0, end + 1);
    // Blank padding lines keep parseMetrics' line numbers those of the file.
    const records = parseMetrics('\n'.repeat(this.lines) + complete, this.file);
    this.lines += complete.split('\n').length - 1;
    return { restarted, records };
  }
}
