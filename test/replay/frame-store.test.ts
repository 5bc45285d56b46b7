import { describe, expect, it } from 'vitest';
import { FrameStore } from '../../replay/frame-store.js';

describe('FrameStore', () => {
  it('splits slots into chunks of whole frames and reads back what was written', () => {
    const store = new FrameStore({ slots: 10, frameSize: 3, dtype: 'uint8', chunkBytes: 10 }); // 3 frames per chunk
    expect(store.framesPerChunk).toBe(3);
    expect(store.chunks.map((c) => c.length)).toEqual([9, 9, 9, 3]);
    for (let slot = 0; slot < 10; slot++) store.write(slot, Uint8Array.from([slot, slot + 1, slot + 2]));
    expect(Array.from(store.view(3))).toEqual([3, 4, 5]); // first frame of chunk 1
    expect(Array.from(store.view(9))).toEqual([9, 10, 11]);
    expect(store.chunkOf(5)).toBe(store.chunks[1]);
    expect(store.offsetOf(5)).toBe(6);
  });
  it('keeps at least one frame per chunk and float32 frames', () => {
    const store = new FrameStore({ slots: 2, frameSize: 4, dtype: 'float32', chunkBytes: 1 });
    expect(store.chunks.length).toBe(2);
    store.write(1, Float32Array.from([0.5, -1, 2, 3]));
    expect(Array.from(store.view(1))).toEqual([0.5, -1, 2, 3]);
  });
});
