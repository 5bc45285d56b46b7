/** A plot box with linear scales, gridlines, tick labels and axis titles, as scene shapes. */
import type { Shape } from './scene.js';
import { niceTicks, tickLabel } from './ticks.js';

/** A rectangle in figure pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

/** [min, max] of `values` widened by `pad` of the span on each side (a unit span if constant). */
export function paddedExtent(values: ArrayLike<number>, pad = 0.05): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (lo > hi) return [0, 1];
  if (hi === lo) return [lo - 0.5, hi + 0.5];
  const d = (hi - lo) * pad;
  return [lo - d, hi + d];
}

export interface AxesOptions {
  /** Data ranges shown along x and y. */
  xDomain: [number, number];
  yDomain: [number, number];
  /** Axis titles. */
  xTitle: string;
  yTitle: string;
  /** Draw light gridlines at the ticks. Default true. */
  grid?: boolean;
}

/** Frame, gridlines, ticks, labels and titles for `box`. */
/** A figure's bold title and its grey subtitle line, top left (the charts' common header). */
export function headerShapes(title: string, subtitle: string): Shape[] {
  return [
    { kind: 'text', x: 20, y: 30, text: title, size: 18, bold: true },
    { kind: 'text', x: 20, y: 54, text: subtitle, size: 13, fill: '#555' },
  ];
}

export function axisShapes(box: Box, o: AxesOptions): Shape[] {
  const shapes: Shape[] = [];
  const sx = linearScale(o.xDomain[0], o.xDomain[1], box.x, box.x + box.w);
  const sy = linearScale(o.yDomain[0], o.yDomain[1], box.y + box.h, box.y);
  const bottom = box.y + box.h;
  for (const t of niceTicks(o.xDomain[0], o.xDomain[1], Math.max(2, Math.round(box.w / 90)))) {
    const x = sx(t);
    if (o.grid !== false) shapes.push({ kind: 'line', points: [x, box.y, x, bottom], stroke: '#ececec' });
    shapes.push({ kind: 'line', points: [x, bottom, x, bottom + 5], stroke: '#444' });
    shapes.push({
      kind: 'text',
      x,
      y: bottom + 8,
      text: tickLabel(t),
      size: 12,
      align: 'center',
      baseline: 'top',
    });
  }
  for (const t of niceTicks(o.yDomain[0], o.yDomain[1], Math.max(2, Math.round(box.h / 70)))) {
    const y = sy(t);
    if (o.grid !== false)
      shapes.push({ kind: 'line', points: [box.x, y, box.x + box.w, y], stroke: '#ececec' });
    shapes.push({ kind: 'line', points: [box.x - 5, y, box.x, y], stroke: '#444' });
    shapes.push({
      kind: 'text',
      x: box.x - 8,
      y,
      text: tickLabel(t),
      size: 12,
      align: 'right',
      baseline: 'middle',
    });
  }
  shapes.push({ kind: 'rect', ...box, stroke: '#444' });
  shapes.push({
    kind: 'text',
    x: box.x + box.w / 2,
    y: bottom + 42,
    text: o.xTitle,
    size: 13,
    bold: true,
    align: 'center',
  });
  shapes.push({
    kind: 'text',
    x: box.x - 52,
    y: box.y + box.h / 2,
    text: o.yTitle,
    size: 13,
    bold: true,
    align: 'center',
    rotate: -90,
  });
  return shapes;
}
