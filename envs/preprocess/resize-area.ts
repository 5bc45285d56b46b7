/**
 * Area-average downscaling of uint8 images, as OpenCV's `cv2.resize(..., interpolation=INTER_AREA)`
 * (the resize of Gymnasium's AtariPreprocessing, hence of the DQN φ): each output pixel is the mean of
 * the source rectangle it covers, partly covered source pixels weighted by the fraction covered.
 *
 * Written by hand rather than taken from a library because no npm image library implements INTER_AREA
 * bit for bit, and φ runs on every agent step. It follows OpenCV's `resize.cpp` step by step, so that
 * the same frame gives the same bytes:
 *
 * - scale = 1 / (dst / src) per axis, in float64, as OpenCV derives it;
 * - integer scales on both axes take OpenCV's "fast" path: integer sums of each block, then
 *   `round(sum * (1/area))` in float32, except 2x2 blocks (1, 3 or 4 channels), which OpenCV rounds
 *   as `(sum + 2) >> 2`;
 * - other scales take the general path: separable weights computed once per shape
 *   (`computeResizeAreaTab`), a horizontal pass over every source row, then a vertical one, all in
 *   float32 exactly as OpenCV's `ResizeArea_Invoker<uchar, float>` does (each product and each sum
 *   rounded to float32, in OpenCV's order), then round half to even (`saturate_cast<uchar>` = `lrintf`).
 *   The loops are arranged for speed (the horizontal pass runs down columns so that a destination
 *   column's 2–3 weights stay in registers; sums of 2, 3 or 4 terms are unrolled), not in OpenCV's
 *   order of memory accesses; the arithmetic, and so every output byte, is the same.
 *
 * Only shrinking is supported (OpenCV itself switches to bilinear when INTER_AREA enlarges).
 */

/** The shapes of a resize; images are row-major, channels interleaved (HWC). */
export interface ResizeShape {
  /** Source width, in pixels. */
  srcWidth: number;
  /** Source height, in pixels. */
  srcHeight: number;
  /** Output width, at most srcWidth. */
  dstWidth: number;
  /** Output height, at most srcHeight. */
  dstHeight: number;
  /** Channels per pixel (1 for grayscale, 3 for RGB). Default 1. */
  channels?: number;
}

/**
 * Separable INTER_AREA weights along one axis, in OpenCV's order: destination index d takes the
 * source indices first[d], first[d] + 1, … with weights weight[begin[d] … begin[d + 1] − 1].
 */
interface AreaTab {
  readonly first: Int32Array;
  readonly begin: Int32Array;
  readonly weight: Float32Array;
}

/** A resizer for one fixed shape: the weights are computed once, `resize` allocates nothing. */
export class AreaResizer {
  readonly srcWidth: number;
  readonly srcHeight: number;
  readonly dstWidth: number;
  readonly dstHeight: number;
  readonly channels: number;
  /** Integer block sizes when OpenCV would take its fast path, else 0. */
  private readonly blockX: number;
  private readonly blockY: number;
  private readonly xtab: AreaTab;
  private readonly ytab: AreaTab;
  /** Every source row, resized horizontally: srcHeight x (dstWidth · channels), float32. */
  private readonly rows: Float32Array;
  /** Running vertical sums of one output row, for sums of more than 4 terms. */
  private readonly sums: Float32Array;

  constructor(shape: ResizeShape) {
    const { srcWidth, srcHeight, dstWidth, dstHeight } = shape;
    const channels = shape.channels ?? 1;
    for (const [name, v] of Object.entries({ srcWidth, srcHeight, dstWidth, dstHeight, channels })) {
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`AreaResizer: ${name} must be an integer >= 1, got ${v}`);
    }
    if (dstWidth > srcWidth || dstHeight > srcHeight) {
      throw new Error(
        `AreaResizer only shrinks: cannot resize ${srcWidth}x${srcHeight} to ${dstWidth}x${dstHeight} (width x height)`,
      );
    }
    this.srcWidth = srcWidth;
    this.srcHeight = srcHeight;
    this.dstWidth = dstWidth;
    this.dstHeight = dstHeight;
    this.channels = channels;
    // OpenCV: inv_scale = dst / src; scale = 1 / inv_scale; fast iff both are integers within DBL_EPSILON.
    const scaleX = 1 / (dstWidth / srcWidth);
    const scaleY = 1 / (dstHeight / srcHeight);
    const fast =
      Math.abs(scaleX - Math.round(scaleX)) < Number.EPSILON &&
      Math.abs(scaleY - Math.round(scaleY)) < Number.EPSILON;
    this.blockX = fast ? Math.round(scaleX) : 0;
    this.blockY = fast ? Math.round(scaleY) : 0;
    this.xtab = computeAreaTab(srcWidth, dstWidth, scaleX);
    this.ytab = computeAreaTab(srcHeight, dstHeight, scaleY);
    this.rows = new Float32Array(fast ? 0 : srcHeight * dstWidth * channels);
    this.sums = new Float32Array(dstWidth * channels);
  }

  /** Resizes `src` (srcHeight x srcWidth x channels) into `out` (dstHeight x dstWidth x channels). */
  resize(src: Uint8Array, out: Uint8Array): Uint8Array {
    const c = this.channels;
    const srcSize = this.srcWidth * this.srcHeight * c;
    if (src.length !== srcSize) {
      throw new Error(
        `AreaResizer: src has ${src.length} bytes, expected ${this.srcHeight}x${this.srcWidth}x${c} = ${srcSize}`,
      );
    }
    if (out.length !== this.dstWidth * this.dstHeight * c) {
      throw new Error(
        `AreaResizer: out has ${out.length} bytes, expected ${this.dstHeight}x${this.dstWidth}x${c} = ${this.dstWidth * this.dstHeight * c}`,
      );
    }
    if (this.blockX > 0) return this.resizeBlocks(src, out);
    this.horizontal(src);
    return this.vertical(out);
  }

  /** OpenCV's resizeAreaFast_: integer block sums. */
  private resizeBlocks(src: Uint8Array, out: Uint8Array): Uint8Array {
    const c = this.channels;
    const bx = this.blockX;
    const by = this.blockY;
    const rowStride = this.srcWidth * c;
    const halfShift = bx === 2 && by === 2 && (c === 1 || c === 3 || c === 4);
    const scale = Math.fround(1 / (bx * by));
    let o = 0;
    for (let dy = 0; dy < this.dstHeight; dy++) {
      const rowStart = dy * by * rowStride;
      for (let dx = 0; dx < this.dstWidth; dx++) {
        for (let ch = 0; ch < c; ch++) {
          let sum = 0;
          for (let y = 0; y < by; y++) {
            let i = rowStart + y * rowStride + dx * bx * c + ch;
            for (let x = 0; x < bx; x++, i += c) sum += src[i];
          }
          out[o++] = halfShift ? (sum + 2) >> 2 : saturateRound(Math.fround(sum * scale));
        }
      }
    }
    return out;
  }

  /**
   * rows[y][dx·c + ch] = Σ_k fround(src[y][(first[dx] + k)·c + ch] · w_k), summed in float32 from
   * k = 0, as OpenCV's horizontal pass. Runs down each destination column.
   */
  private horizontal(src: Uint8Array): void {
    const c = this.channels;
    const rows = this.rows;
    const height = this.srcHeight;
    const srcStride = this.srcWidth * c;
    const rowStride = this.dstWidth * c;
    const { first, begin, weight } = this.xtab;
    for (let dx = 0; dx < this.dstWidth; dx++) {
      const k0 = begin[dx];
      const n = begin[dx + 1] - k0;
      const w0 = weight[k0];
      const w1 = n > 1 ? weight[k0 + 1] : 0;
      const w2 = n > 2 ? weight[k0 + 2] : 0;
      for (let ch = 0; ch < c; ch++) {
        let s = first[dx] * c + ch;
        let o = dx * c + ch;
        if (n === 2) {
          for (let y = 0; y < height; y++, s += srcStride, o += rowStride) {
            rows[o] = Math.fround(src[s] * w0) + Math.fround(src[s + c] * w1);
          }
        } else if (n === 3) {
          const c2 = 2 * c;
          for (let y = 0; y < height; y++, s += srcStride, o += rowStride) {
            rows[o] =
              Math.fround(Math.fround(src[s] * w0) + Math.fround(src[s + c] * w1)) +
              Math.fround(src[s + c2] * w2);
          }
        } else {
          for (let y = 0; y < height; y++, s += srcStride, o += rowStride) {
            let acc = 0;
            for (let k = 0, i = s; k < n; k++, i += c)
              acc = Math.fround(acc + Math.fround(src[i] * weight[k0 + k]));
            rows[o] = acc;
          }
        }
      }
    }
  }

  /** out[dy][x] = round(Σ_j fround(w_j · rows[first[dy] + j][x])), summed in float32 from j = 0. */
  private vertical(out: Uint8Array): Uint8Array {
    const rows = this.rows;
    const width = this.dstWidth * this.channels;
    const { first, begin, weight } = this.ytab;
    for (let dy = 0, o = 0; dy < this.dstHeight; dy++, o += width) {
      const j0 = begin[dy];
      const n = begin[dy + 1] - j0;
      const r0 = first[dy] * width;
      const [r1, r2, r3] = [r0 + width, r0 + 2 * width, r0 + 3 * width];
      const w0 = weight[j0];
      const w1 = n > 1 ? weight[j0 + 1] : 0;
      const w2 = n > 2 ? weight[j0 + 2] : 0;
      const w3 = n > 3 ? weight[j0 + 3] : 0;
      if (n === 3) {
        for (let x = 0; x < width; x++) {
          const s01 = Math.fround(Math.fround(w0 * rows[r0 + x]) + Math.fround(w1 * rows[r1 + x]));
          out[o + x] = saturateRound(Math.fround(s01 + Math.fround(w2 * rows[r2 + x])));
        }
      } else if (n === 4) {
        for (let x = 0; x < width; x++) {
          const s01 = Math.fround(Math.fround(w0 * rows[r0 + x]) + Math.fround(w1 * rows[r1 + x]));
          const s012 = Math.fround(s01 + Math.fround(w2 * rows[r2 + x]));
          out[o + x] = saturateRound(Math.fround(s012 + Math.fround(w3 * rows[r3 + x])));
        }
      } else {
        const sums = this.sums;
        sums.fill(0);
        for (let j = 0; j < n; j++) {
          const r = r0 + j * width;
          const w = weight[j0 + j];
          for (let x = 0; x < width; x++) sums[x] += Math.fround(w * rows[r + x]);
        }
        for (let x = 0; x < width; x++) out[o + x] = saturateRound(sums[x]);
      }
    }
    return out;
  }
}

/** Resizes one image (allocating the output); for repeated resizes of one shape keep an AreaResizer. */
export function resizeArea(src: Uint8Array, shape: ResizeShape): Uint8Array {
  const out = new Uint8Array(shape.dstWidth * shape.dstHeight * (shape.channels ?? 1));
  return new AreaResizer(shape).resize(src, out);
}

/** OpenCV's computeResizeAreaTab (in pixel units; channels are applied by the caller). */
function computeAreaTab(srcSize: number, dstSize: number, scale: number): AreaTab {
  const first = new Int32Array(dstSize);
  const begin = new Int32Array(dstSize + 1);
  const weight: number[] = [];
  for (let dx = 0; dx < dstSize; dx++) {
    const fsx1 = dx * scale;
    const fsx2 = fsx1 + scale;
    const cellWidth = Math.min(scale, srcSize - fsx1);
    let sx1 = Math.ceil(fsx1);
    const sx2 = Math.min(Math.floor(fsx2), srcSize - 1);
    sx1 = Math.min(sx1, sx2);
    begin[dx] = weight.length;
    first[dx] = sx1;
    if (sx1 - fsx1 > 1e-3) {
      first[dx] = sx1 - 1;
      weight.push((sx1 - fsx1) / cellWidth);
    }
    for (let sx = sx1; sx < sx2; sx++) weight.push(1 / cellWidth);
    if (fsx2 - sx2 > 1e-3) weight.push(Math.min(Math.min(fsx2 - sx2, 1), cellWidth) / cellWidth);
  }
  begin[dstSize] = weight.length;
  return { first, begin, weight: Float32Array.from(weight) };
}

/** saturate_cast<uchar>(float): round half to even (lrintf), clamped to 0..255. */
function saturateRound(v: number): number {
  let r = Math.round(v);
  if (r - v === 0.5 && (r & 1) === 1) r -= 1;
  return r < 0 ? 0 : r > 255 ? 255 : r;
}
