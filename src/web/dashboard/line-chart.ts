/**
 * A small canvas line chart for the live dashboard: several series (lines, faint raw lines, or
 * points with error bars), nice ticks (src/viz/ticks.ts) and a legend-free title, redrawn whole on
 * every update. Hand-written rather than vega (which draws the static plots of `pixelrl plot`)
 * because the dashboard redraws up to twice a second as lines arrive, and a 1 MB charting
 * runtime for five line charts would triple the page's script.
 */
import { niceTicks, tickLabel } from '../../viz/ticks.js';

export interface ChartSeries {
  colour: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  /** `line`: solid; `faint`: thin and transparent (raw episode returns); `points`: dots with ±err bars. */
  style: 'line' | 'faint' | 'points';
  /** Error bar half-heights of `points`. */
  err?: ArrayLike<number>;
}

const PAD = { left: 52, right: 10, top: 8, bottom: 24 };

export function drawChart(canvas: HTMLCanvasElement, series: readonly ChartSeries[], xLabel: string): void {
  const ratio = window.devicePixelRatio || 1;
  const w = canvas.clientWidth || 440;
  const h = canvas.clientHeight || 220;
  if (canvas.width !== Math.round(w * ratio)) canvas.width = Math.round(w * ratio);
  if (canvas.height !== Math.round(h * ratio)) canvas.height = Math.round(h * ratio);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, w, h);
  let x0 = Number.POSITIVE_INFINITY;
  let x1 = Number.NEGATIVE_INFINITY;
  let y0 = Number.POSITIVE_INFINITY;
  let y1 = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (let i = 0; i < s.xs.length; i++) {
      const e = s.err?.[i] ?? 0;
      if (!Number.isFinite(s.ys[i])) continue;
      x0 = Math.min(x0, s.xs[i]);
      x1 = Math.max(x1, s.xs[i]);
      y0 = Math.min(y0, s.ys[i] - e);
      y1 = Math.max(y1, s.ys[i] + e);
    }
  }
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#8b949e';
  if (!Number.isFinite(x0)) {
    ctx.fillText('no data yet', PAD.left, h / 2);
    return;
  }
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (w - PAD.left - PAD.right);
  const py = (y: number) => h - PAD.bottom - ((y - y0) / (y1 - y0)) * (h - PAD.top - PAD.bottom);
  ctx.strokeStyle = '#30363d';
  ctx.lineWidth = 1;
  for (const t of niceTicks(y0, y1, 4)) {
    ctx.beginPath();
    ctx.moveTo(PAD.left, py(t));
    ctx.lineTo(w - PAD.right, py(t));
    ctx.stroke();
    ctx.fillText(tickLabel(t), 4, py(t) + 4);
  }
  const labelLeft = w - PAD.right - ctx.measureText(xLabel).width;
  for (const t of niceTicks(x0, x1, 5)) {
    const label = tickLabel(t);
    // Ticks that would run into the axis name are left out.
    if (px(t) - 10 + ctx.measureText(label).width < labelLeft - 8) ctx.fillText(label, px(t) - 10, h - 8);
  }
  ctx.fillText(xLabel, labelLeft, h - 8);
  for (const s of series) {
    ctx.strokeStyle = s.colour;
    ctx.fillStyle = s.colour;
    if (s.style === 'points') {
      for (let i = 0; i < s.xs.length; i++) {
        const e = s.err?.[i] ?? 0;
        ctx.globalAlpha = 0.9;
        ctx.beginPath();
        ctx.moveTo(px(s.xs[i]), py(s.ys[i] - e));
        ctx.lineTo(px(s.xs[i]), py(s.ys[i] + e));
        ctx.stroke();
        ctx.beginPath();
        ctx.arc(px(s.xs[i]), py(s.ys[i]), 3.5, 0, 2 * Math.PI);
        ctx.fill();
      }
      ctx.globalAlpha = 1;
      continue;
    }
    ctx.globalAlpha = s.style === 'faint' ? 0.25 : 1;
    ctx.lineWidth = s.style === 'faint' ? 1 : 2;
    ctx.beginPath();
    for (let i = 0; i < s.xs.length; i++) {
      if (i === 0) ctx.moveTo(px(s.xs[i]), py(s.ys[i]));
      else ctx.lineTo(px(s.xs[i]), py(s.ys[i]));
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
  }
}
