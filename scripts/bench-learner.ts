/**
 * Learner throughput: DQN train steps/s (batch 32) and act() latency (batch 1) for the Nature
 * CNN, the 2013 DQN, a MinAtar-sized CNN, the `compact` 42x42 CNN and an MLP 64-64, on the ort
 * engine with 1 and 2 intra-op threads, on the tfjs engine (wasm backend), and in PyTorch with 1
 * and 2 threads when a python with `import torch` is found, with each ratio against PyTorch at
 * the same thread count (tfjs-wasm: against PyTorch with 1 thread).
 *
 *     npx tsx scripts/bench-learner.ts [--nets nature,compact] [--rounds 5] [--seconds 1]
 *                                      [--batch 32] [--no-torch] [--no-tfjs] [--device cuda]
 *
 * `--device cuda|webgpu` runs the ort contenders on that execution provider (a GPU machine).
 *
 * Side by side means interleaved: each round runs every contender for `--seconds`, and a
 * contender's figure is the median over rounds of its median step time, so the load of a shared
 * machine falls on all alike. PyTorch runs with OpenBLAS held to one thread so torch's own pool is
 * the only parallelism. Also printed: steps/s from the median CPU time of a step (process user +
 * system, all threads), which other processes hardly move.
 */

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import type { Device } from '../src/engine/ort/session.js';
import { createEngine, type Engine, parseDevice, tfjsEngine } from '../src/engine/select.js';
import { findTorchPython } from './bench-common.js';
import { LEARNER_CASES, type Learner, type LearnerCase, makeAgentLearner } from './bench-learner-step.js';

interface Options {
  nets: LearnerCase[];
  rounds: number;
  seconds: number;
  batch: number;
  torch: boolean;
  tfjs: boolean;
  /** The ort engine's device (cpu, cuda, webgpu). */
  device: Device;
}

/** One round's figures for one contender. */
interface RoundResult {
  stepsPerS: number;
  cpuStepsPerS: number;
}

/** Something that can run DQN steps for a while and act once: a tfjs learner or a PyTorch server. */
interface Contender {
  label: string;
  run(seconds: number): Promise<RoundResult>;
  actMs(): Promise<number>;
  close(): Promise<void>;
  rounds: RoundResult[];
  /** Most tensors gained over one round of steps (tfjs only; 0 = no leak). */
  leak?: number;
  /** PyTorch's configuration, printed once. */
  about?: string;
  /** Threads it computes with (for the ratio against PyTorch at the same count). */
  threads: number;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    nets: [...LEARNER_CASES],
    rounds: 5,
    seconds: 1,
    batch: 32,
    torch: true,
    tfjs: true,
    device: 'cpu',
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--nets') {
      opts.nets = value()
        .split(',')
        .map((name) => {
          const c = LEARNER_CASES.find((x) => x.name === name);
          if (!c)
            throw new Error(`unknown net '${name}': use ${LEARNER_CASES.map((x) => x.name).join(', ')}`);
          return c;
        });
    } else if (arg === '--rounds') opts.rounds = Number(value());
    else if (arg === '--seconds') opts.seconds = Number(value());
    else if (arg === '--batch') opts.batch = Number(value());
    else if (arg === '--no-torch') opts.torch = false;
    else if (arg === '--no-tfjs') opts.tfjs = false;
    else if (arg === '--device') opts.device = parseDevice(value());
    else throw new Error(`unknown option '${arg}' (see the header of scripts/bench-learner.ts)`);
  }
  return opts;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

/** A DqnAgent on one engine. */
function engineContender(
  c: LearnerCase,
  batch: number,
  label: string,
  engine: Engine,
  threads: number,
): Contender {
  let learner: Learner | undefined;
  const contender: Contender = {
    label,
    threads,
    rounds: [],
    async run(seconds) {
      if (learner === undefined) {
        learner = makeAgentLearner(c, batch, engine);
        learner.step();
        learner.step();
      }
      const tensorsBefore = tf.memory().numTensors;
      const times: number[] = [];
      const cpuTimes: number[] = [];
      const start = performance.now();
      while (times.length < 2 || performance.now() - start < seconds * 1000) {
        const t0 = performance.now();
        const cpu0 = process.cpuUsage();
        learner.step();
        const cpu = process.cpuUsage(cpu0);
        times.push(performance.now() - t0);
        cpuTimes.push((cpu.user + cpu.system) / 1000);
      }
      contender.leak = Math.max(contender.leak ?? 0, tf.memory().numTensors - tensorsBefore);
      return { stepsPerS: 1000 / median(times), cpuStepsPerS: 1000 / median(cpuTimes) };
    },
    async actMs() {
      if (learner === undefined) return Number.NaN;
      for (let i = 0; i < 20; i++) learner.act();
      const acts: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t0 = performance.now();
        learner.act();
        acts.push(performance.now() - t0);
      }
      return median(acts);
    },
    async close() {
      learner?.dispose();
    },
  };
  return contender;
}

/** A bench_learner_torch.py --serve process: one JSON line per command. */
async function torchContender(
  python: string,
  c: LearnerCase,
  threads: number,
  batch: number,
): Promise<Contender> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bench_learner_torch.py');
  const child: ChildProcessWithoutNullStreams = spawn(
    python,
    [
      script,
      '--serve',
      '--nets',
      c.name,
      '--threads',
      String(threads),
      '--batch',
      String(batch),
      '--min-steps',
      '2',
    ],
    { env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads) } },
  );
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const lines: Interface = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, number | string | boolean>> => {
    const { value, done } = await iterator.next();
    if (done) throw new Error(`pytorch (${threads} threads) exited`);
    return JSON.parse(value) as Record<string, number | string | boolean>;
  };
  const config = await next();
  await next(); // ready: models built and warmed up
  return {
    label: `pytorch-${threads}t`,
    threads,
    rounds: [],
    about: `torch ${config.torch}, ${config.threads} threads, ${config.blas}`,
    async run(seconds) {
      child.stdin.write(`run ${seconds}\n`);
      const r = await next();
      return { stepsPerS: Number(r.steps_per_s), cpuStepsPerS: Number(r.cpu_steps_per_s) };
    },
    async actMs() {
      child.stdin.write('act\n');
      return Number((await next()).act_ms);
    },
    async close() {
      child.stdin.end('quit\n');
      lines.close();
    },
  };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  console.log(
    `machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), load average ${load()}`,
  );
  console.log(
    `batch ${opts.batch}; one step = online fwd + target fwd + Huber + backward + Adam (no clipping); ${opts.rounds} rounds of ${opts.seconds} s each`,
  );

  const wasm = await initBackend({ backend: 'wasm', log: () => {} });
  console.log(`tfjs engine: wasm backend, threads ${wasm.threads}, simd ${wasm.simd}`);
  const ort = [1, 2].map((threads) => createEngine({ engine: 'ort', threads, device: opts.device }));
  console.log(`ort engine: ${ort[0].reason.replace(/, 1 thread$/, '')}`);
  const python = opts.torch ? findTorchPython() : undefined;
  if (opts.torch && python === undefined) console.log('pytorch: skipped (no python3 with `import torch`)');

  const summary: string[] = [];
  for (const c of opts.nets) {
    const contenders: Contender[] = [
      engineContender(c, opts.batch, 'ort-1t', ort[0], 1),
      engineContender(c, opts.batch, 'ort-2t', ort[1], 2),
    ];
    if (opts.tfjs) contenders.push(engineContender(c, opts.batch, 'tfjs-wasm', tfjsEngine(), 1));
    if (python !== undefined) {
      for (const threads of [1, 2]) contenders.push(await torchContender(python, c, threads, opts.batch));
    }
    for (let r = 0; r < opts.rounds; r++) {
      for (const k of contenders) k.rounds.push(await k.run(opts.seconds));
    }
    const figures = new Map<Contender, { steps: number; cpu: number; act: number }>();
    for (const k of contenders) {
      const steps = median(k.rounds.map((x) => x.stepsPerS));
      const cpu = median(k.rounds.map((x) => x.cpuStepsPerS));
      const act = await k.actMs();
      figures.set(k, { steps, cpu, act });
      const extra = k.leak !== undefined ? `leak ${k.leak}` : (k.about ?? '');
      console.log(
        `${c.name.padEnd(8)} ${k.label.padEnd(11)} ${fmt(steps).padStart(9)} steps/s  cpu ${fmt(cpu).padStart(8)}  act ${fmt(act, 3)} ms  ${extra}`,
      );
      await k.close();
    }
    const torch = contenders.filter((k) => k.label.startsWith('pytorch'));
    for (const k of contenders) {
      if (torch.includes(k)) continue;
      const f = figures.get(k);
      const ref = torch.find((t) => t.threads === k.threads);
      const rf = ref ? figures.get(ref) : undefined;
      const ratio =
        f && rf && ref
          ? `ratio vs PyTorch ${fmt(f.steps / rf.steps)}x (cpu-time ${fmt(f.cpu / rf.cpu)}x; ${ref.label} ${fmt(rf.steps)} steps/s)`
          : 'ratio vs PyTorch -';
      summary.push(
        `${c.name.padEnd(8)} ${k.label.padEnd(10)} ${fmt(f?.steps ?? Number.NaN).padStart(8)} steps/s   ${ratio}`,
      );
    }
  }
  console.log('\nsummary (median of rounds; each against PyTorch with the same thread count)');
  for (const line of summary) console.log(line);
  console.log(`load average at the end: ${load()}`);
}

await main();
