/**
 * Learner throughput: DQN train steps/s (batch 32) and act() latency (batch 1) for the Nature
 * CNN, the 2013 DQN, a MinAtar-sized CNN and an MLP, on every tfjs backend that loads, side by
 * side with the same step in PyTorch when `import torch` works, with the ratio.
 *
 *     npx tsx scripts/bench-learner.ts [--nets nature,minatar] [--backends wasm,cpu]
 *                                      [--rounds 5] [--seconds 1] [--batch 32] [--threads 1]
 *                                      [--no-torch] [--slow]
 *
 * Side by side means interleaved: each round runs every contender (each tfjs backend, PyTorch
 * with torch.set_num_threads(cores) and with 1 thread) for `--seconds`, and a contender's figure
 * is the median over rounds of its median step time. On a shared machine the others' load then
 * falls on all contenders alike. PyTorch runs with OpenBLAS held to one thread; the faster of
 * its two thread counts is the reference, as the issue asks. Also printed: steps/s from the
 * median CPU time of a step (process user + system, all threads, GC included), which other
 * processes hardly move. `cpu` on 84x84 inputs takes seconds a step: skipped unless --slow.
 * `--threads 2` starts wasm's opt-in threaded build (src/backend/wasm/threads.ts).
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, type BackendName, initBackend, parseBackendName } from '../src/backend/select.js';
import {
  LEARNER_CASES,
  type Learner,
  type LearnerCase,
  makeAgentLearner,
  makeLearner,
} from './bench-learner-step.js';

interface Options {
  nets: LearnerCase[];
  backends: BackendName[];
  rounds: number;
  seconds: number;
  /** XNNPACK threads for wasm (above 1: the opt-in threaded build). */
  threads: number;
  batch: number;
  torch: boolean;
  slow: boolean;
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
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    nets: [...LEARNER_CASES],
    backends: [...BACKEND_NAMES],
    rounds: 5,
    seconds: 1,
    threads: 1,
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
    else if (arg === '--rounds') opts.rounds = Number(value());
    else if (arg === '--seconds') opts.seconds = Number(value());
    else if (arg === '--threads') opts.threads = Number(value());
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

function fmt(x: number, digits = 2): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '-';
}

/**
 * `layers`: the generic tfjs route (model.apply, tfjs' Adam via optimizer.minimize);
 * `agent`: the DqnAgent that `pixelrl train` runs (fused forward, flat Adam, clipping).
 */
type Route = 'layers' | 'agent';

function tfjsContender(c: LearnerCase, backend: BackendName, batch: number, route: Route): Contender {
  let learner: Learner | undefined;
  const contender: Contender = {
    label: route === 'agent' ? `${backend} agent` : backend,
    rounds: [],
    async run(seconds) {
      await initBackend({ backend });
      if (learner === undefined) {
        learner = route === 'agent' ? makeAgentLearner(c, batch) : makeLearner(c, batch);
        learner.step();
        learner.step();
      }
      // Per round: tf.memory() counts the tensors of every backend's learner.
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
      await initBackend({ backend });
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
      if (learner !== undefined) {
        await initBackend({ backend });
        learner.dispose();
      }
    },
  };
  return contender;
}

function findTorchPython(): string | undefined {
  // pyenv or venv shims may shadow Debian's python3-torch, so try the system python too.
  for (const python of ['python3', '/usr/bin/python3']) {
    if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) return python;
  }
  return undefined;
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
    `batch ${opts.batch}; one step = online fwd + target fwd + Huber + backward + Adam; ${opts.rounds} rounds of ${opts.seconds} s each`,
  );

  const backends: BackendName[] = [];
  for (const b of opts.backends) {
    try {
      const info = await initBackend({
        backend: b,
        threads: b === 'wasm' ? opts.threads : undefined,
        log: console.log,
      });
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

  const summary: string[] = [];
  for (const c of opts.nets) {
    const contenders: Contender[] = [];
    for (const b of backends) {
      if (b === 'cpu' && c.inputShape.length === 3 && c.inputShape[0] > 32 && !opts.slow) {
        console.log(`${c.name} on cpu: skipped (seconds per step; pass --slow)`);
      } else {
        contenders.push(tfjsContender(c, b, opts.batch, 'layers'));
        contenders.push(tfjsContender(c, b, opts.batch, 'agent'));
      }
    }
    if (python !== undefined) {
      for (const threads of new Set([availableParallelism(), 1])) {
        contenders.push(await torchContender(python, c, threads, opts.batch));
      }
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
    const reference = torch.reduce<Contender | undefined>(
      (best, k) =>
        best === undefined || (figures.get(k)?.steps ?? 0) > (figures.get(best)?.steps ?? 0) ? k : best,
      undefined,
    );
    for (const k of contenders) {
      if (torch.includes(k)) continue;
      const f = figures.get(k);
      const ref = reference ? figures.get(reference) : undefined;
      const ratio =
        f && ref
          ? `${fmt(f.steps / ref.steps)}x (cpu-time ${fmt(f.cpu / ref.cpu)}x) vs ${reference?.label} ${fmt(ref.steps)} steps/s`
          : '-';
      summary.push(
        `${c.name.padEnd(8)} ${k.label.padEnd(11)} ${fmt(f?.steps ?? Number.NaN).padStart(8)} steps/s   ${ratio}`,
      );
    }
  }
  console.log('\nsummary (median of rounds; PyTorch reference = its faster thread count)');
  for (const line of summary) console.log(line);
  console.log(`load average at the end: ${load()}`);
}

await main();
