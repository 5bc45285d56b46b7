/**
 * The long hygiene check of a learner: N DQN updates (default 10,000) and as many act() calls on
 * one engine, then the change in resident memory (RSS, sampled every 1,000 steps after a warm-up)
 * and, on the tfjs engine, in tf.memory().numTensors and the backend's buffers. The ort engine
 * allocates no tensor per step (parameters ping-pong between preallocated buffers); its RSS is
 * what would show a native leak.
 *
 *     npx tsx scripts/bench-learner-leak.ts [--steps 10000] [--net minatar] [--engine ort|tfjs]
 *
 * Exits 1 if a tensor or buffer leaked or the RSS grew by more than 5% after the warm-up.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { createEngine, parseEngineName } from '../src/engine/select.js';
import { LEARNER_CASES, makeAgentLearner } from './bench-learner-step.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const steps = Number(arg('--steps', '10000'));
const netName = arg('--net', 'minatar');
const engineName = parseEngineName(arg('--engine', 'ort'));
const c = LEARNER_CASES.find((x) => x.name === netName);
if (!c) throw new Error(`unknown net '${netName}': use ${LEARNER_CASES.map((x) => x.name).join(', ')}`);

await initBackend({ backend: 'wasm', log: () => {} });
const engine = createEngine({ engine: engineName });
const learner = makeAgentLearner(c, 32, engine);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const warmup = Math.min(1000, Math.floor(steps / 10));
for (let i = 0; i < warmup; i++) {
  learner.step();
  learner.act();
}
const tensors0 = tf.memory().numTensors;
const buffers0 = tf.backend().numDataIds();
const rss0 = process.memoryUsage().rss;
let rssMax = rss0;
const t0 = performance.now();
for (let i = 0; i < steps; i++) {
  learner.step();
  learner.act();
  if ((i + 1) % 1000 === 0) {
    const rss = process.memoryUsage().rss;
    rssMax = Math.max(rssMax, rss);
    console.log(`${i + 1} steps: rss ${mib(rss)} MiB, tensors ${tf.memory().numTensors - tensors0}`);
  }
}
const seconds = (performance.now() - t0) / 1000;
const leakedTensors = tf.memory().numTensors - tensors0;
const leakedBuffers = tf.backend().numDataIds() - buffers0;
const growth = rssMax / rss0 - 1;
console.log(
  `${netName} on ${engine.name}: ${steps} steps after ${warmup} warm-up in ${seconds.toFixed(1)} s; ` +
    `tensors ${leakedTensors >= 0 ? '+' : ''}${leakedTensors}, buffers ${leakedBuffers >= 0 ? '+' : ''}${leakedBuffers}, ` +
    `rss ${mib(rss0)} → max ${mib(rssMax)} MiB (${(growth * 100).toFixed(1)}%)`,
);
learner.dispose();
process.exitCode = leakedTensors === 0 && leakedBuffers === 0 && growth <= 0.05 ? 0 : 1;
