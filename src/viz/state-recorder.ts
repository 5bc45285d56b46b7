/**
 * Collects the states `pixelrl tsne` embeds: hidden-layer features, V(s), the game frame, and
 * where the state came from. Holds at most `capacity` states, a uniform sample of all those
 * offered (reservoir sampling, Algorithm R), so an agent can be played for any number of steps.
 * Frames are kept deflated (a game screen shrinks from 100 KB to a few KB) and inflated only
 * for the few thumbnails drawn.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import type { RgbFrame } from '../../envs/core.js';
import type { Rng } from '../util/rng.js';

export interface StateRecorderOptions {
  /** Most states kept. t-SNE takes ~26 s for 2,000 points of 512 features on 2 cores. */
  capacity: number;
  /** Features per state (the width of the last hidden layer). */
  dim: number;
  /** Chooses which states are kept once more than `capacity` have been offered. */
  rng: Rng;
}

/** Where a state came from, saved with the embedding. */
export interface StateOrigin {
  episode: number;
  step: number;
  action: number;
}

interface StoredFrame {
  width: number;
  height: number;
  deflated: Buffer;
}

export class StateRecorder {
  private readonly feats: Float32Array;
  private readonly vals: Float32Array;
  private readonly frames: (StoredFrame | undefined)[] = [];
  private readonly origins: StateOrigin[] = [];
  private kept = 0;
  /** States offered so far. */
  seen = 0;

  constructor(private readonly options: StateRecorderOptions) {
    const { capacity, dim } = options;
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new Error(`StateRecorder: capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(dim) || dim < 1)
      throw new Error(`StateRecorder: dim must be a positive integer, got ${dim}`);
    this.feats = new Float32Array(capacity * dim);
    this.vals = new Float32Array(capacity);
  }

  /** Offers one state; it is kept with probability capacity / seen. */
  add(features: ArrayLike<number>, value: number, frame?: RgbFrame, origin?: Partial<StateOrigin>): void {
    const { capacity, dim, rng } = this.options;
    if (features.length !== dim)
      throw new Error(`StateRecorder: got ${features.length} features, expected ${dim}`);
    this.seen++;
    let slot: number;
    if (this.kept < capacity) slot = this.kept++;
    else {
      slot = rng.int(this.seen);
      if (slot >= capacity) return;
    }
    this.feats.set(features, slot * dim);
    this.vals[slot] = value;
    this.frames[slot] = frame
      ? { width: frame.width, height: frame.height, deflated: deflateSync(frame.data, { level: 1 }) }
      : undefined;
    this.origins[slot] = {
      episode: origin?.episode ?? 0,
      step: origin?.step ?? 0,
      action: origin?.action ?? -1,
    };
  }

  /** States held. */
  get size(): number {
    return this.kept;
  }

  /** size x dim features, row-major. */
  features(): Float32Array {
    return this.feats.slice(0, this.kept * this.options.dim);
  }

  values(): Float32Array {
    return this.vals.slice(0, this.kept);
  }

  /** The frame of state i, if one was given. */
  frame(i: number): RgbFrame | undefined {
    const f = this.frames[i];
    if (!f) return undefined;
    return { width: f.width, height: f.height, data: new Uint8Array(inflateSync(f.deflated)) };
  }

  /** Per-state columns for the embedding's CSV/JSON. */
  columns(): { episode: number[]; step: number[]; action: number[] } {
    const o = this.origins.slice(0, this.kept);
    return { episode: o.map((x) => x.episode), step: o.map((x) => x.step), action: o.map((x) => x.action) };
  }
}
