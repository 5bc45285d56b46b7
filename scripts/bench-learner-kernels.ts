/**
 * pixelrl's wasm kernels against the stock tfjs-backend-wasm ones, at the Nature CNN's shapes
 * (batch 32): backward matmuls (transposed operands), the conv input gradient, and the filter
 * gradient (no stock wasm kernel: compared with the stock cpu kernel).
 *
 *     npx tsx scripts/bench-learner-kernels.ts [--reps 15]
 *
 * Each figure is the fastest of `reps` runs (the machine may be shared). Registering pixelrl's
 * kernels replaces the stock ones, so all stock runs come first.
 */
import * as tf from '@tensorflow/tfjs';
import { setBackend } from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from '../src/backend/wasm/register.js';

const repsArg = process.argv.indexOf('--reps');
const reps = repsArg >= 0 ? Number(process.argv[repsArg + 1]) : 15;

interface Case {
  name: string;
  make: () => tf.Tensor[];
  run: (inputs: tf.Tensor[]) => tf.Tensor;
}

const CASES: Case[] = [
  {
    name: 'dense dW = xᵀ·dy   [3136x32]·[32x512]',
    make: () => [tf.randomNormal([32, 3136]), tf.randomNormal([32, 512])],
    run: ([x, dy]) => tf.matMul(x, dy, true, false),
  },
  {
    name: 'dense dx = dy·Wᵀ   [32x512]·[512x3136]',
    make: () => [tf.randomNormal([32, 512]), tf.randomNormal([3136, 512])],
    run: ([dy, w]) => tf.matMul(dy, w, false, true),
  },
  {
    name: 'conv2 dx  (k4 s2, 20x20x32 ← 9x9x64)',
    make: () => [tf.randomNormal([32, 9, 9, 64]), tf.randomNormal([4, 4, 32, 64])],
    run: ([dy, w]) => tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [32, 20, 20, 32], 2, 'valid'),
  },
  {
    name: 'conv3 dx  (k3 s1, 9x9x64 ← 7x7x64)',
    make: () => [tf.randomNormal([32, 7, 7, 64]), tf.randomNormal([3, 3, 64, 64])],
    run: ([dy, w]) => tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [32, 9, 9, 64], 1, 'valid'),
  },
];

type Shape4 = [number, number, number, number];
const FILTER_CASES: [string, Shape4, Shape4, number][] = [
  ['conv1 dW  (k8 s4, 84x84x4)', [32, 84, 84, 4], [8, 8, 4, 32], 4],
  ['conv2 dW  (k4 s2, 20x20x32)', [32, 20, 20, 32], [4, 4, 32, 64], 2],
  ['conv3 dW  (k3 s1, 9x9x64)', [32, 9, 9, 64], [3, 3, 64, 64], 1],
];

function best(f: () => tf.Tensor): number {
  const t0 = performance.now();
  const out = f();
  out.dataSync();
  const ms = performance.now() - t0;
  out.dispose();
  return ms;
}

async function timeOn(backend: string, pixelrl: boolean, f: () => tf.Tensor): Promise<number> {
  await setBackend(backend);
  const current = tf.getKernel('Conv2DBackpropFilter', 'wasm');
  if (backend === 'wasm' && pixelrl !== (current !== undefined)) throw new Error('kernel set mismatch');
  return best(f);
}

await setBackend('wasm');
const stock = new Map<string, number>();
for (const c of CASES) {
  const inputs = c.make();
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) ms = Math.min(ms, await timeOn('wasm', false, () => c.run(inputs)));
  stock.set(c.name, ms);
  tf.dispose(inputs);
}
registerWasmKernels();
console.log(`fastest of ${reps} runs, ms          stock wasm   pixelrl wasm`);
for (const c of CASES) {
  const inputs = c.make();
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) ms = Math.min(ms, await timeOn('wasm', true, () => c.run(inputs)));
  console.log(
    `${c.name.padEnd(40)} ${stock.get(c.name)?.toFixed(2).padStart(10)} ${ms.toFixed(2).padStart(14)}`,
  );
  tf.dispose(inputs);
}
console.log(`filter gradients, ms                      stock cpu   pixelrl wasm`);
for (const [name, xShape, wShape, stride] of FILTER_CASES) {
  const x = tf.randomNormal(xShape) as tf.Tensor4D;
  const y = tf.conv2d(x, tf.randomNormal(wShape) as tf.Tensor4D, stride, 'valid');
  const dy = tf.randomNormal(y.shape) as tf.Tensor4D;
  const run = () =>
    tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, stride, 'valid'), dy)))(
      tf.zeros(wShape),
    );
  let wasmMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < reps; i++) wasmMs = Math.min(wasmMs, await timeOn('wasm', true, run));
  // The stock cpu kernel takes seconds on conv1; one run is enough to show the scale.
  const cpuMs = await timeOn('cpu', false, run);
  console.log(
    `${name.padEnd(40)} ${cpuMs.toFixed(0).padStart(10)} ${wasmMs.toFixed(2).padStart(14)}  (wasm figure includes the forward conv)`,
  );
  await setBackend('wasm');
}
