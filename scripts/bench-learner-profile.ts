/**
 * Where a DQN learner step's time goes, kernel by kernel (tf.profile), for one network on one
 * backend: the figures behind "what bounds it" in the backend notes.
 *
 *     npx tsx scripts/bench-learner-profile.ts [--net nature] [--backend wasm] [--steps 20] [--threads 1]
 *
 * Prints the median wall time of a step, then each kernel's total time and call count in one
 * profiled step (op-level wrappers such as fusedConv2d__op repeat their kernel's time).
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { LEARNER_CASES, makeLearner } from './bench-learner-step.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const netName = arg('--net', 'nature');
const backend = parseBackendName(arg('--backend', 'wasm'));
const steps = Number(arg('--steps', '20'));
const c = LEARNER_CASES.find((x) => x.name === netName);
if (!c) throw new Error(`unknown net '${netName}': use ${LEARNER_CASES.map((x) => x.name).join(', ')}`);

const threads = Number(arg('--threads', '1'));
const info = await initBackend({ backend, threads, log: console.log });
console.log(`threads ${info.threads}`);
const learner = makeLearner(c, 32);
for (let i = 0; i < 3; i++) learner.step();
const times: number[] = [];
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  learner.step();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(
  `${netName} on ${backend}: step median ${times[Math.floor(times.length / 2)].toFixed(2)} ms, best ${times[0].toFixed(2)} ms`,
);

const profile = await tf.profile(() => {
  learner.step();
});
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of profile.kernels) {
  const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  entry.ms += Number(k.kernelTimeMs);
  entry.calls++;
  byKernel.set(k.name, entry);
}
console.log(`one profiled step: ${profile.kernels.length} kernel calls`);
for (const [name, { ms, calls }] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms)) {
  console.log(`  ${name.padEnd(24)} ${ms.toFixed(2).padStart(8)} ms  ${String(calls).padStart(4)} calls`);
}
learner.dispose();
