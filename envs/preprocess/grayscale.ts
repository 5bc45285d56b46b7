/**
 * RGB → luminance with ITU-R 601-2's weights (0.299 R + 0.587 G + 0.114 B), as Gymnasium's
 * AtariPreprocessing and the harness's PALETTE_GRAY use; rounded to the nearest integer (halves up),
 * which is how PALETTE_GRAY is built, so that `rgbToGray(rgbScreen)` equals `grayscaleScreen`.
 */

/** Converts `rgb` (3 bytes per pixel) into `out` (1 byte per pixel) and returns `out`. */
export function rgbToGray(rgb: Uint8Array, out: Uint8Array): Uint8Array {
  const n = out.length;
  if (rgb.length !== n * 3) {
    throw new Error(`rgbToGray: rgb has ${rgb.length} bytes but out has ${n} pixels (needs ${n * 3} bytes)`);
  }
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = Math.round(0.299 * rgb[j] + 0.587 * rgb[j + 1] + 0.114 * rgb[j + 2]);
  }
  return out;
}
