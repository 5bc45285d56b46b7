/**
 * Opt-in: the threaded-SIMD wasm build in Node, so XNNPACK's thread pool can use more than one
 * core. Off unless `initBackend({ threads: n > 1 })` asks for it; if anything here fails, the
 * caller loads the ordinary single-threaded build instead.
 *
 * tfjs disables this build in Node (WASM_HAS_MULTITHREAD_SUPPORT is false there, tfjs#3830)
 * because emscripten's pthread workers cannot start the way tfjs sets them up for browsers:
 * - tfjs hands emscripten a blob: URL for the worker script, which Node's Worker cannot load.
 *   Here URL.createObjectURL answers, during initialisation only, with a temporary .cjs file
 *   holding the same worker script;
 * - the worker then loads the main script from a Blob, which Node cannot import either; the
 *   file written here loads it from its path in node_modules instead;
 * - tfjs caps the pool at logical cores ÷ 2 (1 on a 2-core machine), reading the core count
 *   through os.cpus(); during initialisation os.cpus() reports enough cores for `threads`;
 * - emscripten keeps its pthread workers referenced, so the process would never exit; they are
 *   unreferenced once the pool is up.
 * Every patch is undone in a `finally`. The gain measured in the issue was +40% on the Nature
 * CNN with 2 threads on an idle 2-core machine; on a busy machine threads can be slower.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The worker's branch that imports the main script from a URL or Blob, as emscripten emits it. */
const LOAD_MAIN_SCRIPT =
  'if(typeof e.data.urlOrBlob=="string"){importScripts(e.data.urlOrBlob)}else{var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)}';

interface PThreadWorkers {
  unusedWorkers: { unref(): void }[];
  runningWorkers: { unref(): void }[];
}

/** Writes the pthread worker script, patched to load the main script from its file. */
function writeWorkerScript(): string {
  const require = createRequire(import.meta.url);
  const mainScript = require.resolve(
    '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js',
  );
  const { wasmWorkerContents } =
    require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
      wasmWorkerContents: string;
    };
  // The exported text has raw newlines inside string literals; tfjs escapes them the same way.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  if (!source.includes(LOAD_MAIN_SCRIPT)) {
    throw new Error(
      'the threaded wasm worker script is not the one this patch was written for (tfjs-backend-wasm 4.22)',
    );
  }
  const path = join(tmpdir(), `pixelrl-tfjs-wasm-worker-${process.pid}.cjs`);
  writeFileSync(path, source.replace(LOAD_MAIN_SCRIPT, `importScripts(${JSON.stringify(mainScript)});`));
  // Emscripten may start more workers later from the same file, so it lives as long as the process.
  process.once('exit', () => rmSync(path, { force: true }));
  return path;
}

/**
 * Initialises tfjs' wasm backend from its threaded-SIMD build with `threads` XNNPACK threads.
 * Must run before the wasm backend is first initialised. Throws if the build does not start.
 */
export async function setBackendWasmThreaded(threads: number): Promise<void> {
  if (!(Number.isInteger(threads) && threads > 1)) {
    throw new Error(`threaded wasm needs an integer thread count above 1, got ${threads}`);
  }
  if (tf.findBackend('wasm') !== null) {
    throw new Error(
      'the wasm backend is already initialised single-threaded; ask for threads at the first initBackend',
    );
  }
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const workerScript = writeWorkerScript();
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  const patchedOs = os as { cpus: typeof os.cpus };
  try {
    URL.createObjectURL = () => workerScript;
    patchedOs.cpus = () => {
      const list = realCpus();
      while (list.length < 2 * threads) list.push(list[0]);
      return list;
    };
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    if (!(await tf.setBackend('wasm'))) {
      throw new Error('the threaded wasm build did not initialise');
    }
  } finally {
    URL.createObjectURL = realCreateObjectURL;
    patchedOs.cpus = realCpus;
  }
  const pthread = (tf.backend() as unknown as { wasm: { PThread?: PThreadWorkers } }).wasm.PThread;
  if (pthread === undefined) {
    throw new Error('the wasm backend started without pthreads');
  }
  for (const worker of [...pthread.unusedWorkers, ...pthread.runningWorkers]) worker.unref();
}
