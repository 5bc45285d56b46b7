/**
 * `pixelrl plot` and `pixelrl tsne` as single calls over the pieces: read run directories and
 * draw their reward curves; embed recorded states and write the map, its data, and the value
 * plot of one episode.
 */

import type { Rng } from '../util/rng.js';
import { embed } from './embedding.js';
import { writeEmbedding } from './embedding-io.js';
import { readRun } from './metrics.js';
import { type RewardPlotOptions, writeRewardPlot } from './reward-plot.js';
import type { StateRecorder } from './state-recorder.js';
import { writeEmbeddingPlot } from './tsne-plot.js';
import type { PlotFiles } from './vega-render.js';

/** Reads each run directory and writes their reward plot to `outputs` (.png / .svg / .json). */
export async function plotRuns(
  runDirs: readonly string[],
  outputs: readonly string[],
  options: RewardPlotOptions = {},
): Promise<PlotFiles> {
  if (runDirs.length === 0) throw new Error('plot: give at least one run directory');
  if (outputs.length === 0) throw new Error('plot: give at least one output file (.png, .svg or .json)');
  return writeRewardPlot(runDirs.map(readRun), outputs, options);
}

export interface EmbeddingReportOptions {
  /** 'tsne' (default) or 'umap'. */
  method?: 'tsne' | 'umap';
  /** Seeds the embedding. */
  rng: Rng;
  /** t-SNE perplexity; default min(30, (n-1)/3). */
  perplexity?: number;
  /** t-SNE gradient steps (default 500) or UMAP epochs. */
  iterations?: number;
  /** Files to write: .png / .svg (the map), .csv / .json (the embedding). */
  outputs: readonly string[];
  /** What V is, e.g. 'V(s) = max_a Q(s, a)' or "the critic's V(s)". */
  valueLabel?: string;
  /** Figure title; default names the method and the number of states. */
  title?: string;
}

/** Embeds the recorded states and writes the figure and data files; returns the 2-D points. */
export function writeEmbeddingReport(states: StateRecorder, options: EmbeddingReportOptions): Float32Array {
  const bad = options.outputs.filter((p) => !/\.(png|svg|csv|json)$/i.test(p));
  if (bad.length)
    throw new Error(`tsne: cannot write ${bad.join(', ')}: use .png, .svg, .csv or .json file names`);
  const n = states.size;
  if (n < 4)
    throw new Error(`tsne: only ${n} states were recorded; play for more steps (at least 4, ideally 1000+)`);
  const dim = states.features().length / Math.max(1, n);
  const method = options.method ?? 'tsne';
  const points = embed(states.features(), n, dim, {
    method,
    rng: options.rng,
    perplexity: options.perplexity,
    iterations: options.iterations,
  });
  const values = states.values();
  const figures = options.outputs.filter((p) => /\.(png|svg)$/i.test(p));
  if (figures.length) {
    writeEmbeddingPlot(
      {
        points,
        values,
        frames: (i) => states.frame(i),
        method,
        valueLabel: options.valueLabel,
        title: options.title,
      },
      figures,
    );
  }
  for (const p of options.outputs.filter((q) => /\.(csv|json)$/i.test(q))) {
    writeEmbedding({ points, values, method, columns: states.columns() }, p);
  }
  return points;
}
