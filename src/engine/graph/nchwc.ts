/**
 * Convolutions in onnxruntime's blocked channel layout (NCHWc), for the CPU.
 *
 * ORT's graph optimizer rewrites `Conv` into its `com.microsoft.nchwc` kernels only when the
 * filter is a constant initializer; a training step feeds its weights as inputs, so its convs
 * would run as im2col + SGEMM. Here the step graph uses the blocked kernels itself: the filter
 * is reordered in the graph (a Reshape/Transpose of a few thousand values), the input goes
 * through `ReorderInput` (or stays NCHW when it has fewer channels than a block, as a first
 * layer's frames), and `ReorderOutput` brings the result back to NCHW, so the rest of the graph
 * and its gradient rules see a plain `Conv`.
 *
 * The block size is the CPU's (MLAS: 8 floats with AVX2, 16 with AVX-512); the ort engine finds
 * it at start-up by comparing this path with `Conv` on a small case (src/engine/ort/nchwc-probe.ts).
 */
import { type GraphBuilder, staticDim, type Value } from './builder.js';

export const NCHWC_DOMAIN = 'com.microsoft.nchwc';

/** Conv attributes both paths share. */
export interface ConvAttrs {
  strides: number[];
  pads: number[];
  kernel_shape: number[];
  dilations?: number[];
}

/** Whether a conv of `inChannels` → `outChannels` can take the blocked path with `block`. */
export function nchwcFits(block: number, inChannels: number, outChannels: number): boolean {
  return block > 1 && outChannels % block === 0 && (inChannels % block === 0 || inChannels < block);
}

/**
 * The filter [M, C, kh, kw] in the blocked kernels' order: with blocked input (C a multiple of
 * the block) [M/b, C/b, kh, kw, b(in), b(out)], with NCHW input [M/b, C, kh, kw, b(out)],
 * flattened back to [M, C, kh, kw] as the kernels read it.
 */
function reorderFilter(g: GraphBuilder, w: Value, block: number): Value {
  const [M, C, kh, kw] = w.shape.map((d) => staticDim(d, 'nchwc conv'));
  const blocked = C % block === 0;
  const split = blocked ? [M / block, block, C / block, block, kh, kw] : [M / block, block, C, kh, kw];
  const perm = blocked ? [0, 2, 4, 5, 3, 1] : [0, 2, 3, 4, 1];
  const parts = g.raw('Reshape', [w, g.int64s(split)], split);
  const moved = g.raw(
    'Transpose',
    [parts],
    perm.map((i) => split[i]),
    'float',
    { perm },
  );
  return g.raw('Reshape', [moved, g.int64s([M, C, kh, kw])], w.shape);
}

/**
 * A Conv node (NCHW in and out, no gradient rule: the caller records one): on the blocked
 * kernels when `block` fits the channels ({@link nchwcFits}), a plain `Conv` otherwise.
 */
export function convNode(
  g: GraphBuilder,
  x: Value,
  w: Value,
  b: Value | null,
  attrs: ConvAttrs,
  outShape: readonly (number | string)[],
  block: number,
): Value {
  const [C, M] = [x.shape[1], w.shape[0]];
  if (typeof C !== 'number' || typeof M !== 'number' || !nchwcFits(block, C, M)) {
    return g.raw('Conv', b ? [x, w, b] : [x, w], outShape, 'float', { ...attrs });
  }
  const input = C % block === 0 ? g.rawIn(NCHWC_DOMAIN, 'ReorderInput', [x], x.shape) : x;
  const filter = reorderFilter(g, w, block);
  const y = g.rawIn(NCHWC_DOMAIN, 'Conv', b ? [input, filter, b] : [input, filter], outShape, {
    ...attrs,
    dilations: attrs.dilations ?? [1, 1],
  });
  return g.rawIn(NCHWC_DOMAIN, 'ReorderOutput', [y], outShape, { channels: M });
}
