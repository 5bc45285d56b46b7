/**
 * Pixel helpers shared by the animation writers and the figures: RGB → RGBA, nearest-neighbour
 * upscaling, checks on an {@link RgbFrame}, and a frame as a PNG (for thumbnails in SVG).
 */
import { createCanvas } from '@napi-rs/canvas';
import type { RgbFrame } from '../../envs/core.js';

/** Throws a clear Error if `frame` is not a well-formed RgbFrame. */
export function checkFrame(frame: RgbFrame, what = 'frame'): void {
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`${what}: width and height must be positive integers, got ${width}x${height}`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * 3) {
    throw new Error(
      `${what}: data must be a Uint8Array of width*height*3 = ${width * height * 3} RGB bytes, got ${data?.length}`,
    );
  }
}

/**
 * Copies `frame`, upscaled `scale` times with nearest-neighbour (pixel art must stay sharp), into
 * the RGBA buffer `out` of row width `outWidth` at (x0, y0).
 */
export function blitScaled(
  frame: RgbFrame,
  scale: number,
  out: Uint8Array,
  outWidth: number,
  x0 = 0,
  y0 = 0,
): void {
  const { width, height, data } = frame;
  const rowBytes = width * scale * 4;
  for (let y = 0; y < height; y++) {
    const first = ((y0 + y * scale) * outWidth + x0) * 4;
    let o = first;
    for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
      const r = data[i];
      const g = data[i + 1];
      const b = data[i + 2];
      for (let k = 0; k < scale; k++, o += 4) {
        out[o] = r;
        out[o + 1] = g;
        out[o + 2] = b;
        out[o + 3] = 255;
      }
    }
    // The other scale-1 rows of this pixel row are copies of the first.
    for (let k = 1; k < scale; k++) out.copyWithin(first + k * outWidth * 4, first, first + rowBytes);
  }
}

/** `frame` upscaled `scale` times, as RGBA. */
export function toRgba(frame: RgbFrame, scale = 1): Uint8Array {
  const out = new Uint8Array(frame.width * scale * frame.height * scale * 4);
  blitScaled(frame, scale, out, frame.width * scale);
  return out;
}

/** `frame` upscaled `scale` times and encoded as PNG. */
export function framePng(frame: RgbFrame, scale = 1): Buffer {
  checkFrame(frame);
  const w = frame.width * scale;
  const h = frame.height * scale;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(w, h);
  image.data.set(toRgba(frame, scale));
  ctx.putImageData(image, 0, 0);
  return canvas.toBuffer('image/png');
}
