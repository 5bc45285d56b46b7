/**
 * The DQN paper's Figure 4 (Mnih et al. 2015) for any agent: a 2-D embedding (t-SNE or UMAP) of
 * the last hidden layer's activations, each point coloured by the predicted state value V(s),
 * with a colour bar, and the game frames of a few chosen points shown beside the map with lines
 * to their points. One layout (a scene) is written as PNG and/or SVG.
 */
import type { RgbFrame } from '../../envs/core.js';
import { axisShapes, type Box, headerShapes, linearScale, paddedExtent } from './axes.js';
import { hex, viridis } from './colormap.js';
import { type Scene, type Shape, writeScene } from './scene.js';
import { chooseByValue, type FrameLookup, frameAt } from './thumbnails.js';
import { niceTicks, tickLabel } from './ticks.js';

export interface EmbeddingFigure {
  /** n x 2 embedded coordinates, row-major (from `embed`). */
  points: Float32Array;
  /** V(s) of each point. */
  values: ArrayLike<number>;
  /** Game frames of the points (only the chosen ones are read). */
  frames?: FrameLookup;
  /** Names the axes and the title. Default 'tsne'. */
  method?: 'tsne' | 'umap';
  /** What V is, for the colour bar and subtitle. Default 'V(s) = max_a Q(s, a)'. */
  valueLabel?: string;
  /** Title; default "t-SNE of the last hidden layer (n states)". */
  title?: string;
  /** Points to show as thumbnails; default `thumbnailCount` spread over the value range (see chooseByValue). */
  thumbnails?: readonly number[];
  /** How many thumbnails to choose when `thumbnails` is not given. Default 6. */
  thumbnailCount?: number;
}

const MAP = 620;
const TOP = 86;
const GAP = 24;

/** The figure's layout. */
export function embeddingScene(fig: EmbeddingFigure): Scene {
  const n = fig.points.length / 2;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`embedding figure: points must hold n*2 numbers, got ${fig.points.length}`);
  if (fig.values.length !== n)
    throw new Error(`embedding figure: ${fig.values.length} values for ${n} points`);
  const method = fig.method === 'umap' ? 'UMAP' : 't-SNE';
  const valueLabel = fig.valueLabel ?? 'V(s) = max_a Q(s, a)';
  const wanted = fig.thumbnails ?? chooseByValue(fig.values, fig.thumbnailCount ?? 6);
  for (const i of wanted) {
    if (!(Number.isInteger(i) && i >= 0 && i < n)) {
      throw new Error(`embedding figure: thumbnail index ${i} is not a point (0..${n - 1})`);
    }
  }
  const chosen = wanted.filter((i) => frameAt(fig.frames, i));
  const thumbFrames = chosen.map((i) => frameAt(fig.frames, i) as RgbFrame);

  // Thumbnails go in a column each side of the map: points left of centre to the left column.
  const xs = Float32Array.from({ length: n }, (_, i) => fig.points[2 * i]);
  const ys = Float32Array.from({ length: n }, (_, i) => fig.points[2 * i + 1]);
  const [x0, x1] = paddedExtent(xs);
  const [y0, y1] = paddedExtent(ys);
  // Equal units on both axes: distances in the map mean the same in every direction.
  const span = Math.max(x1 - x0, y1 - y0);
  const xd: [number, number] = [(x0 + x1 - span) / 2, (x0 + x1 + span) / 2];
  const yd: [number, number] = [(y0 + y1 - span) / 2, (y0 + y1 + span) / 2];
  const perSide = Math.ceil(chosen.length / 2);
  const aspect = thumbFrames.length ? thumbFrames[0].width / thumbFrames[0].height : 0.76;
  const thumbH = perSide ? Math.min(200, (MAP - (perSide - 1) * GAP) / perSide - 18) : 0;
  const thumbW = Math.round(thumbH * aspect);
  const colW = thumbFrames.length ? thumbW + 60 : 0;
  const map: Box = { x: 20 + colW + 70, y: TOP, w: MAP, h: MAP };
  const barX = map.x + MAP + (thumbFrames.length ? 60 + thumbW + 50 : 40);
  const width = barX + 110;
  const height = TOP + MAP + 70;
  const sx = linearScale(xd[0], xd[1], map.x, map.x + map.w);
  const sy = linearScale(yd[0], yd[1], map.y + map.h, map.y);
  let vmin = Number.POSITIVE_INFINITY;
  let vmax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    vmin = Math.min(vmin, fig.values[i]);
    vmax = Math.max(vmax, fig.values[i]);
  }
  if (!(vmax > vmin)) vmax = vmin + 1;
  const colour = (v: number): string => hex(viridis((v - vmin) / (vmax - vmin)));

  const shapes: Shape[] = [
    ...headerShapes(
      fig.title ?? `${method} of the last hidden layer (${n} states)`,
      `colour: ${valueLabel}` +
        (chosen.length ? '  ·  thumbnails: the game screens of the circled states' : '') +
        `  ·  ${method} axes have no units`,
    ),
    ...axisShapes(map, {
      xDomain: xd,
      yDomain: yd,
      xTitle: `${method} 1`,
      yTitle: `${method} 2`,
      grid: false,
    }),
  ];
  const r = n > 3000 ? 2 : n > 800 ? 3 : 4;
  for (let i = 0; i < n; i++) {
    shapes.push({
      kind: 'circle',
      x: sx(xs[i]),
      y: sy(ys[i]),
      r,
      fill: colour(fig.values[i]),
      opacity: 0.85,
    });
  }

  const sides = [...chosen.keys()].sort((a, b) => xs[chosen[a]] - xs[chosen[b]]);
  const left = sides.slice(0, perSide).sort((a, b) => ys[chosen[b]] - ys[chosen[a]]);
  const right = sides.slice(perSide).sort((a, b) => ys[chosen[b]] - ys[chosen[a]]);
  const place = (slots: number[], side: 'left' | 'right'): void => {
    const slotH = thumbH + 18 + GAP;
    const y0 = map.y + (MAP - slots.length * slotH + GAP) / 2;
    slots.forEach((k, j) => {
      const i = chosen[k];
      const tx = side === 'left' ? 20 : map.x + MAP + 60;
      const ty = y0 + j * slotH + 18;
      const px = sx(xs[i]);
      const py = sy(ys[i]);
      const ex = side === 'left' ? tx + thumbW + 2 : tx - 2;
      shapes.push({ kind: 'line', points: [ex, ty + thumbH / 2, px, py], stroke: '#333', lineWidth: 1 });
      shapes.push({ kind: 'circle', x: px, y: py, r: 7, stroke: '#111', lineWidth: 2 });
      shapes.push({
        kind: 'image',
        x: tx,
        y: ty,
        w: thumbW,
        h: thumbH,
        frame: thumbFrames[k],
        border: colour(fig.values[i]),
      });
      shapes.push({
        kind: 'text',
        x: tx,
        y: ty - 6,
        text: `V = ${fig.values[i].toFixed(2)}`,
        size: 12,
        bold: true,
      });
    });
  };
  place(left, 'left');
  place(right, 'right');
  shapes.push(...colourBar({ x: barX, y: map.y, w: 18, h: map.h }, vmin, vmax, valueLabel));
  return { width, height, background: 'white', shapes };
}

/** A vertical colour bar for values in [vmin, vmax], with ticks and a rotated title. */
export function colourBar(box: Box, vmin: number, vmax: number, title: string): Shape[] {
  const colors = Array.from({ length: 33 }, (_, i) => hex(viridis(i / 32)));
  const shapes: Shape[] = [
    { kind: 'gradient', ...box, colors },
    { kind: 'rect', ...box, stroke: '#444' },
  ];
  const sy = linearScale(vmin, vmax, box.y + box.h, box.y);
  for (const t of niceTicks(vmin, vmax, 6)) {
    const y = sy(t);
    shapes.push({ kind: 'line', points: [box.x + box.w, y, box.x + box.w + 5, y], stroke: '#444' });
    shapes.push({ kind: 'text', x: box.x + box.w + 8, y, text: tickLabel(t), size: 12, baseline: 'middle' });
  }
  shapes.push({
    kind: 'text',
    x: box.x + box.w + 70,
    y: box.y + box.h / 2,
    text: title,
    size: 13,
    bold: true,
    align: 'center',
    rotate: -90,
  });
  return shapes;
}

/** Draws the embedding figure to each of `paths` (.png / .svg). */
export function writeEmbeddingPlot(fig: EmbeddingFigure, paths: readonly string[]): string[] {
  return writeScene(embeddingScene(fig), paths);
}
