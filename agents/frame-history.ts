/**
 * Each env's last `historyLength` frames, stacked channels-last for the network, as Dopamine's
 * agents keep them: the env emits single frames and the replay stores each frame once.
 *
 *   env i:  [ f_{t-3} | f_{t-2} | f_{t-1} | f_t ]   oldest → newest, zeros before the episode start
 *   stack:  out[i, p, k] = frame_k[p]               (p = pixel, k = history slot; NHWC with C = history)
 *
 * After a reset, `reset(i)` zeroes env i's history, so the first stack is [0, 0, 0, f_0] — the
 * same zero padding the replay buffer uses at episode starts.
 */
export class FrameHistory {
  /** [numEnvs][historyLength][frameSize], slot 0 the oldest. */
  private readonly frames: Float32Array;
  readonly stackSize: number;

  constructor(
    readonly numEnvs: number,
    readonly frameSize: number,
    readonly historyLength: number,
  ) {
    if (![numEnvs, frameSize, historyLength].every((n) => Number.isInteger(n) && n >= 1)) {
      throw new Error(
        `FrameHistory needs positive integers, got numEnvs ${numEnvs}, frameSize ${frameSize}, historyLength ${historyLength}`,
      );
    }
    this.frames = new Float32Array(numEnvs * historyLength * frameSize);
    this.stackSize = frameSize * historyLength;
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
      throw new Error(`FrameHistory.push: frame has ${frame.length} values, expected ${f}`);
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
    const base = env * n;
    if (h === 1) {
      out.set(this.frames.subarray(base, base + f), offset);
      return;
    }
    for (let k = 0; k < h; k++) {
      const src = base + k * f;
      for (let p = 0; p < f; p++) out[offset + p * h + k] = this.frames[src + p];
    }
  }

  /** The raw history (for checkpoints). */
  getState(): Float32Array {
    return this.frames.slice();
  }

  setState(frames: ArrayLike<number>): void {
    if (frames.length !== this.frames.length) {
      throw new Error(`FrameHistory.setState: expected ${this.frames.length} values, got ${frames.length}`);
    }
    this.frames.set(frames);
  }
}
