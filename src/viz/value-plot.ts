/**
 * "Value over an episode" (the idea of the DQN paper's Figure 3): the predicted V(s) at every
 * step of one episode as a line, with the game frames at its highest peaks (above the plot) and
 * deepest dips (below), joined to their points, and the steps that earned a reward marked.
 */
import { axisShapes, type Box, headerShapes, linearScale, paddedExtent } from './axes.js';
import { type Scene, type Shape, writeScene } from './scene.js';
import { type FrameLookup, frameAt } from './thumbnails.js';

export interface ValueEpisodeFigure {
  /** V(s_t) for t = 0..T-1. */
  values: ArrayLike<number>;
  /** Frame at each step (only the chosen ones are read). */
  frames?: FrameLookup;
  /** Reward received at each step; non-zero ones are marked along the x axis. */
  rewards?: ArrayLike<number>;
  /** Peaks and dips with thumbnails, each. Default 3. */
  extremes?: number;
  /** What V is. Default 'V(s) = max_a Q(s, a)'. */
  valueLabel?: string;
  /** Figure title; default says how many steps the episode had. */
  title?: string;
}

/**
 * Up to `k` steps where `values` is highest ('max') or lowest ('min'), at least `minGap` steps
 * apart (greedy non-maximum suppression: take the best, drop its neighbours, repeat). Sorted by step.
 */
export function findExtremes(
  values: ArrayLike<number>,
  k: number,
  kind: 'max' | 'min',
  minGap: number,
): number[] {
  const sign = kind === 'max' ? -1 : 1;
  const order = Array.from({ length: values.length }, (_, i) => i).sort(
    (a, b) => sign * (values[a] - values[b]) || a - b,
  );
  const picked: number[] = [];
  for (const i of order) {
    if (picked.length >= k) break;
    if (picked.every((j) => Math.abs(i - j) >= minGap)) picked.push(i);
  }
  return picked.sort((a, b) => a - b);
}

/**
 * Positions as close as possible to the ascending `wanted` ones, at least `gap` apart and within
 * [lo, hi]: thumbnails sit above their points where they fit, keeping their order so lines never cross.
 */
export function spreadOut(wanted: readonly number[], gap: number, lo: number, hi: number): number[] {
  const p = wanted.map((w) => Math.min(hi, Math.max(lo, w)));
  for (let j = 1; j < p.length; j++) p[j] = Math.max(p[j], p[j - 1] + gap);
  if (p.length) p[p.length - 1] = Math.min(p[p.length - 1], hi);
  for (let j = p.length - 2; j >= 0; j--) p[j] = Math.min(p[j], p[j + 1] - gap);
  return p;
}

const W = 1200;
const THUMB_H = 150;

export function valueEpisodeScene(fig: ValueEpisodeFigure): Scene {
  const T = fig.values.length;
  if (T < 2) throw new Error(`value plot: need at least 2 steps, got ${T}`);
  if (fig.rewards && fig.rewards.length !== T) {
    throw new Error(`value plot: ${fig.rewards.length} rewards for ${T} values`);
  }
  const k = fig.extremes ?? 3;
  const minGap = Math.max(1, Math.floor(T / (2 * Math.max(1, k))));
  const withFrame = (idx: number[]): number[] => idx.filter((i) => frameAt(fig.frames, i));
  const peaks = withFrame(findExtremes(fig.values, k, 'max', minGap));
  const dips = withFrame(findExtremes(fig.values, k, 'min', minGap));
  const first = frameAt(fig.frames, peaks[0] ?? dips[0] ?? -1);
  const thumbW = first ? Math.round((THUMB_H * first.width) / first.height) : 0;
  const topRow = peaks.length ? THUMB_H + 50 : 0;
  const bottomRow = dips.length ? THUMB_H + 40 : 0;
  const box: Box = { x: 90, y: 80 + topRow, w: W - 130, h: 300 };
  const height = box.y + box.h + 60 + bottomRow + 10;
  const xd: [number, number] = [0, T - 1];
  const yd = paddedExtent(fig.values, 0.08);
  const sx = linearScale(xd[0], xd[1], box.x, box.x + box.w);
  const sy = linearScale(yd[0], yd[1], box.y + box.h, box.y);
  const label = fig.valueLabel ?? 'V(s) = max_a Q(s, a)';
  const shapes: Shape[] = [
    ...headerShapes(
      fig.title ?? `Predicted value over one episode (${T} steps)`,
      `line: ${label}` +
        (peaks.length ? '  ·  screens above: the highest peaks, below: the deepest dips' : '') +
        (fig.rewards ? '  ·  dots on the axis: rewards (green +, red −)' : ''),
    ),
    ...axisShapes(box, { xDomain: xd, yDomain: yd, xTitle: 'step of the episode', yTitle: 'V(s)' }),
  ];
  const line: number[] = [];
  for (let t = 0; t < T; t++) line.push(sx(t), sy(fig.values[t]));
  shapes.push({ kind: 'line', points: line, stroke: '#4c78a8', lineWidth: 2 });
  if (fig.rewards) {
    for (let t = 0; t < T; t++) {
      const r = fig.rewards[t];
      if (r !== 0) {
        shapes.push({
          kind: 'circle',
          x: sx(t),
          y: box.y + box.h - 6,
          r: 3.5,
          fill: r > 0 ? '#2ca02c' : '#d62728',
        });
      }
    }
  }
  const row = (idx: number[], y: number, colour: string, above: boolean): void => {
    const centres = spreadOut(
      idx.map((i) => sx(i)),
      thumbW + 40,
      box.x + thumbW / 2,
      box.x + box.w - thumbW / 2,
    );
    idx.forEach((i, j) => {
      const cx = centres[j];
      const tx = Math.round(cx - thumbW / 2);
      const px = sx(i);
      const py = sy(fig.values[i]);
      const ey = above ? y + THUMB_H + 2 : y - 2;
      shapes.push({ kind: 'line', points: [cx, ey, px, py], stroke: '#666', dash: [4, 3] });
      shapes.push({ kind: 'circle', x: px, y: py, r: 6, stroke: colour, lineWidth: 2.5 });
      shapes.push({
        kind: 'image',
        x: tx,
        y,
        w: thumbW,
        h: THUMB_H,
        frame: frameAt(fig.frames, i)!,
        border: colour,
      });
      const caption = `step ${i}: V = ${fig.values[i].toFixed(2)}`;
      const cy = above ? y - 8 : y + THUMB_H + 18;
      shapes.push({ kind: 'text', x: cx, y: cy, text: caption, size: 12, bold: true, align: 'center' });
    });
  };
  row(peaks, 80 + 22, '#2ca02c', true);
  row(dips, box.y + box.h + 62, '#d62728', false);
  return { width: W, height, background: 'white', shapes };
}

/** Draws the value-over-an-episode figure to each of `paths` (.png / .svg). */
export function writeValueEpisodePlot(fig: ValueEpisodeFigure, paths: readonly string[]): string[] {
  return writeScene(valueEpisodeScene(fig), paths);
}
