/**
 * Why the rollout workers never transfer (detach) an ArrayBuffer: the first buffer detached in a
 * thread — by a transfer list, `structuredClone(x, { transfer })`, or a WebAssembly memory that
 * grows — invalidates V8's "no array buffer was ever detached" protector for that thread, and its
 * optimized code then checks every typed-array access for detachment. The pixel games' φ (resize,
 * grayscale, max-pool) is typed-array code through and through.
 *
 *   npx tsx scripts/bench-detach.ts [--how transfer|grow] [--game Pong-v0] [--seconds 2]
 *
 * Steps 8 envs through makeAtari for `seconds`, detaches one 8-byte buffer (or grows a wasm
 * memory by one page), then steps them again, printing µs per env step before and after.
 */
import { parseArgs } from 'node:util';
import { makeAtari } from '../envs/make-atari.js';
import { Rng } from '../src/util/rng.js';

const { values } = parseArgs({
  options: {
    how: { type: 'string', default: 'transfer' },
    game: { type: 'string', default: 'Pong-v0' },
    seconds: { type: 'string', default: '2' },
  },
});
const how = values.how as string;
if (how !== 'transfer' && how !== 'grow') {
  throw new Error(`bench-detach: --how must be transfer or grow, got '${how}'`);
}
const envs = Array.from({ length: 8 }, (_, i) => makeAtari(values.game as string, {}, i));
for (const env of envs) env.reset();
const rng = new Rng(1);
const n = (envs[0].actionSpace as unknown as { n: number }).n;

/** µs per env step over `ms` milliseconds. */
function measure(ms: number): number {
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < ms) {
    for (const env of envs) {
      const r = env.step(rng.int(n));
      if (r.terminated || r.truncated) env.reset();
      steps++;
    }
  }
  return (1000 * (performance.now() - t0)) / steps;
}

const ms = Number(values.seconds) * 1000;
measure(1000); // warm-up
const before = measure(ms);
if (how === 'transfer') {
  const buffer = new ArrayBuffer(8);
  structuredClone(buffer, { transfer: [buffer] });
} else {
  // WebAssembly is a global of Node; this project's `lib` (ES2022, no DOM) does not declare it.
  const { WebAssembly: wasm } = globalThis as unknown as {
    WebAssembly: { Memory: new (d: { initial: number; maximum: number }) => { grow(pages: number): number } };
  };
  new wasm.Memory({ initial: 1, maximum: 2 }).grow(1);
}
measure(1000); // re-optimization after the deopt
const after = measure(ms);
console.log(
  `${values.game}, 8 envs through φ: ${before.toFixed(0)} µs per env step before, ${after.toFixed(0)} after one ${how === 'transfer' ? 'transferred buffer' : 'wasm memory grow'} (${((100 * (after - before)) / before).toFixed(0)}%)`,
);
