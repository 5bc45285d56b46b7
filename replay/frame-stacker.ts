/**
 * FrameStacker: the replay's side of frame stacking; it rebuilds the observation of
 * `historyLength` frames from frames stored once (agents/frame-stacks.ts keeps the actor's stacks
 * with the same channels-last routine, {@link interleaveFrames}).
 *
 * A stack is given as the slots of its frames, oldest first, -1 for a zero frame (before the
 * episode's start). Channel 0 is the oldest frame, channel h-1 the newest, as in the DQN paper
 * and Gymnasium's FrameStackObservation.
 *
 * Layouts of one stacked observation in the batch (p = element of a frame, k = channel):
 *   channels-last  [H, W, h]  element p*h + k   (tfjs conv2d's NHWC; for vectors [obsDim, h])
 *   channels-first [h, H, W]  element k*F + p   (plain copies: the fastest to build)
 *
 * The Atari case (uint8, h = 4, channels-last) runs a WebAssembly SIMD kernel
 * (interleave-wasm.ts); its batch arrays are views of the kernel's memory, which is why the
 * stacker allocates them.
 */
import { allocFrames, type FrameArray, type FrameStore } from './frame-store.js';
import { interleaveFrames } from './interleave-frames.js';
import { createInterleave4, type Interleave4 } from './interleave-wasm.js';

/** Where the history axis goes in a sampled observation. */
export type StackLayout = 'channels-last' | 'channels-first';

/** The two observation arrays of a batch. */
export interface StackArrays {
  obs: FrameArray;
  nextObs: FrameArray;
}

export class FrameStacker {
  private readonly zeros: FrameArray;
  /** Whether the SIMD kernel applies to this shape (it may still be missing at run time). */
  private readonly simdShape: boolean;
  /**
   * One kernel per batch size, keyed by its memory (which holds that batch's arrays), with a view
   * of all of that memory (it never grows, so the view stays valid). The 8 scratch frames (4 for
   * s, 4 for s') start at byte frameSize, after a zero frame.
   */
  private readonly kernels = new Map<ArrayBufferLike, { kernel: Interleave4; bytes: Uint8Array }>();
  private viewOf: FrameArray | null = null;
  private view32: Uint32Array = new Uint32Array(0);
  private readonly offsets = new Int32Array(8);
  /** Scratch for {@link interleaveFrames}: each frame's array and start. */
  private readonly sources: FrameArray[];
  private readonly starts: Int32Array;

  constructor(
    private readonly frames: FrameStore,
    readonly historyLength: number,
    readonly layout: StackLayout,
  ) {
    this.zeros = allocFrames(frames.dtype, frames.frameSize);
    this.sources = new Array<FrameArray>(historyLength).fill(this.zeros);
    this.starts = new Int32Array(historyLength);
    this.simdShape =
      frames.dtype === 'uint8' &&
      historyLength === 4 &&
      layout === 'channels-last' &&
      frames.frameSize % 16 === 0;
  }

  /** Elements of one stacked observation. */
  get stackSize(): number {
    return this.frames.frameSize * this.historyLength;
  }

  /** Arrays for `batchSize` stacked observations (each call makes new ones). */
  allocate(batchSize: number): StackArrays {
    const n = batchSize * this.stackSize;
    if (this.simdShape) {
      const f = this.frames.frameSize;
      // [zero frame][8 scratch frames][obs][nextObs], all 16-byte aligned (f % 16 === 0).
      const kernel = createInterleave4(9 * f + 2 * n);
      if (kernel !== null) {
        this.kernels.set(kernel.memory.buffer, { kernel, bytes: new Uint8Array(kernel.memory.buffer) });
        return {
          obs: new Uint8Array(kernel.memory.buffer, 9 * f, n),
          nextObs: new Uint8Array(kernel.memory.buffer, 9 * f + n, n),
        };
      }
    }
    return { obs: allocFrames(this.frames.dtype, n), nextObs: allocFrames(this.frames.dtype, n) };
  }

  /**
   * Writes the stacks of s and s' as row `row` of `obs` and `nextObs`. The SIMD path copies a
   * frame the two stacks share (3 of 4 when n = 1) into the kernel's memory only once.
   */
  writePair(
    slots: Int32Array,
    nextSlots: Int32Array,
    obs: FrameArray,
    nextObs: FrameArray,
    row: number,
  ): void {
    const simd = this.kernels.size > 0 ? this.kernels.get(obs.buffer) : undefined;
    if (simd !== undefined && nextObs.buffer === obs.buffer) {
      const f = this.frames.frameSize;
      const base = row * f * 4;
      const o = this.offsets;
      for (let k = 0; k < 4; k++) o[k] = this.stage(simd.bytes, slots[k], k);
      simd.kernel.run(o[0], o[1], o[2], o[3], obs.byteOffset + base, f);
      for (let k = 0; k < 4; k++) {
        const slot = nextSlots[k];
        const shared = slot < 0 ? -1 : slots.indexOf(slot);
        o[k + 4] = shared >= 0 ? o[shared] : this.stage(simd.bytes, slot, k + 4);
      }
      simd.kernel.run(o[4], o[5], o[6], o[7], nextObs.byteOffset + base, f);
      return;
    }
    this.write(slots, obs, row);
    this.write(nextSlots, nextObs, row);
  }

  /** Copies `slot`'s frame to scratch place `place` of a kernel's memory; returns its offset (0: zeros). */
  private stage(memory: Uint8Array, slot: number, place: number): number {
    if (slot < 0) return 0;
    const offset = (1 + place) * this.frames.frameSize;
    memory.set(this.frames.view(slot), offset);
    return offset;
  }

  /** Writes the stack of `slots` (oldest first, -1 = zeros) as observation `row` of `out`. */
  write(slots: Int32Array, out: FrameArray, row: number): void {
    const f = this.frames.frameSize;
    const h = this.historyLength;
    const base = row * f * h;
    const simd = this.kernels.size > 0 ? this.kernels.get(out.buffer) : undefined;
    if (simd !== undefined) {
      const o = this.offsets;
      for (let k = 0; k < 4; k++) o[k] = this.stage(simd.bytes, slots[k], k);
      simd.kernel.run(o[0], o[1], o[2], o[3], out.byteOffset + base, f);
      return;
    }
    if (this.layout === 'channels-first' || h === 1) {
      for (let k = 0; k < h; k++) {
        const slot = slots[k];
        if (slot < 0) out.fill(0, base + k * f, base + (k + 1) * f);
        else out.set(this.frames.view(slot), base + k * f);
      }
      return;
    }
    if (h === 4 && out instanceof Uint8Array && (f & 3) === 0) {
      this.writeBytes4(slots, out, base);
      return;
    }
    for (let k = 0; k < h; k++) {
      const slot = slots[k];
      this.sources[k] = slot < 0 ? this.zeros : this.frames.chunkOf(slot);
      this.starts[k] = slot < 0 ? 0 : this.frames.offsetOf(slot);
    }
    interleaveFrames(this.sources, this.starts, f, out, base);
  }

  /** The JavaScript fallback for uint8, h = 4, channels-last: one 32-bit store per pixel. */
  private writeBytes4(slots: Int32Array, out: Uint8Array, base: number): void {
    if (this.viewOf !== out) {
      if (out.byteOffset % 4 !== 0) throw new Error('FrameStacker: batch arrays must be 4-byte aligned');
      this.view32 = new Uint32Array(out.buffer, out.byteOffset, out.length >> 2);
      this.viewOf = out;
    }
    const frames = this.frames;
    const zeros = this.zeros;
    const s0 = slots[0];
    const s1 = slots[1];
    const s2 = slots[2];
    const s3 = slots[3];
    const c0 = s0 < 0 ? zeros : frames.chunkOf(s0);
    const c1 = s1 < 0 ? zeros : frames.chunkOf(s1);
    const c2 = s2 < 0 ? zeros : frames.chunkOf(s2);
    const c3 = s3 < 0 ? zeros : frames.chunkOf(s3);
    const o0 = s0 < 0 ? 0 : frames.offsetOf(s0);
    const o1 = s1 < 0 ? 0 : frames.offsetOf(s1);
    const o2 = s2 < 0 ? 0 : frames.offsetOf(s2);
    const o3 = s3 < 0 ? 0 : frames.offsetOf(s3);
    const out32 = this.view32;
    const b = base >> 2;
    const f = frames.frameSize;
    // Little-endian: byte k of the word is channel k. Every platform Node runs on is little-endian.
    for (let p = 0; p < f; p++) {
      out32[b + p] = c0[o0 + p] | (c1[o1 + p] << 8) | (c2[o2 + p] << 16) | (c3[o3 + p] << 24);
    }
  }
}
