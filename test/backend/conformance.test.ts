/**
 * Backend conformance: every op and gradient the agents use, on `wasm` against `cpu`.
 * Gradients can be silently wrong on a backend (wasm 4.22's GatherV2 with batchDims = 1 and
 * Conv3DBackpropFilterV2 with strides > 1 are), so each op is checked through tf.grads too.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { buildNetwork } from '../../src/nets/build.js';
import { Rng } from '../../src/util/rng.js';
import { expectBackendsAgree, intInput, randomInput } from './compare.js';

const rng = new Rng(77);

/** Value and gradient of `sum(f(x)²)` with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor) {
  return (t: Record<string, tf.Tensor>): tf.Tensor[] => {
    const xs = Object.values(t).filter((x) => x.dtype === 'float32');
    const y = f(...xs);
    return [y, ...tf.grads((...args: tf.Tensor[]) => tf.sum(tf.square(f(...args))))(xs)];
  };
}

describe('wasm agrees with cpu', () => {
  it('elementwise and activation ops with their gradients', async () => {
    const x = randomInput(rng, [16, 9]);
    const y = randomInput(rng, [16, 9]);
    const positive = {
      ...randomInput(rng, [16, 9]),
      values: randomInput(rng, [16, 9]).values.map((v) => 0.5 + Math.abs(v)),
    };
    const unary: [string, (a: tf.Tensor) => tf.Tensor][] = [
      ['relu', tf.relu],
      ['tanh', tf.tanh],
      ['sigmoid', tf.sigmoid],
      ['elu', tf.elu],
      ['softplus', tf.softplus],
      ['softmax', (a) => tf.softmax(a)],
      ['logSoftmax', (a) => tf.logSoftmax(a)],
      ['square', tf.square],
      ['abs', tf.abs],
      ['neg', tf.neg],
      ['exp', tf.exp],
    ];
    for (const [name, f] of unary) await expectBackendsAgree(name, { x }, valueAndGrads(f));
    const binary: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
      ['add', tf.add],
      ['sub', tf.sub],
      ['mul', tf.mul],
      ['maximum', tf.maximum],
      ['minimum', tf.minimum],
    ];
    for (const [name, f] of binary) await expectBackendsAgree(name, { x, y }, valueAndGrads(f));
    await expectBackendsAgree('div', { x, positive }, valueAndGrads(tf.div));
    await expectBackendsAgree(
      'log, sqrt',
      { positive },
      valueAndGrads((p) => tf.add(tf.log(p), tf.sqrt(p))),
    );
    await expectBackendsAgree('broadcast add', { x, b: randomInput(rng, [9]) }, valueAndGrads(tf.add));
  });

  it('reductions: sum, mean, max, argMax', async () => {
    const x = randomInput(rng, [12, 7]);
    await expectBackendsAgree(
      'sum axis 1',
      { x },
      valueAndGrads((a) => tf.sum(a, 1)),
    );
    await expectBackendsAgree(
      'mean',
      { x },
      valueAndGrads((a) => tf.mean(a)),
    );
    await expectBackendsAgree(
      'mean axis 0',
      { x },
      valueAndGrads((a) => tf.mean(a, 0)),
    );
    await expectBackendsAgree(
      'max axis 1',
      { x },
      valueAndGrads((a) => tf.max(a, 1)),
    );
    await expectBackendsAgree('argMax', { x }, ({ x: a }) => [tf.argMax(a, 1)]);
  });

  it('dense / matMul forward and backward', async () => {
    await expectBackendsAgree(
      'matMul',
      { a: randomInput(rng, [32, 50]), b: randomInput(rng, [50, 20]) },
      valueAndGrads((a, b) => tf.matMul(a, b)),
    );
    await expectBackendsAgree(
      'fused dense + bias + relu',
      { a: randomInput(rng, [32, 50]), b: randomInput(rng, [50, 20]), bias: randomInput(rng, [20]) },
      valueAndGrads((a, b, bias) => tf.fused.matMul({ a, b, bias, activation: 'relu' })),
    );
  });

  it('conv2d with bias and relu (the fused layer op), valid and same, strides 1-4', async () => {
    for (let stride = 1; stride <= 4; stride++) {
      for (const pad of ['valid', 'same'] as const) {
        await expectBackendsAgree(
          `fused conv2d s${stride} ${pad}`,
          {
            x: randomInput(rng, [3, 13, 12, 3]),
            w: randomInput(rng, [4, 3, 3, 5]),
            b: randomInput(rng, [5]),
          },
          valueAndGrads((x, w, b) =>
            tf.fused.conv2d({
              x: x as tf.Tensor4D,
              filter: w as tf.Tensor4D,
              bias: b,
              strides: stride,
              pad,
              activation: 'relu',
            }),
          ),
        );
      }
    }
  });

  it('the Nature CNN: Q values and every weight gradient', async () => {
    const values = Float32Array.from({ length: 2 * 84 * 84 * 4 }, () => rng.int(256));
    await expectBackendsAgree(
      'nature forward/backward',
      { obs: { shape: [2, 84, 84, 4], values, dtype: 'float32' }, a: intInput([1, 5]) },
      ({ obs, a }) => {
        const model = buildNetwork('nature', [84, 84, 4], { kind: 'q', actions: 6 }, { rng: new Rng(3) });
        const { value, grads } = tf.variableGrads(
          () => {
            const q = model.apply(obs, { training: true }) as tf.Tensor;
            const mask = tf.cast(tf.oneHot(a as tf.Tensor1D, 6), 'float32');
            return tf.sum(tf.mul(q, mask)) as tf.Scalar;
          },
          model.trainableWeights.map((w) => w.read() as tf.Variable),
        );
        const out = [value, ...Object.values(grads)];
        model.dispose();
        return out;
      },
      1e-3,
    );
  });
});
