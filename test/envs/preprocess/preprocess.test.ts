import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { PALETTE_GRAY, PALETTE_RGB } from '../../../envs/atari/palette.js';
import { hashBytes } from '../../../envs/hash.js';
import { rgbToGray } from '../../../envs/preprocess/grayscale.js';
import { maxPool } from '../../../envs/preprocess/max-pool.js';
import { AreaResizer, resizeArea } from '../../../envs/preprocess/resize-area.js';
import { Rng } from '../../../src/util/rng.js';

describe('maxPool', () => {
  it('takes the pixel-wise max, also in place', () => {
    const a = Uint8Array.from([0, 10, 200, 255, 7]);
    const b = Uint8Array.from([5, 10, 100, 0, 8]);
    expect(Array.from(maxPool(a, b, new Uint8Array(5)))).toEqual([5, 10, 200, 255, 8]);
    maxPool(a, b, a);
    expect(Array.from(a)).toEqual([5, 10, 200, 255, 8]);
  });

  it('agrees with the definition on aligned and unaligned arrays of mostly equal frames', () => {
    const rng = new Rng(8);
    for (const [n, offset] of [
      [64, 0],
      [63, 0],
      [64, 1],
    ]) {
      const buf = new Uint8Array(2 * (n + offset));
      const a = buf.subarray(offset, offset + n);
      const b = buf.subarray(n + offset, n + 2 * offset + n - offset);
      for (let i = 0; i < n; i++) {
        a[i] = rng.int(256);
        b[i] = rng.bernoulli(0.8) ? a[i] : rng.int(256);
      }
      const want = Array.from(a, (v, i) => Math.max(v, b[i]));
      expect(Array.from(maxPool(a, b, new Uint8Array(n))), `n=${n} offset=${offset}`).toEqual(want);
    }
  });

  it('refuses arrays of different lengths', () => {
    expect(() => maxPool(new Uint8Array(3), new Uint8Array(4), new Uint8Array(3))).toThrow(
      /one length; got 3, 4 and 3/,
    );
  });
});

describe('rgbToGray', () => {
  it('weights R, G, B by 0.299, 0.587, 0.114 and rounds', () => {
    // 255·0.299 = 76.245 → 76; 255·0.587 = 149.685 → 150; 255·0.114 = 29.07 → 29;
    // (100, 50, 200): 29.9 + 29.35 + 22.8 = 82.05 → 82; white stays 255.
    const rgb = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 50, 200, 255, 255, 255]);
    expect(Array.from(rgbToGray(rgb, new Uint8Array(5)))).toEqual([76, 150, 29, 82, 255]);
  });

  it('agrees with the harness palette, so grayscaleScreen = rgbToGray(rgbScreen)', () => {
    expect(Array.from(rgbToGray(PALETTE_RGB, new Uint8Array(PALETTE_GRAY.length)))).toEqual(
      Array.from(PALETTE_GRAY),
    );
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => rgbToGray(new Uint8Array(10), new Uint8Array(3))).toThrow(/rgb has 10 bytes.*needs 9 bytes/);
  });
});

describe('AreaResizer (INTER_AREA)', () => {
  it('averages 2x2 blocks, rounding halves up as OpenCV does for 2x2', () => {
    // 4x2 → 2x1: blocks [1,2,3,4] (sum 10 → 2.5 → 3) and [0,0,1,1] (sum 2 → 0.5 → 1).
    const src = Uint8Array.from([1, 2, 0, 0, 3, 4, 1, 1]);
    expect(Array.from(resizeArea(src, { srcWidth: 4, srcHeight: 2, dstWidth: 2, dstHeight: 1 }))).toEqual([
      3, 1,
    ]);
  });

  it('rounds other integer blocks half to even, as OpenCV does (sum * 1/area, lrintf)', () => {
    // 4x1 → 1x1: sums 2, 6, 10, 14 → 0.5, 1.5, 2.5, 3.5 → 0, 2, 2, 4.
    const shape = { srcWidth: 4, srcHeight: 1, dstWidth: 1, dstHeight: 1 };
    const got = [
      [0, 0, 1, 1],
      [1, 1, 2, 2],
      [2, 2, 3, 3],
      [3, 3, 4, 4],
    ].map((px) => resizeArea(Uint8Array.from(px), shape)[0]);
    expect(got).toEqual([0, 2, 2, 4]);
  });

  it('weights partly covered pixels by the fraction covered (3x3 → 2x2)', () => {
    // Scale 1.5: output pixel 0 covers source 0 fully and source 1 by half, so
    // out(0,0) = (1·1·a00 + 1·½·a01 + ½·1·a10 + ½·½·a11) / 2.25.
    const src = Uint8Array.from([90, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(resizeArea(src, { srcWidth: 3, srcHeight: 3, dstWidth: 2, dstHeight: 2 }))).toEqual([
      40, 0, 0, 0,
    ]);
    const centre = Uint8Array.from([0, 0, 0, 0, 180, 0, 0, 0, 0]); // ¼ of 180 / 2.25 = 20 in each
    expect(Array.from(resizeArea(centre, { srcWidth: 3, srcHeight: 3, dstWidth: 2, dstHeight: 2 }))).toEqual([
      20, 20, 20, 20,
    ]);
    // 5 → 2 (scale 2.5) on a row: out0 = (a0 + a1 + ½ a2) / 2.5, out1 = (½ a2 + a3 + a4) / 2.5.
    const row = Uint8Array.from([10, 20, 100, 0, 5]);
    expect(Array.from(resizeArea(row, { srcWidth: 5, srcHeight: 1, dstWidth: 2, dstHeight: 1 }))).toEqual([
      32, 22,
    ]);
  });

  it('keeps a constant image constant and interleaved channels apart, for any shrink', () => {
    const rng = new Rng(3);
    for (let t = 0; t < 40; t++) {
      const sw = 1 + rng.int(40);
      const sh = 1 + rng.int(40);
      const dw = 1 + rng.int(sw);
      const dh = 1 + rng.int(sh);
      const rgb = [rng.int(256), rng.int(256), rng.int(256)];
      const src = new Uint8Array(sw * sh * 3).map((_, i) => rgb[i % 3]);
      const out = resizeArea(src, { srcWidth: sw, srcHeight: sh, dstWidth: dw, dstHeight: dh, channels: 3 });
      expect(
        out.every((v, i) => v === rgb[i % 3]),
        `${sw}x${sh} → ${dw}x${dh}`,
      ).toBe(true);
    }
  });

  it('gives the bytes OpenCV 4.5 gives for 210x160 → 84x84 (gray and RGB)', () => {
    // Reference hashes from cv2.resize(..., INTER_AREA) (opencv.js 4.5.1) on the same Rng(42) frames.
    for (const [channels, expected] of [
      [1, '6878739b'],
      [3, '00995b0d'],
    ] as const) {
      const src = referenceFrame(42, 210 * 160 * channels);
      const resizer = new AreaResizer({
        srcWidth: 160,
        srcHeight: 210,
        dstWidth: 84,
        dstHeight: 84,
        channels,
      });
      const out = resizer.resize(src, new Uint8Array(84 * 84 * channels));
      expect(hashBytes(out)).toBe(expected);
    }
  });

  it('gives the bytes OpenCV 4.5 gives on other shapes: both paths, long sums, one axis unscaled', () => {
    // [srcWidth, srcHeight, dstWidth, dstHeight, channels, hash of cv2.resize(INTER_AREA)] on Rng(42) frames.
    const cases = [
      [160, 210, 64, 64, 1, '29dc90ee'], // general path
      [160, 210, 20, 10, 1, '0c8a1d09'], // sums of 8 and 21 terms
      [160, 210, 80, 105, 3, 'c18d3a0e'], // 2x2 blocks, RGB
      [160, 210, 40, 70, 1, '5aa958f9'], // 4x3 blocks
      [100, 100, 7, 9, 1, 'adb38895'],
      [160, 210, 160, 84, 1, '113ecebc'], // width unchanged (one term per column)
    ] as const;
    for (const [srcWidth, srcHeight, dstWidth, dstHeight, channels, expected] of cases) {
      const src = referenceFrame(42, srcWidth * srcHeight * channels);
      const out = resizeArea(src, { srcWidth, srcHeight, dstWidth, dstHeight, channels });
      expect(hashBytes(out), `${srcWidth}x${srcHeight} → ${dstWidth}x${dstHeight}x${channels}`).toBe(
        expected,
      );
    }
  });

  it('refuses enlarging and buffers of the wrong size', () => {
    expect(() => new AreaResizer({ srcWidth: 4, srcHeight: 4, dstWidth: 8, dstHeight: 2 })).toThrow(
      /only shrinks: cannot resize 4x4 to 8x2/,
    );
    expect(() => new AreaResizer({ srcWidth: 0, srcHeight: 4, dstWidth: 1, dstHeight: 1 })).toThrow(
      /srcWidth must be an integer >= 1, got 0/,
    );
    const r = new AreaResizer({ srcWidth: 4, srcHeight: 4, dstWidth: 2, dstHeight: 2 });
    expect(() => r.resize(new Uint8Array(15), new Uint8Array(4))).toThrow(
      /src has 15 bytes, expected 4x4x1 = 16/,
    );
    expect(() => r.resize(new Uint8Array(16), new Uint8Array(5))).toThrow(
      /out has 5 bytes, expected 2x2x1 = 4/,
    );
  });
});

/**
 * The random frames the OpenCV reference hashes were computed on: bytes of pure-rand's
 * xoroshiro128+ seeded directly (the stream Rng gave before it mixed its seeds).
 */
function referenceFrame(seed: number, length: number): Uint8Array {
  const gen = xoroshiro128plus(seed);
  return new Uint8Array(length).map(() => (gen.next() >>> 0) % 256);
}
