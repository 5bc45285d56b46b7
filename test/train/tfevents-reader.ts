/**
 * An event-file reader written apart from src/train/tfevents.ts, from TensorFlow's record format
 * and event.proto/summary.proto alone: its own CRC32C (bitwise, Castagnoli polynomial 0x82f63b78),
 * its own protobuf wire decoding. It checks every length and data CRC, so a file it reads is one
 * TensorBoard's reader accepts, and returns the scalars.
 */
import { readFileSync } from 'node:fs';

export interface EventScalar {
  step: number;
  tag: string;
  value: number;
}

export interface EventFile {
  fileVersion: string | null;
  scalars: EventScalar[];
}

function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function masked(bytes: Uint8Array): number {
  const c = crc32c(bytes);
  return (((c >>> 15) | (c << 17)) + 0xa282ead8) >>> 0;
}

/** Protobuf wire format: the fields of one message as (number, wire type, value). */
function* fields(buf: Uint8Array): Generator<{ field: number; wire: number; value: bigint | Uint8Array }> {
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new Error('truncated varint');
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) yield { field, wire, value: varint() };
    else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      yield { field, wire, value: buf.subarray(pos, pos + n) };
      pos += n;
    } else if (wire === 2) {
      const n = Number(varint());
      yield { field, wire, value: buf.subarray(pos, pos + n) };
      pos += n;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Reads an event file; throws on any bad length, CRC or message. */
export function readEventFile(path: string): EventFile {
  const buf = new Uint8Array(readFileSync(path));
  const out: EventFile = { fileVersion: null, scalars: [] };
  let pos = 0;
  while (pos < buf.length) {
    if (pos + 12 > buf.length) throw new Error(`truncated record header at byte ${pos}`);
    const header = buf.subarray(pos, pos + 8);
    const length = Number(view(header).getBigUint64(0, true));
    if (view(buf).getUint32(pos + 8, true) !== masked(header)) throw new Error(`bad length CRC at ${pos}`);
    const data = buf.subarray(pos + 12, pos + 12 + length);
    if (data.length !== length || pos + 16 + length > buf.length)
      throw new Error(`truncated record at ${pos}`);
    if (view(buf).getUint32(pos + 12 + length, true) !== masked(data))
      throw new Error(`bad data CRC at ${pos}`);
    pos += 16 + length;
    let step = 0;
    const values: { tag: string; value: number }[] = [];
    for (const f of fields(data)) {
      if (f.field === 2 && f.wire === 0) step = Number(f.value as bigint);
      else if (f.field === 3 && f.wire === 2) out.fileVersion = text(f.value as Uint8Array);
      else if (f.field === 5 && f.wire === 2) {
        for (const v of fields(f.value as Uint8Array)) {
          if (v.field !== 1 || v.wire !== 2) continue;
          let tag = '';
          let value = Number.NaN;
          for (const s of fields(v.value as Uint8Array)) {
            if (s.field === 1 && s.wire === 2) tag = text(s.value as Uint8Array);
            else if (s.field === 2 && s.wire === 5) value = view(s.value as Uint8Array).getFloat32(0, true);
          }
          values.push({ tag, value });
        }
      }
    }
    for (const v of values) out.scalars.push({ step, ...v });
  }
  return out;
}
