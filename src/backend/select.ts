/**
 * Chooses the tfjs backend once, at program start (DESIGN.md, "Tensor backend").
 *
 * Order when nothing is asked for: `tensorflow` from `@tensorflow/tfjs-node-gpu` (CUDA) →
 * `tensorflow` from `@tensorflow/tfjs-node` (CPU) → `wasm` → `cpu`. `PIXELRL_BACKEND` or the
 * `backend` option names one instead; then only that one is tried, and failing to load it is an
 * error rather than a silent fallback (a user who asks for a GPU wants to know they did not get it).
 *
 * The native packages are optional dependencies that download libtensorflow on install; they are
 * loaded with a dynamic `import()` of a computed name so that neither TypeScript nor a bundler
 * requires them. Nothing happens on import of this module: call {@link initBackend}.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { registerCpuKernels } from './cpu-kernels.js';
import { registerWasmKernels } from './wasm/register.js';
import { setBackendWasmThreaded } from './wasm/threads.js';

/** The backends pixelrl can run on (tfjs' registry names). */
export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface InitBackendOptions {
  /** Backend to use; overrides `PIXELRL_BACKEND`. Unset: the best one that loads. */
  backend?: BackendName;
  /**
   * Threads for the wasm backend's XNNPACK pool. Unset or 1: the single-threaded SIMD build
   * (the default). Above 1: pixelrl starts tfjs' threaded-SIMD build, which tfjs does not load
   * in Node by itself (tfjs#3830; see wasm/threads.ts); if that fails, the single-threaded build
   * loads and the log says why. Applies only to the first initialisation of wasm in a process.
   */
  threads?: number;
  /** Where to write the one-line-per-fact account of the choice (a run's log). */
  log?: (line: string) => void;
}

export interface BackendInfo {
  /** The backend now active in tfjs. */
  name: BackendName;
  /** Why this one: asked for by option/env, or the first in the preference order that loaded. */
  chosenBecause: string;
  /** Backends tried before it (or not tried) and why they were not used. */
  skipped: { name: string; reason: string }[];
  /** Threads the backend computes with (1 for `cpu` and for non-threaded wasm). */
  threads: number;
  /** Whether wasm runs its SIMD binary (always false for other backends). */
  simd: boolean;
  /** Package versions: tfjs parts, and the native or wasm backend when loaded. */
  versions: Record<string, string>;
}

interface Candidate {
  /** Label in logs: `tensorflow (gpu)`, `tensorflow (cpu)`, `wasm`, `cpu`. */
  label: string;
  backend: BackendName;
  /** Makes the backend active; throws with the reason if it cannot. Returns extra versions. */
  load: (opts: InitBackendOptions, log: (line: string) => void) => Promise<Record<string, string>>;
}

/** Parses a backend name from the CLI or the environment, with an error that lists the valid ones. */
export function parseBackendName(name: string, source = 'backend'): BackendName {
  const lower = name.trim().toLowerCase();
  if ((BACKEND_NAMES as readonly string[]).includes(lower)) {
    return lower as BackendName;
  }
  throw new Error(`unknown ${source} '${name}': use one of ${BACKEND_NAMES.join(', ')}`);
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 200);
}

async function loadNative(pkg: string): Promise<Record<string, string>> {
  let mod: { version?: Record<string, string> | string };
  try {
    // A computed specifier: TypeScript and bundlers must not resolve these optional packages.
    mod = (await import(pkg)) as typeof mod;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(`${pkg} is not installed (optional; it downloads libtensorflow on install)`);
    }
    throw err;
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new Error(`${pkg} loaded but the 'tensorflow' backend did not initialise`);
  }
  const version = typeof mod.version === 'string' ? mod.version : (mod.version?.['tfjs-node'] ?? 'unknown');
  return { [pkg.replace('@tensorflow/', '')]: version };
}

async function loadWasm(
  opts: InitBackendOptions,
  log: (line: string) => void,
): Promise<Record<string, string>> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (opts.threads !== undefined && opts.threads > 1 && tf.findBackend('wasm') === null) {
    try {
      await setBackendWasmThreaded(opts.threads);
    } catch (err) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      log(`backend: threaded wasm did not start (${errorText(err)}); loading the single-threaded build`);
    }
  }
  if (tf.getBackend() !== 'wasm' && !(await tf.setBackend('wasm'))) {
    throw new Error('the wasm backend did not initialise (is the .wasm binary next to the package?)');
  }
  registerWasmKernels();
  return { 'tfjs-backend-wasm': wasm.version_wasm };
}

async function loadCpu(): Promise<Record<string, string>> {
  if (!(await tf.setBackend('cpu'))) {
    throw new Error('the cpu backend did not initialise');
  }
  registerCpuKernels();
  return {};
}

const CANDIDATES: readonly Candidate[] = [
  { label: 'tensorflow (gpu)', backend: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node-gpu') },
  { label: 'tensorflow (cpu)', backend: 'tensorflow', load: () => loadNative('@tensorflow/tfjs-node') },
  { label: 'wasm', backend: 'wasm', load: loadWasm },
  { label: 'cpu', backend: 'cpu', load: loadCpu },
];

async function describe(
  name: BackendName,
  chosenBecause: string,
  skipped: BackendInfo['skipped'],
  extraVersions: Record<string, string>,
): Promise<BackendInfo> {
  let threads = 1;
  let simd = false;
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    threads = Math.max(1, wasm.getThreadsCount());
    simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  } else if (name === 'tensorflow') {
    // libtensorflow sizes its intra-op pool to the cores it sees.
    threads = availableParallelism();
  }
  const versions: Record<string, string> = {
    'tfjs-core': tf.version_core,
    'tfjs-layers': tf.version_layers,
    'tfjs-backend-cpu': tf.version_cpu,
    ...extraVersions,
  };
  return { name, chosenBecause, skipped, threads, simd, versions };
}

/**
 * Makes one backend active and says which and why. Call once at program start; calling again
 * with the same request re-activates the same backend (cheap), so tests may call it freely.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? (() => {});
  const fromEnv = process.env.PIXELRL_BACKEND;
  let requested: BackendName | undefined = opts.backend;
  let source = 'the backend option';
  if (requested !== undefined) {
    requested = parseBackendName(requested, 'backend');
  } else if (fromEnv !== undefined && fromEnv.trim() !== '') {
    requested = parseBackendName(fromEnv, 'PIXELRL_BACKEND');
    source = `PIXELRL_BACKEND=${fromEnv}`;
  }

  const skipped: BackendInfo['skipped'] = [];
  const candidates = CANDIDATES.filter((c) => requested === undefined || c.backend === requested);
  for (const c of CANDIDATES) {
    if (!candidates.includes(c)) skipped.push({ name: c.label, reason: `not requested (${source})` });
  }
  const failures: string[] = [];
  for (const c of candidates) {
    try {
      const extra = await c.load(opts, log);
      const because =
        requested !== undefined
          ? `requested by ${source}`
          : failures.length === 0
            ? 'first in preference order (tensorflow-gpu → tensorflow → wasm → cpu)'
            : `best that loaded (tensorflow-gpu → tensorflow → wasm → cpu)`;
      const info = await describe(c.backend, because, skipped, extra);
      for (const s of skipped) log(`backend: skipped ${s.name}: ${s.reason}`);
      log(`backend: using ${c.label} (${because}); threads ${info.threads}, simd ${info.simd}`);
      if (c.backend === 'wasm' && opts.threads !== undefined && opts.threads !== info.threads) {
        log(`backend: ${opts.threads} threads requested, wasm runs ${info.threads}`);
      }
      return info;
    } catch (err) {
      const reason = errorText(err);
      failures.push(`${c.label}: ${reason}`);
      skipped.push({ name: c.label, reason });
    }
  }
  throw new Error(
    `could not load the ${requested ?? 'any'} backend (${failures.join('; ')}). ` +
      (requested === 'tensorflow'
        ? 'Install @tensorflow/tfjs-node (or -node-gpu), or choose wasm or cpu.'
        : 'Choose another backend with PIXELRL_BACKEND or --backend.'),
  );
}
