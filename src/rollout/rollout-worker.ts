/**
 * The piscina worker of ThreadedVecEnv: holds one EnvSlice (its envs, full wrapper stack included)
 * for its whole life and answers the WorkerRequest union (messages.ts).
 *
 * Its envs live in this module's scope on purpose: a worker thread has its own module instance,
 * so this state is private to the thread (ThreadedVecEnv runs one piscina pool of one thread per
 * slice, so every task of a slice reaches the thread that holds it).
 *
 * Observations go straight into the parent's SharedArrayBuffer (one copy, env buffer → shared
 * memory). The small per-step arrays and, on episode ends, the `finalObs` copies are transferred,
 * not cloned.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { BoxArray } from '../../envs/spaces.js';
import { typedArrayOf } from './env-recipe.js';
import { EnvSlice } from './env-slice.js';
import type { InitRequest, WorkerReply, WorkerRequest } from './messages.js';

interface WorkerState {
  slice: EnvSlice | null;
}

const held: WorkerState = { slice: null };

/** A reply with the buffers piscina should transfer rather than copy. */
interface MovableReply {
  [transferableSymbol]: ArrayBuffer[];
  [valueSymbol]: WorkerReply;
}

export default function handle(request: WorkerRequest): WorkerReply | MovableReply {
  switch (request.kind) {
    case 'init':
      return init(request);
    case 'reset':
      return { kind: 'reset', infos: sliceOf().reset(request.seeds) };
    case 'step': {
      const r = sliceOf().step(request.actions);
      const transfer = [ownBuffer(r.rewards), ownBuffer(r.terminated), ownBuffer(r.truncated)];
      for (const info of r.infos) if (info.finalObs) transfer.push(ownBuffer(info.finalObs));
      const reply: WorkerReply = {
        kind: 'stepped',
        rewards: r.rewards,
        terminated: r.terminated,
        truncated: r.truncated,
        infos: r.infos,
      };
      // move() marks the object so piscina sends `reply` with `transfer` as its transfer list.
      const movable: MovableReply = { [transferableSymbol]: transfer, [valueSymbol]: reply };
      return move(movable) as MovableReply;
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

/** These arrays are fresh (`new`, or a `slice()` copy), so each owns its whole ArrayBuffer and can be transferred. */
function ownBuffer(a: BoxArray): ArrayBuffer {
  return a.buffer as ArrayBuffer;
}
