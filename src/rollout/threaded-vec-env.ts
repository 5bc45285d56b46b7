/**
 * ThreadedVecEnv: N envs spread over W worker threads (piscina), each thread stepping its fixed,
 * contiguous slice of envs with the same EnvSlice loop as SyncVecEnv, so that the same seed gives
 * the same streams.
 *
 *   parent                                   worker w (one per WorkerSlot, pinned)
 *   stepAsync(actions) ── step {actions[slice]} ─▶ EnvSlice.step: env.step, autoreset,
 *                                                  obs → SharedArrayBuffer[slice]
 *   stepWait()        ◀── stepped {rewards, flags, infos (+ finalObs copies)}
 *   obs = a view of the SharedArrayBuffer: no copy in the parent at all
 *
 * One message per worker per step (not per env) so a worker does enough work per message for the
 * ~70 µs round trip not to dominate; W defaults to the machine's available parallelism (capped at N),
 * so on a 16-core machine 16 threads each step N/16 envs while the parent thread only waits.
 * With `mainThreadSlice`, the parent steps a slice too (inside stepWait, after posting the step
 * requests): N is split over W + 1 slices and the default W is one less than the cores, so every
 * core steps envs and no thread contends with the parent for a core (what counts on 2 cores).
 *
 * Faults: a worker that dies (process.exit, crash), fails outside an env, or misses the step
 * deadline is terminated and restarted; all its envs are truncated (reward 0, finalObs = their last
 * observation in shared memory), rebuilt with their next generation's seed and reset; the fault names
 * the env it was stepping (read from shared memory). An env that merely throws is handled inside the
 * worker (env-slice.ts), without a restart. A worker that fails in `reset` is restarted the same way.
 * Each fault says how many restarts its worker has left; after `maxRestarts` restarts of one worker,
 * or when a restart itself fails, the vector env closes itself and the step (or reset) throws.
 */
import { availableParallelism } from 'node:os';
import type { Info } from '../../envs/core.js';
import type { Box, BoxArray, BoxDtype, Discrete } from '../../envs/spaces.js';
import { deriveSeeds } from '../util/rng.js';
import { BYTES_PER_ELEMENT, type EnvRecipe, recipeShape, typedArrayOf } from './env-recipe.js';
import { EnvSlice, type SliceStepResult } from './env-slice.js';
import type { SteppedReply } from './messages.js';
import type {
  FaultListener,
  VecEnv,
  VecEnvFault,
  VecResetOptions,
  VecResetResult,
  VecStepResult,
} from './vec-env.js';
import { checkActions, checkNumEnvs, VecEnvState } from './vec-env-state.js';
import { TimeoutError, WorkerSlot } from './worker-slot.js';

export interface ThreadedVecEnvArgs {
  /** The env to copy N times; built inside the workers (full wrapper stack, φ included). */
  recipe: EnvRecipe;
  /** N, the number of envs. */
  numEnvs: number;
  /**
   * Worker threads W; capped at N (at N − 1 with `mainThreadSlice`). Default:
   * `os.availableParallelism()`, or one less with `mainThreadSlice` (the calling thread is the other).
   */
  numWorkers?: number;
  /**
   * Also step a slice of envs in the calling thread, inside `stepWait`, while the workers step
   * theirs: N is split over W + 1 slices, the last one local. The calling thread would otherwise
   * only wait, so on a machine with few cores (2: one worker + the caller) this gives a core's work
   * without a third thread contending for two cores. Streams are unchanged (seeds are per env index).
   * Default false.
   */
  mainThreadSlice?: boolean;
  /** Env i is seeded with `deriveSeeds(seed, numEnvs)[i]` on the first reset. Default 0. */
  seed?: number;
  /** Called for every fault, after the affected envs have been rebuilt. */
  onFault?: FaultListener;
  /** Deadline for one step (or reset) of one worker; a worker that misses it is restarted. Default 30 s. */
  stepTimeoutMs?: number;
  /** Deadline for a worker to start and build its envs. Default 60 s. */
  startTimeoutMs?: number;
  /** Restarts allowed per worker before stepWait gives up and throws. Default 10. */
  maxRestarts?: number;
}

type Settled = { ok: true; reply: SteppedReply } | { ok: false; error: unknown };
type SettledReset = { ok: true; infos: Info[] } | { ok: false; error: unknown };

export class ThreadedVecEnv<O extends BoxArray = BoxArray> implements VecEnv<O> {
  readonly numEnvs: number;
  readonly numWorkers: number;
  readonly singleObservationSpace: Box<BoxDtype>;
  readonly singleActionSpace: Discrete;
  readonly obsSize: number;
  readonly obsShape: readonly number[];
  private readonly dtype: BoxDtype;
  private readonly shared: SharedArrayBuffer;
  private readonly obs: O;
  private readonly progress: Int32Array;
  private readonly progressByteOffset: number;
  private readonly slots: WorkerSlot[];
  /** The slice stepped in the calling thread (`mainThreadSlice`), after every worker's envs. */
  private readonly local: EnvSlice | null;
  private readonly localActions: Int32Array;
  private readonly generations: number[];
  private readonly restarts: number[];
  private readonly state = new VecEnvState('ThreadedVecEnv');
  private readonly stepTimeoutMs: number;
  private readonly maxRestarts: number;
  private seeds: number[];
  private inflight: Promise<Settled>[] = [];

  /** Starts the workers and builds every env; resolves once all are ready. */
  static async create<O extends BoxArray = BoxArray>(args: ThreadedVecEnvArgs): Promise<ThreadedVecEnv<O>> {
    const venv = new ThreadedVecEnv<O>(args);
    try {
      await Promise.all(venv.slots.map((slot) => venv.init(slot, false)));
    } catch (e) {
      await venv.close();
      throw new Error(`ThreadedVecEnv could not start its workers: ${(e as Error).message}`);
    }
    return venv;
  }

  private constructor(private readonly args: ThreadedVecEnvArgs) {
    this.numEnvs = checkNumEnvs(args.numEnvs);
    const withLocal = args.mainThreadSlice ?? false;
    const workers = args.numWorkers ?? Math.max(1, availableParallelism() - (withLocal ? 1 : 0));
    if (!Number.isInteger(workers) || workers < 1) {
      throw new Error(`numWorkers must be an integer >= 1, got ${workers}`);
    }
    // With a local slice, every slice (workers' and local) needs at least one env.
    this.numWorkers = Math.min(workers, withLocal ? this.numEnvs - 1 : this.numEnvs);
    this.stepTimeoutMs = positive('stepTimeoutMs', args.stepTimeoutMs ?? 30_000);
    positive('startTimeoutMs', args.startTimeoutMs ?? 60_000);
    this.maxRestarts = args.maxRestarts ?? 10;
    if (!Number.isInteger(this.maxRestarts) || this.maxRestarts < 0) {
      throw new Error(`maxRestarts must be an integer >= 0, got ${this.maxRestarts}`);
    }
    // Built once here too, to lay out the shared buffer and expose the spaces.
    const shape = recipeShape(args.recipe);
    this.singleObservationSpace = shape.observationSpace;
    this.singleActionSpace = shape.actionSpace;
    this.obsSize = shape.obsSize;
    this.obsShape = shape.observationSpace.shape;
    this.dtype = shape.dtype;
    const obsBytes = this.numEnvs * this.obsSize * BYTES_PER_ELEMENT[this.dtype];
    this.progressByteOffset = Math.ceil(obsBytes / 8) * 8;
    this.shared = new SharedArrayBuffer(this.progressByteOffset + 4 * this.numWorkers);
    this.obs = typedArrayOf(this.dtype, this.numEnvs * this.obsSize, this.shared) as O;
    this.progress = new Int32Array(this.shared, this.progressByteOffset, this.numWorkers).fill(-1);
    this.seeds = deriveSeeds(args.seed ?? 0, this.numEnvs);
    this.generations = new Array<number>(this.numEnvs).fill(0);
    this.restarts = new Array<number>(this.numWorkers).fill(0);
    this.slots = [];
    const slices = this.numWorkers + (withLocal ? 1 : 0);
    let start = 0;
    for (let w = 0; w < this.numWorkers; w++) {
      const count = Math.floor(this.numEnvs / slices) + (w < this.numEnvs % slices ? 1 : 0);
      this.slots.push(new WorkerSlot(w, start, count));
      start += count;
    }
    this.localActions = new Int32Array(this.numEnvs - start);
    this.local = withLocal
      ? new EnvSlice({
          recipe: args.recipe,
          start,
          seeds: this.seeds.slice(start),
          obsOut: typedArrayOf(
            this.dtype,
            this.localActions.length * this.obsSize,
            this.shared,
            start * this.obsSize * BYTES_PER_ELEMENT[this.dtype],
          ),
          obsSize: this.obsSize,
          workerIndex: -1,
        })
      : null;
  }

  /** Global index of the local slice's first env (= numEnvs without one). */
  private get localStart(): number {
    return this.numEnvs - this.localActions.length;
  }

  async reset(opts: VecResetOptions = {}): Promise<VecResetResult<O>> {
    const first = this.state.beginReset();
    if (opts.seed !== undefined) this.seeds = deriveSeeds(opts.seed, this.numEnvs);
    const reseed = first || opts.seed !== undefined;
    const pending = Promise.all(
      this.slots.map((slot) => {
        const seeds = this.seeds.slice(slot.start, slot.start + slot.count);
        return slot
          .run({ kind: 'reset', seeds: reseed ? seeds : seeds.map(() => null) }, this.stepTimeoutMs)
          .then(
            (reply): SettledReset => ({ ok: true, infos: reply.infos }),
            (error: unknown): SettledReset => ({ ok: false, error }),
          );
      }),
    );
    // Reset locally while the workers reset theirs; a local failure still waits for the workers.
    let localInfos: Info[] = [];
    let localError: unknown = null;
    try {
      if (this.local) {
        const seeds = this.seeds.slice(this.localStart);
        localInfos = this.local.reset(reseed ? seeds : seeds.map(() => null));
      }
    } catch (e) {
      localError = e;
    }
    const settled = await pending;
    if (localError !== null) {
      throw new Error(
        `ThreadedVecEnv.reset: the calling thread's slice failed: ${(localError as Error).message}`,
      );
    }
    // A worker that failed is restarted as in a step: its envs are rebuilt (next generation) and
    // reset with their generation's seed; their infos carry the fault.
    const faults: VecEnvFault[] = [];
    let infos: Info[][];
    try {
      infos = await Promise.all(
        this.slots.map(async (slot, w) => {
          const s = settled[w];
          if (s.ok) return s.infos;
          const fault = this.workerFault(w, s.error);
          faults.push(fault);
          for (const i of fault.affectedEnvs) this.generations[i]++;
          const fresh = await this.restart(slot, s.error);
          return fresh.map((info) => ({ ...info, fault }));
        }),
      );
    } catch (e) {
      await this.close();
      throw new Error(`ThreadedVecEnv.reset: ${(e as Error).message}`);
    }
    this.state.endReset();
    for (const fault of faults.sort((a, b) => a.workerIndex - b.workerIndex)) this.args.onFault?.(fault);
    return { obs: this.obs, infos: [...infos.flat(), ...localInfos] };
  }

  stepAsync(actions: Int32Array): void {
    // Checked before the state moves on, so a refused call leaves the vector env usable.
    checkActions(actions, this.numEnvs, this.singleActionSpace);
    this.state.beginStep();
    this.inflight = this.slots.map((slot) =>
      slot
        .run(
          { kind: 'step', actions: actions.slice(slot.start, slot.start + slot.count) },
          this.stepTimeoutMs,
        )
        .then(
          (reply): Settled => ({ ok: true, reply }),
          (error: unknown): Settled => ({ ok: false, error }),
        ),
    );
    // The local slice steps in stepWait (stepAsync must return at once); keep a copy of its actions.
    if (this.local) this.localActions.set(actions.subarray(this.localStart));
  }

  async stepWait(): Promise<VecStepResult<O>> {
    this.state.beginWait();
    // The step requests are already posted: the workers step their slices while this thread steps
    // the local one. EnvSlice handles an env that throws; anything it rethrows (an env that cannot
    // be rebuilt) is fatal, as in SyncVecEnv, but only after the workers' replies are in.
    let local: SliceStepResult | null = null;
    let localError: unknown = null;
    try {
      if (this.local) local = this.local.step(this.localActions);
    } catch (e) {
      localError = e;
    }
    const settled = await Promise.all(this.inflight);
    this.inflight = [];
    if (this.state.closed)
      throw new Error('ThreadedVecEnv: close() was called while this step was in flight');
    if (localError !== null) {
      await this.close();
      throw localError;
    }
    const n = this.numEnvs;
    const out: VecStepResult<O> = {
      obs: this.obs,
      rewards: new Float64Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      infos: new Array(n),
    };
    const faults: VecEnvFault[] = [];
    if (local) {
      const start = this.localStart;
      out.rewards.set(local.rewards, start);
      out.terminated.set(local.terminated, start);
      out.truncated.set(local.truncated, start);
      local.infos.forEach((info, k) => {
        out.infos[start + k] = info;
      });
    }
    for (let w = 0; w < this.slots.length; w++) {
      const s = settled[w];
      const { start } = this.slots[w];
      if (s.ok) {
        out.rewards.set(s.reply.rewards, start);
        out.terminated.set(s.reply.terminated, start);
        out.truncated.set(s.reply.truncated, start);
        s.reply.infos.forEach((info, k) => {
          out.infos[start + k] = info;
          // The worker rebuilt this env; keep the count so a later restart builds the next generation.
          if (info.fault) {
            this.generations[start + k]++;
            faults.push(info.fault);
          }
        });
      } else {
        faults.push(this.truncateWorker(w, s.error, out));
      }
    }
    // After the workers' faults, so onFault sees faults in env order, as from SyncVecEnv.
    if (local) faults.push(...local.faults);
    // Restarts run concurrently. A failed restart is fatal: the vector env closes itself (so no
    // thread is left running) and the error says why.
    try {
      await Promise.all(
        this.slots.map((slot, w) => {
          const s = settled[w];
          return s.ok ? undefined : this.restart(slot, s.error);
        }),
      );
    } catch (e) {
      await this.close();
      throw new Error(`ThreadedVecEnv: ${(e as Error).message}`);
    }
    this.state.endWait();
    for (const fault of faults) this.args.onFault?.(fault);
    return out;
  }

  async step(actions: Int32Array): Promise<VecStepResult<O>> {
    this.stepAsync(actions);
    return this.stepWait();
  }

  /** Ends every worker thread; afterwards nothing of this vector env keeps the process alive. */
  async close(): Promise<void> {
    if (!this.state.close()) return;
    // With a step in flight (close() from an error handler, say), a worker may be busy or stuck:
    // terminate at once rather than queue a polite 'close' behind the step.
    const polite = this.inflight.length === 0;
    this.inflight = [];
    this.local?.close();
    await Promise.all(
      this.slots.map(async (slot) => {
        if (polite) await slot.run({ kind: 'close' }, 5_000).catch(() => undefined);
        await slot.destroy();
      }),
    );
  }

  /** What happened to worker w (it died, failed or timed out), as a fault of all its envs. */
  private workerFault(w: number, error: unknown): VecEnvFault {
    const slot = this.slots[w];
    const stepping = Atomics.load(this.progress, w);
    const message = error instanceof Error ? error.message : String(error);
    return {
      envIndex: stepping >= 0 ? stepping : slot.start,
      workerIndex: w,
      kind:
        error instanceof TimeoutError
          ? 'timeout'
          : /worker exited/i.test(message)
            ? 'worker-exit'
            : 'worker-error',
      message,
      affectedEnvs: Array.from({ length: slot.count }, (_, k) => slot.start + k),
      restartsLeft: Math.max(0, this.maxRestarts - this.restarts[w] - 1),
    };
  }

  /** Fills worker w's part of `out` for a worker that failed, and returns the fault. */
  private truncateWorker(w: number, error: unknown, out: VecStepResult<O>): VecEnvFault {
    const fault = this.workerFault(w, error);
    for (const i of fault.affectedEnvs) {
      out.truncated[i] = 1;
      // The last observation the worker wrote for env i: before the failed step, or after it if the
      // worker got that far. The rewards of that step are lost with the thread.
      out.infos[i] = { finalObs: this.obs.slice(i * this.obsSize, (i + 1) * this.obsSize), fault };
      this.generations[i]++;
    }
    return fault;
  }

  /** Restarts a failed worker and rebuilds its envs (reset); returns the reset's infos. */
  private async restart(slot: WorkerSlot, error: unknown): Promise<Info[]> {
    const reason = error instanceof Error ? error.message : String(error);
    if (++this.restarts[slot.index] > this.maxRestarts) {
      throw new Error(
        `worker ${slot.index} (envs ${slot.start}..${slot.start + slot.count - 1}) failed ${this.restarts[slot.index]} times (last: ${reason}); giving up after ${this.maxRestarts} restarts. Fix the env, or allow more restarts (maxRestarts).`,
      );
    }
    await slot.restart();
    try {
      return await this.init(slot, true);
    } catch (e) {
      throw new Error(
        `worker ${slot.index} could not be restarted after it failed (${reason}): ${(e as Error).message}`,
      );
    }
  }

  /** Builds the slot's envs in its worker; with `reset`, resets them with their generation seeds. */
  private async init(slot: WorkerSlot, reset: boolean): Promise<Info[]> {
    Atomics.store(this.progress, slot.index, -1);
    const end = slot.start + slot.count;
    const reply = await slot.run(
      {
        kind: 'init',
        recipe: this.args.recipe,
        workerIndex: slot.index,
        start: slot.start,
        seeds: this.seeds.slice(slot.start, end),
        generations: this.generations.slice(slot.start, end),
        shared: this.shared,
        dtype: this.dtype,
        obsSize: this.obsSize,
        progressByteOffset: this.progressByteOffset,
        reset,
      },
      this.args.startTimeoutMs ?? 60_000,
    );
    return reply.infos;
  }
}

function positive(name: string, v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`${name} must be a positive number of ms, got ${v}`);
  return v;
}
