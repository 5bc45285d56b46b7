/**
 * FrameStack: the observation becomes the last `historyLength` (k below) observations, stacked
 * channels-last with the newest last; before an episode's first frame the stack holds zeros (the convention the replay
 * memory rebuilds stacks with). Works on any Box env:
 *
 *   inner shape   stacked shape   where frame j (0 = oldest, k−1 = newest) goes
 *   [n]           [n·k]           out[j·n + i]                (vectors: frames side by side)
 *   [H, W]        [H, W, k]       out[p·k + j]                (p = pixel index y·W + x)
 *   [H, W, C]     [H, W, C·k]     out[p·C·k + j·C + c]
 *
 * Cost of a step: channels-last interleaves the k frames pixel by pixel, so appending a frame moves
 * every value of the stack, and a frame-by-frame ring cannot be handed out in this layout. For
 * the DQN case (uint8, one channel, k = 4) the 4 frames of a pixel are one little-endian 32-bit
 * word, and appending is one word operation per pixel, `w = (w >>> 8) | (new << 24)`, in place
 * (k = 2 does the same on 16-bit words); no frame is copied as such. Every other case shifts the
 * whole stack by one frame with one copyWithin (a memmove) and writes the new frame into the
 * newest slots. Measured by `npm run bench:envs` on 84x84x4: either costs a few µs (≈3–4% of a φ
 * step), about what an unrolled byte shift costs; the layout rules out anything cheaper, and a
 * caller that wants no stacking cost at all takes single frames (`makeAtari(id, { historyLength: false })`)
 * and stacks them where they are stored, as the replay memory does.
 *
 * The returned observation is one buffer, updated in place on every step: copy it to keep it.
 */
import type { Env, ResetOptions, ResetResult, StepResult } from '../core.js';
import { Box, type BoxArray, makeArray, type Space } from '../spaces.js';
import { Wrapper } from './wrapper.js';

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export class FrameStack<Obs extends BoxArray, Act> extends Wrapper<Obs, Act> {
  override readonly observationSpace: Space<Obs>;
  /** Which update {@link push} uses: the in-place shift of 32- or 16-bit words, or one memmove. */
  readonly method: 'words' | 'memmove';
  private readonly stack: Obs;
  private readonly words: Int32Array | Uint16Array | null;
  private readonly pixels: number;
  private readonly channels: number;

  constructor(
    inner: Env<Obs, Act>,
    /** Frames per stack (the one name for it, as in the DQN config and the replay). */
    readonly historyLength = 4,
  ) {
    super(inner);
    const k = historyLength;
    const space = inner.observationSpace;
    if (!(space instanceof Box)) {
      throw new Error(`FrameStack needs a Box observation space, got ${space.toString()}`);
    }
    if (!Number.isInteger(k) || k < 1)
      throw new Error(`FrameStack: historyLength must be an integer >= 1, got ${k}`);
    const shape = space.shape;
    let outShape: number[];
    if (shape.length === 1) {
      [this.pixels, this.channels, outShape] = [1, shape[0], [shape[0] * k]];
    } else if (shape.length === 2) {
      [this.pixels, this.channels, outShape] = [shape[0] * shape[1], 1, [shape[0], shape[1], k]];
    } else if (shape.length === 3) {
      [this.pixels, this.channels, outShape] = [
        shape[0] * shape[1],
        shape[2],
        [shape[0], shape[1], shape[2] * k],
      ];
    } else {
      throw new Error(`FrameStack stacks shapes [n], [H, W] or [H, W, C]; got [${shape.join(', ')}]`);
    }
    this.observationSpace = new Box(
      this.tile(space.low),
      this.tile(space.high),
      outShape,
      space.dtype,
    ) as unknown as Space<Obs>;
    this.stack = makeArray(space.dtype, space.size * k) as Obs;
    const wordable = space.dtype === 'uint8' && this.channels === 1 && LITTLE_ENDIAN && this.pixels > 1;
    this.words =
      wordable && k === 4
        ? new Int32Array(this.stack.buffer)
        : wordable && k === 2
          ? new Uint16Array(this.stack.buffer)
          : null;
    this.method = this.words ? 'words' : 'memmove';
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    const r = this.inner.reset(opts);
    this.stack.fill(0);
    this.push(r.obs);
    return { obs: this.stack, info: r.info };
  }

  override step(action: Act): StepResult<Obs> {
    const r = this.inner.step(action);
    this.push(r.obs);
    return {
      obs: this.stack,
      reward: r.reward,
      terminated: r.terminated,
      truncated: r.truncated,
      info: r.info,
    };
  }

  /** Drops the oldest frame and appends `frame` as the newest. */
  private push(frame: Obs): void {
    const c = this.channels;
    const k = this.historyLength;
    if (frame.length !== this.pixels * c) {
      throw new Error(
        `FrameStack: the inner env returned ${frame.length} values, its space holds ${this.pixels * c}`,
      );
    }
    const w = this.words;
    if (w instanceof Int32Array) {
      shift32(w, frame as Uint8Array);
    } else if (w instanceof Uint16Array) {
      shift16(w, frame as Uint8Array);
    } else {
      // Shifting the whole stack left by one frame's channels moves each pixel's frames 1..k−1 into
      // slots 0..k−2 (and the next pixel's oldest into the newest slot, overwritten just below).
      const s = this.stack;
      s.copyWithin(0, c);
      for (let p = 0, at = (k - 1) * c; p < this.pixels; p++, at += k * c) {
        for (let ch = 0; ch < c; ch++) s[at + ch] = frame[p * c + ch];
      }
    }
  }

  /** Bounds of the stacked space: each frame slot has the inner bounds. */
  private tile(bound: Float64Array): number | Float64Array {
    if (bound.every((v) => v === bound[0])) return bound[0];
    const c = this.channels;
    const k = this.historyLength;
    const out = new Float64Array(bound.length * k);
    for (let p = 0; p < this.pixels; p++) {
      for (let j = 0; j < k; j++) out.set(bound.subarray(p * c, p * c + c), p * c * k + j * c);
    }
    return out;
  }
}

/** Appends byte frame[p] as the top byte of word p, dropping its bottom (oldest) byte. */
function shift32(w: Int32Array, frame: Uint8Array): void {
  for (let p = 0; p < w.length; p++) w[p] = (w[p] >>> 8) | (frame[p] << 24);
}

function shift16(w: Uint16Array, frame: Uint8Array): void {
  for (let p = 0; p < w.length; p++) w[p] = (w[p] >>> 8) | (frame[p] << 8);
}
