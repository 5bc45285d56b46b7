/**
 * Replay memory benchmark: bytes per transition and RSS when full, push rate, and the time to
 * sample a batch of stacked Atari transitions, uniform and prioritized.
 *
 *   npx tsx scripts/bench-replay.ts                      # 200k transitions, figures extrapolated to 1M
 *   npx tsx scripts/bench-replay.ts --capacity 1000000   # the real 1M buffer (~7.1 GB of RAM)
 *
 * Flags: --capacity N, --envs N, --batch N, --samples N (timed sample calls), --nstep N,
 *        --layout channels-last|channels-first, --sampler uniform|prioritized|both,
 *        --snapshot DIR (also time a snapshot save and load there; needs the buffer's size on disk).
 * With `both`, each sampler runs in its own child process so that one 7 GB buffer is freed
 * before the next is allocated.
 */
import { spawnSync } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackLayout } from '../replay/frame-stacker.js';
import { formatBytes } from '../replay/memory-check.js';
import { ReplayBuffer, replayBytes } from '../replay/replay-buffer.js';
import type { SamplerConfig } from '../replay/samplers.js';
import { loadReplaySnapshot, saveReplaySnapshot } from '../replay/snapshot.js';
import { Rng } from '../src/util/rng.js';

interface Options {
  capacity: number;
  envs: number;
  batch: number;
  samples: number;
  nstep: number;
  layout: StackLayout;
  sampler: 'uniform' | 'prioritized' | 'both';
  /** A directory: also time saving a snapshot of the uniform buffer there, and loading it back. */
  snapshot: string;
  /** Internal: load this snapshot file and report time and RSS. */
  load: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    capacity: 200_000,
    envs: 1,
    batch: 32,
    samples: 5000,
    nstep: 1,
    layout: 'channels-last',
    sampler: 'both',
    snapshot: '',
    load: '',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '') as keyof Options;
    const value = argv[i + 1];
    if (!(key in options) || value === undefined) {
      throw new Error(
        `bench-replay: unknown flag or missing value at "${argv[i]}"; flags: ${Object.keys(options).join(', ')}`,
      );
    }
    (options as unknown as Record<string, number | string>)[key] =
      typeof options[key] === 'number' ? Number(value) : value;
  }
  return options;
}

async function run(options: Options, kind: 'uniform' | 'prioritized'): Promise<void> {
  const FRAME = 84 * 84;
  const sampler: SamplerConfig =
    kind === 'uniform' ? { kind: 'uniform' } : { kind: 'prioritized', alpha: 0.6, beta: 0.4, epsilon: 1e-6 };
  const config = {
    capacity: options.capacity,
    numEnvs: options.envs,
    nStep: options.nstep,
    layout: options.layout,
    sampler,
  };
  const rssBefore = process.memoryUsage().rss;
  const buffer = new ReplayBuffer(config);
  const rng = new Rng(1);
  // A pool of random frames, cycled: content does not change the cost, and writing it touches
  // every page, so RSS is the real footprint.
  const pool = Array.from({ length: 64 }, () => Uint8Array.from({ length: FRAME }, () => rng.int(256)));
  const current = new Int32Array(options.envs);
  const push = (steps: number): number => {
    const t0 = performance.now();
    for (let t = 0; t < steps; t++) {
      for (let env = 0; env < options.envs; env++) {
        // Episodes of ~2000 steps (a mid-length Atari episode at frameskip 4).
        const ended = rng.int(2000) === 0;
        const next = (current[env] + 1) & 63;
        buffer.add(env, {
          frame: pool[current[env]],
          action: rng.int(18),
          reward: 0,
          terminated: ended,
          truncated: false,
          nextFrame: pool[next],
        });
        current[env] = ended ? rng.int(64) : next;
      }
    }
    return (steps * options.envs) / ((performance.now() - t0) / 1000);
  };
  // The first fill pays the OS for every new page; later pushes overwrite resident pages.
  const fillRate = push(Math.ceil(buffer.capacity / options.envs));
  const steadyRate = push(Math.ceil(Math.min(buffer.capacity, 100_000) / options.envs));
  const rss = process.memoryUsage().rss;
  const bytes = replayBytes(buffer.config);

  if (kind === 'prioritized') {
    // Spread the priorities so the tree is not flat.
    const indices = new Int32Array(1024);
    const errors = new Float32Array(1024);
    for (let i = 0; i + 1024 <= buffer.capacity; i += 1024) {
      for (let j = 0; j < 1024; j++) {
        indices[j] = i + j;
        errors[j] = rng.float() * 2;
      }
      buffer.updatePriorities(indices, errors);
    }
  }
  const { batch: batchSize, samples } = options;
  for (let i = 0; i < 200; i++) buffer.sample(batchSize, rng);
  const times = new Float64Array(samples);
  let updateMs = 0;
  const cpuStart = process.cpuUsage();
  const tdErrors = new Float32Array(batchSize);
  for (let i = 0; i < samples; i++) {
    const s = performance.now();
    const batch = buffer.sample(batchSize, rng);
    times[i] = performance.now() - s;
    for (let b = 0; b < batchSize; b++) tdErrors[b] = rng.float();
    const u = performance.now();
    buffer.updatePriorities(batch.indices, tdErrors);
    updateMs += performance.now() - u;
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerCall = (cpu.user + cpu.system) / 1000 / samples;
  times.sort();
  const mean = times.reduce((a, b) => a + b, 0) / samples;
  const perTransition = bytes / buffer.capacity;
  const measuredRss = rss - rssBefore;
  const scale = 1_000_000 / buffer.capacity;
  console.log(
    `\n${kind} sampler, ${buffer.capacity} transitions, ${options.envs} env(s), n=${options.nstep}, ${options.layout}`,
  );
  console.log(
    `  allocated            ${formatBytes(bytes)} (${(perTransition).toFixed(1)} bytes/transition)`,
  );
  console.log(`  RSS when full        ${formatBytes(rss)} (+${formatBytes(measuredRss)} over the start)`);
  if (scale !== 1) {
    console.log(
      `  extrapolated to 1M   ${formatBytes(bytes * scale)} allocated, ~${formatBytes(measuredRss * scale)} RSS (${((bytes * scale) / 1e9).toFixed(2)} GB)`,
    );
  } else {
    console.log(
      `  1M footprint         ${(bytes / 1e9).toFixed(3)} GB allocated, ${(measuredRss / 1e9).toFixed(3)} GB RSS growth (measured)`,
    );
  }
  const rate = (r: number) => Math.round(r).toLocaleString('en-US');
  console.log(
    `  push                 ${rate(fillRate)} transitions/s filling, ${rate(steadyRate)}/s when full (with continuity check)`,
  );
  console.log(
    `  sample(${batchSize})           mean ${mean.toFixed(4)} ms, median ${times[samples >> 1].toFixed(4)} ms, p99 ${times[Math.floor(samples * 0.99)].toFixed(4)} ms over ${samples} calls`,
  );
  console.log(
    `                       CPU time per sample + update: ${cpuMsPerCall.toFixed(4)} ms (wall-clock tails are other processes on the machine)`,
  );
  if (kind === 'prioritized')
    console.log(`  updatePriorities(${batchSize}) mean ${(updateMs / samples).toFixed(4)} ms`);
  if (options.snapshot !== '' && kind === 'uniform') {
    const path = join(options.snapshot, 'bench-replay-snapshot.bin');
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const t0 = performance.now();
    await saveReplaySnapshot(path, buffer, { rng });
    clearInterval(timer);
    const size = (await stat(path)).size;
    console.log(
      `  snapshot save        ${((performance.now() - t0) / 1000).toFixed(1)} s for ${formatBytes(size)}, RSS peak +${formatBytes(Math.max(0, peak - before))} while saving`,
    );
  }
}

/** Loads a snapshot written by the uniform run, in a fresh process so only one buffer is in memory. */
async function load(path: string): Promise<void> {
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const { buffer } = await loadReplaySnapshot(path);
  const seconds = (performance.now() - t0) / 1000;
  const grown = process.memoryUsage().rss - before;
  console.log(
    `  snapshot load        ${seconds.toFixed(1)} s, ${buffer.size} transitions, RSS +${formatBytes(grown)}`,
  );
  await rm(path);
}

const options = parseArgs(process.argv.slice(2));
console.log(`bench-replay on ${process.platform} ${process.arch}, Node ${process.version}`);
if (options.load !== '') {
  await load(options.load);
} else if (options.sampler === 'both') {
  for (const kind of ['uniform', 'prioritized'] as const) {
    const args = process.argv
      .slice(2)
      .filter((_, i, all) => all[i] !== '--sampler' && all[i - 1] !== '--sampler');
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...args, '--sampler', kind],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
    process.stdout.write(child.stdout.split('\n').slice(1).join('\n'));
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
  if (options.snapshot !== '') {
    const path = join(options.snapshot, 'bench-replay-snapshot.bin');
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), '--load', path],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      },
    );
    process.stdout.write(child.stdout.split('\n').slice(1).join('\n'));
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
} else {
  await run(options, options.sampler);
}
