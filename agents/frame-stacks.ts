/**
 * FrameStacks: the actor's side of frame stacking. Each env's last `historyLength` frames,
 * stacked channels-last for the network, as Dopamine's agents keep them: the env emits single
 * frames and the replay stores each frame once (replay/frame-stacker.ts rebuilds the same stacks
 * from storage, with the same routine, {@link interleaveFrames}; envs/wrappers/frame-stack.ts is
 * the in-env alternative, for callers that want stacked observations from the env itself).
 *
 *   env i:  [ f_{t-3} | f_{t-2} | f_{t-1} | f_t ]   oldest → newest, zeros before the episode start
 *   stack:  out[i, p, k] = frame_k[p]               (p = pixel, k = history slot; NHWC with C = history)
 *
 * After a reset, `reset(i)` zeroes env i's history, so the first stack is [0, 0, 0, f_0] — the
 * same zero padding the replay buffer uses at episode starts.
 */
import { interleaveFrames } from '../replay/interleave-frames.js';

export class FrameStacks {
  /** [numEnvs][historyLength][frameSize], slot 0 the oldest. */
  private readonly frames: Float32Array;
  readonly stackSize: number;
  /** Where env i's frame k starts in `frames`, filled by {@link stackInto}. */
  private readonly starts: Int32Array;
  private readonly sources: Float32Array[];

  constructor(
    readonly numEnvs: number,
    readonly frameSize: number,
    readonly historyLength: number,
  ) {
    if (![numEnvs, frameSize, historyLength].every((n) => Number.isInteger(n) && n >= 1)) {
      throw new Error(
        `FrameStacks needs positive integers, got numEnvs ${numEnvs}, frameSize ${frameSize}, historyLength ${historyLength}`,
      );
    }
    this.frames = new Float32Array(numEnvs * historyLength * frameSize);
    this.stackSize = frameSize * historyLength;
    this.starts = new Int32Array(historyLength);
    this.sources = new Array<Float32Array>(historyLength).fill(this.frames);
  }

  /** Clears env `env`'s history (call at its episode start, before `push`). */
  reset(env: number): void {
    const n = this.stackSize;
    this.frames.fill(0, env * n, (env + 1) * n);
  }

  /** Appends env `env`'s newest frame, dropping the oldest. */
  push(env: number, frame: ArrayLike<number>): void {
    const { frameSize: f, stackSize: n } = this;
    if (frame.length !== f)
      throw new Error(`FrameStacks.push: frame has ${frame.length} values, expected ${f}`);
    const base = env * n;
    this.frames.copyWithin(base, base + f, base + n);
    this.frames.set(frame, base + n - f);
  }

  /** Writes every env's stack into `out` ([numEnvs, ...frameShape, historyLength]). */
  stackAll(out: Float32Array): Float32Array {
    for (let i = 0; i < this.numEnvs; i++) this.stackInto(i, out, i * this.stackSize);
    return out;
  }

  /** Writes env `env`'s stack at `out[offset..]`, channels-last. */
  stackInto(env: number, out: Float32Array, offset = 0): void {
    const { frameSize: f, historyLength: h, stackSize: n } = this;
    for (let k = 0; k < h; k++) this.starts[k] = env * n + k * f;
    interleaveFrames(this.sources, this.starts, f, out, offset);
  }

  /** The raw history (for checkpoints). */
  getState(): Float32Array {
    return this.frames.slice();
  }

  setState(frames: ArrayLike<number>): void {
    if (frames.length !== this.frames.length) {
      throw new Error(`FrameStacks.setState: expected ${this.frames.length} values, got ${frames.length}`);
    }
    this.frames.set(frames);
  }
}
