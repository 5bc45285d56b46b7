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
 *   (`computeResizeAreaTab`), a horizontal pass per source row and a vertical accumulation, all in
 *   float32 exactly as OpenCV's `ResizeArea_Invoker<uchar, float>` does (products and sums rounded to
 *   float32 in OpenCV's order), then round half to even (`saturate_cast<uchar>` = `lrintf`).
 *
 * Only shrinking is supported (OpenCV itself switches to bilinear when INTER_AREA enlarges).
 */

/** The shapes of a resize; images are row-major, channels interleaved (HWC). */
export interface ResizeShape {
  srcWidth: number;
  srcHeight: number;
  dstWidth: number;
  dstHeight: number;
  /** Channels per pixel (1 for grayscale, 3 for RGB). Default 1. */
  channels?: number;
}

/** Separable INTER_AREA weights along one axis: source index, destination index, weight. */
interface AreaTab {
  readonly src: Int32Array;
  readonly dst: Int32Array;
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
  /** One horizontally resized source row, and the running vertical sum of one output row. */
  private readonly rowBuf: Float32Array;
  private readonly sumBuf: Float32Array;

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
    this.rowBuf = new Float32Array(dstWidth * channels);
    this.sumBuf = new Float32Array(dstWidth * channels);
  }

  /** Resizes `src` (srcHeight x srcWidth x channels) into `out` (dstHeight x dstWidth x channels). */
  resize(src: Uint8Array, out: Uint8Array): Uint8Array {
    const c = this.channels;
    if (src.length !== this.srcWidth * this.srcHeight * c) {
      throw new Error(
        `AreaResizer: src has ${src.length} bytes, expected ${this.srcHeight}x${this.srcWidth}x${c} = ${this.srcWidth * this.srcHeight * c}`,
      );
    }
    if (out.length !== this.dstWidth * this.dstHeight * c) {
      throw new Error(
        `AreaResizer: out has ${out.length} bytes, expected ${this.dstHeight}x${this.dstWidth}x${c} = ${this.dstWidth * this.dstHeight * c}`,
      );
    }
    return this.blockX > 0 ? this.resizeBlocks(src, out) : this.resizeGeneral(src, out);
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

  /** OpenCV's ResizeArea_Invoker<uchar, float>, single-threaded. */
  private resizeGeneral(src: Uint8Array, out: Uint8Array): Uint8Array {
    const c = this.channels;
    const rowStride = this.srcWidth * c;
    const width = this.dstWidth * c;
    const buf = this.rowBuf;
    const sum = this.sumBuf;
    const { src: xs, dst: xd, weight: xw } = this.xtab;
    const { src: ys, dst: yd, weight: yw } = this.ytab;
    const nx = xw.length;
    sum.fill(0);
    let prevDy = yd[0];
    let bufRow = -1;
    for (let j = 0; j < yw.length; j++) {
      const beta = yw[j];
      const dy = yd[j];
      const sy = ys[j];
      // A source row straddling two output rows appears twice in a row in ytab: reuse its pass.
      if (sy !== bufRow) {
        buf.fill(0);
        const base = sy * rowStride;
        if (c === 1) {
          for (let k = 0; k < nx; k++) buf[xd[k]] += Math.fround(src[base + xs[k]] * xw[k]);
        } else {
          for (let k = 0; k < nx; k++) {
            const s = base + xs[k] * c;
            const d = xd[k] * c;
            const a = xw[k];
            for (let ch = 0; ch < c; ch++) buf[d + ch] += Math.fround(src[s + ch] * a);
          }
        }
        bufRow = sy;
      }
      if (dy !== prevDy) {
        const o = prevDy * width;
        for (let dx = 0; dx < width; dx++) {
          out[o + dx] = saturateRound(sum[dx]);
          sum[dx] = Math.fround(beta * buf[dx]);
        }
        prevDy = dy;
      } else {
        for (let dx = 0; dx < width; dx++) sum[dx] += Math.fround(beta * buf[dx]);
      }
    }
    const o = prevDy * width;
    for (let dx = 0; dx < width; dx++) out[o + dx] = saturateRound(sum[dx]);
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
  const src: number[] = [];
  const dst: number[] = [];
  const weight: number[] = [];
  const push = (s: number, d: number, w: number): void => {
    src.push(s);
    dst.push(d);
    weight.push(w);
  };
  for (let dx = 0; dx < dstSize; dx++) {
    const fsx1 = dx * scale;
    const fsx2 = fsx1 + scale;
    const cellWidth = Math.min(scale, srcSize - fsx1);
    let sx1 = Math.ceil(fsx1);
    const sx2 = Math.min(Math.floor(fsx2), srcSize - 1);
    sx1 = Math.min(sx1, sx2);
    if (sx1 - fsx1 > 1e-3) push(sx1 - 1, dx, (sx1 - fsx1) / cellWidth);
    for (let sx = sx1; sx < sx2; sx++) push(sx, dx, 1 / cellWidth);
    if (fsx2 - sx2 > 1e-3) push(sx2, dx, Math.min(Math.min(fsx2 - sx2, 1), cellWidth) / cellWidth);
  }
  return { src: Int32Array.from(src), dst: Int32Array.from(dst), weight: Float32Array.from(weight) };
}

/** saturate_cast<uchar>(float): round half to even (lrintf), clamped to 0..255. */
function saturateRound(v: number): number {
  let r = Math.round(v);
  if (r - v === 0.5 && (r & 1) === 1) r -= 1;
  return r < 0 ? 0 : r > 255 ? 255 : r;
}
