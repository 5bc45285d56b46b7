/**
 * 2-D embeddings of hidden-layer activations for `pixelrl tsne`: t-SNE (druidjs) or UMAP (umap-js),
 * seeded from an {@link Rng} so the same features and seed give the same map.
 */
import { TSNE } from '@saehrimnir/druidjs';
import { UMAP } from 'umap-js';
import type { Rng } from '../util/rng.js';

export interface EmbedOptions {
  /** 'tsne' (default; the DQN paper's Fig. 4) or 'umap' (faster on many points). */
  method?: 'tsne' | 'umap';
  /** Seeds the method's randomness (initial layout, sampling). */
  rng: Rng;
  /** t-SNE perplexity, the effective number of neighbours; default min(30, (n-1)/3). */
  perplexity?: number;
  /** t-SNE gradient steps (default 500) or UMAP epochs (default: umap-js's choice by n). */
  iterations?: number;
  /** UMAP neighbourhood size; default min(15, n-1). */
  neighbors?: number;
}

/**
 * Embeds `n` points of `dim` features (row-major in `features`) in 2-D.
 * @returns n x 2 coordinates, row-major.
 */
export function embed(features: Float32Array, n: number, dim: number, options: EmbedOptions): Float32Array {
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 1 || dim < 1) {
    throw new Error(`embed: n and dim must be positive integers, got n=${n}, dim=${dim}`);
  }
  if (features.length !== n * dim) {
    throw new Error(
      `embed: features has ${features.length} numbers, expected n*dim = ${n}*${dim} = ${n * dim}`,
    );
  }
  if (n < 4) throw new Error(`embed: need at least 4 points to embed, got ${n}`);
  for (let i = 0; i < features.length; i++) {
    if (!Number.isFinite(features[i])) {
      throw new Error(`embed: feature ${i % dim} of point ${Math.floor(i / dim)} is ${features[i]}`);
    }
  }
  const rows: Float64Array[] = [];
  for (let i = 0; i < n; i++) rows.push(Float64Array.from(features.subarray(i * dim, (i + 1) * dim)));
  const method = options.method ?? 'tsne';
  let points: ArrayLike<ArrayLike<number>>;
  if (method === 'tsne') {
    const perplexity = options.perplexity ?? Math.min(30, Math.max(2, Math.floor((n - 1) / 3)));
    if (!(perplexity > 0) || perplexity >= n) {
      throw new Error(`embed: t-SNE perplexity must be in (0, n) = (0, ${n}), got ${perplexity}`);
    }
    // druidjs takes an integer seed for its own generator; draw it from ours.
    const tsne = new TSNE(rows, { perplexity, d: 2, seed: options.rng.uint32() });
    points = tsne.transform(options.iterations ?? 500) as ArrayLike<ArrayLike<number>>;
  } else if (method === 'umap') {
    const rng = options.rng;
    const umap = new UMAP({
      nComponents: 2,
      nNeighbors: options.neighbors ?? Math.min(15, n - 1),
      nEpochs: options.iterations,
      random: () => rng.float(),
    });
    points = umap.fit(rows.map((r) => Array.from(r)));
  } else {
    throw new Error(`embed: method must be 'tsne' or 'umap', got ${JSON.stringify(method)}`);
  }
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[2 * i] = points[i][0];
    out[2 * i + 1] = points[i][1];
  }
  return out;
}
