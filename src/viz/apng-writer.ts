/**
 * A streaming APNG encoder, written by hand rather than with upng-js because `UPNG.encode` takes
 * every frame of the animation at once (as upscaled RGBA buffers: 1.2 MB per 480x630 frame, so
 * gigabytes for a long episode). This writer keeps one frame in memory: each frame is compared
 * with the previous one and only the rectangle that changed is compressed (node:zlib) and written;
 * a frame identical to the previous one just lengthens its display time. upng-js is used by the
 * tests to decode what this writes.
 *
 * File layout (APNG spec, https://wiki.mozilla.org/APNG_Specification):
 *
 *   signature IHDR acTL fcTL(0) IDAT  fcTL(1) fdAT(2)  fcTL(3) fdAT(4) ... IEND
 *
 * acTL holds the frame count, which is only known at the end: it is written as 0 and patched in
 * place by `finish()`. Sequence numbers run over fcTL and fdAT chunks together.
 */
import { writeSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import type { AtomicFile } from './atomic.js';

const SIGNATURE = Uint8Array.of(137, 80, 78, 71, 13, 10, 26, 10);
/** Longest delay one frame can carry with a millisecond denominator (u16 numerator). */
const MAX_DELAY_MS = 65535;

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface PendingFrame {
  rect: Rect;
  /** Compressed, filtered scanlines of `rect`. */
  zdata: Buffer;
  delayMs: number;
}

export class ApngWriter {
  private previous: Uint8Array | null = null;
  private pending: PendingFrame | null = null;
  private sequence = 0;
  private written = 0;
  private acTLOffset = 0;
  private offset = 0;

  /** @param file where to write; @param width, height of every frame; @param fps frames per second. */
  constructor(
    private readonly file: AtomicFile,
    private readonly width: number,
    private readonly height: number,
    private readonly fps: number,
  ) {
    this.put(SIGNATURE);
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 2; // colour type: truecolour RGB (the frames are opaque)
    this.chunk('IHDR', ihdr);
    this.acTLOffset = this.offset;
    this.chunk('acTL', actl(0));
  }

  /** Number of distinct frames written so far (identical consecutive frames count once). */
  get frameCount(): number {
    return this.written + (this.pending ? 1 : 0);
  }

  /** Adds one RGBA frame of the writer's size (alpha is ignored). */
  addFrame(rgba: Uint8Array): void {
    if (rgba.length !== this.width * this.height * 4) {
      throw new Error(
        `ApngWriter: frame must be ${this.width}x${this.height} RGBA, got ${rgba.length} bytes`,
      );
    }
    const frameMs = 1000 / this.fps;
    const rect = this.previous ? changedRect(this.previous, rgba, this.width, this.height) : this.full();
    if (rect === null && this.pending && this.pending.delayMs + frameMs <= MAX_DELAY_MS) {
      this.pending.delayMs += frameMs;
      return;
    }
    this.flush();
    const r = rect ?? { x: 0, y: 0, w: 1, h: 1 };
    this.pending = { rect: r, zdata: deflateSync(scanlines(rgba, this.width, r)), delayMs: frameMs };
    if (this.previous) this.previous.set(rgba);
    else this.previous = rgba.slice();
  }

  /** Writes the last frame, IEND and the real frame count. Call once. */
  finish(): void {
    if (!this.pending) throw new Error('ApngWriter: an animation needs at least one frame');
    this.flush();
    this.chunk('IEND', Buffer.alloc(0));
    const patched = chunkBytes('acTL', actl(this.written));
    writeSync(this.file.fd, patched, 0, patched.length, this.acTLOffset);
  }

  private full(): Rect {
    return { x: 0, y: 0, w: this.width, h: this.height };
  }

  private flush(): void {
    const p = this.pending;
    if (!p) return;
    const fctl = Buffer.alloc(26);
    fctl.writeUInt32BE(this.sequence++, 0);
    fctl.writeUInt32BE(p.rect.w, 4);
    fctl.writeUInt32BE(p.rect.h, 8);
    fctl.writeUInt32BE(p.rect.x, 12);
    fctl.writeUInt32BE(p.rect.y, 16);
    fctl.writeUInt16BE(Math.max(1, Math.round(p.delayMs)), 20);
    fctl.writeUInt16BE(1000, 22);
    fctl[24] = 0; // dispose_op NONE: the canvas keeps this frame, the next one draws over it
    fctl[25] = 0; // blend_op SOURCE: the rectangle replaces what was there
    this.chunk('fcTL', fctl);
    if (this.written === 0) {
      this.chunk('IDAT', p.zdata);
    } else {
      const seq = Buffer.alloc(4);
      seq.writeUInt32BE(this.sequence++, 0);
      this.chunk('fdAT', Buffer.concat([seq, p.zdata]));
    }
    this.written++;
    this.pending = null;
  }

  private chunk(type: string, data: Uint8Array): void {
    this.put(chunkBytes(type, data));
  }

  private put(bytes: Uint8Array): void {
    this.file.write(bytes);
    this.offset += bytes.length;
  }
}

/**
 * CRC-32 (ISO 3309, as PNG chunks use). Computed here because `zlib.crc32` only exists from Node
 * 20.15 and the package supports every Node 20.
 */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i];
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

function actl(frames: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(frames, 0);
  b.writeUInt32BE(0, 4); // num_plays 0: loop forever
  return b;
}

function chunkBytes(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** The bounding box of the pixels that differ between two RGBA frames, or null if none do. */
function changedRect(a: Uint8Array, b: Uint8Array, width: number, height: number): Rect | null {
  // Compare 4 bytes at a time (RGBA pixels), through 32-bit views of the same memory.
  const a32 = new Uint32Array(a.buffer, a.byteOffset, width * height);
  const b32 = new Uint32Array(b.buffer, b.byteOffset, width * height);
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (a32[row + x] !== b32[row + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** The RGB scanlines of `rect`, each preceded by filter type 0 (None). */
function scanlines(rgba: Uint8Array, width: number, rect: Rect): Uint8Array {
  const stride = rect.w * 3 + 1;
  const out = new Uint8Array(stride * rect.h);
  for (let y = 0; y < rect.h; y++) {
    let o = y * stride + 1;
    let i = ((rect.y + y) * width + rect.x) * 4;
    for (let x = 0; x < rect.w; x++, i += 4) {
      out[o++] = rgba[i];
      out[o++] = rgba[i + 1];
      out[o++] = rgba[i + 2];
    }
  }
  return out;
}
