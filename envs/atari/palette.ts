/**
 * A fixed NTSC-like palette of 128 colours, laid out as the Atari 2600's: index = hue * 8 + luminance,
 * hue 0 being greys. Games draw palette indices into a byte per pixel; the harness turns them into
 * RGB or grayscale through the lookup tables below, as ALE turns the TIA's colour registers into pixels.
 *
 * The colours are computed from YIQ (the NTSC colour space): luminance steps evenly, hues go round
 * the colour wheel in 15 steps starting at gold, as on the real console.
 */
export const PALETTE_SIZE = 128;

/** RGB triples, index * 3. */
export const PALETTE_RGB: Uint8Array = buildRgb();

/** Luminance of each palette colour, ITU-R 601-2 (0.299 R + 0.587 G + 0.114 B), rounded. */
export const PALETTE_GRAY: Uint8Array = buildGray(PALETTE_RGB);

/** Palette index of hue h (0–15) at luminance l (0–7). */
export function colour(hue: number, lum: number): number {
  return (hue & 15) * 8 + (lum & 7);
}

function buildRgb(): Uint8Array {
  const out = new Uint8Array(PALETTE_SIZE * 3);
  for (let hue = 0; hue < 16; hue++) {
    for (let lum = 0; lum < 8; lum++) {
      const y = 0.06 + (lum / 7) * 0.88;
      const sat = hue === 0 ? 0 : 0.22;
      const angle = ((hue - 1) / 15) * 2 * Math.PI + 2.7;
      const i = sat * Math.cos(angle);
      const q = sat * Math.sin(angle);
      const r = y + 0.956 * i + 0.621 * q;
      const g = y - 0.272 * i - 0.647 * q;
      const b = y - 1.106 * i + 1.703 * q;
      const k = (hue * 8 + lum) * 3;
      out[k] = clampByte(r);
      out[k + 1] = clampByte(g);
      out[k + 2] = clampByte(b);
    }
  }
  return out;
}

function buildGray(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(PALETTE_SIZE);
  for (let c = 0; c < PALETTE_SIZE; c++) {
    out[c] = Math.round(0.299 * rgb[c * 3] + 0.587 * rgb[c * 3 + 1] + 0.114 * rgb[c * 3 + 2]);
  }
  return out;
}

function clampByte(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v * 255)));
}
