/**
 * Env throughput on one core (`npm run bench:envs`):
 *
 * - raw frames/s of every registered env with the observation rendered on every step: pixel games
 *   as AtariEnv with frameskip 1 and obsType rgb (one step = one emulator frame + a 160x210 RGB
 *   observation), CartPole-v1 as registered (a step returns its 4-float observation), and CartPole
 *   with its 600x400 RGB render() every step;
 * - φ observations/s of every pixel game through makeAtari's full stack (4 frames, max of 2,
 *   grayscale, 84x84, no-op/fire resets, 4-frame stack);
 * - the cost of φ's parts and of FrameStack's update (in-place 32-bit word shift vs a plain per-pixel
 *   shift of the 4 frames).
 *
 * Rates are per CPU-second of this process (process.cpuUsage), so other work on the machine does
 * not count against them: each is the rate of one core. Random actions from a seeded Rng.
 *
 * Usage: npx tsx scripts/bench-envs.ts [--seconds 1.5] [--ids Pong-v0,CartPole-v1]
 */
import os from 'node:os';
import type { AtariEnv } from '../envs/atari/atari-env.js';
import type { Env } from '../envs/core.js';
import { makeAtari } from '../envs/make-atari.js';
import { maxPool } from '../envs/preprocess/max-pool.js';
import { AreaResizer } from '../envs/preprocess/resize-area.js';
import { createRegistry } from '../envs/registry.js';
import { Box, Discrete } from '../envs/spaces.js';
import { AtariPreprocessing } from '../envs/wrappers/atari-preprocessing.js';
import { FrameStack } from '../envs/wrappers/frame-stack.js';
import { Rng } from '../src/util/rng.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const SECONDS = Number(arg('seconds') ?? 1.5);

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Calls `batch` (which does `n` units of work) until `seconds` of CPU time pass; returns units per CPU-second. */
function rate(batch: () => number, seconds = SECONDS): number {
  const warm = cpuSeconds();
  while (cpuSeconds() - warm < Math.min(0.3, seconds / 4)) batch();
  let units = 0;
  const start = cpuSeconds();
  let elapsed = 0;
  while (elapsed < seconds) {
    units += batch();
    elapsed = cpuSeconds() - start;
  }
  return units / elapsed;
}

/** Steps `env` with random actions, `n` steps a batch, resetting as episodes end. */
function stepper<Obs>(env: Env<Obs, number>, n: number, render = false): () => number {
  const rng = new Rng(1);
  const actions = (env.actionSpace as Discrete).n;
  env.reset({ seed: 1 });
  return () => {
    for (let i = 0; i < n; i++) {
      const r = env.step(rng.int(actions));
      if (render) env.render();
      if (r.terminated || r.truncated) env.reset();
    }
    return n;
  };
}

const fmt = (v: number): string => Math.round(v).toLocaleString('en-US').padStart(10);

const registry = createRegistry();
const only = arg('ids')?.split(',');
const ids = registry.ids().filter((id) => !only || only.includes(id));

console.log(
  `bench-envs: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, Node ${process.version}`,
);
console.log(`one core; rates per CPU-second of this process, ${SECONDS} s each\n`);
const us = (perSecond: number): string => (1e6 / perSecond).toFixed(1).padStart(8);
console.log(
  `${'env'.padEnd(18)} ${'raw frames/s'.padStart(13)} ${'φ obs/s'.padStart(10)} ${'φ alone/s'.padStart(10)} ${'tick µs'.padStart(8)} ${'gray µs'.padStart(8)}`,
);
for (const id of ids) {
  const spec = registry.spec(id);
  if (spec.kind === 'atari') {
    const raw = rate(stepper(registry.make(id, { frameskip: 1, obsType: 'rgb' }, 1), 200));
    const phi = rate(stepper(makeAtari(id, {}, 1), 50));
    const alone = rate(
      stepper(new AtariPreprocessing(registry.make(id, { frameskip: 1 }, 1) as AtariEnv), 50),
    );
    // The game's own share of a φ step: 4 emulated frames and 2 grayscale screens (AtariEnv).
    const atari = registry.make(id, { frameskip: 1, obsType: 'grayscale' }, 1) as AtariEnv;
    const rng = new Rng(2);
    atari.reset({ seed: 1 });
    const tick = rate(() => {
      for (let i = 0; i < 100; i++) {
        atari.emulateFrame(rng.int(atari.actionSpace.n));
        if (atari.isTerminated() || atari.isTruncated()) atari.reset();
      }
      return 100;
    }, 0.5);
    const screen = new Uint8Array(210 * 160);
    const gray = rate(() => {
      atari.grayscaleScreen(screen);
      return 1;
    }, 0.5);
    console.log(`${id.padEnd(18)} ${fmt(raw)}    ${fmt(phi)} ${fmt(alone)} ${us(tick)} ${us(gray)}`);
  } else {
    const raw = rate(stepper(registry.make(id, {}, 1), 2000));
    const rendered = rate(stepper(registry.make(id, {}, 1), 20, true));
    console.log(
      `${id.padEnd(18)} ${fmt(raw)}    ${'-'.padStart(10)}   (4-float obs; ${fmt(rendered).trim()} steps/s with a 600x400 RGB render() each)`,
    );
  }
}
console.log('raw: one emulator frame + a 160x210 RGB observation per step;');
console.log('φ obs/s: agent steps through the full makeAtari stack (its no-op and FIRE resets included);');
console.log(
  'φ alone/s: AtariPreprocessing steps only; tick: AtariEnv.emulateFrame; gray: AtariEnv.grayscaleScreen',
);
console.log('(draw + palette), 2 per φ step.');

// φ's own parts on one 210x160 frame, and FrameStack's update on 84x84x4.
console.log('\nφ parts (µs per call):');
const a = new Uint8Array(210 * 160).map((_, i) => (i * 7) & 255);
const b = a.map((v, i) => (i % 97 === 0 ? 255 - v : v)); // consecutive frames differ in a few pixels
const pooled = new Uint8Array(210 * 160);
const out84 = new Uint8Array(84 * 84);
const resizer = new AreaResizer({ srcWidth: 160, srcHeight: 210, dstWidth: 84, dstHeight: 84 });
const parts: [string, () => number][] = [
  [
    'maxPool 210x160',
    () => {
      maxPool(a, b, pooled);
      return 1;
    },
  ],
  [
    'resize INTER_AREA 210x160 → 84x84',
    () => {
      resizer.resize(a, out84);
      return 1;
    },
  ],
];
for (const [name, f] of parts) console.log(`  ${name.padEnd(36)} ${us(rate(f, 0.5))}`);

/** A frame source for FrameStack: a constant 84x84 frame. */
const frameEnv: Env<Uint8Array, number> = {
  observationSpace: new Box(0, 255, [84, 84], 'uint8'),
  actionSpace: new Discrete(1),
  reset: () => ({ obs: out84, info: {} }),
  step: () => ({ obs: out84, reward: 0, terminated: false, truncated: false, info: {} }),
  render: () => ({ width: 1, height: 1, data: new Uint8Array(3) }),
  close: () => {},
};
const stack4 = new FrameStack(frameEnv, 4);
const stack3 = new FrameStack(frameEnv, 3);
stack4.reset();
stack3.reset();
const plain = new Uint8Array(84 * 84 * 4);
const plainShift = (): number => {
  // The byte-wise shift of 4 frames, unrolled: 3 moves and 1 write per pixel.
  for (let p = 0, base = 0; p < 84 * 84; p++, base += 4) {
    plain[base] = plain[base + 1];
    plain[base + 1] = plain[base + 2];
    plain[base + 2] = plain[base + 3];
    plain[base + 3] = out84[p];
  }
  return 1;
};
const stackStep = (s: FrameStack<Uint8Array, number>) => (): number => {
  s.step(0);
  return 1;
};
console.log(`  ${`FrameStack(4) step (${stack4.method})`.padEnd(36)} ${us(rate(stackStep(stack4), 0.5))}`);
console.log(`  ${`FrameStack(3) step (${stack3.method})`.padEnd(36)} ${us(rate(stackStep(stack3), 0.5))}`);
console.log(`  ${'  vs an unrolled byte shift of 4'.padEnd(36)} ${us(rate(plainShift, 0.5))}`);
