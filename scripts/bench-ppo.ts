/**
 * PPO throughput on this machine.
 *
 * 1. CartPole-v1 with CleanRL ppo.py's defaults (`--preset cleanrl`: 4 envs × 128 steps, 4 epochs ×
 *    4 minibatches, MLP 64-64 tanh, lr 2.5e-4 annealed) on the ort engine, timed as CleanRL times
 *    itself: a whole `--cartpole-steps` run (default 100,000) from step 0, SPS = steps / wall time
 *    of the run (also with start-up: envs and nets built). Beside it, in the same script run and
 *    alternating with it, scripts/cleanrl_ppo_torch.py (the same algorithm in PyTorch, 1 thread,
 *    on the Gymnasium-exact CartPole of scripts/cartpole_py.py), and the ratio pixelrl/PyTorch
 *    (issue 13's target: ≥ 2.5× CleanRL's 100k-step run, 7,215 SPS on this machine kind, idle).
 * 2. A pixel game through makeAtari with PPO (CleanRL ppo_atari's 8 envs × 128 steps) in this
 *    thread and with 1 and 2 ThreadedVecEnv workers on ort: training SPS, and the vector env alone
 *    (uniform-random actions) for the same worker counts.
 *
 *   npx tsx scripts/bench-ppo.ts [--cartpole-steps 100000] [--cartpole-runs 2] [--pixel-steps 2048]
 *       [--env Catch-v0] [--net '[c16k4s2,relu:c32k3s2,relu:128,relu]'] [--screen 42]
 *       [--threads 1] [--seed 1] [--skip cartpole,torch,pixel]
 *
 * The machine is shared: wall-clock figures move with other load (`uptime` is printed at start
 * and end), steps per CPU-second less so.
 */

import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { initBackend } from '../src/backend/select.js';
import { createEngine } from '../src/engine/select.js';
import { ThreadedVecEnv } from '../src/rollout/threaded-vec-env.js';
import { trainOnPolicy } from '../src/train/on-policy.js';
import { onPolicyPreset } from '../src/train/on-policy-config.js';
import { Rng } from '../src/util/rng.js';
import { findTorchPython, median } from './bench-common.js';

const { values } = parseArgs({
  options: {
    'cartpole-steps': { type: 'string', default: '100000' },
    'cartpole-runs': { type: 'string', default: '2' },
    'pixel-steps': { type: 'string', default: '2048' },
    env: { type: 'string', default: 'Catch-v0' },
    net: { type: 'string', default: '[c16k4s2,relu:c32k3s2,relu:128,relu]' },
    screen: { type: 'string', default: '42' },
    threads: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
  },
});
const skip = new Set(values.skip.split(','));
const seed = Number(values.seed);

const uptime = (): string => execFileSync('uptime', { encoding: 'utf8' }).trim();
const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

console.log(`uptime at start: ${uptime()}`);
const backend = await initBackend({ backend: 'wasm', threads: 1 });
const engine = createEngine({ engine: 'ort', threads: Number(values.threads) });
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}; ${engine.reason}; ` +
    `tfjs ${backend.name} backend (models only)`,
);

interface RunFigure {
  steps: number;
  /** Seconds of the run from the reset (CleanRL's clock). */
  seconds: number;
  /** Seconds including building the envs and nets. */
  withStartup: number;
  cpuSeconds: number;
  meanReturn100: number;
}

async function pixelrlCartPole(steps: number): Promise<RunFigure> {
  const config = onPolicyPreset('ppo', 'cleanrl');
  config.steps = steps;
  config.seed = seed;
  const cpu = process.cpuUsage();
  const t0 = performance.now();
  const r = await trainOnPolicy(config, null, { engine });
  const withStartup = (performance.now() - t0) / 1000;
  const cpuS = cpuSeconds(cpu);
  r.agent.ac.dispose();
  return {
    steps: r.steps,
    seconds: r.steps / r.sps,
    withStartup,
    cpuSeconds: cpuS,
    meanReturn100: r.meanReturn100,
  };
}

function torchCartPole(python: string, steps: number): RunFigure {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'cleanrl_ppo_torch.py');
  const t0 = performance.now();
  const out = execFileSync(
    python,
    [script, '--steps', String(steps), '--seed', String(seed), '--threads', '1'],
    {
      encoding: 'utf8',
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' },
    },
  );
  const withStartup = (performance.now() - t0) / 1000;
  const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    steps: number;
    seconds: number;
    cpu_seconds: number;
    mean_return_100: number | null;
  };
  return {
    steps: r.steps,
    seconds: r.seconds,
    withStartup,
    cpuSeconds: r.cpu_seconds,
    meanReturn100: r.mean_return_100 ?? Number.NaN,
  };
}

function describe(label: string, f: RunFigure): string {
  return (
    `  ${label.padEnd(18)} ${f.steps} steps in ${f.seconds.toFixed(1)} s (${f.withStartup.toFixed(1)} s with start-up): ` +
    `${fmt(f.steps / f.seconds).padStart(6)} SPS, ${fmt(f.steps / f.cpuSeconds).padStart(6)} steps per CPU-second; ` +
    `last-100-episode mean return ${f.meanReturn100.toFixed(1)}`
  );
}

async function cartPoleBench(): Promise<void> {
  const steps = Number(values['cartpole-steps']);
  const runs = Number(values['cartpole-runs']);
  console.log(
    `\nCartPole-v1, CleanRL ppo.py settings (--preset cleanrl), whole ${steps}-step runs from step 0, seed ${seed}`,
  );
  const python = skip.has('torch') ? undefined : findTorchPython();
  if (!skip.has('torch') && python === undefined)
    console.log('  pytorch: skipped (no python3 with `import torch`)');
  const mine: RunFigure[] = [];
  const theirs: RunFigure[] = [];
  for (let r = 0; r < runs; r++) {
    const f = await pixelrlCartPole(steps);
    mine.push(f);
    console.log(describe(`pixelrl ort (${r + 1})`, f));
    if (python !== undefined) {
      const g = torchCartPole(python, steps);
      theirs.push(g);
      console.log(describe(`PyTorch (${r + 1})`, g));
    }
  }
  const sps = median(mine.map((f) => f.steps / f.seconds));
  const cpu = median(mine.map((f) => f.steps / f.cpuSeconds));
  const withStartup = median(mine.map((f) => f.steps / f.withStartup));
  // The CleanRL run of issue 13 (ppo.py, PyTorch 1.13, this machine kind, idle): 100k steps in 14.0 s.
  const cleanrlIdle = 7215;
  console.log(
    `  pixelrl: median ${fmt(sps)} SPS (${fmt(withStartup)} with start-up); ratio to CleanRL's measured 100k-step run ` +
      `(${fmt(cleanrlIdle)} SPS, idle): ${(sps / cleanrlIdle).toFixed(2)}× (${(withStartup / cleanrlIdle).toFixed(2)}× with start-up)`,
  );
  if (theirs.length > 0) {
    const tsps = median(theirs.map((f) => f.steps / f.seconds));
    const tcpu = median(theirs.map((f) => f.steps / f.cpuSeconds));
    console.log(
      `  ratio pixelrl/PyTorch (same script run, alternating): ${(sps / tsps).toFixed(2)}× wall, ` +
        `${(cpu / tcpu).toFixed(2)}× per CPU-second (target ≥ 2.5×)`,
    );
  }
}

async function pixelBench(): Promise<void> {
  const pixelSteps = Number(values['pixel-steps']);
  const screenSize = Number(values.screen);
  const envId = values.env ?? 'Catch-v0';
  console.log(
    `\n${envId} at ${screenSize}x${screenSize}, PPO (ppo_atari's 8 envs × 128 steps), net ${values.net}, ${pixelSteps} steps`,
  );
  for (const workers of [0, 1, 2]) {
    const config = onPolicyPreset('ppo', 'atari');
    config.env = envId;
    config.ppo.net = values.net ?? 'small';
    config.atari = { screenSize };
    config.workers = workers;
    config.steps = pixelSteps;
    const cpu = process.cpuUsage();
    const r = await trainOnPolicy(config, null, { engine });
    const cpuS = cpuSeconds(cpu);
    r.agent.ac.dispose();
    console.log(
      `${envId} PPO training on ort, ${workers === 0 ? 'in-thread envs' : `${workers} worker thread(s)`}: ` +
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
}

if (!skip.has('cartpole')) await cartPoleBench();
if (!skip.has('pixel')) await pixelBench();
console.log(`\nuptime at end: ${uptime()}`);
