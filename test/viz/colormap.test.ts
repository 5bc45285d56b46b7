import { describe, expect, it } from 'vitest';
import { hex, oklabToRgb, rgbToOklab, viridis } from '../../src/viz/colormap.js';
import { niceTicks, tickLabel } from '../../src/viz/ticks.js';

describe('viridis', () => {
  it('starts and ends at viridis’s end colours', () => {
    expect(hex(viridis(0))).toBe('#440154');
    expect(hex(viridis(1))).toBe('#fde725');
    expect(hex(viridis(0.5))).toBe('#21918c');
    expect(viridis(-3)).toEqual(viridis(0));
  });

  it('gets strictly lighter from 0 to 1 (readable in greyscale)', () => {
    let last = -1;
    // 64 steps: finer ones are within the rounding of 8-bit colour.
    for (let i = 0; i <= 64; i++) {
      const L = rgbToOklab(viridis(i / 64))[0];
      expect(L).toBeGreaterThan(last);
      last = L;
    }
  });

  it('OKLab round-trips sRGB colours', () => {
    for (const c of [
      [0, 0, 0],
      [255, 255, 255],
      [12, 200, 77],
      [250, 3, 128],
    ]) {
      expect(oklabToRgb(rgbToOklab(c))).toEqual(c);
    }
  });
});

describe('niceTicks', () => {
  it('uses 1, 2 or 5 times a power of ten', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-27, 33, 5)).toEqual([-20, -10, 0, 10, 20, 30]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('labels without float noise', () => {
    expect(tickLabel(0.1 + 0.2)).toBe('0.3');
    expect(tickLabel(12000)).toBe('12000');
    expect(tickLabel(2e7)).toBe('2.0e+7');
  });
});
