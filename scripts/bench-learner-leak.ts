/**
 * The long tensor-hygiene check: N DQN learner steps (default 10,000) and as many act() calls,
 * then the change in tf.memory().numTensors, in the backend's buffers and in wasm heap size.
 *
 *     npx tsx scripts/bench-learner-leak.ts [--steps 10000] [--net minatar] [--backend wasm]
 *
 * Exits 1 if any tensor or buffer leaked.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { LEARNER_CASES, makeLearner } from './bench-learner-step.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const steps = Number(arg('--steps', '10000'));
const netName = arg('--net', 'minatar');
const backend = parseBackendName(arg('--backend', 'wasm'));
const c = LEARNER_CASES.find((x) => x.name === netName);
if (!c) throw new Error(`unknown net '${netName}': use ${LEARNER_CASES.map((x) => x.name).join(', ')}`);

await initBackend({ backend });
const learner = makeLearner(c, 32);
learner.step();
learner.step();
const heapBytes = () =>
  (tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } }).wasm?.HEAPU8.length ?? 0;
const tensors0 = tf.memory().numTensors;
const buffers0 = tf.backend().numDataIds();
const heap0 = heapBytes();
const t0 = performance.now();
for (let i = 0; i < steps; i++) {
  learner.step();
  learner.act();
  if ((i + 1) % 1000 === 0) {
    console.log(
      `${i + 1} steps: tensors ${tf.memory().numTensors - tensors0 >= 0 ? '+' : ''}${tf.memory().numTensors - tensors0}`,
    );
  }
}
const seconds = (performance.now() - t0) / 1000;
const leakedTensors = tf.memory().numTensors - tensors0;
const leakedBuffers = tf.backend().numDataIds() - buffers0;
console.log(
  `${netName} on ${backend}: ${steps} steps in ${seconds.toFixed(1)} s; tensors ${leakedTensors >= 0 ? '+' : ''}${leakedTensors}, ` +
    `buffers ${leakedBuffers >= 0 ? '+' : ''}${leakedBuffers}, wasm heap ${(heap0 / 2 ** 20).toFixed(0)} → ${(heapBytes() / 2 ** 20).toFixed(0)} MiB`,
);
learner.dispose();
process.exitCode = leakedTensors === 0 && leakedBuffers === 0 ? 0 : 1;
