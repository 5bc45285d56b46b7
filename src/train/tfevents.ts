/**
 * TensorBoard event files: `<runDir>/events.out.tfevents.<seconds>.<host>.<pid>.<n>`, which
 * `tensorboard --logdir checkpoints/` opens as it is. Each metrics record becomes scalars at its
 * `step`: every finite number in it but the step counters, tagged `<kind>/<field in snake_case>`
 * (`episode/return`, `episode/length`, `train/loss`, `train/mean_q`, `train/epsilon`, `train/sps`,
 * `train/learning_rate`, `eval/mean_return`, ...).
 *
 * Written by hand because no npm package writes event files without native TensorFlow (the
 * tensorboard writers on npm wrap tfjs-node). The format is TensorFlow's record file:
 *
 *   uint64 length (LE) | uint32 masked_crc32c(length bytes) | data | uint32 masked_crc32c(data)
 *   masked_crc32c(x) = ((crc >>> 15) | (crc << 17)) + 0xa282ead8   (mod 2^32)
 *
 * where each `data` is a protobuf `Event` (tensorflow/core/util/event.proto) whose `summary`
 * (tensorflow/core/framework/summary.proto) holds `Value { tag, simple_value }`. The first event
 * is `file_version: "brain.Event:2"`. Appends are synchronous, as metrics.jsonl's are.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import protobuf from 'protobufjs';
import type { MetricRecord } from './metrics.js';

/** The Event and Summary messages, with TensorFlow's field numbers (only the fields written). */
const root = protobuf.Root.fromJSON({
  nested: {
    tensorboard: {
      nested: {
        Event: {
          oneofs: { what: { oneof: ['fileVersion', 'summary'] } },
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            Value: {
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
              },
            },
          },
        },
      },
    },
  },
});
const EventMessage = root.lookupType('tensorboard.Event');

/** Fields of a record that are counters of where it is, not values to plot. */
const NOT_SCALARS = new Set(['kind', 'step', 'frames', 'timeSeconds', 'envIndex', 'episodes']);

/** `meanReturn` → `mean_return`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The scalars a metrics record is written as: `{ tag, value }` for each finite number in it. */
export function recordScalars(record: MetricRecord): { tag: string; value: number }[] {
  const out: { tag: string; value: number }[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (NOT_SCALARS.has(key) || typeof value !== 'number' || !Number.isFinite(value)) continue;
    out.push({ tag: `${record.kind}/${snakeCase(key)}`, value });
  }
  return out;
}

function maskedCrc(data: Uint8Array): number {
  const crc = crc32c(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** One record of TensorFlow's record file format around `data`. */
export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(8 + 4 + data.length + 4);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc(out.subarray(0, 8)), 8);
  out.set(data, 12);
  out.writeUInt32LE(maskedCrc(data), 12 + data.length);
  return out;
}

let filesOpened = 0;

/** Appends metrics records to a new event file in `dir` as TensorBoard scalars. */
export class TfEventsWriter {
  readonly path: string;

  constructor(dir: string, now = Date.now()) {
    // A new file per process (a resumed run adds one; TensorBoard reads every file in the folder).
    const seconds = Math.floor(now / 1000);
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${filesOpened++}`);
    writeFileSync(this.path, this.encode({ wallTime: now / 1000, step: 0, fileVersion: 'brain.Event:2' }));
  }

  /** Writes the record's scalars (nothing when it has none). */
  log(record: MetricRecord): void {
    const value = recordScalars(record).map((s) => ({ tag: s.tag, simpleValue: s.value }));
    if (value.length === 0) return;
    appendFileSync(
      this.path,
      this.encode({ wallTime: Date.now() / 1000, step: record.step, summary: { value } }),
    );
  }

  private encode(event: Record<string, unknown>): Buffer {
    return frameRecord(EventMessage.encode(EventMessage.fromObject(event)).finish());
  }
}
