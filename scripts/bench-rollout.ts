/**
 * Rollout benchmark: env steps per second of SyncVecEnv and ThreadedVecEnv (1 and 2 workers) for
 * N = 1, 2, 4, 8, 16 envs, on a cheap env (CartPole-v1) and a pixel game, and the per-step overhead
 * of the threaded path (one message round trip per worker per batched step).
 *
 *   npx tsx scripts/bench-rollout.ts                         # CartPole-v1 and Breakout-v0
 *   npx tsx scripts/bench-rollout.ts --pixel Pong-v0 --seconds 3 --ns 8,16 --workers 1,2,4
 *
 * Flags: --pixel ID (pixel game), --seconds S (timed seconds per cell, default 2),
 *        --ns LIST (numbers of envs), --workers LIST (threaded worker counts), --seed N.
 * Actions are uniform random. Each cell is warmed up (workers started, first steps run) before timing.
 */
import { availableParallelism, cpus } from 'node:os';
import type { EnvRecipe } from '../src/rollout/env-recipe.js';
import { SyncVecEnv } from '../src/rollout/sync-vec-env.js';
import { ThreadedVecEnv } from '../src/rollout/threaded-vec-env.js';
import type { VecEnv } from '../src/rollout/vec-env.js';
import { Rng } from '../src/util/rng.js';

interface Options {
  pixel: string;
  seconds: number;
  ns: number[];
  workers: number[];
  seed: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    pixel: 'Breakout-v0',
    seconds: 2,
    ns: [1, 2, 4, 8, 16],
    workers: [1, 2],
    seed: 0,
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`bench-rollout: flag ${argv[i]} needs a value`);
    if (key === 'pixel') options.pixel = value;
    else if (key === 'seconds') options.seconds = Number(value);
    else if (key === 'seed') options.seed = Number(value);
    else if (key === 'ns' || key === 'workers') options[key] = value.split(',').map(Number);
    else
      throw new Error(
        `bench-rollout: unknown flag ${argv[i]}; flags: --pixel, --seconds, --ns, --workers, --seed`,
      );
  }
  return options;
}

/** The pixel game as the agents see it. */
function pixelRecipe(id: string): EnvRecipe {
  return { id };
}

/** Env steps per second (N × batched steps / s) of `venv` over about `seconds`. */
async function measure(venv: VecEnv, seconds: number, seed: number): Promise<number> {
  const rng = new Rng(seed);
  const actions = new Int32Array(venv.numEnvs);
  const n = venv.singleActionSpace.n;
  const stepOnce = async () => {
    for (let i = 0; i < actions.length; i++) actions[i] = rng.int(n);
    await venv.step(actions);
  };
  await venv.reset();
  for (let t = 0; t < 20; t++) await stepOnce();
  let steps = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    // Batches of 10 keep the clock reads out of the measurement.
    for (let k = 0; k < 10; k++) await stepOnce();
    steps += 10;
    elapsed = performance.now() - t0;
  }
  return (steps * venv.numEnvs) / (elapsed / 1000);
}

interface Row {
  n: number;
  sync: number;
  threaded: number[];
}

async function benchEnv(recipe: EnvRecipe, o: Options): Promise<Row[]> {
  const rows: Row[] = [];
  for (const n of o.ns) {
    const sync = new SyncVecEnv({ recipe, numEnvs: n, seed: o.seed });
    const row: Row = { n, sync: await measure(sync, o.seconds, o.seed), threaded: [] };
    await sync.close();
    for (const w of o.workers) {
      const threaded = await ThreadedVecEnv.create({ recipe, numEnvs: n, numWorkers: w, seed: o.seed });
      row.threaded.push(await measure(threaded, o.seconds, o.seed));
      await threaded.close();
    }
    rows.push(row);
    const cells = row.threaded.map(
      (t, k) => `threaded(${o.workers[k]}w) ${fmt(t)} (${(t / row.sync).toFixed(2)}x)`,
    );
    console.error(`  ${recipe.id} N=${n}: sync ${fmt(row.sync)}  ${cells.join('  ')}`);
  }
  return rows;
}

function table(title: string, rows: Row[], o: Options): string {
  const head = `| N | sync | ${o.workers.map((w) => `threaded ${w}w`).join(' | ')} |`;
  const rule = `|---:|---:|${o.workers.map(() => '---:').join('|')}|`;
  const lines = rows.map(
    (r) =>
      `| ${r.n} | ${fmt(r.sync)} | ${r.threaded.map((t) => `${fmt(t)} (${(t / r.sync).toFixed(2)}×)`).join(' | ')} |`,
  );
  return [`${title} — env steps/s (speed-up vs sync)`, '', head, rule, ...lines].join('\n');
}

function fmt(stepsPerSecond: number): string {
  return Math.round(stepsPerSecond).toLocaleString('en-US');
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `bench-rollout: ${availableParallelism()} cores (${cpu}), Node ${process.version}, ${o.seconds} s per cell`,
  );
  const cheap: EnvRecipe = { id: 'CartPole-v1' };
  const pixel = pixelRecipe(o.pixel);
  const cheapRows = await benchEnv(cheap, o);
  const pixelRows = await benchEnv(pixel, o);
  console.log(`\n${table('CartPole-v1', cheapRows, o)}\n`);
  console.log(`${table(`${o.pixel} (${describeRecipe(pixel)})`, pixelRows, o)}\n`);
  // Per batched step, threaded with one worker does the sync work plus one round trip; at N = 1 on a
  // cheap env the difference is that round trip (message, wake-up, reply, result assembly).
  const one = cheapRows.find((r) => r.n === 1);
  const w1 = o.workers.indexOf(1);
  if (one && w1 >= 0) {
    const overheadUs = (1 / one.threaded[w1] - 1 / one.sync) * 1e6;
    console.log(
      `threaded per-step overhead (CartPole, N=1, 1 worker): ${overheadUs.toFixed(1)} µs per batched step`,
    );
  }
}

function describeRecipe(recipe: EnvRecipe): string {
  return recipe.options ? JSON.stringify(recipe.options) : 'raw 210x160x3 frames, frameskip 4';
}

await main();
