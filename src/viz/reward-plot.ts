/**
 * Reward curves (`pixelrl plot`): episodic return against agent steps (what `--steps` counts, the
 * default), emulator frames or wall time, as a vega-lite spec rendered to SVG by vega and to PNG by
 * resvg. The y axis has headroom (5% of the range above and below the data), so points at the
 * maximum (CartPole's 500) do not sit on the frame.
 *
 * Each run contributes its raw episode returns as faint points. Runs are grouped by label (by
 * default the algorithm: several seeds of one algorithm form one group). A group of one run is
 * drawn as its smoothed curve; a group of several as the mean of their smoothed curves with a
 * min–max band. Smoothing is a trailing rolling mean over the last `window` episodes (see
 * curves.ts). Evaluation returns are diamonds; the env's random and reference scores are dashed
 * horizontal rules.
 */
import type { TopLevelSpec } from 'vega-lite';
import { bandAcrossRuns, defaultWindow, rollingMean, type Series } from './curves.js';
import type { RunMetrics } from './metrics.js';
import { FONT_STACK } from './svg-png.js';
import { type PlotFiles, writeSpec } from './vega-render.js';

export interface RewardPlotOptions {
  /** The x axis: agent steps (default; `--steps` counts them), emulator frames, or wall time. */
  x?: 'steps' | 'frames' | 'time';
  /** Rolling-mean window in episodes; default a tenth of the shortest run's episodes, at most 100. */
  window?: number;
  /** Group label of each run (same order as the runs); default the run's algo (plus env if they differ). */
  labels?: readonly string[];
  /** The env's random and reference scores, drawn as horizontal lines. */
  scores?: { random: number; reference: number };
  /** Chart title; default the env id(s). */
  title?: string;
  /** Plot area size in CSS pixels (axes, title and legend add to it). Default 640 x 360. */
  width?: number;
  height?: number;
}

interface TimeUnit {
  name: string;
  seconds: number;
}

/** Wall time is shown in the largest unit that keeps the axis readable. */
function timeUnit(maxSeconds: number): TimeUnit {
  if (maxSeconds >= 3 * 3600) return { name: 'hours', seconds: 3600 };
  if (maxSeconds >= 3 * 60) return { name: 'minutes', seconds: 60 };
  return { name: 'seconds', seconds: 1 };
}

/** Labels that tell the runs' groups apart. */
function defaultLabels(runs: readonly RunMetrics[]): string[] {
  const envs = new Set(runs.map((r) => r.config.env));
  return runs.map((r) => (envs.size > 1 ? `${r.config.algo} (${r.config.env})` : r.config.algo));
}

/** The vega-lite spec of the reward plot of `runs`. */
export function rewardPlotSpec(runs: readonly RunMetrics[], options: RewardPlotOptions = {}): TopLevelSpec {
  if (runs.length === 0) throw new Error('reward plot: no runs given');
  const labels = options.labels ?? defaultLabels(runs);
  if (labels.length !== runs.length) {
    throw new Error(`reward plot: ${labels.length} labels for ${runs.length} runs`);
  }
  for (const r of runs) {
    if (r.episodes.length === 0) {
      throw new Error(`run ${r.dir} has no finished episodes yet in metrics.jsonl: nothing to plot`);
    }
  }
  const byTime = options.x === 'time';
  const maxTime = Math.max(...runs.map((r) => r.episodes[r.episodes.length - 1].timeSeconds));
  const unit = timeUnit(maxTime);
  const axis = options.x ?? 'steps';
  const xOf = (rec: { step: number; frames: number; timeSeconds: number }): number =>
    axis === 'time' ? rec.timeSeconds / unit.seconds : axis === 'frames' ? rec.frames : rec.step;
  const window = options.window ?? defaultWindow(Math.min(...runs.map((r) => r.episodes.length)));

  const raw: { group: string; x: number; y: number }[] = [];
  // `line` tells apart lines of one colour (runs of a group whose x ranges do not overlap).
  const lines: { group: string; line: number; x: number; y: number }[] = [];
  const bands: { group: string; x: number; lo: number; hi: number }[] = [];
  const evals: { group: string; x: number; y: number; std: number; kind: string }[] = [];
  const names = [...new Set(labels)];
  // A group of several runs says how many seeds its band summarizes.
  const groups = names.map((name) => {
    const n = labels.filter((l) => l === name).length;
    return n > 1 ? `${name} (${n} seeds)` : name;
  });
  for (const [g, group] of groups.entries()) {
    const members = runs.filter((_, i) => labels[i] === names[g]);
    const series: Series[] = members.map((r) => {
      const eps = [...r.episodes].sort((a, b) => xOf(a) - xOf(b));
      for (const e of eps) raw.push({ group, x: xOf(e), y: e.return });
      for (const e of r.evals) {
        evals.push({ group, x: xOf(e), y: e.meanReturn, std: e.stdReturn, kind: 'evaluation' });
      }
      return {
        xs: eps.map(xOf),
        ys: rollingMean(
          Float64Array.from(eps, (e) => e.return),
          window,
        ),
      };
    });
    if (series.length === 1 || !overlap(series)) {
      // One run, or seeds with no frames in common (nothing to average): one line per run.
      series.forEach((s, k) => {
        for (let i = 0; i < s.xs.length; i++) lines.push({ group, line: k, x: s.xs[i], y: s.ys[i] });
      });
    } else {
      const b = bandAcrossRuns(series);
      for (let i = 0; i < b.xs.length; i++) {
        lines.push({ group, line: 0, x: b.xs[i], y: b.mean[i] });
        bands.push({ group, x: b.xs[i], lo: b.min[i], hi: b.max[i] });
      }
    }
  }

  const xTitle =
    axis === 'time' ? `wall time (${unit.name})` : axis === 'frames' ? 'emulator frames' : 'agent steps';
  const multi = groups.length < runs.length;
  const subtitle = [
    'points: episodes',
    `line: mean return of the last ${window} episodes${multi ? ' (averaged over seeds)' : ''}`,
    ...(multi ? ['band: min–max over seeds'] : []),
    ...(evals.length > 0 ? ['diamonds: evaluation'] : []),
  ].join('  ·  ');
  const yTitle = 'episode return';
  const ys = [
    ...raw.map((p) => p.y),
    ...lines.map((p) => p.y),
    ...bands.flatMap((b) => [b.lo, b.hi]),
    ...evals.map((e) => e.y),
    ...(options.scores ? [options.scores.random, options.scores.reference] : []),
  ];
  // One explicit domain for every layer's y (a shared scale), with headroom on both sides.
  const yScale = { domain: paddedDomain(Math.min(...ys), Math.max(...ys)), nice: false, zero: false };
  const y = (field: string, title?: string) => ({
    field,
    type: 'quantitative' as const,
    scale: yScale,
    ...(title ? { title } : {}),
  });
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    title: xTitle,
    axis: {
      format: byTime ? '~r' : '~s',
      // SI formatting writes the origin as "0k"; a plain 0 reads better.
      labelExpr: "datum.value === 0 ? '0' : datum.label",
    },
  };
  const color = {
    field: 'group',
    type: 'nominal' as const,
    title: 'run',
    scale: { domain: groups },
    // One legend for all layers (the same object everywhere, or vega-lite reports a conflict),
    // drawn as solid strokes rather than the faint points of the first layer.
    legend: {
      orient: 'bottom' as const,
      direction: 'horizontal' as const,
      // At most 3 entries a row, so many runs wrap instead of widening the figure.
      columns: Math.min(3, groups.length),
      labelLimit: 360,
      symbolType: 'stroke',
      symbolStrokeWidth: 3,
      symbolOpacity: 1,
    },
  };
  const layers: TopLevelSpec[] = [];
  const layer = (l: object): void => {
    layers.push(l as TopLevelSpec);
  };
  layer({
    data: { values: raw },
    // Few episodes are drawn plainly; many are kept faint so the lines stay readable.
    mark: { type: 'circle', size: raw.length < 100 ? 30 : 10, opacity: raw.length < 100 ? 0.6 : 0.25 },
    encoding: { x, y: y('y', yTitle), color },
  });
  if (bands.length > 0) {
    layer({
      data: { values: bands },
      mark: { type: 'area', opacity: 0.2 },
      encoding: { x, y: y('lo'), y2: { field: 'hi' }, color },
    });
  }
  layer({
    data: { values: lines },
    mark: { type: 'line', strokeWidth: 2.5, interpolate: 'linear' },
    encoding: {
      x,
      y: y('y'),
      color,
      detail: { field: 'line', type: 'nominal' },
    },
  });
  if (evals.length > 0) {
    layer({
      data: { values: evals },
      mark: {
        type: 'point',
        shape: 'diamond',
        filled: true,
        size: 70,
        stroke: 'black',
        strokeWidth: 0.8,
        opacity: 1,
      },
      // No legend of its own: beside the colour legend it read as one more "run" (the subtitle
      // says what the diamonds are).
      encoding: { x, y: y('y'), color },
    });
  }
  if (options.scores) {
    const rules = [
      { label: `reference ${fmt(options.scores.reference)}`, y: options.scores.reference },
      { label: `random ${fmt(options.scores.random)}`, y: options.scores.random },
    ];
    layer({
      data: { values: rules },
      mark: { type: 'rule', strokeDash: [6, 4], color: '#555', strokeWidth: 1.2 },
      encoding: { y: y('y') },
    });
    layer({
      data: { values: rules },
      mark: {
        type: 'text',
        align: 'right',
        baseline: 'bottom',
        dx: -4,
        dy: -3,
        color: '#333',
        fontSize: 11,
        x: 'width',
      },
      encoding: { y: y('y'), text: { field: 'label' } },
    });
  }
  const envs = [...new Set(runs.map((r) => r.config.env))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? `${envs.join(', ')}: episode return`,
      subtitle,
      anchor: 'start',
      fontSize: 15,
      subtitleFontSize: 11,
      subtitleColor: '#555',
    },
    width: options.width ?? 640,
    height: options.height ?? 360,
    background: 'white',
    padding: 12,
    config: {
      font: FONT_STACK,
      axis: { labelFontSize: 11, titleFontSize: 12 },
      legend: { labelFontSize: 12 },
    },
    layer: layers,
  } as TopLevelSpec;
}

/** Whether the series share some x range (latest start <= earliest end). */
function overlap(series: readonly Series[]): boolean {
  const start = Math.max(...series.map((s) => s.xs[0]));
  const end = Math.min(...series.map((s) => s.xs[s.xs.length - 1]));
  return start <= end;
}

/** [lo, hi] widened by 5% of the range each side (by 1, or 5% of |hi|, when the range is 0). */
export function paddedDomain(lo: number, hi: number): [number, number] {
  const pad = hi > lo ? 0.05 * (hi - lo) : Math.max(1, 0.05 * Math.abs(hi));
  return [lo - pad, hi + pad];
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

/**
 * Writes the reward plot of `runs` to each of `paths` (`.svg`, `.png`, or `.json` for the
 * vega-lite spec itself, which opens in the Vega editor). PNGs are drawn at 2x for sharp text.
 */
export async function writeRewardPlot(
  runs: readonly RunMetrics[],
  paths: readonly string[],
  options: RewardPlotOptions = {},
): Promise<PlotFiles> {
  return writeSpec(rewardPlotSpec(runs, options), paths);
}
