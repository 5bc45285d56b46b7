/**
 * The messages between ThreadedVecEnv and its worker threads: one discriminated union each way,
 * and the map from a request to its reply, so a `run(request)` is typed end to end.
 *
 * Transport: piscina starts each worker and runs one long task in it, `ServeTask`, which hands the
 * worker a MessagePort of its own; every request then goes over that port as a `PortRequest`
 * (numbered) and comes back as a `PortReply` with the same number. One port message each way per
 * step, instead of a piscina task per step, is what lets two threads stepping envs beat one (the
 * per-task bookkeeping of a pool cost ~10% of a pixel game's throughput on 2 threads). The serve task ends with the
 * thread: if the thread dies, piscina rejects it, and that is how the parent learns of the death.
 *
 * Shared memory (one SharedArrayBuffer per vector env, written by every worker, each in its own part):
 *
 *   bytes 0 ........................ obsBytes            progressByteOffset ... + 4 × numWorkers
 *   [ env 0 obs | env 1 obs | ... | env N-1 obs ] [pad] [ progress[0] | ... | progress[W-1] ]
 *     └──── worker 0 ────┘└─ worker 1 ─┘ ...              Int32: env being stepped, or -1
 *
 * Invariants: worker w writes only its envs' observations and progress[w]; the parent reads the
 * observations only between a reply and its next request (so no locks are needed: the message is
 * the fence), and reads progress[w] only after worker w has died or timed out.
 */
import type { MessagePort } from 'node:worker_threads';
import type { Info } from '../../envs/core.js';
import type { BoxDtype } from '../../envs/spaces.js';
import type { EnvRecipe } from './env-recipe.js';
import type { VecInfo } from './vec-env.js';

/** Builds the worker's envs. With `reset`, also resets each with its generation's seed (a restart). */
export interface InitRequest {
  kind: 'init';
  recipe: EnvRecipe;
  workerIndex: number;
  /** Global index of the worker's first env; the worker holds `seeds.length` envs. */
  start: number;
  /** Base seed of each of the worker's envs. */
  seeds: number[];
  /** Rebuild count of each of the worker's envs (0 on the first start). */
  generations: number[];
  shared: SharedArrayBuffer;
  dtype: BoxDtype;
  obsSize: number;
  progressByteOffset: number;
  reset: boolean;
}

/** Resets every env of the worker: with `seeds[k]` when a number, else continuing its RNG. */
export interface ResetRequest {
  kind: 'reset';
  seeds: (number | null)[];
}

/** Steps every env of the worker once (one message per worker per step: the batch is the unit). */
export interface StepRequest {
  kind: 'step';
  actions: Int32Array;
}

export interface CloseRequest {
  kind: 'close';
}

export type WorkerRequest = InitRequest | ResetRequest | StepRequest | CloseRequest;

export interface ReadyReply {
  kind: 'ready';
  /** Infos of the restart's reset, when the init asked for one. */
  infos: Info[];
}

export interface ResetReply {
  kind: 'reset';
  infos: Info[];
}

/** A step's results for the worker's envs (observations are already in shared memory). */
export interface SteppedReply {
  kind: 'stepped';
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  infos: VecInfo[];
}

export interface ClosedReply {
  kind: 'closed';
}

export type WorkerReply = ReadyReply | ResetReply | SteppedReply | ClosedReply;

/** The reply each request kind gets. */
export interface ReplyOf {
  init: ReadyReply;
  reset: ResetReply;
  step: SteppedReply;
  close: ClosedReply;
}

/** The one piscina task of a worker: answer requests on `port` until a 'close' request. */
export interface ServeTask {
  kind: 'serve';
  port: MessagePort;
}

/** The serve task's result, once the worker has answered 'close'. */
export interface ServeDone {
  kind: 'served';
}

/** A request on the worker's port; the reply carries the same `id`. */
export interface PortRequest {
  id: number;
  request: WorkerRequest;
}

/** A reply on the worker's port: the request's reply, or the message of the error it threw. */
export type PortReply = { id: number; reply: WorkerReply } | { id: number; error: string };
