/**
 * The player's DOM: the game screen (the env's RGB frame at its native size, scaled up with
 * nearest-neighbour), the agent's Q-value / policy bars, a V(s) sparkline, the score line and the
 * controls. Only drawing and element lookup live here; player.ts owns the state.
 */
import type { RgbFrame } from '../../../envs/core.js';

export interface PlayerElements {
  root: HTMLElement;
  game: HTMLCanvasElement;
  spark: HTMLCanvasElement;
  bars: HTMLElement;
  label: HTMLElement;
  stats: HTMLElement;
  status: HTMLElement;
  play: HTMLButtonElement;
  speed: HTMLSelectElement;
  seed: HTMLInputElement;
  reset: HTMLButtonElement;
  mode: HTMLButtonElement;
}

export const SPEEDS = ['0.25', '0.5', '1', '2', '4', 'max'] as const;
export type Speed = (typeof SPEEDS)[number];

/** Builds the player's elements inside `root` (emptied first). */
export function buildPlayer(root: HTMLElement): PlayerElements {
  root.replaceChildren();
  root.classList.add('pr-player');
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, parent: HTMLElement) => {
    const e = document.createElement(tag);
    e.className = cls;
    parent.append(e);
    return e;
  };
  const screen = el('div', 'pr-screen', root);
  const game = el('canvas', 'pr-game', screen);
  const side = el('div', 'pr-side', root);
  const label = el('div', 'pr-label', side);
  const stats = el('div', 'pr-stats', side);
  const bars = el('div', 'pr-bars', side);
  el('div', 'pr-caption', side).textContent = 'V(s) over the episode';
  const spark = el('canvas', 'pr-spark', side);
  spark.width = 320;
  spark.height = 64;
  const controls = el('div', 'pr-controls', side);
  const play = el('button', 'pr-play', controls);
  play.textContent = 'Pause';
  const speed = el('select', 'pr-speed', controls);
  for (const s of SPEEDS) {
    const o = document.createElement('option');
    o.value = s;
    o.textContent = s === 'max' ? 'max speed' : `${s}×`;
    speed.append(o);
  }
  speed.value = '1';
  const seedLabel = el('label', 'pr-seed-label', controls);
  seedLabel.textContent = 'seed ';
  const seed = el('input', 'pr-seed', seedLabel);
  seed.type = 'number';
  seed.min = '0';
  seed.value = '0';
  const reset = el('button', 'pr-reset', controls);
  reset.textContent = 'Reset';
  const mode = el('button', 'pr-mode', controls);
  mode.textContent = 'You play';
  el('div', 'pr-help', side).textContent =
    '“You play”: arrow keys and space; the bars still show what the agent would do.';
  const status = el('div', 'pr-status', side);
  return { root, game, spark, bars, label, stats, status, play, speed, seed, reset, mode };
}

/** Draws an RGB frame on `canvas` at `scale` pixels per game pixel (nearest-neighbour). */
export function drawFrame(canvas: HTMLCanvasElement, frame: RgbFrame, scale: number): void {
  const { width, height, data } = frame;
  if (canvas.width !== width * scale || canvas.height !== height * scale) {
    canvas.width = width * scale;
    canvas.height = height * scale;
  }
  const rgba = new ImageData(width, height);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    rgba.data[i * 4] = data[j];
    rgba.data[i * 4 + 1] = data[j + 1];
    rgba.data[i * 4 + 2] = data[j + 2];
    rgba.data[i * 4 + 3] = 255;
  }
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  if (scale === 1) {
    ctx.putImageData(rgba, 0, 0);
    return;
  }
  const off = new OffscreenCanvas(width, height);
  (off.getContext('2d') as OffscreenCanvasRenderingContext2D).putImageData(rgba, 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(off, 0, 0, width * scale, height * scale);
}

/**
 * The action bars: one row per action with its name, a bar and the number. Q-values are drawn
 * relative to the smallest and largest of the state; probabilities on [0, 1]. The chosen
 * action is highlighted, and marked when ε chose it at random.
 */
export function drawBars(
  bars: HTMLElement,
  names: readonly string[],
  values: ArrayLike<number>,
  kind: 'values' | 'policy',
  chosen: number,
  explored: boolean,
): void {
  if (bars.childElementCount !== names.length) {
    bars.replaceChildren(
      ...names.map((n) => {
        const row = document.createElement('div');
        row.className = 'pr-bar';
        row.innerHTML =
          '<span class="pr-name"></span><span class="pr-track"><span class="pr-fill"></span></span><span class="pr-num"></span>';
        (row.querySelector('.pr-name') as HTMLElement).textContent = n;
        return row;
      }),
    );
  }
  let lo = 0;
  let hi = 1;
  if (kind === 'values') {
    lo = Math.min(...Array.from(values));
    hi = Math.max(...Array.from(values));
    const pad = Math.max((hi - lo) * 0.25, 1e-3);
    lo -= pad;
  }
  for (let a = 0; a < names.length; a++) {
    const row = bars.children[a] as HTMLElement;
    const frac = (values[a] - lo) / (hi - lo || 1);
    (row.querySelector('.pr-fill') as HTMLElement).style.width = `${Math.max(0, Math.min(1, frac)) * 100}%`;
    (row.querySelector('.pr-num') as HTMLElement).textContent = values[a].toFixed(kind === 'values' ? 3 : 2);
    row.classList.toggle('pr-chosen', a === chosen);
    row.classList.toggle('pr-explored', a === chosen && explored);
  }
}

/** V(s) over the episode so far as a line, scaled to its own range. */
export function drawSparkline(canvas: HTMLCanvasElement, ys: readonly number[]): void {
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#161b22';
  ctx.fillRect(0, 0, w, h);
  if (ys.length < 2) return;
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const span = hi - lo || 1;
  ctx.strokeStyle = '#58a6ff';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  ys.forEach((y, i) => {
    const px = (i / (ys.length - 1)) * (w - 4) + 2;
    const py = h - 4 - ((y - lo) / span) * (h - 8);
    if (i === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  });
  ctx.stroke();
  ctx.fillStyle = '#8b949e';
  ctx.font = '10px monospace';
  ctx.fillText(hi.toFixed(2), 4, 11);
  ctx.fillText(lo.toFixed(2), 4, h - 3);
}
