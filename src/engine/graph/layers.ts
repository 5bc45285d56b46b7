/**
 * The layers with parameters, as graph ops with their vector-Jacobian rules: dense (x·W + b) and
 * 2-D convolution (NCHW). Written on GraphBuilder's public `raw` / `record`, like its own ops.
 */
import { type GraphBuilder, staticDim, type Value } from './builder.js';
import { type ConvAttrs, nchwcConv, nchwcFits } from './nchwc.js';

export interface Conv2dOptions {
  stride: number;
  /** [top, left, bottom, right]. */
  pads: readonly [number, number, number, number];
  /** ORT's NCHWc block size for the CPU (src/engine/graph/nchwc.ts), or 0 for plain `Conv` nodes. */
  nchwcBlock?: number;
}

/**
 * The largest oh·ow (the filter-gradient conv's kernel) put on the blocked kernels. Measured at
 * batch 32: Nature's conv3 (7x7) ran in 2.3 ms blocked, reorders included, against 3.9 ms as
 * `Conv`; conv2 (9x9, dilation 2) and conv1 (20x20, dilation 4) ran slower blocked once the
 * output gradient's reorder (a 6-D Transpose of 166k values for conv2) is counted.
 */
const NCHWC_MAX_FILTER_GRADIENT_KERNEL = 49;

/** A Conv node, on the blocked kernels when `block` fits the channels. */
function convNode(
  g: GraphBuilder,
  x: Value,
  w: Value,
  b: Value | null,
  attrs: ConvAttrs,
  outShape: readonly (number | string)[],
  block: number,
): Value {
  const [C, M] = [x.shape[1], w.shape[0]];
  if (typeof C === 'number' && typeof M === 'number' && nchwcFits(block, C, M))
    return nchwcConv(g, x, w, b, attrs, outShape, block);
  return g.raw('Conv', b ? [x, w, b] : [x, w], outShape, 'float', { ...attrs });
}

/** x·W (+ b): x [N, I], W [I, O], b [O]. */
export function dense(g: GraphBuilder, x: Value, w: Value, b: Value | null): Value {
  const shape = [x.shape[0], w.shape[1]];
  const y = b ? g.raw('Gemm', [x, w, b], shape) : g.raw('MatMul', [x, w], shape);
  g.record(b ? [x, w, b] : [x, w], y, (gy) => [
    g.isLive(x) ? g.raw('Gemm', [gy, w], x.shape, 'float', { transB: 1 }) : null,
    g.isLive(w) ? g.raw('Gemm', [x, gy], w.shape, 'float', { transA: 1 }) : null,
    ...(b
      ? [g.isLive(b) ? g.raw('ReduceSum', [gy, g.int64s([0])], b.shape, 'float', { keepdims: 0 }) : null]
      : []),
  ]);
  return y;
}

/**
 * 2-D convolution, NCHW: x [N, C, H, W], w [M, C, k, k], b [M]. Gradients:
 * ∂x = ConvTranspose(g, w) with `output_padding` restoring H, W;
 * ∂w = Conv(xᵀ, gᵀ) with dilation = stride (xᵀ: [C, N, H, W] as a batch of C one-image
 * "channels" N; gᵀ: [M, N, oh, ow] as M filters), cropped to k×k, then [C, M, k, k] → [M, C, k, k];
 * ∂b = Σ g over N, oh, ow.
 */
export function conv2d(g: GraphBuilder, x: Value, w: Value, b: Value | null, opts: Conv2dOptions): Value {
  const [, , H, W] = x.shape.map((d, i) => (i === 0 ? 0 : staticDim(d, 'conv2d')));
  const [M, , k] = w.shape.map((d) => staticDim(d, 'conv2d'));
  const { stride: s, pads } = opts;
  const oh = Math.floor((H + pads[0] + pads[2] - k) / s) + 1;
  const ow = Math.floor((W + pads[1] + pads[3] - k) / s) + 1;
  if (oh < 1 || ow < 1) throw new Error(`conv2d: a ${k}x${k} kernel does not fit a ${H}x${W} input`);
  const block = opts.nchwcBlock ?? 0;
  const attrs = { strides: [s, s], pads: [...pads], kernel_shape: [k, k] };
  const y = convNode(g, x, w, b, attrs, [x.shape[0], M, oh, ow], block);
  g.record(b ? [x, w, b] : [x, w], y, (gy) => {
    let gx: Value | null = null;
    if (g.isLive(x)) {
      const outPad = [H - (s * (oh - 1) + k - pads[0] - pads[2]), W - (s * (ow - 1) + k - pads[1] - pads[3])];
      gx = g.raw('ConvTranspose', [gy, w], x.shape, 'float', { ...attrs, output_padding: outPad });
    }
    let gw: Value | null = null;
    if (g.isLive(w)) {
      const C = staticDim(x.shape[1], 'conv2d');
      const xt = g.raw('Transpose', [x], [C, x.shape[0], H, W], 'float', { perm: [1, 0, 2, 3] });
      const gt = g.raw('Transpose', [gy], [M, x.shape[0], oh, ow], 'float', { perm: [1, 0, 2, 3] });
      const kh = H + pads[0] + pads[2] - s * (oh - 1);
      const kw = W + pads[1] + pads[3] - s * (ow - 1);
      const gradAttrs = { strides: [1, 1], dilations: [s, s], pads: [...pads], kernel_shape: [oh, ow] };
      const blocked = oh * ow <= NCHWC_MAX_FILTER_GRADIENT_KERNEL ? block : 0;
      let full = convNode(g, xt, gt, null, gradAttrs, [C, M, kh, kw], blocked);
      if (kh !== k || kw !== k) {
        full = g.raw('Slice', [full, g.int64s([0, 0]), g.int64s([k, k]), g.int64s([2, 3])], [C, M, k, k]);
      }
      gw = g.raw('Transpose', [full], w.shape, 'float', { perm: [1, 0, 2, 3] });
    }
    const gb =
      b && g.isLive(b)
        ? g.raw('ReduceSum', [gy, g.int64s([0, 2, 3])], b.shape, 'float', { keepdims: 0 })
        : null;
    return b ? [gx, gw, gb] : [gx, gw];
  });
  return y;
}
