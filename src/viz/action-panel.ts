/**
 * The side panel of an episode animation: one bar per action for the current step's action values
 * (Q) or policy probabilities, the chosen action highlighted, and a strip chart below of the
 * panel's summary (max_a Q, or the chosen action's probability) over the last steps.
 */

import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { fixed } from '../util/fixed.js';

export interface PanelOptions {
  /** Name of each action, index = action (an env's `actionMeanings`). */
  actionNames: readonly string[];
  /** 'values': Q(s, a) bars on a shared, growing scale; 'policy': probabilities on [0, 1]. */
  kind: 'values' | 'policy';
  /** Panel width in pixels. Default 220. */
  width?: number;
  /** Title above the bars. Default 'Q(s, a)' or 'π(a | s)'. */
  title?: string;
}

/** What the panel shows for one frame. */
export interface PanelData {
  /** One number per action. */
  values: ArrayLike<number>;
  /** The action taken at this frame (highlighted); default the arg max. */
  chosen?: number;
}

const BG = '#15171c';
const TEXT = '#e8e8e8';
const DIM = '#9aa0a6';
const BAR = '#4c78a8';
const CHOSEN = '#f58518';
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

export class ActionPanel {
  readonly width: number;
  private readonly ctx: SKRSContext2D;
  private readonly history: number[] = [];
  private lo = 0;
  private hi = 0;

  constructor(
    private readonly options: PanelOptions,
    readonly height: number,
  ) {
    if (options.actionNames.length === 0) throw new Error('ActionPanel: actionNames is empty');
    this.width = options.width ?? 220;
    if (this.width < 120) throw new Error(`ActionPanel: width must be at least 120 px, got ${this.width}`);
    if (height < 120) throw new Error(`ActionPanel: height must be at least 120 px, got ${height}`);
    this.ctx = createCanvas(this.width, height).getContext('2d');
  }

  /** Draws `data` and returns the panel as RGBA (width x height). */
  draw(data: PanelData): Uint8Array {
    const names = this.options.actionNames;
    const v = data.values;
    if (v.length !== names.length) {
      throw new Error(
        `ActionPanel: got ${v.length} values for ${names.length} actions (${names.join(', ')})`,
      );
    }
    let best = 0;
    for (let a = 1; a < v.length; a++) if (v[a] > v[best]) best = a;
    const chosen = data.chosen ?? best;
    const policy = this.options.kind === 'policy';
    if (policy) {
      this.lo = 0;
      this.hi = 1;
    } else {
      // A scale that only grows keeps bar lengths comparable from frame to frame.
      for (let a = 0; a < v.length; a++) {
        this.lo = Math.min(this.lo, v[a]);
        this.hi = Math.max(this.hi, v[a]);
      }
    }
    this.history.push(policy ? v[chosen] : v[best]);
    if (this.history.length > this.width - 24) this.history.shift();

    const ctx = this.ctx;
    const W = this.width;
    const H = this.height;
    ctx.fillStyle = BG;
    ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = TEXT;
    ctx.font = `bold 15px ${FONT}`;
    ctx.textBaseline = 'top';
    ctx.fillText(this.options.title ?? (policy ? 'π(a | s)' : 'Q(s, a)'), 12, 10);

    const chartH = Math.min(120, Math.floor(H * 0.25));
    const top = 36;
    const rowH = Math.min(40, (H - top - chartH - 24) / names.length);
    const barX = 12;
    const barW = W - 24;
    const span = this.hi - this.lo || 1;
    const zeroX = barX + ((0 - this.lo) / span) * barW;
    const fontPx = Math.max(9, Math.min(13, Math.floor(rowH * 0.4)));
    for (let a = 0; a < names.length; a++) {
      const y = top + a * rowH;
      const isChosen = a === chosen;
      ctx.font = `${isChosen ? 'bold ' : ''}${fontPx}px ${FONT}`;
      ctx.fillStyle = isChosen ? CHOSEN : TEXT;
      ctx.textBaseline = 'top';
      ctx.textAlign = 'left';
      ctx.fillText(names[a], barX, y + 1);
      ctx.textAlign = 'right';
      ctx.fillText(formatValue(v[a], policy), barX + barW, y + 1);
      const barTop = y + fontPx + 4;
      const barH = Math.max(3, rowH - fontPx - 9);
      const x = barX + ((v[a] - this.lo) / span) * barW;
      ctx.fillStyle = '#2a2e36';
      ctx.fillRect(barX, barTop, barW, barH);
      ctx.fillStyle = isChosen ? CHOSEN : BAR;
      ctx.fillRect(Math.min(zeroX, x), barTop, Math.max(1, Math.abs(x - zeroX)), barH);
    }
    ctx.textAlign = 'left';
    this.drawHistory(H - chartH - 8, chartH, policy ? 'π(chosen) over time' : 'max Q over time');
    return new Uint8Array(ctx.getImageData(0, 0, W, H).data.buffer);
  }

  private drawHistory(y0: number, h: number, label: string): void {
    const ctx = this.ctx;
    const x0 = 12;
    const w = this.width - 24;
    ctx.fillStyle = DIM;
    ctx.font = `11px ${FONT}`;
    ctx.textBaseline = 'top';
    ctx.fillText(label, x0, y0);
    const top = y0 + 16;
    const ch = h - 16;
    ctx.strokeStyle = '#3a3f4a';
    ctx.lineWidth = 1;
    ctx.strokeRect(x0 + 0.5, top + 0.5, w - 1, ch - 1);
    const hist = this.history;
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const v of hist) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (hi - lo < 1e-9) {
      lo -= 0.5;
      hi += 0.5;
    }
    ctx.strokeStyle = CHOSEN;
    ctx.beginPath();
    for (let i = 0; i < hist.length; i++) {
      const x = x0 + 2 + i;
      const y = top + 2 + (1 - (hist[i] - lo) / (hi - lo)) * (ch - 4);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
}

function formatValue(v: number, policy: boolean): string {
  if (policy) return `${(v * 100).toFixed(0)}%`;
  return Math.abs(v) >= 100 ? fixed(v, 0) : fixed(v, 2);
}
