/**
 * Conformance of every differentiable op of the graph builder: its forward value and its
 * vector-Jacobian product on onnxruntime equal tfjs `cpu` (autodiff) on random shapes and values,
 * within 1e-5 relative. Each case computes L = Σ r ⊙ f(x…) for a random r, so ∂L/∂x is f's VJP
 * with cotangent r.
 */

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { elu, relu, sigmoid, softplus, tanh } from '../../src/engine/graph/activations.js';
import { GraphBuilder, type Value } from '../../src/engine/graph/builder.js';
import { conv2d, dense } from '../../src/engine/graph/layers.js';
import { NCHWC_DOMAIN } from '../../src/engine/graph/nchwc.js';
import { findNchwcBlock } from '../../src/engine/ort/nchwc-probe.js';
import { createEngine } from '../../src/engine/select.js';
import { Rng } from '../../src/util/rng.js';
import { expectClose, ort, runGraph, useCpu } from './helpers.js';

beforeAll(useCpu);

/** This machine's NCHWc block size (0: the blocked kernels are not there). */
const nchwcBlock = findNchwcBlock(ort(), 1);

interface Case {
  name: string;
  /** Input shapes. */
  shapes: number[][];
  /** Keeps inputs positive (log, sqrt, div denominators). */
  positive?: boolean;
  /** Relative tolerance (default 1e-5). */
  tol?: number;
  graph: (g: GraphBuilder, xs: Value[]) => Value;
  tfjs: (xs: tf.Tensor[]) => tf.Tensor;
}

function randomArray(rng: Rng, n: number, positive: boolean): Float32Array {
  return Float32Array.from({ length: n }, () => (positive ? 0.5 + rng.float() * 2 : rng.normal()));
}

function check(c: Case, rng: Rng): void {
  const inputs = c.shapes.map((s) =>
    randomArray(
      rng,
      s.reduce((a, b) => a * b, 1),
      c.positive ?? false,
    ),
  );
  const g = new GraphBuilder(c.name);
  const xs = c.shapes.map((s, i) => g.input(`x${i}`, s, 'float', true));
  const y = c.graph(g, xs);
  const yShape = y.shape as number[];
  const r = randomArray(
    rng,
    yShape.reduce((a, b) => a * b, 1),
    false,
  );
  const rv = g.input('r', yShape);
  const loss = g.sum(g.mul(y, rv));
  const grads = g.gradients(loss, xs);
  g.output(y, 'y');
  grads.forEach((gr, i) => {
    g.output(gr, `g${i}`);
  });
  const feeds = Object.fromEntries(inputs.map((data, i) => [`x${i}`, { data, dims: c.shapes[i] }]));
  const out = runGraph(g, { ...feeds, r: { data: r, dims: yShape } });

  const tensors = inputs.map((data, i) => tf.tensor(data, c.shapes[i]));
  const rt = tf.tensor(r, yShape);
  const yt = c.tfjs(tensors);
  const gs = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(c.tfjs(a), rt)))(tensors);
  const tol = c.tol ?? 1e-5;
  expectClose(out.y, yt.dataSync(), tol, `${c.name} forward`);
  gs.forEach((gt, i) => {
    expectClose(out[`g${i}`], gt.dataSync(), tol, `${c.name} ∂x${i}`);
  });
  tf.dispose([...tensors, rt, yt, ...gs]);
}

function shape(rng: Rng, rank: number): number[] {
  return Array.from({ length: rank }, () => 1 + rng.int(5));
}

const elementwise: [string, (g: GraphBuilder, x: Value) => Value, (x: tf.Tensor) => tf.Tensor, boolean?][] = [
  ['neg', (g, x) => g.neg(x), tf.neg],
  ['exp', (g, x) => g.exp(x), tf.exp],
  ['log', (g, x) => g.log(x), tf.log, true],
  ['square', (g, x) => g.square(x), tf.square],
  ['abs', (g, x) => g.abs(x), tf.abs],
  ['sqrt', (g, x) => g.sqrt(x), tf.sqrt, true],
  ['relu', (g, x) => relu(g, x), tf.relu],
  ['tanh', (g, x) => tanh(g, x), tf.tanh],
  ['sigmoid', (g, x) => sigmoid(g, x), tf.sigmoid],
  ['elu', (g, x) => elu(g, x), tf.elu],
  ['softplus', (g, x) => softplus(g, x), tf.softplus],
  ['clip', (g, x) => g.clip(x, -0.5, 0.7), (x) => tf.clipByValue(x, -0.5, 0.7)],
  ['logSoftmax', (g, x) => g.logSoftmax(x), (x) => tf.logSoftmax(x)],
];

const CONV_CASES = [
  { h: 9, w: 9, k: 3, s: 1, pad: 'valid' },
  { h: 12, w: 10, k: 4, s: 2, pad: 'valid' },
  { h: 11, w: 13, k: 3, s: 2, pad: 'valid' },
  { h: 21, w: 21, k: 8, s: 4, pad: 'valid' },
  { h: 7, w: 8, k: 3, s: 1, pad: 'same' },
  { h: 9, w: 10, k: 4, s: 2, pad: 'same' },
  { h: 10, w: 11, k: 3, s: 3, pad: 'same' },
] as const;

/** The [before, after] padding of one axis: TF's 'same' (extra on the after side), or none. */
function padsOf(c: (typeof CONV_CASES)[number], len: number): [number, number] {
  if (c.pad === 'valid') return [0, 0];
  const total = Math.max((Math.ceil(len / c.s) - 1) * c.s + c.k - len, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * Terms in the longest sum behind one output of the conv or its gradients: k²·cin for y,
 * k²·cout for ∂x, and batch·outH·outW for ∂w (the filter gradient sums over every position).
 */
function longestSum(c: (typeof CONV_CASES)[number], n: number, cin: number, cout: number): number {
  const out = (len: number) => {
    const [before, after] = padsOf(c, len);
    return Math.floor((len + before + after - c.k) / c.s) + 1;
  };
  return Math.max(c.k * c.k * cin, c.k * c.k * cout, n * out(c.h) * out(c.w));
}

/**
 * One conv2d case against tfjs; with `block`, also that the graph used the blocked kernels.
 * The blocked cases have up to 2·block channels and a batch of a block, so their tolerance
 * grows as √(terms in the longest sum, see longestSum) past 16 terms: float32 sums of N(0,1)
 * products round differently in each summation order (plain `Conv` on the 1,024-term case
 * misses 1e-5 too: 3.9e-5; a 16-wide AVX-512 machine missed 1.3e-5 on a 896-term ∂w sum).
 */
function checkConv(
  c: (typeof CONV_CASES)[number],
  [n, cin, cout]: number[],
  block: number,
  rng: Rng,
  filterGradient?: 'conv' | 'patches',
): void {
  const name = `conv ${JSON.stringify(c)} n${n} c${cin}→${cout}${block ? ` nchwc ${block}` : ''} ∂w ${filterGradient ?? 'auto'}`;
  let blockedNodes = 0;
  // tfjs: NHWC input and HWIO kernel; the graph: NCHW and OIHW (its emitNetwork transposes).
  check(
    {
      name,
      tol: block ? 1e-5 * Math.max(1, Math.sqrt(longestSum(c, n, cin, cout) / 16)) : 1e-5,
      shapes: [[n, c.h, c.w, cin], [c.k, c.k, cin, cout], [cout]],
      graph: (g, [x, w, b]) => {
        const [t, bt] = padsOf(c, c.h);
        const [l, r] = padsOf(c, c.w);
        const y = conv2d(g, g.transpose(x, [0, 3, 1, 2]), g.transpose(w, [3, 2, 0, 1]), b, {
          stride: c.s,
          pads: [t, l, bt, r],
          nchwcBlock: block,
          filterGradient,
        });
        blockedNodes = g.build().nodes.filter((node) => node.domain === NCHWC_DOMAIN).length;
        return g.transpose(y, [0, 2, 3, 1]);
      },
      tfjs: ([x, w, b]) => tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.s, c.pad), b),
    },
    rng,
  );
  if (block) expect(blockedNodes, `${name}: nchwc nodes`).toBeGreaterThan(0);
}

describe('graph ops: forward and VJP equal tfjs cpu', () => {
  it.each(elementwise)('%s on random shapes', (name, graph, tfjs, positive) => {
    const rng = new Rng(name.length * 7919);
    for (let k = 0; k < 4; k++)
      check(
        {
          name,
          shapes: [shape(rng, 1 + rng.int(3))],
          positive,
          graph: (g, [x]) => graph(g, x),
          tfjs: ([x]) => tfjs(x),
        },
        rng,
      );
  });

  const binary: [
    string,
    (g: GraphBuilder, a: Value, b: Value) => Value,
    (a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  ][] = [
    ['add', (g, a, b) => g.add(a, b), tf.add],
    ['sub', (g, a, b) => g.sub(a, b), tf.sub],
    ['mul', (g, a, b) => g.mul(a, b), tf.mul],
    ['div', (g, a, b) => g.div(a, b), tf.div],
    // tfjs' Minimum/Maximum gradients do not sum over broadcast axes: broadcast b explicitly.
    ['minimum', (g, a, b) => g.minimum(a, b), (a, b) => tf.minimum(a, tf.add(b, tf.zerosLike(a)))],
    ['maximum', (g, a, b) => g.maximum(a, b), (a, b) => tf.maximum(a, tf.add(b, tf.zerosLike(a)))],
  ];
  it.each(binary)('%s with broadcasting (same shape, a row, a column, a scalar)', (name, graph, tfjs) => {
    const rng = new Rng(name.length * 104729);
    for (let k = 0; k < 3; k++) {
      const [n, m] = [1 + rng.int(4), 2 + rng.int(4)];
      for (const other of [[n, m], [m], [n, 1], []]) {
        check(
          {
            name,
            shapes: [[n, m], other],
            positive: name === 'div',
            graph: (g, [a, b]) => graph(g, a, b),
            tfjs: ([a, b]) => tfjs(a, b),
          },
          rng,
        );
      }
    }
  });

  it('sum and mean over axes, with and without keepDims', () => {
    const rng = new Rng(3);
    for (const [axes, keep] of [
      [[0], false],
      [[1], true],
      [[0, 2], false],
      [[0, 1, 2], false],
    ] as [number[], boolean][]) {
      const s = shape(rng, 3);
      check(
        {
          name: `sum${axes}`,
          shapes: [s],
          graph: (g, [x]) => g.sum(x, axes, keep),
          tfjs: ([x]) => tf.sum(x, axes, keep),
        },
        rng,
      );
      check(
        {
          name: `mean${axes}`,
          shapes: [s],
          graph: (g, [x]) => g.mean(x, axes, keep),
          tfjs: ([x]) => tf.mean(x, axes, keep),
        },
        rng,
      );
    }
  });

  it('transpose, flatten, reshape, column slices', () => {
    const rng = new Rng(4);
    for (let k = 0; k < 3; k++) {
      const s = shape(rng, 4);
      check(
        {
          name: 'transpose',
          shapes: [s],
          graph: (g, [x]) => g.transpose(x, [0, 2, 3, 1]),
          tfjs: ([x]) => tf.transpose(x, [0, 2, 3, 1]),
        },
        rng,
      );
      const rest = s[1] * s[2] * s[3];
      check(
        {
          name: 'flatten',
          shapes: [s],
          graph: (g, [x]) => g.flatten(x),
          tfjs: ([x]) => tf.reshape(x, [s[0], rest]),
        },
        rng,
      );
      check(
        {
          name: 'reshape',
          shapes: [s],
          graph: (g, [x]) => g.reshape(x, [-1], [s[0] * rest]),
          tfjs: ([x]) => tf.reshape(x, [-1]),
        },
        rng,
      );
      const w = 3 + rng.int(4);
      const [a, b] = [rng.int(2), 2 + rng.int(w - 2)];
      check(
        {
          name: 'slice',
          shapes: [[s[0], w]],
          graph: (g, [x]) => g.sliceColumns(x, a, b),
          tfjs: ([x]) => tf.slice(x, [0, a], [-1, b - a]),
        },
        rng,
      );
    }
  });

  it('dense: x·W + b and x·W', () => {
    const rng = new Rng(5);
    for (let k = 0; k < 4; k++) {
      const [n, i, o] = [1 + rng.int(6), 1 + rng.int(9), 1 + rng.int(7)];
      check(
        {
          name: 'dense',
          shapes: [[n, i], [i, o], [o]],
          graph: (g, [x, w, b]) => dense(g, x, w, b),
          tfjs: ([x, w, b]) => tf.add(tf.matMul(x, w), b),
        },
        rng,
      );
      check(
        {
          name: 'dense-nobias',
          shapes: [
            [n, i],
            [i, o],
          ],
          graph: (g, [x, w]) => dense(g, x, w, null),
          tfjs: ([x, w]) => tf.matMul(x, w),
        },
        rng,
      );
    }
  });

  it('conv2d: valid and same padding, strides 1–4, sizes that do and do not divide', () => {
    const rng = new Rng(6);
    for (const c of CONV_CASES) {
      for (const how of ['conv', 'patches'] as const) {
        checkConv(c, [1 + rng.int(3), 1 + rng.int(3), 1 + rng.int(4)], 0, rng, how);
      }
    }
  });

  it.runIf(nchwcBlock > 0)(
    "conv2d on ORT's NCHWc kernels: first-layer (NCHW) and blocked inputs, filter gradients blocked up to 7x7",
    () => {
      const rng = new Rng(7);
      const b = nchwcBlock;
      // Channels: fewer than a block (frames), and multiples of it; batch a block so the
      // filter-gradient conv (batch as its channels) takes the blocked path too.
      const channels = [1, 3, 4, b, 2 * b];
      for (const c of CONV_CASES) {
        const cin = channels[rng.int(channels.length)];
        for (const how of ['conv', 'patches'] as const)
          checkConv(c, [b, cin, b * (1 + rng.int(2))], b, rng, how);
      }
    },
  );
});

it('the engine line says which convs the CPU steps use; PIXELRL_ORT_NCHWC=off gives plain ones', () => {
  const on = createEngine({ engine: 'ort' }, {}).reason;
  const off = createEngine({ engine: 'ort' }, { PIXELRL_ORT_NCHWC: 'off' }).reason;
  expect(on).toMatch(nchwcBlock > 0 ? new RegExp(`NCHWc convs \\(block ${nchwcBlock}\\)$`) : /plain convs$/);
  expect(off).toMatch(/, plain convs$/);
});

it('the NCHWc probe finds the block size of x64 CPUs (8 with AVX2, 16 with AVX-512)', () => {
  if (process.arch === 'x64') expect([8, 16]).toContain(nchwcBlock);
  else expect([0, 4, 8, 16]).toContain(nchwcBlock);
});
