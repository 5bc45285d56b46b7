/**
 * Learner throughput: DQN train steps/s (batch 32) and act() latency (batch 1) for the Nature
 * CNN, the 2013 DQN, a MinAtar-sized CNN and an MLP, on every tfjs backend that loads, and the
 * same step in PyTorch when `import torch` works, with the ratio.
 *
 *     npx tsx scripts/bench-learner.ts [--nets nature,minatar] [--backends wasm,cpu]
 *                                      [--seconds 3] [--batch 32] [--no-torch] [--slow]
 *
 * Figures come from the median step time (a busy machine skews it less than a mean would) and
 * from the fastest step ("best": the code with a core to itself); the load average is printed
 * so a reader can tell how busy the machine was. PyTorch runs with OpenBLAS held to one
 * thread and torch.set_num_threads(cores), and again with 1 thread; the faster is the reference.
 * `cpu` on 84x84 inputs takes tens of seconds a step; it is skipped unless --slow.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, type BackendName, initBackend, parseBackendName } from '../src/backend/select.js';
import { LEARNER_CASES, type LearnerCase, makeLearner } from './bench-learner-step.js';

interface Options {
  nets: LearnerCase[];
  backends: BackendName[];
  seconds: number;
  batch: number;
  torch: boolean;
  slow: boolean;
}

interface Row {
  net: string;
  backend: string;
  /** From the median step time. */
  stepsPerS: number;
  /** From the fastest step: what the code does when it has a core to itself. */
  bestStepsPerS: number;
  actMs: number;
  /** Tensors alive after the timed steps minus before (0 = no leak). */
  leak: number;
  note: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    nets: [...LEARNER_CASES],
    backends: [...BACKEND_NAMES],
    seconds: 3,
    batch: 32,
    torch: true,
    slow: false,
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
    } else if (arg === '--backends')
      opts.backends = value()
        .split(',')
        .map((b) => parseBackendName(b));
    else if (arg === '--seconds') opts.seconds = Number(value());
    else if (arg === '--batch') opts.batch = Number(value());
    else if (arg === '--no-torch') opts.torch = false;
    else if (arg === '--slow') opts.slow = true;
    else throw new Error(`unknown option '${arg}' (see the header of scripts/bench-learner.ts)`);
  }
  return opts;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeLearner(c: LearnerCase, backend: string, opts: Options): Row {
  const learner = makeLearner(c, opts.batch);
  try {
    let t0 = performance.now();
    learner.step();
    const firstMs = performance.now() - t0;
    if (firstMs > 10_000) {
      return {
        net: c.name,
        backend,
        stepsPerS: 1000 / firstMs,
        bestStepsPerS: 1000 / firstMs,
        actMs: Number.NaN,
        leak: 0,
        note: 'one step only',
      };
    }
    learner.step();
    const before = tf.memory().numTensors;
    const times: number[] = [];
    const start = performance.now();
    while (times.length < 5 || performance.now() - start < opts.seconds * 1000) {
      t0 = performance.now();
      learner.step();
      times.push(performance.now() - t0);
    }
    const leak = tf.memory().numTensors - before;
    for (let i = 0; i < 20; i++) learner.act();
    const acts: number[] = [];
    for (let i = 0; i < 200; i++) {
      t0 = performance.now();
      learner.act();
      acts.push(performance.now() - t0);
    }
    return {
      net: c.name,
      backend,
      stepsPerS: 1000 / median(times),
      bestStepsPerS: 1000 / Math.min(...times),
      actMs: median(acts),
      leak,
      note: `${times.length} steps`,
    };
  } finally {
    learner.dispose();
  }
}

function findTorchPython(): string | undefined {
  // pyenv or venv shims may shadow Debian's python3-torch, so try the system python too.
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return python;
  }
  return undefined;
}

interface TorchResult {
  net: string;
  steps_per_s: number;
  best_steps_per_s: number;
  act_ms: number;
  torch: string;
  threads: number;
  blas: string;
}

function runTorchOnce(python: string, c: LearnerCase, opts: Options, threads: number): TorchResult | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'bench_learner_torch.py');
  const args = [script, '--nets', c.name, '--threads', String(threads), '--batch', String(opts.batch)];
  try {
    const out = execFileSync(python, [...args, '--seconds', String(opts.seconds)], {
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: String(threads) },
      encoding: 'utf8',
    });
    return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as TorchResult;
  } catch (err) {
    return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

/**
 * PyTorch with torch.set_num_threads(cores) and with 1 thread; the faster one is the reference.
 * On an idle machine that is all cores; when other processes compete for the cores, OpenMP's
 * spinning threads can make 2 threads several times slower than 1, and comparing against that
 * would flatter tfjs.
 */
function runTorch(python: string, c: LearnerCase, opts: Options): TorchResult | string {
  const counts = [...new Set([availableParallelism(), 1])];
  const results: TorchResult[] = [];
  let failure = '';
  for (const threads of counts) {
    const r = runTorchOnce(python, c, opts, threads);
    if (typeof r === 'string') failure = r;
    else {
      results.push(r);
      console.log(
        `${c.name.padEnd(8)} pytorch    ${fmt(r.steps_per_s).padStart(9)} steps/s (best ${fmt(r.best_steps_per_s)})  act ${fmt(r.act_ms, 3)} ms  (torch ${r.torch}, ${r.threads} threads, ${r.blas})`,
      );
    }
  }
  if (results.length === 0) return failure;
  return results.reduce((best, r) => (r.steps_per_s > best.steps_per_s ? r : best));
}

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  console.log(
    `machine: ${availableParallelism()} cores (${cpu}), load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`batch ${opts.batch}; one step = online fwd + target fwd + Huber + backward + Adam`);

  const backends: BackendName[] = [];
  for (const b of opts.backends) {
    try {
      const info = await initBackend({ backend: b });
      backends.push(b);
      console.log(
        `backend ${b}: threads ${info.threads}, simd ${info.simd}, ${JSON.stringify(info.versions)}`,
      );
    } catch (err) {
      console.log(`backend ${b}: skipped (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  const python = opts.torch ? findTorchPython() : undefined;
  if (opts.torch && python === undefined) console.log('pytorch: skipped (no python3 with `import torch`)');

  const rows: Row[] = [];
  const torchRows = new Map<string, TorchResult>();
  for (const c of opts.nets) {
    for (const b of backends) {
      if (b === 'cpu' && c.inputShape.length === 3 && c.inputShape[0] > 32 && !opts.slow) {
        console.log(`${c.name} on cpu: skipped (tens of seconds per step; pass --slow)`);
        continue;
      }
      await initBackend({ backend: b });
      const row = timeLearner(c, b, opts);
      rows.push(row);
      console.log(
        `${c.name.padEnd(8)} ${b.padEnd(10)} ${fmt(row.stepsPerS).padStart(9)} steps/s (best ${fmt(row.bestStepsPerS)})  act ${fmt(row.actMs, 3)} ms  leak ${row.leak}  (${row.note})`,
      );
    }
    if (python !== undefined) {
      const t = runTorch(python, c, opts);
      if (typeof t === 'string') {
        console.log(`${c.name.padEnd(8)} pytorch    failed: ${t}`);
      } else {
        torchRows.set(c.name, t);
      }
    }
  }

  console.log('\nnet      backend    steps/s   act ms   vs pytorch');
  for (const r of rows) {
    const t = torchRows.get(r.net);
    const ratio = t
      ? `${fmt(r.stepsPerS / t.steps_per_s)}x (torch ${fmt(t.steps_per_s)} steps/s, ${t.threads} threads)`
      : '-';
    console.log(
      `${r.net.padEnd(8)} ${r.backend.padEnd(10)} ${fmt(r.stepsPerS).padStart(8)} ${fmt(r.actMs, 3).padStart(8)}   ${ratio}`,
    );
  }
  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

await main();
