import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbFrame } from '../../envs/core.js';
import { Rng } from '../../src/util/rng.js';
import { chooseByValue } from '../../src/viz/thumbnails.js';
import { embeddingScene, writeEmbeddingPlot } from '../../src/viz/tsne-plot.js';
import {
  findExtremes,
  spreadOut,
  valueEpisodeScene,
  writeValueEpisodePlot,
} from '../../src/viz/value-plot.js';
import { pngSize } from './image-files.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-fig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const frame = (shade: number): RgbFrame => ({
  width: 16,
  height: 21,
  data: new Uint8Array(16 * 21 * 3).fill(shade),
});

describe('chooseByValue', () => {
  it('picks the lowest, the highest and evenly spaced ranks between, each once', () => {
    const values = [5, 1, 9, 3, 7];
    expect(chooseByValue(values, 3)).toEqual([1, 0, 2]); // min 1, median 5, max 9
    expect(new Set(chooseByValue([1, 1, 1], 6)).size).toBe(3);
  });
});

describe('embedding figure', () => {
  const rng = new Rng(4);
  const n = 40;
  const points = Float32Array.from({ length: 2 * n }, () => rng.normal());
  const values = Float32Array.from({ length: n }, (_, i) => i / 10);
  const frames = Array.from({ length: n }, (_, i) => frame(i * 6));

  it('draws every point, six thumbnails with their lines, and a colour bar', () => {
    const scene = embeddingScene({ points, values, frames });
    const kinds = scene.shapes.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'image')).toHaveLength(6);
    expect(kinds.filter((k) => k === 'gradient')).toHaveLength(1);
    // n points + one ring per thumbnail.
    expect(kinds.filter((k) => k === 'circle')).toHaveLength(n + 6);
    // Every shape lies inside the figure.
    for (const s of scene.shapes) {
      if (s.kind === 'image' || s.kind === 'rect' || s.kind === 'gradient') {
        expect(s.x).toBeGreaterThanOrEqual(0);
        expect(s.x + s.w).toBeLessThanOrEqual(scene.width);
        expect(s.y + s.h).toBeLessThanOrEqual(scene.height);
      }
    }
  });

  it('writes PNG at twice the layout size and an SVG with the frames embedded', () => {
    const png = join(dir, 'map.png');
    const svg = join(dir, 'map.svg');
    writeEmbeddingPlot({ points, values, frames, method: 'umap' }, [png, svg]);
    const scene = embeddingScene({ points, values, frames, method: 'umap' });
    expect(pngSize(readFileSync(png))).toEqual({ width: 2 * scene.width, height: 2 * scene.height });
    const text = readFileSync(svg, 'utf8');
    expect(text.match(/<image /g)).toHaveLength(6);
    expect(text).toContain('UMAP 1');
    expect(text).toContain('V(s) = max_a Q(s, a)');
  });

  it('works without frames, and refuses mismatched inputs', () => {
    const scene = embeddingScene({ points, values });
    expect(scene.shapes.some((s) => s.kind === 'image')).toBe(false);
    expect(() => embeddingScene({ points, values: values.subarray(1) })).toThrow('39 values for 40 points');
    expect(() => embeddingScene({ points, values, frames, thumbnails: [3, 40] })).toThrow(
      'thumbnail index 40 is not a point (0..39)',
    );
  });
});

describe('value over an episode', () => {
  it('finds peaks and dips at least minGap apart, in step order', () => {
    const v = [0, 5, 4, 1, 0, 6, 2, 9, 8, 0];
    expect(findExtremes(v, 2, 'max', 3)).toEqual([1, 7]); // 9 at 7, then 8 (too close), 6 (too close), 5 at 1
    expect(findExtremes(v, 3, 'min', 2)).toEqual([0, 4, 9]);
  });

  it('spreads thumbnail centres apart, in order, within bounds', () => {
    expect(spreadOut([10, 12, 50], 20, 0, 100)).toEqual([10, 30, 50]);
    expect(spreadOut([95, 99], 20, 0, 100)).toEqual([80, 100]);
  });

  it('writes a PNG with the peaks above and the dips below', () => {
    const T = 60;
    const values = Array.from({ length: T }, (_, t) => Math.sin(t / 5));
    const frames = Array.from({ length: T }, (_, t) => frame(t));
    const rewards = Array.from({ length: T }, (_, t) => (t % 20 === 0 ? 1 : 0));
    const scene = valueEpisodeScene({ values, frames, rewards });
    const images = scene.shapes.filter((s) => s.kind === 'image');
    expect(images).toHaveLength(6);
    const plotTop = Math.min(...scene.shapes.filter((s) => s.kind === 'rect').map((s) => s.y));
    expect(images.filter((s) => s.y < plotTop)).toHaveLength(3);
    const path = join(dir, 'value.png');
    writeValueEpisodePlot({ values, frames, rewards }, [path]);
    expect(pngSize(readFileSync(path))).toEqual({ width: 2 * scene.width, height: 2 * scene.height });
  });
});
