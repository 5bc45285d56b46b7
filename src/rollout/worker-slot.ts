/**
 * WorkerSlot: one worker thread of a ThreadedVecEnv and the fixed slice of envs pinned to it.
 *
 * Pinning: piscina is a task pool (any idle thread takes the next task), and piscina 5 offers a
 * custom `loadBalancer` but no per-task affinity. Stateful envs need every task of a slice to reach
 * the thread that holds the slice, so each slot owns its own piscina pool of exactly one thread
 * (`minThreads = maxThreads = 1`). Piscina still gives us what we want from it: the worker
 * bootstrap, fast Atomics-based wake-ups, transfer lists, error/exit propagation as a rejected
 * task, and `destroy()` to terminate a thread stuck in a loop.
 *
 * Every wait has a deadline: `run` rejects with a TimeoutError after `timeoutMs`, and the caller
 * (ThreadedVecEnv) then restarts the slot rather than waiting forever.
 */
import { Piscina } from 'piscina';
import type { ReplyOf, WorkerReply, WorkerRequest } from './messages.js';

/** A worker did not answer within its deadline. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

type Pool = Piscina<WorkerRequest, WorkerReply>;

export class WorkerSlot {
  private pool: Pool;
  /** Pools already destroyed: their late events are expected and ignored. */
  private readonly retired = new WeakSet<Pool>();
  /** An error the live pool reported outside any task (a worker error between tasks). */
  private strayError: Error | null = null;

  constructor(
    /** 0..numWorkers-1. */
    readonly index: number,
    /** Global index of the slot's first env. */
    readonly start: number,
    /** Envs pinned to this slot. */
    readonly count: number,
  ) {
    this.pool = this.spawn();
  }

  /** Sends one request and resolves with its reply, or rejects (worker error, exit, or timeout). */
  async run<R extends WorkerRequest>(request: R, timeoutMs: number): Promise<ReplyOf[R['kind']]> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const earlier = this.strayError ? `; earlier it reported: ${this.strayError.message}` : '';
        reject(
          new TimeoutError(
            `worker ${this.index} (envs ${this.start}..${this.start + this.count - 1}) did not answer a '${request.kind}' request within ${timeoutMs} ms${earlier}`,
          ),
        );
      }, timeoutMs);
    });
    try {
      const reply = await Promise.race([this.pool.run(request), deadline]);
      if (reply.kind !== REPLY_KIND[request.kind]) {
        throw new Error(`worker ${this.index} answered '${request.kind}' with '${reply.kind}'`);
      }
      return reply as ReplyOf[R['kind']];
    } finally {
      clearTimeout(timer);
    }
  }

  /** Terminates the thread (even one stuck in a loop) and starts a fresh, empty one. */
  async restart(): Promise<void> {
    await this.destroy();
    this.strayError = null;
    this.pool = this.spawn();
  }

  /** Terminates the thread. Never throws: it is called on paths that already handle an error. */
  async destroy(): Promise<void> {
    this.retired.add(this.pool);
    try {
      await this.pool.destroy();
    } catch {
      // A thread that already died cannot be terminated twice; nothing is left to clean up.
    }
  }

  private spawn(): Pool {
    const pool = createPool(this.index);
    // Piscina emits 'error' for what no task waits for: a worker error between tasks, or a reply
    // that arrives after destroy() dropped its task (a close() racing a step). Without a listener,
    // an 'error' event would crash the process.
    pool.on('error', (e: Error) => {
      if (!this.retired.has(pool)) this.strayError = e;
    });
    return pool;
  }
}

const REPLY_KIND: { [K in keyof ReplyOf]: ReplyOf[K]['kind'] } = {
  init: 'ready',
  reset: 'reset',
  step: 'stepped',
  close: 'closed',
};

function createPool(index: number): Pool {
  const { filename, execArgv } = workerSource();
  return new Piscina<WorkerRequest, WorkerReply>({
    filename,
    name: 'default',
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: 1,
    ...(execArgv ? { execArgv } : {}),
    workerData: { rolloutWorkerIndex: index },
  });
}

/**
 * The worker module next to this one: `rollout-worker.js` when this module runs from `dist/`;
 * from TypeScript source (vitest, tsx), `rollout-worker-tsx.mjs`, which loads `rollout-worker.ts`
 * as ESM through tsx (that file says why it is needed).
 */
function workerSource(): { filename: string; execArgv?: string[] } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    // No inherited execArgv: the parent's tsx hooks would only slow the thread's start.
    return { filename: new URL('./rollout-worker-tsx.mjs', here).href, execArgv: [] };
  }
  // From dist/: the thread inherits the parent's execArgv (e.g. --max-old-space-size), as Node's default.
  return { filename: new URL('./rollout-worker.js', here).href };
}
