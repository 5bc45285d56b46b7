import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import {
  PIXELRL_WASM_KERNELS,
  registerWasmKernels,
  wasmKernelsRegistered,
} from '../../src/backend/wasm/register.js';
import { Rng } from '../../src/util/rng.js';
import { expectBackendsAgree, intInput, randomInput } from './compare.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe("pixelrl's wasm kernels", () => {
  it('are registered once, and a second registration changes nothing', () => {
    expect(wasmKernelsRegistered()).toBe(true);
    const before = PIXELRL_WASM_KERNELS.map((k) => tf.getKernel(k, 'wasm'));
    registerWasmKernels();
    expect(PIXELRL_WASM_KERNELS.map((k) => tf.getKernel(k, 'wasm'))).toEqual(before);
  });

  it('conv2d forward and both gradients match cpu on random shapes, strides 1-4, valid and same', async () => {
    const rng = new Rng(2024);
    for (let trial = 0; trial < 24; trial++) {
      const stride = 1 + (trial % 4);
      const padding = trial % 2 === 0 ? 'valid' : 'same';
      const kernel = rng.intRange(1, 6);
      const batch = [1, 2, 7, 64][rng.int(4)];
      const height = rng.intRange(kernel, kernel + 9);
      const width = rng.intRange(kernel, kernel + 9);
      const inC = rng.intRange(1, 5);
      const outC = rng.intRange(1, 6);
      const label = `x[${batch},${height},${width},${inC}] w[${kernel},${kernel},${inC},${outC}] s${stride} ${padding}`;
      await expectBackendsAgree(
        label,
        {
          x: randomInput(rng, [batch, height, width, inC]),
          w: randomInput(rng, [kernel, kernel, inC, outC]),
        },
        ({ x, w }) => {
          const f = (a: tf.Tensor, b: tf.Tensor) =>
            tf.sum(tf.square(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, padding)));
          const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, padding);
          return [y, ...tf.grads(f)([x, w])];
        },
      );
    }
  });

  it("fixes the stock kernel's 'same' padding with stride > kernel (it returned zeros)", () => {
    // All ones, 3x3 kernel over 4 input channels, stride 4 on a 4x3 image: the one output
    // pixel per image covers 3·3·4 = 36 ones (padding is zero in both directions).
    const y = tf.conv2d(
      tf.ones([2, 4, 3, 4]) as tf.Tensor4D,
      tf.ones([3, 3, 4, 1]) as tf.Tensor4D,
      4,
      'same',
    );
    expect(Array.from(y.dataSync())).toEqual([36, 36]);
    const fused = tf.fused.conv2d({
      x: tf.ones([1, 4, 3, 4]) as tf.Tensor4D,
      filter: tf.ones([3, 3, 4, 1]) as tf.Tensor4D,
      strides: 4,
      pad: 'same',
    });
    expect(Array.from(fused.dataSync())).toEqual([36]);
  });

  it('handles non-square strides and kernels', async () => {
    const rng = new Rng(5);
    await expectBackendsAgree(
      'x[3,11,9,2] w[3,2,2,4] s[2,3] same',
      { x: randomInput(rng, [3, 11, 9, 2]), w: randomInput(rng, [3, 2, 2, 4]) },
      ({ x, w }) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, [2, 3], 'same')),
        )([x, w]),
    );
  });

  it('matMul with every transpose combination matches cpu, including its gradients', async () => {
    const rng = new Rng(8);
    for (const [m, k, n] of [
      [1, 7, 3],
      [32, 64, 6],
      [5, 300, 40],
      [64, 9, 128],
    ]) {
      for (const ta of [false, true]) {
        for (const tb of [false, true]) {
          await expectBackendsAgree(
            `matMul ${m}x${k}x${n} tA=${ta} tB=${tb}`,
            { a: randomInput(rng, ta ? [k, m] : [m, k]), b: randomInput(rng, tb ? [n, k] : [k, n]) },
            ({ a, b }) => {
              const f = (p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q, ta, tb)));
              return [tf.matMul(a, b, ta, tb), ...tf.grads(f)([a, b])];
            },
          );
        }
      }
    }
  });

  it('keeps batched matMul (rank 3) on the stock kernel, still correct', async () => {
    const rng = new Rng(9);
    await expectBackendsAgree(
      'batched matMul',
      { a: randomInput(rng, [3, 4, 5]), b: randomInput(rng, [3, 6, 5]) },
      ({ a, b }) => [tf.matMul(a, b, false, true)],
    );
  });

  it('the gradient of tf.gather (UnsortedSegmentSum) matches cpu', async () => {
    const rng = new Rng(10);
    await expectBackendsAgree(
      'gather grad',
      { x: randomInput(rng, [6, 5]), idx: intInput([0, 3, 3, 5, 1, 3]) },
      ({ x, idx }) => [tf.grad((p: tf.Tensor) => tf.sum(tf.square(tf.gather(p, idx))))(x)],
    );
    await expectBackendsAgree(
      'unsortedSegmentSum, ids out of range dropped',
      { x: randomInput(rng, [6, 2, 3]), ids: intInput([0, 2, 2, -1, 1, 9]) },
      ({ x, ids }) => [tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 3)],
    );
  });

  it('clones by sharing the buffer, which outlives the original', () => {
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const x = tf.tensor1d([1, 2, 3]);
    const ids = backend.numDataIds();
    const y = tf.clone(x);
    expect(backend.numDataIds()).toBe(ids);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3]);
    y.dispose();
    expect(backend.numDataIds()).toBe(ids - 1);
  });

  it('leaves no tensor or wasm allocation behind', () => {
    const rng = new Rng(11);
    const x = tf.tensor(randomInput(rng, [4, 12, 12, 3]).values, [4, 12, 12, 3]);
    const w = tf.tensor(randomInput(rng, [3, 3, 3, 8]).values, [3, 3, 3, 8]);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'));
    tf.dispose(tf.grads(f)([x, w]));
    const before = tf.memory();
    const backend = tf.backend() as unknown as { numDataIds(): number };
    const ids = backend.numDataIds();
    for (let i = 0; i < 5; i++) tf.dispose(tf.grads(f)([x, w]));
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(backend.numDataIds()).toBe(ids);
  });
});
