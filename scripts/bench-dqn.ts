/**
 * End-to-end DQN training speed (acting + env + replay + updates), the figures of issue 13's
 * acceptance (`npm run bench:dqn`):
 *
 * 1. Catch-v0 with `pixelrl train`'s pixel defaults (configFromFlags: ATARI_PRESET +
 *    CPU_PIXEL_OVERRIDES, 42x42 frames, the `compact` net), on the ort engine and on the tfjs
 *    engine (wasm backend), interleaved in chunks after learning starts so that whatever else
 *    loads the machine falls on both alike; SPS of each, the ratio ort/tfjs (target ≥ 3×), and
 *    steps per CPU-second of this process.
 * 2. CartPole-v1 with CleanRL dqn.py's settings, timed as CleanRL times itself: a whole run
 *    from step 0 (random steps, learning starts, ε schedule and all), SPS = steps / wall time of
 *    the run, on ort; and the mean return of the last 100 training episodes (does it learn).
 *    Beside it, in the same script run, scripts/cleanrl_dqn_torch.py (the same algorithm in
 *    PyTorch, 1 thread) and the ratio pixelrl/PyTorch (target ≥ 2.5×).
 *
 *   npm run bench:dqn -- [--cartpole-steps 100000] [--cartpole-runs 2] [--pixel-chunk 500]
 *       [--pixel-rounds 6] [--threads 1] [--seed 1] [--skip pixel,cartpole,torch]
 *
 * The machine is shared: wall-clock SPS moves with the load (`uptime` is printed at start and
 * end), steps per CPU-second much less.
 */

import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLASSIC_PRESET, type DqnConfig } from '../agents/dqn-config.js';
import { initBackend } from '../src/backend/select.js';
import { configFromFlags } from '../src/cli/commands/train.js';
import { createEngine, type Engine } from '../src/engine/select.js';
import { DqnLoop } from '../src/train/dqn-loop.js';
import { RUN_DEFAULTS, type RunConfig } from '../src/train/train-config.js';
import { findTorchPython, median } from './bench-common.js';

const { values } = parseArgs({
  options: {
    'cartpole-steps': { type: 'string', default: '100000' },
    'cartpole-runs': { type: 'string', default: '2' },
    'pixel-chunk': { type: 'string', default: '500' },
    'pixel-rounds': { type: 'string', default: '6' },
    threads: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
    skip: { type: 'string', default: '' },
  },
});
const skip = new Set(values.skip.split(','));
const seed = Number(values.seed);
const threads = Number(values.threads);

const uptime = (): string => execFileSync('uptime', { encoding: 'utf8' }).trim();
const fmt = (x: number, digits = 0): string =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

console.log(`uptime at start: ${uptime()}`);
const backend = await initBackend({ backend: 'wasm', threads: 1 });
const ort = createEngine({ engine: 'ort', threads });
const tfjs = createEngine({ engine: 'tfjs' });
console.log(
  `machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}; ` +
    `${ort.reason}; tfjs ${backend.name} backend (threads ${backend.threads}, simd ${backend.simd})`,
);

interface Chunk {
  steps: number;
  seconds: number;
  cpuSeconds: number;
}

/** Runs `loop` until it has taken `steps` more steps; wall and CPU time of this process. */
async function runSteps(loop: DqnLoop, steps: number): Promise<Chunk> {
  const to = loop.step + steps;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (loop.step < to) await loop.iterate();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { steps, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function sum(chunks: readonly Chunk[]): Chunk {
  return chunks.reduce(
    (a, c) => ({
      steps: a.steps + c.steps,
      seconds: a.seconds + c.seconds,
      cpuSeconds: a.cpuSeconds + c.cpuSeconds,
    }),
    { steps: 0, seconds: 0, cpuSeconds: 0 },
  );
}

function shares(loop: DqnLoop, seconds: number): string {
  const t = loop.timing;
  const ms = seconds * 1000;
  const pct = (x: number): string => `${((100 * x) / ms).toFixed(0)}%`;
  return (
    `env ${pct(t.env)}, replay ${pct(t.replay)}, forward (acting) ${pct(t.forward)}, ` +
    `updates ${pct(t.backward)}, other ${pct(ms - t.env - t.replay - t.forward - t.backward)}`
  );
}

async function pixelBench(): Promise<void> {
  // Exactly what `pixelrl train --env Catch-v0` trains (its defaults: 100k steps), minus evaluation.
  const config: RunConfig = {
    ...configFromFlags({ env: 'Catch-v0', algo: 'dqn', progress: 'off', seed }),
    evalInterval: 0,
    evalEpisodes: 0,
    checkpointInterval: 0,
  };
  const { dqn } = config;
  console.log(
    `\nCatch-v0 at ${config.frameSize}x${config.frameSize}, pixelrl train's defaults: net ${dqn.net}, ` +
      `${dqn.nStep}-step ${dqn.doubleDqn ? 'Double ' : ''}DQN, batch ${dqn.batchSize}, train every ${dqn.trainFrequency}, ` +
      `target every ${dqn.targetUpdateInterval}, buffer ${dqn.bufferSize}, learning starts ${dqn.learningStarts}, ` +
      `${dqn.loss} loss, ε → ${dqn.epsilonEnd} over ${dqn.explorationFraction * config.steps} steps of ${config.steps}`,
  );
  const loops: { engine: Engine; loop: DqnLoop; chunks: Chunk[] }[] = [ort, tfjs].map((engine) => ({
    engine,
    loop: new DqnLoop(config, () => {}, engine),
    chunks: [],
  }));
  for (const k of loops) {
    await k.loop.start();
    const fill = await runSteps(k.loop, dqn.learningStarts);
    console.log(
      `  ${k.engine.name}: ${dqn.learningStarts} random steps before learning starts in ${fill.seconds.toFixed(1)} s (not counted)`,
    );
    for (const key of Object.keys(k.loop.timing) as (keyof typeof k.loop.timing)[]) k.loop.timing[key] = 0;
  }
  const chunk = Number(values['pixel-chunk']);
  const rounds = Number(values['pixel-rounds']);
  const eps0 = loops[0].loop.currentEpsilon();
  for (let r = 0; r < rounds; r++) {
    for (const k of loops) k.chunks.push(await runSteps(k.loop, chunk));
  }
  const figures = new Map<Engine, { sps: number; cpu: number }>();
  for (const k of loops) {
    const total = sum(k.chunks);
    const sps = total.steps / total.seconds;
    const cpu = total.steps / total.cpuSeconds;
    figures.set(k.engine, { sps, cpu });
    console.log(
      `  ${k.engine.name.padEnd(4)} ${fmt(sps).padStart(6)} SPS wall (chunks: median ${fmt(median(k.chunks.map((c) => c.steps / c.seconds)))}, ` +
        `${k.chunks.map((c) => fmt(c.steps / c.seconds)).join(' ')}), ${fmt(cpu)} steps per CPU-second ` +
        `(${total.cpuSeconds.toFixed(1)} CPU-s in ${total.seconds.toFixed(1)} s); ${k.loop.agent.gradientSteps} gradient steps`,
    );
    console.log(`       time: ${shares(k.loop, total.seconds)}`);
    await k.loop.close();
  }
  const o = figures.get(ort);
  const t = figures.get(tfjs);
  if (o && t) {
    console.log(
      `  ${rounds} × ${chunk} steps each, interleaved, steps ${config.dqn.learningStarts}–${config.dqn.learningStarts + rounds * chunk} ` +
        `(ε ${eps0.toFixed(2)} → ${loops[0].loop.currentEpsilon().toFixed(2)})`,
    );
    console.log(
      `  ratio ort/tfjs-wasm: ${(o.sps / t.sps).toFixed(2)}× wall, ${(o.cpu / t.cpu).toFixed(2)}× per CPU-second (target ≥ 3×)`,
    );
  }
}

/** CleanRL dqn.py's defaults (its 500k-step run's settings; the run length is --cartpole-steps). */
const CLEANRL_DQN: DqnConfig = {
  ...CLASSIC_PRESET,
  net: '[120,relu:84,relu]',
  doubleDqn: false,
  dueling: false,
  nStep: 1,
  gamma: 0.99,
  optimizer: 'adam',
  learningRate: 2.5e-4,
  annealLr: false,
  optimizerEpsilon: 1e-8,
  maxGradNorm: 0,
  loss: 'mse',
  batchSize: 128,
  bufferSize: 10_000,
  learningStarts: 10_000,
  trainFrequency: 10,
  gradientSteps: 1,
  targetUpdateInterval: 500,
  tau: 1,
  epsilonStart: 1,
  epsilonEnd: 0.05,
  explorationFraction: 0.5,
  prioritized: false,
  historyLength: 1,
  clipRewards: false,
};

interface RunFigure {
  steps: number;
  seconds: number;
  sps: number;
  cpuSeconds: number;
  meanReturn100: number;
}

async function pixelrlCartPole(steps: number): Promise<RunFigure> {
  const config: RunConfig = {
    ...RUN_DEFAULTS,
    env: 'CartPole-v1',
    steps,
    seed,
    evalInterval: 0,
    evalEpisodes: 0,
    checkpointInterval: 0,
    dqn: CLEANRL_DQN,
  };
  const loop = new DqnLoop(config, () => {}, ort);
  // As CleanRL: the clock starts after the nets and envs are built, before the reset.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await loop.start();
  while (loop.step < steps) await loop.iterate();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const figure = {
    steps: loop.step,
    seconds,
    sps: loop.step / seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    meanReturn100: loop.meanRecentReturn(),
  };
  await loop.close();
  return figure;
}

function torchCartPole(python: string, steps: number): RunFigure {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'cleanrl_dqn_torch.py');
  const out = execFileSync(
    python,
    [script, '--steps', String(steps), '--seed', String(seed), '--threads', '1'],
    { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } },
  );
  const r = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as {
    steps: number;
    seconds: number;
    sps: number;
    cpu_seconds: number;
    mean_return_100: number | null;
  };
  return {
    steps: r.steps,
    seconds: r.seconds,
    sps: r.sps,
    cpuSeconds: r.cpu_seconds,
    meanReturn100: r.mean_return_100 ?? Number.NaN,
  };
}

function describe(label: string, f: RunFigure): string {
  return (
    `  ${label.padEnd(18)} ${f.steps} steps in ${f.seconds.toFixed(1)} s: ${fmt(f.sps).padStart(6)} SPS, ` +
    `${fmt(f.steps / f.cpuSeconds).padStart(6)} steps per CPU-second; last-100-episode mean return ${f.meanReturn100.toFixed(1)}`
  );
}

async function cartPoleBench(): Promise<void> {
  const steps = Number(values['cartpole-steps']);
  const runs = Number(values['cartpole-runs']);
  console.log(
    `\nCartPole-v1, CleanRL dqn.py settings (MLP 120-84 relu, batch 128, train every 10, target every 500, ` +
      `buffer 10k, Adam 2.5e-4, learning starts 10k, ε 1 → 0.05 over half the run, γ 0.99, MSE, no clipping), ` +
      `whole ${steps}-step runs from step 0, seed ${seed}`,
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
  const sps = median(mine.map((f) => f.sps));
  const cpu = median(mine.map((f) => f.steps / f.cpuSeconds));
  // The CleanRL run of issue 13 (dqn.py, PyTorch 1.13, this machine kind, idle): 100k steps in 14.9 s.
  const cleanrlIdle = 6776;
  console.log(
    `  pixelrl: median ${fmt(sps)} SPS; ratio to CleanRL's measured 100k-step run (${fmt(cleanrlIdle)} SPS, idle): ${(sps / cleanrlIdle).toFixed(2)}×`,
  );
  if (theirs.length > 0) {
    const tsps = median(theirs.map((f) => f.sps));
    const tcpu = median(theirs.map((f) => f.steps / f.cpuSeconds));
    console.log(
      `  ratio pixelrl/PyTorch (same script run, alternating): ${(sps / tsps).toFixed(2)}× wall, ` +
        `${(cpu / tcpu).toFixed(2)}× per CPU-second (target ≥ 2.5×)`,
    );
  }
}

if (!skip.has('pixel')) await pixelBench();
if (!skip.has('cartpole')) await cartPoleBench();
console.log(`\nuptime at end: ${uptime()}`);
