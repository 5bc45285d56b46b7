import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/rng.js';
import { embed } from '../../src/viz/embedding.js';
import { embeddingCsv, embeddingJson } from '../../src/viz/embedding-io.js';

/** n points in `dim` dimensions around three well-separated centres; point i is in cluster i % 3. */
function clusters(n: number, dim: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const f = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let d = 0; d < dim; d++) f[i * dim + d] = (d % 3 === i % 3 ? 10 : 0) + rng.normal();
  return f;
}

/** Mean distance within clusters over mean distance between them, in 2-D. */
function separation(y: Float32Array, n: number): number {
  let within = 0;
  let nw = 0;
  let between = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.hypot(y[2 * i] - y[2 * j], y[2 * i + 1] - y[2 * j + 1]);
      if (i % 3 === j % 3) {
        within += d;
        nw++;
      } else {
        between += d;
        nb++;
      }
    }
  }
  return within / nw / (between / nb);
}

describe('embed', () => {
  const n = 60;
  const dim = 9;
  const x = clusters(n, dim, 5);

  for (const method of ['tsne', 'umap'] as const) {
    it(`${method}: n points in 2-D, the same for the same seed, different for another`, () => {
      const a = embed(x, n, dim, { method, rng: new Rng(1), iterations: 200 });
      const b = embed(x, n, dim, { method, rng: new Rng(1), iterations: 200 });
      const c = embed(x, n, dim, { method, rng: new Rng(2), iterations: 200 });
      expect(a).toHaveLength(2 * n);
      expect(a.every(Number.isFinite)).toBe(true);
      expect(b).toEqual(a);
      expect(c).not.toEqual(a);
      // The three clusters stay apart in the map.
      expect(separation(a, n)).toBeLessThan(0.5);
    });
  }

  it('refuses inconsistent sizes, too few points, non-finite features and a bad perplexity', () => {
    const rng = new Rng(0);
    expect(() => embed(new Float32Array(10), 3, 4, { rng })).toThrow(
      'features has 10 numbers, expected n*dim = 3*4 = 12',
    );
    expect(() => embed(new Float32Array(6), 3, 2, { rng })).toThrow(/at least 4 points/);
    const bad = new Float32Array(8);
    bad[5] = Number.NaN;
    expect(() => embed(bad, 4, 2, { rng })).toThrow('feature 1 of point 2 is NaN');
    expect(() => embed(new Float32Array(8), 4, 2, { rng, perplexity: 4 })).toThrow(
      /perplexity must be in \(0, n\)/,
    );
  });
});

describe('embedding CSV and JSON', () => {
  const rec = {
    points: Float32Array.of(1, 2, 3.5, -4),
    values: [0.5, 1],
    method: 'tsne',
    columns: { step: [7, 8] },
  };

  it('writes one row per point with a header', () => {
    expect(embeddingCsv(rec)).toBe('index,x,y,value,step\n0,1,2,0.5,7\n1,3.5,-4,1,8\n');
  });

  it('writes the same data as JSON', () => {
    expect(JSON.parse(embeddingJson(rec))).toEqual({
      method: 'tsne',
      n: 2,
      points: [
        { index: 0, x: 1, y: 2, value: 0.5, step: 7 },
        { index: 1, x: 3.5, y: -4, value: 1, step: 8 },
      ],
    });
  });

  it('refuses columns of the wrong length', () => {
    expect(() => embeddingCsv({ ...rec, columns: { step: [1] } })).toThrow(
      'column "step" has 1 entries for 2 points',
    );
  });
});
