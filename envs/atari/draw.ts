/**
 * Drawing helpers over a palette-index screen (SCREEN_WIDTH x SCREEN_HEIGHT bytes). They clip to the
 * screen and never allocate, so a game can draw every frame for free.
 */
import { SCREEN_HEIGHT, SCREEN_WIDTH } from './game.js';

/** Fills the rectangle [x, x+w) x [y, y+h) with `colour`, clipped to the screen. */
export function fillRect(
  screen: Uint8Array,
  x: number,
  y: number,
  w: number,
  h: number,
  colour: number,
): void {
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(SCREEN_WIDTH, Math.floor(x) + w);
  const y1 = Math.min(SCREEN_HEIGHT, Math.floor(y) + h);
  if (x1 <= x0) return;
  for (let row = y0; row < y1; row++) {
    screen.fill(colour, row * SCREEN_WIDTH + x0, row * SCREEN_WIDTH + x1);
  }
}

/** 3x5 glyphs of the digits 0–9, one bit per pixel, rows top to bottom, 3 bits each (MSB = left). */
const DIGITS: readonly number[] = [
  0b111_101_101_101_111, 0b010_110_010_010_111, 0b111_001_111_100_111, 0b111_001_111_001_111,
  0b101_101_111_001_001, 0b111_100_111_001_111, 0b111_100_111_101_111, 0b111_001_010_010_010,
  0b111_101_111_101_111, 0b111_101_111_001_111,
];

/**
 * Draws the non-negative integer `value` with its right edge at `right`, in 3x5 glyphs scaled by
 * `scale`, with one scaled pixel between glyphs. Returns the x of its left edge.
 */
export function drawNumber(
  screen: Uint8Array,
  value: number,
  right: number,
  top: number,
  colour: number,
  scale = 2,
): number {
  let v = Math.max(0, Math.floor(value));
  let x = right;
  do {
    const glyph = DIGITS[v % 10];
    x -= 3 * scale;
    for (let r = 0; r < 5; r++) {
      for (let c = 0; c < 3; c++) {
        if ((glyph >> (14 - r * 3 - c)) & 1)
          fillRect(screen, x + c * scale, top + r * scale, scale, scale, colour);
      }
    }
    x -= scale;
    v = Math.floor(v / 10);
  } while (v > 0);
  return x + scale;
}
