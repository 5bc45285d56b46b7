/**
 * Small drawing helpers shared by the bundled games. Like envs/atari/draw.ts they clip to
 * the screen and never allocate, so a game's draw() costs only the pixels it touches.
 *
 * A sprite is a list of rows, each row a bit mask whose most significant of `width` bits is the
 * leftmost pixel, as the 2600's graphics registers hold them.
 */
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../atari/game.js';

// Local copies: some loaders (tsx, vitest) turn an imported binding into a getter call per access,
// which costs more than the pixel write in the loops below.
const WIDTH = SCREEN_WIDTH;
const HEIGHT = SCREEN_HEIGHT;

/** A 1-bit sprite: `rows[r]` holds `width` pixels, MSB first. */
export interface Sprite {
  readonly width: number;
  readonly rows: readonly number[];
}

/** Builds a sprite from strings of '#' (set) and '.' (clear), one string per row. */
export function sprite(art: readonly string[]): Sprite {
  const width = art[0]?.length ?? 0;
  const rows = art.map((line) => {
    if (line.length !== width) throw new Error(`sprite rows must all be ${width} wide, got "${line}"`);
    let bits = 0;
    for (let i = 0; i < width; i++) bits = bits * 2 + (line[i] === '#' ? 1 : 0);
    return bits;
  });
  return { width, rows };
}

/**
 * Draws `s` with its top-left at (x, y) in `colour`, mirrored left-right when `flip`, each sprite
 * pixel `scaleX` screen pixels wide (the 2600 stretches sprites horizontally the same way).
 */
export function drawSprite(
  screen: Uint8Array,
  s: Sprite,
  x: number,
  y: number,
  colour: number,
  flip = false,
  scaleX = 1,
): void {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const w = s.width;
  for (let r = 0; r < s.rows.length; r++) {
    const row = y0 + r;
    if (row < 0 || row >= HEIGHT) continue;
    const bits = s.rows[r];
    const base = row * WIDTH;
    for (let c = 0; c < w; c++) {
      if (((bits >> (w - 1 - c)) & 1) === 0) continue;
      const px = x0 + (flip ? w - 1 - c : c) * scaleX;
      for (let k = 0; k < scaleX; k++) {
        const col = px + k;
        if (col >= 0 && col < WIDTH) screen[base + col] = colour;
      }
    }
  }
}

/** v limited to [lo, hi]. */
export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Axis-aligned boxes [ax, ax+aw) x [ay, ay+ah) and [bx, bx+bw) x [by, by+bh) overlap. */
export function overlaps(
  ax: number,
  ay: number,
  aw: number,
  ah: number,
  bx: number,
  by: number,
  bw: number,
  bh: number,
): boolean {
  return ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
}
