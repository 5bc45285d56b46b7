import { describe, expect, it } from 'vitest';
import type { Env, ResetResult, RgbFrame, StepResult } from '../../../envs/core.js';
import { Box, type BoxArray, type BoxDtype, Discrete, makeArray } from '../../../envs/spaces.js';
import { FrameStack } from '../../../envs/wrappers/frame-stack.js';
import { Rng } from '../../../src/util/rng.js';
import { ScriptedEnv } from './scripted-env.js';

/** Emits frame(t) for t = 1, 2, … (t = 1 at reset) of the given shape and dtype; ends after `length` steps. */
class FrameEnv implements Env<BoxArray, number> {
  readonly observationSpace: Box;
  readonly actionSpace = new Discrete(2);
  /** Every frame emitted since the last reset. */
  emitted: BoxArray[] = [];
  t = 0;
  constructor(
    shape: number[],
    dtype: BoxDtype,
    readonly frame: (t: number, size: number) => number[],
    readonly length = 1000,
  ) {
    this.observationSpace = new Box(0, 255, shape, dtype);
  }
  reset(): ResetResult<BoxArray> {
    this.t = 1;
    this.emitted = [];
    return { obs: this.obs(), info: {} };
  }
  step(): StepResult<BoxArray> {
    this.t++;
    const done = this.t > this.length;
    return { obs: this.obs(), reward: 0, terminated: done, truncated: false, info: {} };
  }
  render(): RgbFrame {
    return { width: 1, height: 1, data: new Uint8Array(3) };
  }
  close(): void {}
  private obs(): BoxArray {
    const a = makeArray(this.observationSpace.dtype, this.observationSpace.size);
    a.set(this.frame(this.t, a.length));
    this.emitted.push(a.slice());
    return a;
  }
}

/** The stack as defined: frame j (0 oldest) of pixel p, channel c at p·C·k + j·C + c; zeros before frame 1. */
function reference(frames: BoxArray[], k: number, pixels: number, c: number): number[] {
  const out = new Array(pixels * c * k).fill(0);
  const last = frames.slice(-k);
  const offset = k - last.length;
  last.forEach((f, i) => {
    for (let p = 0; p < pixels; p++)
      for (let ch = 0; ch < c; ch++) out[p * c * k + (offset + i) * c + ch] = f[p * c + ch];
  });
  return out;
}

describe('FrameStack', () => {
  it('stacks vectors side by side, newest last, zero-padded at the episode start', () => {
    const env = new FrameStack(new ScriptedEnv({ episodeLength: 5 }), 3);
    expect(env.observationSpace.toString()).toBe('Box(-1000000000, 1000000000, [6], float32)');
    expect(Array.from(env.reset().obs)).toEqual([0, 0, 0, 0, 1, 0]);
    expect(Array.from(env.step(0).obs)).toEqual([0, 0, 1, 0, 1, 1]);
    expect(Array.from(env.step(0).obs)).toEqual([1, 0, 1, 1, 1, 2]);
    expect(Array.from(env.step(0).obs)).toEqual([1, 1, 1, 2, 1, 3]);
    expect(Array.from(env.reset().obs)).toEqual([0, 0, 0, 0, 2, 0]); // a new episode: zeros again
  });

  it('stacks 2x2 uint8 frames as [2, 2, 4] channels-last (the 32-bit word path)', () => {
    // Frame t has pixels [10t, 10t+1, 10t+2, 10t+3].
    const env = new FrameStack(
      new FrameEnv([2, 2], 'uint8', (t) => [10 * t, 10 * t + 1, 10 * t + 2, 10 * t + 3]),
      4,
    );
    expect(env.method).toBe('words');
    expect((env.observationSpace as Box).shape).toEqual([2, 2, 4]);
    expect(Array.from(env.reset().obs)).toEqual([0, 0, 0, 10, 0, 0, 0, 11, 0, 0, 0, 12, 0, 0, 0, 13]);
    env.step(0);
    env.step(0);
    expect(Array.from(env.step(0).obs)).toEqual([
      10, 20, 30, 40, 11, 21, 31, 41, 12, 22, 32, 42, 13, 23, 33, 43,
    ]);
    expect(Array.from(env.step(0).obs)).toEqual([
      20, 30, 40, 50, 21, 31, 41, 51, 22, 32, 42, 52, 23, 33, 43, 53,
    ]);
    expect(Array.from(env.reset().obs)).toEqual([0, 0, 0, 10, 0, 0, 0, 11, 0, 0, 0, 12, 0, 0, 0, 13]);
  });

  it('matches the definition on every path (words k=2,4; memmove for the rest) over random frames', () => {
    const cases: { shape: number[]; dtype: BoxDtype; k: number; method: string; c: number }[] = [
      { shape: [7, 5], dtype: 'uint8', k: 4, method: 'words', c: 1 },
      { shape: [7, 5], dtype: 'uint8', k: 2, method: 'words', c: 1 },
      { shape: [7, 5], dtype: 'uint8', k: 3, method: 'memmove', c: 1 },
      { shape: [4, 3, 3], dtype: 'uint8', k: 4, method: 'memmove', c: 3 },
      { shape: [6, 2], dtype: 'float32', k: 4, method: 'memmove', c: 1 },
      { shape: [9], dtype: 'float64', k: 5, method: 'memmove', c: 9 },
    ];
    for (const { shape, dtype, k, method, c } of cases) {
      const rng = new Rng(shape.length * 100 + k);
      const inner = new FrameEnv(shape, dtype, (_t, n) => Array.from({ length: n }, () => rng.int(256)), 6);
      const env = new FrameStack(inner, k);
      expect(env.method).toBe(method);
      const pixels = shape.length === 1 ? 1 : shape[0] * shape[1];
      for (let episode = 0; episode < 3; episode++) {
        const first = env.reset();
        expect(Array.from(first.obs), `${shape} k=${k} reset`).toEqual(
          reference(inner.emitted, k, pixels, c),
        );
        for (let t = 0; t < 6; t++) {
          const r = env.step(0);
          expect(Array.from(r.obs), `${shape} k=${k} step ${t}`).toEqual(
            reference(inner.emitted, k, pixels, c),
          );
          expect(env.observationSpace.contains(r.obs)).toBe(true);
        }
      }
    }
  });

  it('refuses shapes it cannot stack and a bad k', () => {
    expect(() => new FrameStack(new FrameEnv([2, 2, 2, 2], 'uint8', () => []), 4)).toThrow(
      /stacks shapes \[n\], \[H, W\] or \[H, W, C\]; got \[2, 2, 2, 2\]/,
    );
    expect(() => new FrameStack(new ScriptedEnv({ episodeLength: 1 }), 0)).toThrow(
      /historyLength must be an integer >= 1, got 0/,
    );
  });
});
