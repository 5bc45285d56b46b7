/**
 * Fuzzing what a user hands pixelrl (issue 14's acceptance): 200 mutated copies of the bundled
 * run directories are loaded, and 100 random --config files are turned into runs. Every case
 * must end in an Error whose message names a file or a setting, or in a correct load / run;
 * never a stack trace or an internal TypeError, a hang (per-case timeout), a read outside the
 * case's directory, or memory above a bound. Seeded and bounded: a failure reproduces with the
 * printed case number.
 */
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/util/rng.js';

/** Paths the code under test opened for reading (node:fs and node:fs/promises). */
const { opened, recordFirst } = vi.hoisted(() => {
  const opened: string[] = [];
  const recordFirst = <F extends (...args: never[]) => unknown>(f: F): F =>
    ((...args: Parameters<F>) => {
      const path = args[0] as unknown;
      if (typeof path === 'string') opened.push(path);
      return f(...args);
    }) as F;
  return { opened, recordFirst };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const m = await importOriginal<typeof import('node:fs/promises')>();
  const wrapped = { ...m, open: recordFirst(m.open), readFile: recordFirst(m.readFile) };
  return { ...wrapped, default: wrapped };
});
vi.mock('node:fs', async (importOriginal) => {
  const m = await importOriginal<typeof import('node:fs')>();
  const wrapped = {
    ...m,
    readFileSync: recordFirst(m.readFileSync),
    openSync: recordFirst(m.openSync),
    createReadStream: recordFirst(m.createReadStream),
  };
  return { ...wrapped, default: wrapped };
});

const { initBackend } = await import('../../src/backend/select.js');
const { loadAgent } = await import('../../src/train/load-agent.js');
const { configFromFlags } = await import('../../src/cli/commands/train.js');
const { runDqn } = await import('../../src/train/run-dqn.js');

const root = mkdtempSync(join(tmpdir(), 'pixelrl-fuzz-'));
const bundled = join(import.meta.dirname, '..', '..', 'checkpoints', 'bundled');
/** A file outside every case's directory that a mutation may point at. */
const outside = join(root, 'outside.bin');
const MEMORY_BOUND = 2.5 * 1024 ** 3;
const CASE_MS = 10_000;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  writeFileSync(outside, Buffer.alloc(270_344, 1));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Messages that betray an unchecked input rather than a check that said what was wrong. */
const INTERNAL =
  /Cannot (read|convert|set)|is not (a function|iterable|defined)|undefined|null to object|Invalid array length|out of bounds|Maximum call stack|\n\s+at /;

async function withTimeout<T>(what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`HANG: ${what} took over ${CASE_MS} ms`)), CASE_MS);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const info = lstatSync(p);
    // Links made by an earlier mutation are not picked again (reading /dev/zero never ends).
    if (info.isDirectory()) out.push(...filesUnder(p));
    else if (info.isFile()) out.push(p);
  }
  return out;
}

/** The values a JSON mutation writes. */
const VALUES: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  1e12,
  2 ** 53,
  '',
  'x',
  '../../outside.bin',
  '/proc/self/environ',
  '/dev/zero',
  'agent.target',
  [],
  [1, 2],
  {},
  { a: 1 },
  'NaN',
];

/** All paths into a JSON value (arrays and objects), for picking one to change. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value))
    value.forEach((v, i) => {
      out.push(...paths(v, [...prefix, i]));
    });
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function mutateJson(text: string, rng: Rng): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  const all = paths(value).filter((p) => p.length > 0);
  if (all.length === 0) return JSON.stringify(VALUES[rng.int(VALUES.length)]);
  const path = all[rng.int(all.length)];
  let parent = value as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const r = rng.float();
  if (r < 0.15 && !Array.isArray(parent)) delete parent[last];
  else if (r < 0.25 && !Array.isArray(parent)) parent[`${String(last)}x`] = VALUES[rng.int(VALUES.length)];
  else parent[last] = VALUES[rng.int(VALUES.length)];
  return JSON.stringify(value);
}

/** One random change to one file of `dir`. */
function mutate(dir: string, rng: Rng): string {
  const files = filesUnder(dir).filter((f) => !f.endsWith('.csv'));
  const file = files[rng.int(files.length)];
  const name = relative(dir, file);
  const kind = rng.int(10);
  const bytes = readFileSync(file);
  switch (kind) {
    case 0:
      truncateSync(file, rng.int(Math.max(1, bytes.byteLength)));
      return `truncate ${name}`;
    case 1:
      for (let i = 0; i < 1 + rng.int(8); i++) bytes[rng.int(bytes.byteLength || 1)] ^= 1 << rng.int(8);
      writeFileSync(file, bytes);
      return `flip bits in ${name}`;
    case 2:
      unlinkSync(file);
      return `delete ${name}`;
    case 3:
      unlinkSync(file);
      mkdirSync(file);
      return `folder instead of ${name}`;
    case 4:
      unlinkSync(file);
      symlinkSync(rng.float() < 0.5 ? '/dev/zero' : outside, file);
      return `link ${name} out`;
    case 5:
      writeFileSync(file, Buffer.concat([bytes, Buffer.alloc(1 + rng.int(64), 7)]));
      return `append to ${name}`;
    default:
      if (!name.endsWith('.json')) {
        writeFileSync(file, Buffer.alloc(0));
        return `empty ${name}`;
      }
      writeFileSync(file, mutateJson(bytes.toString('utf8'), rng));
      return `edit ${name}`;
  }
}

function expectCleanError(err: unknown, what: string, names: RegExp): void {
  expect(err, what).toBeInstanceOf(Error);
  const message = (err as Error).message;
  expect(message, what).not.toMatch(INTERNAL);
  expect(message, what).toMatch(names);
}

/** The package's own tuned settings (hyperparams/<algo>.json), which `train` starts from: not user data. */
const SHIPPED_HYPERPARAMS = resolve(import.meta.dirname, '../../hyperparams');

function expectReadsInside(dir: string, what: string): void {
  const base = resolve(dir);
  const inside = (p: string, root: string) => p === root || p.startsWith(`${root}/`);
  const bad = opened
    .map((p) => resolve(p))
    .filter((p) => !inside(p, base) && !inside(p, SHIPPED_HYPERPARAMS));
  expect(bad, what).toEqual([]);
}

describe('fuzz: mutated run directories', () => {
  it('200 cases: a correct load or an error naming a file', async () => {
    const rng = new Rng(20261203);
    let loaded = 0;
    for (let c = 0; c < 200; c++) {
      const base = c % 4 === 3 ? 'catch-dqn' : 'cartpole-dqn';
      const dir = join(root, `run-${c}`);
      cpSync(join(bundled, base), dir, { recursive: true });
      const changes = Array.from({ length: 1 + rng.int(3) }, () => mutate(dir, rng));
      const what = `case ${c} (${base}: ${changes.join('; ')})`;
      opened.length = 0;
      try {
        const agent = await withTimeout(what, loadAgent(dir));
        agent.dispose();
        loaded++;
      } catch (err) {
        expect((err as Error).message, what).not.toMatch(/^HANG/);
        expectCleanError(err, what, /\/run-\d+|config\.json|manifest|checkpoint|\.bin|model\.json/);
      }
      expectReadsInside(dir, what);
      expect(process.memoryUsage().rss, what).toBeLessThan(MEMORY_BOUND);
      rmSync(dir, { recursive: true, force: true });
    }
    // Some mutations are harmless (a changed savedAt, a flipped weight bit without checksums).
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(200);
  });
});

/** Setting names an error about a config may name. */
const SETTING =
  /--config|--net|env|steps|seed|numEnvs|workers|eval\w*|logInterval|checkpointInterval|saveReplay|frameSize|dqn|DQN setting|bufferSize|nStep|historyLength|learning rate|run setting|not a JSON object|JSON/;

describe('fuzz: random --config files', () => {
  it('100 cases: a run, or one clear error naming the setting', async () => {
    const rng = new Rng(14);
    const base = {
      env: 'CartPole-v1',
      steps: 96,
      seed: 1,
      evalInterval: 48,
      evalEpisodes: 1,
      checkpointInterval: 48,
      dqn: { net: '[8,relu]', bufferSize: 300, learningStarts: 16, batchSize: 8, trainFrequency: 4 },
    };
    let ran = 0;
    for (let c = 0; c < 100; c++) {
      let text = JSON.stringify(base);
      for (let m = 0; m < 1 + rng.int(3); m++) text = mutateJson(text, rng);
      if (rng.float() < 0.05) text = text.slice(0, rng.int(text.length));
      const file = join(root, `config-${c}.json`);
      writeFileSync(file, text);
      const runDir = join(root, `cfg-run-${c}`);
      const what = `config case ${c}: ${text}`;
      opened.length = 0;
      try {
        const config = configFromFlags({ algo: 'dqn', progress: 'off', config: file });
        // Runs are cut at 64 steps: the case is about settings, not learning.
        await withTimeout(what, runDqn({ runDir, config, progress: 'off', stopAtStep: 64 }));
        ran++;
      } catch (err) {
        expect((err as Error).message, what).not.toMatch(/^HANG/);
        expectCleanError(err, what, SETTING);
      }
      expectReadsInside(root, what);
      expect(process.memoryUsage().rss, what).toBeLessThan(MEMORY_BOUND);
      rmSync(runDir, { recursive: true, force: true });
    }
    expect(ran).toBeGreaterThan(0);
  });
});
