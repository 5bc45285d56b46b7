/**
 * PPO throughput on this machine.
 *
 * 1. CartPole-v1 with CleanRL ppo.py's defaults (4 envs × 128 steps, 4 epochs × 4 minibatches,
 *    MLP 64-64, lr 2.5e-4 annealed): wall-clock SPS and steps per CPU-second, and the first step
 *    at which the 100-episode mean return reached 475. The peer figure (CleanRL, PyTorch 1.13 +
 *    OpenBLAS, same machine): ~6,000 SPS, 475 first reached at 266k–297k steps.
 * 2. A pixel game through makeAtari with PPO (CleanRL ppo_atari's 8 envs × 128 steps) in this
 *    thread and with 1 and 2 ThreadedVecEnv workers: training SPS, and the vector env alone
 *    (uniform-random actions) for the same worker counts.
 *
 *   npx tsx scripts/bench-ppo.ts [--cartpole-steps 500000] [--pixel-steps 2048] [--env Catch-v0]
 *       [--net '[c16k4s2,relu:c32k3s2,relu:128,relu]'] [--screen 42] [--backend wasm] [--skip-cartpole]
 *
 * The machine is shared: wall-clock figures move with other load, steps per CPU-second less so.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { onPolicyPreset } from '../agents/pg-presets.js';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { ThreadedVecEnv } from '../src/rollout/threaded-vec-env.js';
import { trainOnPolicy } from '../src/train/on-policy.js';
import { Rng } from '../src/util/rng.js';

const { values } = parseArgs({
  options: {
    'cartpole-steps': { type: 'string', default: '500000' },
    'pixel-steps': { type: 'string', default: '2048' },
    env: { type: 'string', default: 'Catch-v0' },
    net: { type: 'string', default: '[c16k4s2,relu:c32k3s2,relu:128,relu]' },
    screen: { type: 'string', default: '42' },
    backend: { type: 'string', default: 'wasm' },
    'skip-cartpole': { type: 'boolean', default: false },
  },
});

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

const backend = await initBackend({ backend: parseBackendName(values.backend ?? 'wasm') });
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}, backend ${backend.name}`,
);

if (!values['skip-cartpole']) {
  const config = onPolicyPreset('ppo', 'cleanrl');
  config.totalSteps = Number(values['cartpole-steps']);
  const cpu = process.cpuUsage();
  const r = await trainOnPolicy(config, null, { solvedThreshold: 475 });
  const cpuS = cpuSeconds(cpu);
  r.agent.ac.dispose();
  console.log(
    `CartPole-v1, CleanRL ppo.py settings, ${r.steps} steps: ${r.sps.toFixed(0)} SPS wall, ` +
      `${(r.steps / cpuS).toFixed(0)} steps/CPU-second; 100-episode mean first >= 475 at step ${r.solvedAtStep ?? 'never'}; ` +
      `ratio to the peer's 6,000 SPS: ${(r.sps / 6000).toFixed(2)} (wall), ${(r.steps / cpuS / 6000).toFixed(2)} (CPU time)`,
  );
}

const pixelSteps = Number(values['pixel-steps']);
const screenSize = Number(values.screen);
const envId = values.env ?? 'Catch-v0';
for (const workers of [0, 1, 2]) {
  const config = onPolicyPreset('ppo', 'atari');
  config.env = envId;
  config.net = values.net ?? 'small';
  config.atari = { screenSize };
  config.workers = workers;
  config.totalSteps = pixelSteps;
  const cpu = process.cpuUsage();
  const r = await trainOnPolicy(config, null);
  const cpuS = cpuSeconds(cpu);
  r.agent.ac.dispose();
  console.log(
    `${envId} PPO training, ${workers === 0 ? 'in-thread envs' : `${workers} worker thread(s)`}: ` +
      `${r.sps.toFixed(0)} SPS (${(r.sps * 4).toFixed(0)} frames/s), process ${(r.steps / cpuS).toFixed(0)} steps per CPU-second (all threads)`,
  );
}

for (const workers of [1, 2]) {
  const venv = await ThreadedVecEnv.create({
    recipe: { id: envId, atari: { screenSize } },
    numEnvs: 8,
    numWorkers: workers,
    seed: 1,
  });
  await venv.reset();
  const rng = new Rng(1);
  const actions = new Int32Array(8);
  const n = venv.singleActionSpace.n;
  const steps = 400;
  const t = performance.now();
  for (let i = 0; i < steps; i++) {
    for (let k = 0; k < 8; k++) actions[k] = rng.int(n);
    await venv.step(actions);
  }
  const sps = (steps * 8) / ((performance.now() - t) / 1000);
  await venv.close();
  console.log(
    `${envId} ThreadedVecEnv alone (8 envs, random actions), ${workers} worker(s): ${sps.toFixed(0)} SPS`,
  );
}
