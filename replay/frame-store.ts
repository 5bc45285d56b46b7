/**
 * Fixed-size frame storage split into chunks: slot i holds one frame of `frameSize` elements.
 *
 * Why chunks: one ArrayBuffer stops at 4 GiB in Node 20 (V8's limit), and 1M Atari frames are
 * 7.06 GB. A chunk holds a whole number of frames, so a frame never straddles two chunks and
 * can be copied with one `TypedArray.set`. Chunks are also the unit that snapshots stream.
 */

/** The element type of a frame: `uint8` for pixels, `float32` for vector observations. */
export type FrameDtype = 'uint8' | 'float32';

/** A frame, or a stack of frames, of either dtype. */
export type FrameArray = Uint8Array | Float32Array;

/** The default size of one storage chunk, in bytes (a whole number of frames fits in it). */
export const DEFAULT_CHUNK_BYTES = 256 * 1024 * 1024;

export function bytesPerElement(dtype: FrameDtype): number {
  return dtype === 'uint8' ? 1 : 4;
}

export function allocFrames(dtype: FrameDtype, length: number): FrameArray {
  return dtype === 'uint8' ? new Uint8Array(length) : new Float32Array(length);
}

export interface FrameStoreConfig {
  /** Number of frame slots. */
  slots: number;
  /** Elements per frame (84*84 for Atari, 4 for CartPole). */
  frameSize: number;
  /** Element type of a frame. */
  dtype: FrameDtype;
  /** Target bytes per chunk; rounded down to a whole number of frames (at least one). */
  chunkBytes?: number;
}

export class FrameStore {
  readonly slots: number;
  readonly frameSize: number;
  readonly dtype: FrameDtype;
  /** Frames per chunk. */
  readonly framesPerChunk: number;
  /** The chunks; chunk c holds slots [c * framesPerChunk, (c + 1) * framesPerChunk). */
  readonly chunks: FrameArray[];

  constructor(config: FrameStoreConfig) {
    const { slots, frameSize, dtype } = config;
    if (!Number.isInteger(slots) || slots < 1)
      throw new Error(`FrameStore: slots must be a positive integer, got ${slots}`);
    if (!Number.isInteger(frameSize) || frameSize < 1) {
      throw new Error(`FrameStore: frameSize must be a positive integer, got ${frameSize}`);
    }
    const frameBytes = frameSize * bytesPerElement(dtype);
    this.slots = slots;
    this.frameSize = frameSize;
    this.dtype = dtype;
    this.framesPerChunk = Math.min(
      slots,
      Math.max(1, Math.floor((config.chunkBytes ?? DEFAULT_CHUNK_BYTES) / frameBytes)),
    );
    this.chunks = [];
    for (let first = 0; first < slots; first += this.framesPerChunk) {
      this.chunks.push(allocFrames(dtype, Math.min(this.framesPerChunk, slots - first) * frameSize));
    }
  }

  /** Bytes the frames take. */
  static bytesFor(slots: number, frameSize: number, dtype: FrameDtype): number {
    return slots * frameSize * bytesPerElement(dtype);
  }

  /** Copies `frame` into `slot`. */
  write(slot: number, frame: FrameArray): void {
    const chunk = this.chunks[Math.floor(slot / this.framesPerChunk)];
    chunk.set(frame, (slot % this.framesPerChunk) * this.frameSize);
  }

  /** The chunk that holds `slot`; read the frame at `offsetOf(slot)`. */
  chunkOf(slot: number): FrameArray {
    return this.chunks[Math.floor(slot / this.framesPerChunk)];
  }

  /** Element offset of `slot`'s frame inside its chunk. */
  offsetOf(slot: number): number {
    return (slot % this.framesPerChunk) * this.frameSize;
  }

  /** A view (no copy) of `slot`'s frame. */
  view(slot: number): FrameArray {
    const offset = this.offsetOf(slot);
    return this.chunkOf(slot).subarray(offset, offset + this.frameSize);
  }
}
