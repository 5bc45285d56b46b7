/**
 * The layers with parameters, as graph ops with their vector-Jacobian rules: dense (x·W + b) and
 * 2-D convolution (NCHW). Written on GraphBuilder's public `raw` / `record`, like its own ops.
 */
import type { Dim } from '../onnx/model-proto.js';
import { type GraphBuilder, staticDim, type Value } from './builder.js';
import { convNode } from './nchwc.js';

export interface Conv2dOptions {
  stride: number;
  /** [top, left, bottom, right]. */
  pads: readonly [number, number, number, number];
  /** ORT's NCHWc block size for the CPU (src/engine/graph/nchwc.ts), or 0 for plain `Conv` nodes. */
  nchwcBlock?: number;
  /** How ∂w is computed; default: where {@link patchesFit} says. */
  filterGradient?: 'conv' | 'patches';
}

/**
 * Where ∂w is computed from patches: inputs of 8 channels or more, patch rows (C·k·k) of at most
 * 256 values. Measured at batch 32 on one thread (ORT per-node profiles): `compact`'s conv2 ∂w
 * (16 channels, 3x3: rows of 144) in 0.85 ms against 2.1 ms as a conv, the 2013 net's conv2
 * (16, 4x4: 256) faster too; `compact`'s conv1 (4 channels: 16-byte gathers) in 4.0 ms against
 * 2.3 ms, and Nature's conv2 and conv3 (rows of 512 and 576: the gather and the GEMM grow with
 * the rows) slower than their blocked or plain conv.
 */
function patchesFit(x: Value, k: number): boolean {
  const C = x.shape[1];
  return typeof C === 'number' && C >= 8 && C * k * k <= 256;
}

/**
 * The largest oh·ow (the filter-gradient conv's kernel) put on the blocked kernels. Measured at
 * batch 32: Nature's conv3 (7x7) ran in 2.3 ms blocked, reorders included, against 3.9 ms as
 * `Conv`; conv2 (9x9, dilation 2) and conv1 (20x20, dilation 4) ran slower blocked once the
 * output gradient's reorder (a 6-D Transpose of 166k values for conv2) is counted.
 */
const NCHWC_MAX_FILTER_GRADIENT_KERNEL = 49;

/**
 * ∂w as Conv(xᵀ, gᵀ) with dilation = stride (xᵀ: [C, N, H, W] as a batch of C one-image
 * "channels" N; gᵀ: [M, N, oh, ow] as M filters), cropped to k×k, then [C, M, k, k] → [M, C, k, k].
 */
function filterGradientByConv(g: GraphBuilder, x: Value, gy: Value, w: Value, opts: Conv2dOptions): Value {
  const [N, C, H, W] = x.shape;
  const [M, , k] = w.shape.map((d) => staticDim(d, 'conv2d'));
  const [oh, ow] = [staticDim(gy.shape[2], 'conv2d'), staticDim(gy.shape[3], 'conv2d')];
  const { stride: s, pads } = opts;
  const [h, wd] = [staticDim(H, 'conv2d'), staticDim(W, 'conv2d')];
  const xt = g.raw('Transpose', [x], [C, N, H, W], 'float', { perm: [1, 0, 2, 3] });
  const gt = g.raw('Transpose', [gy], [M, N, oh, ow], 'float', { perm: [1, 0, 2, 3] });
  const kh = h + pads[0] + pads[2] - s * (oh - 1);
  const kw = wd + pads[1] + pads[3] - s * (ow - 1);
  const attrs = { strides: [1, 1], dilations: [s, s], pads: [...pads], kernel_shape: [oh, ow] };
  const blocked = oh * ow <= NCHWC_MAX_FILTER_GRADIENT_KERNEL ? (opts.nchwcBlock ?? 0) : 0;
  let full = convNode(g, xt, gt, null, attrs, [C, M, kh, kw], blocked);
  if (kh !== k || kw !== k) {
    full = g.raw('Slice', [full, g.int64s([0, 0]), g.int64s([k, k]), g.int64s([2, 3])], [C, M, k, k]);
  }
  return g.raw('Transpose', [full], w.shape, 'float', { perm: [1, 0, 2, 3] });
}

/**
 * ∂w from the input's patches, as im2col does it: one Gather of x (NHWC, padded) by precomputed
 * pixel indices gives P [N·oh·ow, k·k·C], and one MatMul gᵀ [M, N·oh·ow] · P → [M, k, k, C] →
 * [M, C, k, k]. Used where {@link patchesFit} says it beats the dilated conv.
 */
function filterGradientByPatches(g: GraphBuilder, x: Value, gy: Value, w: Value, opts: Conv2dOptions): Value {
  const N = x.shape[0];
  const [C, H, W] = x.shape.slice(1).map((d) => staticDim(d, 'conv2d filter gradient'));
  const [M, , k] = w.shape.map((d) => staticDim(d, 'conv2d'));
  const [oh, ow] = [staticDim(gy.shape[2], 'conv2d'), staticDim(gy.shape[3], 'conv2d')];
  const { stride: s, pads } = opts;
  const rows: Dim = typeof N === 'number' ? N * oh * ow : `${N}*${oh * ow}`;
  let xh = g.raw('Transpose', [x], [N, H, W, C], 'float', { perm: [0, 2, 3, 1] });
  if (pads.some((p) => p !== 0)) {
    const [t, l, bt, r] = pads;
    xh = g.raw('Pad', [xh, g.int64s([0, t, l, 0, 0, bt, r, 0])], [N, H + t + bt, W + l + r, C]);
  }
  // One Gather along the flattened spatial axis: row (y, x, i, j) of the patches is input pixel
  // (s·y + i, s·x + j), its C channels contiguous in NHWC.
  const [Hp, Wp] = [H + pads[0] + pads[2], W + pads[1] + pads[3]];
  const index: number[] = [];
  for (let y = 0; y < oh; y++)
    for (let xx = 0; xx < ow; xx++)
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) index.push((s * y + i) * Wp + s * xx + j);
  const flat = g.raw('Reshape', [xh, g.int64s([0, Hp * Wp, C])], [N, Hp * Wp, C]);
  const side = g.raw('Gather', [flat, g.int64s(index)], [N, index.length, C], 'float', { axis: 1 });
  const patches = g.raw('Reshape', [side, g.int64s([-1, k * k * C])], [rows, k * k * C]);
  const gt = g.raw('Transpose', [gy], [M, N, oh, ow], 'float', { perm: [1, 0, 2, 3] });
  const g2 = g.raw('Reshape', [gt, g.int64s([M, -1])], [M, rows]);
  const taps2 = g.raw('MatMul', [g2, patches], [M, k * k * C]);
  const hwc = g.raw('Reshape', [taps2, g.int64s([M, k, k, C])], [M, k, k, C]);
  return g.raw('Transpose', [hwc], w.shape, 'float', { perm: [0, 3, 1, 2] });
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
 * ∂w = one GEMM over the input's patches, or a conv of the input with the output gradient
 * (filterGradientByPatches, filterGradientByConv; patchesFit picks);
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
      const how = opts.filterGradient ?? (patchesFit(x, k) ? 'patches' : 'conv');
      gw =
        how === 'patches'
          ? filterGradientByPatches(g, x, gy, w, opts)
          : filterGradientByConv(g, x, gy, w, opts);
    }
    const gb =
      b && g.isLive(b)
        ? g.raw('ReduceSum', [gy, g.int64s([0, 2, 3])], b.shape, 'float', { keepdims: 0 })
        : null;
    return b ? [gx, gw, gb] : [gx, gw];
  });
  return y;
}
