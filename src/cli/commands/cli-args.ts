/**
 * Argument parsers and path helpers shared by the commands: commander calls the parsers, and an
 * InvalidArgumentError becomes a one-line message with exit code 2.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES, type BackendName, parseBackendName } from '../../backend/select.js';
import { DEVICES } from '../../engine/ort/session.js';
import { ENGINE_NAMES } from '../../engine/types.js';

/** Where run directories go. */
export const CHECKPOINTS_DIR = 'checkpoints';

/** Resolves a run name or path to its run directory. */
export function runDirOf(run: string): string {
  return run.includes('/') || run.startsWith('.') ? run : join(CHECKPOINTS_DIR, run);
}

/** A config field's flag name: `learningRate` → `learning-rate`. */
export function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** A parser of integers >= `min` for flag `name`. */
export function intArg(name: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be an integer >= ${min}`
          : `${name} must be an integer from ${min} to ${max}`,
      );
    }
    return n;
  };
}

/** A parser of numbers in [lo, hi] for flag `name`. */
export function rangeArg(name: string, lo: number, hi: number) {
  return (v: string): number => {
    const x = Number(v);
    if (v.trim() === '' || !(x >= lo && x <= hi))
      throw new InvalidArgumentError(`${name} must be in [${lo}, ${hi}]`);
    return x;
  };
}

/** The --backend parser (names as in `pixelrl train`). */
export function backendArg(v: string): BackendName {
  try {
    return parseBackendName(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export const BACKEND_HELP = `tfjs backend: ${BACKEND_NAMES.join(', ')} (default: best available)`;

/** Collects a repeatable flag's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * The root of the installed pixelrl package (the folder of its package.json), found from this
 * file: src/cli/commands/ when run with tsx, dist/src/cli/commands/ when built.
 */
export function packageRoot(): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'pixelrl') return dir;
      } catch {
        // not ours; keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/**
 * The run directory that `run` names: a path to a run directory or to its `checkpoint/` folder,
 * a run name under checkpoints/, or a bundled agent (checkpoints/bundled/<name>). Relative
 * paths that do not exist here are also looked up in the installed package, so that
 * `pixelrl play checkpoints/bundled/catch-dqn` works from any folder after `npm install`.
 * Returns the first candidate that exists, or the plain reading of `run` (whose load then fails
 * with a message naming it).
 */
export function resolveRunDir(run: string): string {
  const plain = runDirOf(run);
  const candidates = [plain, join(CHECKPOINTS_DIR, 'bundled', run)];
  const root = packageRoot();
  if (root && !run.startsWith('/')) {
    candidates.push(join(root, plain), join(root, CHECKPOINTS_DIR, 'bundled', run));
  }
  for (const c of candidates) {
    if (!isDir(c)) continue;
    // A checkpoint folder names its run: <run>/checkpoint or <run>/checkpoint.old.
    const name = basename(resolve(c));
    if ((name === 'checkpoint' || name === 'checkpoint.old') && existsSync(join(c, 'manifest.json'))) {
      return dirname(c);
    }
    return c;
  }
  return plain;
}

/** `--engine`, `--device` and `--threads`, for the commands that run a network (`train`, `actor`). */
export function addEngineFlags(cmd: Command, what: string): Command {
  return cmd
    .addOption(
      new Option('--engine <name>', `${what} (default: ort where onnxruntime-node loads, else tfjs)`).choices(
        [...ENGINE_NAMES, 'auto'],
      ),
    )
    .addOption(new Option('--device <name>', 'where the ort engine runs (default cpu)').choices([...DEVICES]))
    .option(
      '--threads <n>',
      "compute threads (default 1): ORT's intra-op threads, or on the tfjs engine the wasm backend's (its threaded build, opt-in)",
      intArg('--threads', 1),
    );
}
