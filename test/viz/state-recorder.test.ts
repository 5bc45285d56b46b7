import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.js';
import { StateRecorder } from '../../src/viz/state-recorder.js';

describe('StateRecorder', () => {
  it('keeps everything below capacity, in order, with frames that round-trip', () => {
    const rec = new StateRecorder({ capacity: 10, dim: 2, rng: new Rng(0) });
    const frame = { width: 2, height: 1, data: Uint8Array.of(1, 2, 3, 4, 5, 6) };
    rec.add([1, 2], 0.5, frame, { episode: 1, step: 0, action: 2 });
    rec.add([3, 4], -1);
    expect(rec.size).toBe(2);
    expect([...rec.features()]).toEqual([1, 2, 3, 4]);
    expect([...rec.values()]).toEqual([0.5, -1]);
    expect(rec.frame(0)).toEqual(frame);
    expect(rec.frame(1)).toBeUndefined();
    expect(rec.columns()).toEqual({ episode: [1, 0], step: [0, 0], action: [2, -1] });
  });

  it('holds a uniform sample of all states offered (reservoir sampling)', () => {
    // 200 runs of 100 states into 10 slots: each state is kept with probability 0.1.
    const counts = new Array(100).fill(0);
    for (let run = 0; run < 200; run++) {
      const rec = new StateRecorder({ capacity: 10, dim: 1, rng: new Rng(run) });
      for (let i = 0; i < 100; i++) rec.add([i], i);
      expect(rec.size).toBe(10);
      expect(rec.seen).toBe(100);
      for (const v of rec.values()) counts[v]++;
    }
    // Expected 20 per state; the first and last tenths are kept about equally often.
    const firstTenth = counts.slice(0, 10).reduce((a, b) => a + b, 0);
    const lastTenth = counts.slice(90).reduce((a, b) => a + b, 0);
    expect(firstTenth).toBeGreaterThan(150);
    expect(firstTenth).toBeLessThan(250);
    expect(lastTenth).toBeGreaterThan(150);
    expect(lastTenth).toBeLessThan(250);
  });

  it('refuses features of the wrong width', () => {
    const rec = new StateRecorder({ capacity: 2, dim: 3, rng: new Rng(0) });
    expect(() => rec.add([1, 2], 0)).toThrow('got 2 features, expected 3');
  });
});
