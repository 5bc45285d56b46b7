/**
 * The piscina worker of ThreadedVecEnv: holds one EnvSlice (its envs, full wrapper stack included)
 * for its whole life and answers the WorkerRequest union (messages.ts) on the MessagePort that its
 * one piscina task, `ServeTask`, brings; the task resolves when the worker has answered 'close'.
 *
 * Its envs live in this module's scope on purpose: a worker thread has its own module instance,
 * so this state is private to the thread (ThreadedVecEnv runs one piscina pool of one thread per
 * slice, so every task of a slice reaches the thread that holds it).
 *
 * Observations go straight into the parent's SharedArrayBuffer (one copy, env buffer → shared
 * memory). Nothing is ever transferred (detached): the first ArrayBuffer detached in a thread
 * invalidates V8's "no buffer was ever detached" protector, after which every typed-array access in
 * that thread's optimized code checks for detachment — the pixel games' φ (resize, grayscale,
 * max-pool) then ran ~20% slower. The small per-step arrays and the rare `finalObs` copies are
 * cloned instead (a few µs).
 */
import { typedArrayOf } from './env-recipe.js';
import { EnvSlice } from './env-slice.js';
import type {
  InitRequest,
  PortReply,
  PortRequest,
  ServeDone,
  ServeTask,
  WorkerReply,
  WorkerRequest,
} from './messages.js';

interface WorkerState {
  slice: EnvSlice | null;
}

const held: WorkerState = { slice: null };

export default function serve(task: ServeTask): Promise<ServeDone> {
  const { port } = task;
  return new Promise((resolve) => {
    port.on('message', ({ id, request }: PortRequest) => {
      let message: PortReply;
      try {
        message = { id, reply: handle(request) };
      } catch (e) {
        message = { id, error: e instanceof Error ? e.message : String(e) };
      }
      port.postMessage(message);
      if (request.kind === 'close') {
        port.close();
        resolve({ kind: 'served' });
      }
    });
  });
}

/** The reply to one request. */
function handle(request: WorkerRequest): WorkerReply {
  switch (request.kind) {
    case 'init':
      return init(request);
    case 'reset':
      return { kind: 'reset', infos: sliceOf().reset(request.seeds) };
    case 'step': {
      const r = sliceOf().step(request.actions);
      return {
        kind: 'stepped',
        rewards: r.rewards,
        terminated: r.terminated,
        truncated: r.truncated,
        infos: r.infos,
      };
    }
    case 'close':
      held.slice?.close();
      held.slice = null;
      return { kind: 'closed' };
  }
}

function init(request: InitRequest): WorkerReply {
  if (held.slice) throw new Error(`worker ${request.workerIndex} was initialised twice`);
  const { shared, dtype, obsSize, start, seeds, workerIndex } = request;
  const bytes = obsSize * typedArrayOf(dtype, 0).BYTES_PER_ELEMENT;
  const obsOut = typedArrayOf(dtype, seeds.length * obsSize, shared, start * bytes);
  const progress = new Int32Array(shared, request.progressByteOffset + 4 * workerIndex, 1);
  const slice = new EnvSlice({
    recipe: request.recipe,
    start,
    seeds,
    generations: request.generations,
    obsOut,
    obsSize,
    workerIndex,
    onEnvStart: (envIndex) => Atomics.store(progress, 0, envIndex),
  });
  held.slice = slice;
  return { kind: 'ready', infos: request.reset ? slice.resetFresh() : [] };
}

function sliceOf(): EnvSlice {
  if (!held.slice) throw new Error('worker got a request before init');
  return held.slice;
}
