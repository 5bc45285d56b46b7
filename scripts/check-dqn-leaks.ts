/**
 * The long form of the tensor-leak test: 10,000 DQN updates (Double DQN, dueling head), each with
 * a batch of ε-greedy actions and a target sync every 100, must leave tfjs' tensor count and
 * bytes where they were after the first update.
 *
 *   npx tsx scripts/check-dqn-leaks.ts [--updates 10000] [--backend wasm]
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { DqnAgent } from '../agents/dqn.js';
import { CLASSIC_PRESET } from '../agents/dqn-config.js';
import type { ReplayBatch } from '../replay/replay-buffer.js';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { Rng } from '../src/util/rng.js';

const { values } = parseArgs({
  options: { updates: { type: 'string', default: '10000' }, backend: { type: 'string', default: 'wasm' } },
});
const updates = Number(values.updates);
await initBackend({ backend: parseBackendName(values.backend as string) });
const rng = new Rng(1);
const B = 64;
const batch: ReplayBatch<Float32Array> = {
  batchSize: B,
  obs: Float32Array.from({ length: B * 4 }, () => rng.normal()),
  nextObs: Float32Array.from({ length: B * 4 }, () => rng.normal()),
  actions: Int32Array.from({ length: B }, () => rng.int(2)),
  rewards: new Float32Array(B).fill(1),
  dones: new Float32Array(B),
  discounts: new Float32Array(B).fill(0.99),
  weights: new Float32Array(B).fill(1),
  indices: new Int32Array(B),
  obsShape: [B, 4, 1],
};
const agent = new DqnAgent(
  { ...CLASSIC_PRESET, net: '[64,relu:64,relu]', doubleDqn: true, dueling: true },
  { inputShape: [4], numActions: 2, seed: 0 },
);
const actions = new Int32Array(B);
agent.update(batch);
agent.act(batch.obs, B, 0.1, rng, actions);
const before = tf.memory();
const t0 = performance.now();
for (let i = 1; i <= updates; i++) {
  agent.update(batch);
  agent.act(batch.obs, B, 0.1, rng, actions);
  if (i % 100 === 0) agent.updateTarget();
}
const after = tf.memory();
console.log(
  `${updates} updates on ${tf.getBackend()} in ${((performance.now() - t0) / 1000).toFixed(1)} s: ` +
    `tensors ${before.numTensors} → ${after.numTensors}, bytes ${before.numBytes} → ${after.numBytes}`,
);
agent.dispose();
if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) {
  console.log('LEAK');
  process.exitCode = 1;
} else console.log('no leak');
