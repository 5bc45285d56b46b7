import { describe, expect, it } from 'vitest';
import { FrameStacks } from '../../agents/frame-stacks.js';

describe('FrameStacks', () => {
  it('stacks the last frames channels-last, zero-padded at the episode start', () => {
    const h = new FrameStacks(2, 2, 3); // 2 envs, frames of 2 pixels, history 3
    h.push(0, [1, 2]);
    h.push(1, [9, 9]);
    h.push(0, [3, 4]);
    const out = new Float32Array(12);
    h.stackAll(out);
    // env 0: frames (oldest→newest) 0, [1,2], [3,4] → pixel 0: [0,1,3], pixel 1: [0,2,4].
    expect(Array.from(out.subarray(0, 6))).toEqual([0, 1, 3, 0, 2, 4]);
    expect(Array.from(out.subarray(6))).toEqual([0, 0, 9, 0, 0, 9]);
    h.push(0, [5, 6]);
    h.push(0, [7, 8]);
    h.stackAll(out);
    expect(Array.from(out.subarray(0, 6))).toEqual([3, 5, 7, 4, 6, 8]);
    h.reset(0);
    h.push(0, [1, 1]);
    h.stackAll(out);
    expect(Array.from(out.subarray(0, 6))).toEqual([0, 0, 1, 0, 0, 1]);
    expect(Array.from(out.subarray(6))).toEqual([0, 0, 9, 0, 0, 9]);
  });

  it('round-trips its state and refuses a frame of the wrong size', () => {
    const a = new FrameStacks(1, 3, 2);
    a.push(0, [1, 2, 3]);
    const b = new FrameStacks(1, 3, 2);
    b.setState(a.getState());
    expect(b.stackAll(new Float32Array(6))).toEqual(a.stackAll(new Float32Array(6)));
    expect(() => a.push(0, [1])).toThrow(/frame has 1 values, expected 3/);
  });
});
