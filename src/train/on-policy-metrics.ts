/**
 * The small output helpers of the on-policy loop: the metrics.jsonl writer (one JSON object per
 * line, the project's fixed format), a running mean over the last k episode returns, and the
 * progress bar (cli-progress, on stderr so stdout stays parseable).
 */
import { createWriteStream, renameSync, type WriteStream, writeFileSync } from 'node:fs';
import cliProgress from 'cli-progress';

export interface MetricsSink {
  /** Appends one line (a no-op without a file). */
  line(record: Record<string, unknown>): void;
  /** Writes a JSON file atomically (temp file + rename), e.g. config.json. */
  writeJson(path: string, value: unknown): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/** A metrics.jsonl writer at `path`, or a sink that drops everything when `path` is null. */
export function openMetrics(path: string | null): MetricsSink {
  const stream: WriteStream | null = path === null ? null : createWriteStream(path, { flags: 'a' });
  return {
    line(record) {
      stream?.write(`${JSON.stringify(record)}\n`);
    },
    writeJson(file, value) {
      if (path === null) return;
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`);
      renameSync(tmp, file);
    },
    close() {
      return new Promise((resolve, reject) => {
        if (stream === null) return resolve();
        stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
      });
    },
  };
}

/** The mean of the last `capacity` values pushed (NaN before the first). */
export class RunningMean {
  private readonly values: Float64Array;
  private next = 0;
  count = 0;
  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  push(x: number): void {
    this.values[this.next] = x;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  mean(): number {
    if (this.count === 0) return Number.NaN;
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.values[i];
    return s / this.count;
  }
}

/** A progress bar over agent steps, showing the 100-episode mean return; silent when disabled. */
export class ProgressLine {
  private readonly bar: cliProgress.SingleBar | null;
  constructor(total: number, enabled: boolean) {
    this.bar = enabled
      ? new cliProgress.SingleBar(
          {
            format: 'steps {bar} {value}/{total} | {eta_formatted} | mean100 {mean}',
            stream: process.stderr,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0, { mean: 'n/a' });
  }

  update(step: number, mean: number): void {
    this.bar?.update(step, { mean: Number.isNaN(mean) ? 'n/a' : mean.toFixed(1) });
  }

  stop(): void {
    this.bar?.stop();
  }
}
