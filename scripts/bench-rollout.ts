/**
 * Rollout benchmark: env steps per second of SyncVecEnv and ThreadedVecEnv (1 and 2 workers) for
 * N = 1, 2, 4, 8, 16 envs, on a cheap env (CartPole-v1) and a pixel game, and the per-step overhead
 * of the threaded path (one message round trip per worker per batched step).
 *
 *   npm run bench:rollout                                    # CartPole-v1 and Breakout-v0, compiled
 *   npm run bench:rollout -- --pixel Pong-v0 --ns 8,16,32 --workers 1,2,1m
 *
 * Flags: --pixel ID (pixel game), --seconds S (timed seconds per cell, default 4), --reps R (runs per
 *        cell, best kept, default 1), --ns LIST, --seed N, --workers LIST (threaded configurations:
 *        `2` = 2 worker threads while the calling thread waits; `1m` = 1 worker thread plus a slice
 *        stepped in the calling thread, `mainThreadSlice`; default 1,2,1m).
 *
 * What users run is compiled JS; under tsx the rollout code is TypeScript source loaded through a
 * loader (the workers through rollout-worker-tsx.mjs), which slows the calling thread more than
 * the workers and flatters the threaded figures. `npm run bench:rollout` therefore compiles the repo
 * to a scratch directory and runs the compiled script with plain node:
 *
 *   npx tsc -p tsconfig.json --outDir node_modules/.cache/bench-dist
 *   node node_modules/.cache/bench-dist/scripts/bench-rollout.js --ns 1,8,16
 *
 * (the first line prints which of the two it measured).
 *
 * Every cell runs in a fresh child process: in one long process, the JIT state left by earlier cells
 * (maps and deopts of the env classes) made the same sync loop up to 4x slower, which would flatter
 * the threaded figures. Actions are uniform random; each cell is warmed up before timing. The load
 * average is printed before and after, because other processes on the machine skew every figure.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { EnvRecipe } from '../src/rollout/env-recipe.js';
import { SyncVecEnv } from '../src/rollout/sync-vec-env.js';
import { ThreadedVecEnv } from '../src/rollout/threaded-vec-env.js';
import type { VecEnv } from '../src/rollout/vec-env.js';
import { Rng } from '../src/util/rng.js';

interface Options {
  pixel: string;
  seconds: number;
  reps: number;
  ns: number[];
  workers: string[];
  seed: number;
}

/** One measurement: `workers` 0 means SyncVecEnv; `main` adds a slice in the calling thread. */
interface Cell {
  id: string;
  n: number;
  workers: number;
  main: boolean;
  seconds: number;
  seed: number;
}

/** `2` → 2 workers; `1m` → 1 worker + the calling thread's slice. */
function parseWorkers(spec: string): { workers: number; main: boolean } {
  const m = /^(\d+)(m?)$/.exec(spec);
  if (!m || Number(m[1]) < 1) {
    throw new Error(`bench-rollout: bad --workers entry '${spec}'; use a count (2) or a count + m (1m)`);
  }
  return { workers: Number(m[1]), main: m[2] === 'm' };
}

/** Threads that step envs in a configuration. */
function threadsOf(spec: string): number {
  const { workers, main } = parseWorkers(spec);
  return workers + (main ? 1 : 0);
}

function labelOf(spec: string): string {
  const { workers, main } = parseWorkers(spec);
  return `threaded, ${workers} worker${workers > 1 ? 's' : ''}${main ? ' + main' : ''}`;
}

function parseArgs(argv: string[]): Options {
  const o: Options = {
    pixel: 'Breakout-v0',
    seconds: 4,
    reps: 1,
    ns: [1, 2, 4, 8, 16],
    workers: ['1', '2', '1m'],
    seed: 0,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`bench-rollout: flag ${argv[i]} needs a value`);
    if (key === 'pixel') o.pixel = value;
    else if (key === 'seconds' || key === 'seed' || key === 'reps') o[key] = Number(value);
    else if (key === 'ns') o.ns = value.split(',').map(Number);
    else if (key === 'workers') {
      o.workers = value.split(',');
      o.workers.forEach(parseWorkers);
    } else {
      throw new Error(
        `bench-rollout: unknown flag ${argv[i]}; flags: --pixel, --seconds, --reps, --ns, --workers, --seed`,
      );
    }
  }
  return o;
}

/** The env as the agents see it: CartPole as is, a pixel game through makeAtari (φ included). */
function recipeOf(id: string): EnvRecipe {
  return id === 'CartPole-v1' ? { id } : { id, atari: {} };
}

function describeRecipe(recipe: EnvRecipe): string {
  return recipe.atari
    ? 'makeAtari defaults: φ = skip 4 + max-pool, grayscale, 84x84; frame stack 4'
    : 'float32[4] observations';
}

/** A cell's figures: wall-clock throughput, and CPU time of the whole process (all threads) per env step. */
interface Figures {
  stepsPerSecond: number;
  cpuUsPerStep: number;
}

/** Env steps per second (N × batched steps / s) of `venv` over about `seconds`, and CPU per step. */
async function measure(venv: VecEnv, seconds: number, seed: number): Promise<Figures> {
  const rng = new Rng(seed);
  const actions = new Int32Array(venv.numEnvs);
  const n = venv.singleActionSpace.n;
  const stepBatch = async (count: number) => {
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < actions.length; i++) actions[i] = rng.int(n);
      await venv.step(actions);
    }
  };
  await venv.reset();
  // Warm up for a second (at least 50 batches): worker threads reach their optimized code later
  // than a 50-batch warm-up, which made 2-second cells understate the threaded rates by ~10%.
  const warm = performance.now();
  do await stepBatch(50);
  while (performance.now() - warm < 1000);
  let steps = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    await stepBatch(10); // batches of 10 keep the clock reads out of the measurement
    steps += 10;
    elapsed = performance.now() - t0;
  }
  const cpu = process.cpuUsage(cpu0);
  const envSteps = steps * venv.numEnvs;
  return { stepsPerSecond: envSteps / (elapsed / 1000), cpuUsPerStep: (cpu.user + cpu.system) / envSteps };
}

/** Runs one cell in this process (the child side). */
async function runCell(cell: Cell): Promise<Figures> {
  const recipe = recipeOf(cell.id);
  const venv =
    cell.workers === 0
      ? new SyncVecEnv({ recipe, numEnvs: cell.n, seed: cell.seed })
      : await ThreadedVecEnv.create({
          recipe,
          numEnvs: cell.n,
          numWorkers: cell.workers,
          mainThreadSlice: cell.main,
          seed: cell.seed,
        });
  try {
    return await measure(venv, cell.seconds, cell.seed);
  } finally {
    await venv.close();
  }
}

/** Runs one cell in a fresh child process and returns its figures. */
function spawnCell(cell: Cell): Figures {
  const script = fileURLToPath(import.meta.url);
  // The compiled script's children run plain node, as users do; the source's need tsx.
  const loader = fromSource()
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
  const child = spawnSync(process.execPath, [...loader, script, '--cell', JSON.stringify(cell)], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (child.status !== 0) {
    throw new Error(
      `bench-rollout: cell ${JSON.stringify(cell)} failed (status ${child.status}): ${child.stderr}`,
    );
  }
  return JSON.parse(child.stdout) as Figures;
}

interface Row {
  n: number;
  sync: Figures;
  threaded: Figures[];
}

function benchEnv(id: string, o: Options): Row[] {
  // Best of `reps` by throughput: other processes only ever slow a run down.
  const best = (spec: string, n: number): Figures => {
    const { workers, main } = spec === 'sync' ? { workers: 0, main: false } : parseWorkers(spec);
    let top: Figures = { stepsPerSecond: 0, cpuUsPerStep: 0 };
    for (let r = 0; r < o.reps; r++) {
      const f = spawnCell({ id, n, workers, main, seconds: o.seconds, seed: o.seed });
      if (f.stepsPerSecond > top.stepsPerSecond) top = f;
    }
    return top;
  };
  return o.ns.map((n) => {
    const row: Row = { n, sync: best('sync', n), threaded: o.workers.map((w) => best(w, n)) };
    const cells = row.threaded.map((t, k) => `${o.workers[k]} ${cell(t, row.sync)}`);
    console.error(`  ${id} N=${n}: sync ${cell(row.sync, row.sync)}  ${cells.join('  ')}`);
    return row;
  });
}

function table(title: string, rows: Row[], o: Options): string {
  const head = `| N | sync | ${o.workers.map(labelOf).join(' | ')} |`;
  const rule = `|---:|---:|${o.workers.map(() => '---:').join('|')}|`;
  const lines = rows.map(
    (r) => `| ${r.n} | ${cell(r.sync, r.sync)} | ${r.threaded.map((t) => cell(t, r.sync)).join(' | ')} |`,
  );
  return [
    `${title}: env steps/s (speed-up vs sync; CPU µs of all threads per env step)`,
    '',
    head,
    rule,
    ...lines,
  ].join('\n');
}

function cell(f: Figures, sync: Figures): string {
  const speedUp = f === sync ? '' : ` (${(f.stepsPerSecond / sync.stepsPerSecond).toFixed(2)}×)`;
  return `${fmt(f.stepsPerSecond)}${speedUp}; ${f.cpuUsPerStep.toFixed(f.cpuUsPerStep < 10 ? 2 : 0)} µs`;
}

function fmt(stepsPerSecond: number): string {
  return Math.round(stepsPerSecond).toLocaleString('en-US');
}

/** True when this script runs as TypeScript source (tsx), false when compiled to JS. */
function fromSource(): boolean {
  return import.meta.url.endsWith('.ts');
}

function load(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--cell') {
    process.stdout.write(`${JSON.stringify(await runCell(JSON.parse(argv[1]) as Cell))}\n`);
    return;
  }
  const o = parseArgs(argv);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench-rollout: ${availableParallelism()} cores (${cpu}), Node ${process.version}`);
  console.log(
    fromSource()
      ? 'measuring the TypeScript source through tsx (see the header for the compiled build)'
      : 'measuring the compiled JS (plain node, no loader)',
  );
  console.log(
    `${o.seconds} s per cell, best of ${o.reps}, each cell in a fresh process; load average ${load()}`,
  );
  const cheapRows = benchEnv('CartPole-v1', o);
  const pixelRows = benchEnv(o.pixel, o);
  console.log(`\n${table(`CartPole-v1 (${describeRecipe(recipeOf('CartPole-v1'))})`, cheapRows, o)}\n`);
  console.log(`${table(`${o.pixel} (${describeRecipe(recipeOf(o.pixel))})`, pixelRows, o)}\n`);
  // With one worker, a batched step costs the sync work plus one round trip (request, wake-up, reply,
  // result assembly); on CartPole at N = 1 the work is negligible, so the difference is the round trip.
  const one = cheapRows.find((r) => r.n === 1);
  const w1 = o.workers.indexOf('1');
  if (one && w1 >= 0) {
    const overheadUs = (1 / one.threaded[w1].stepsPerSecond - 1 / one.sync.stepsPerSecond) * 1e6;
    console.log(`threaded overhead per batched step (CartPole, N=1, 1 worker): ${overheadUs.toFixed(1)} µs`);
  }
  // Wall-clock ratios depend on what else the machine runs; CPU time per step does not. With the
  // cores to itself, a run is CPU-bound: sync does 1e6/cpu steps/s on one core, threaded with W
  // stepping threads (workers, + the caller with `m`) at most min(threads, N, cores)·1e6/cpu
  // (the parent thread's share is inside cpu).
  const cores = availableParallelism();
  const ceiling = pixelRows.map((r) => {
    const ratios = r.threaded.map(
      (t, k) => (Math.min(threadsOf(o.workers[k]), r.n, cores) * r.sync.cpuUsPerStep) / t.cpuUsPerStep,
    );
    return `N=${r.n}: ${ratios.map((x, k) => `${o.workers[k]} ${x.toFixed(2)}×`).join(', ')}`;
  });
  console.log(
    `${o.pixel}, CPU-bound speed-up vs sync on an idle ${cores}-core machine: ${ceiling.join('; ')}`,
  );
  console.log(`load average at the end: ${load()}`);
}

await main(process.argv.slice(2));
