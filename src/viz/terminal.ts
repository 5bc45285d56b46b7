/**
 * Drawing frames in a terminal: 24-bit ANSI colour with the upper-half-block character '▀', whose
 * foreground colour paints the top pixel and background colour the bottom one, so each text row
 * shows two pixel rows (and, as a character cell is about twice as tall as wide, pixels come out
 * roughly square). A {@link TerminalPlayer} shows frames at a capped frame rate.
 */

import type { RgbFrame } from '../../envs/core.js';
import { fixed } from '../util/fixed.js';
import { checkFrame } from './raster.js';

const ESC = '\x1b[';
const UPPER_HALF = '▀';

export interface AnsiOptions {
  /** Fit the image into this many columns (one pixel per column), downscaling by area-averaging. */
  columns?: number;
  /** Fit the image into this many text rows (two pixels per row). */
  rows?: number;
}

/**
 * `frame` as text: one line per two pixel rows, each line ending with a colour reset and '\n'.
 * Colour codes are only emitted when they change along a line. An odd last pixel row is drawn
 * over the terminal's default background.
 */
export function frameToAnsi(frame: RgbFrame, options: AnsiOptions = {}): string {
  checkFrame(frame);
  const f = fitFrame(frame, options.columns, options.rows === undefined ? undefined : options.rows * 2);
  const { width, height, data } = f;
  const parts: string[] = [];
  for (let y = 0; y < height; y += 2) {
    let fg = '';
    let bg = '';
    for (let x = 0; x < width; x++) {
      const top = (y * width + x) * 3;
      const fgNow = `${data[top]};${data[top + 1]};${data[top + 2]}`;
      let bgNow = '';
      if (y + 1 < height) {
        const bottom = top + width * 3;
        bgNow = `${data[bottom]};${data[bottom + 1]};${data[bottom + 2]}`;
      }
      if (fgNow !== fg) parts.push(`${ESC}38;2;${fgNow}m`);
      // Each line starts on the default background (after the reset that ends the line before),
      // which is what an odd last pixel row shows below its half blocks.
      if (bgNow !== bg) parts.push(`${ESC}48;2;${bgNow}m`);
      fg = fgNow;
      bg = bgNow;
      parts.push(UPPER_HALF);
    }
    parts.push(`${ESC}0m\n`);
  }
  return parts.join('');
}

/**
 * `frame` shrunk (never enlarged) to fit `maxWidth` x `maxHeight` pixels, keeping its aspect
 * ratio; each output pixel is the mean of the source pixels it covers.
 */
export function fitFrame(frame: RgbFrame, maxWidth?: number, maxHeight?: number): RgbFrame {
  const { width, height, data } = frame;
  let ratio = 1;
  if (maxWidth !== undefined) ratio = Math.min(ratio, maxWidth / width);
  if (maxHeight !== undefined) ratio = Math.min(ratio, maxHeight / height);
  if (ratio >= 1) return frame;
  const w = Math.max(1, Math.floor(width * ratio));
  const h = Math.max(1, Math.floor(height * ratio));
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor((y * height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / h));
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor((x * width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const i = (sy * width + sx) * 3;
          r += data[i];
          g += data[i + 1];
          b += data[i + 2];
        }
      }
      const n = (y1 - y0) * (x1 - x0);
      const o = (y * w + x) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  }
  return { width: w, height: h, data: out };
}

/** What the status line under the game shows; every field is optional. */
export interface StatusInfo {
  /** Episode number. */
  episode?: number;
  /** Step of the episode. */
  step?: number;
  /** The episode's return so far. */
  score?: number;
  /** Lives left (Atari-style games). */
  lives?: number;
  /** Action values or probabilities at this step, with their names. */
  values?: ArrayLike<number>;
  actionNames?: readonly string[];
  /** What `values` are: action values (`Q:`, the default) or policy probabilities (`π:`). */
  valuesKind?: 'values' | 'policy';
  /** The action taken (marked with '*'). */
  chosen?: number;
}

/** One line such as `ep 2  step 130  score 4  lives 2  Q: NOOP 0.31  RIGHT 0.52*  LEFT 0.12`. */
export function formatStatus(s: StatusInfo): string {
  const parts: string[] = [];
  if (s.episode !== undefined) parts.push(`ep ${s.episode}`);
  if (s.step !== undefined) parts.push(`step ${s.step}`);
  if (s.score !== undefined) parts.push(`score ${Number.isInteger(s.score) ? s.score : fixed(s.score, 2)}`);
  if (s.lives !== undefined) parts.push(`lives ${s.lives}`);
  if (s.values) {
    const vals: string[] = [];
    for (let a = 0; a < s.values.length; a++) {
      const name = s.actionNames?.[a] ?? String(a);
      vals.push(`${name} ${fixed(s.values[a], 2)}${a === s.chosen ? '*' : ''}`);
    }
    parts.push(`${s.valuesKind === 'policy' ? 'π' : 'Q'}: ${vals.join('  ')}`);
  }
  return parts.join('  ');
}

/** Where the player writes (process.stdout, or a test's buffer). */
export interface TextOut {
  write(text: string): unknown;
}

export interface TerminalPlayerOptions {
  /** Where to draw. */
  out: TextOut;
  /** Highest frame rate; frames come no faster than this. Default 30. */
  fps?: number;
  /** Terminal size to fit the image in (status line included); default: no limit. */
  columns?: number;
  rows?: number;
  /** Milliseconds on a monotonic clock; default performance.now. Injected by tests. */
  now?: () => number;
  /** Waits `ms` milliseconds; default a timer. Injected by tests. */
  sleep?: (ms: number) => Promise<void>;
}

/** Draws frames in place (cursor homed each time) at no more than `fps` frames per second. */
export class TerminalPlayer {
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private nextDueMs: number | null = null;
  private started = false;
  /** Frames drawn so far. */
  shown = 0;

  constructor(private readonly options: TerminalPlayerOptions) {
    const fps = options.fps ?? 30;
    if (!(fps > 0)) throw new Error(`TerminalPlayer: fps must be positive, got ${fps}`);
    this.intervalMs = 1000 / fps;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits for the frame's time slot, then draws `frame` with `status` below it. */
  async show(frame: RgbFrame, status = ''): Promise<void> {
    const o = this.options;
    const art = frameToAnsi(frame, {
      columns: o.columns,
      rows: o.rows === undefined ? undefined : Math.max(1, o.rows - 1),
    });
    let now = this.now();
    if (this.nextDueMs !== null && now < this.nextDueMs) {
      await this.sleep(this.nextDueMs - now);
      now = this.now();
    }
    // Late frames do not earn a burst of catch-up frames: the schedule restarts from now.
    this.nextDueMs = Math.max(this.nextDueMs ?? now, now) + this.intervalMs;
    const line = o.columns === undefined ? status : status.slice(0, o.columns);
    // Hide the cursor and clear once; afterwards home the cursor and overwrite in place.
    const prefix = this.started ? `${ESC}H` : `${ESC}?25l${ESC}2J${ESC}H`;
    this.started = true;
    o.out.write(`${prefix}${art}${line}${ESC}K\n`);
    this.shown++;
  }

  /** Resets colours and shows the cursor again. */
  close(): void {
    if (this.started) this.options.out.write(`${ESC}0m${ESC}?25h`);
    this.started = false;
  }
}
