/**
 * WorkerSlot: one worker thread of a ThreadedVecEnv and the fixed slice of envs pinned to it.
 *
 * Pinning: piscina is a task pool (any idle thread takes the next task), and piscina 5 offers a
 * custom `loadBalancer` but no per-task affinity. Stateful envs need every request of a slice to
 * reach the thread that holds the slice, so each slot owns its own piscina pool of exactly one
 * thread (`minThreads = maxThreads = 1`), and runs one long task in it (`ServeTask`) that brings the
 * thread a MessagePort; requests and replies then travel on that port, one message each way per
 * step (messages.ts says why not a task per step). Piscina gives us the worker bootstrap (ESM or
 * CommonJS, execArgv, workerData), the death of the thread as a rejected serve task, and
 * `destroy()` to terminate a thread stuck in a loop.
 *
 * Every wait has a deadline: `run` rejects with a TimeoutError after `timeoutMs`, and the caller
 * (ThreadedVecEnv) then restarts the slot rather than waiting forever. A thread that dies rejects
 * every request in flight at once, with piscina's reason (e.g. "worker exited with code: 3").
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { PortReply, ReplyOf, ServeDone, ServeTask, WorkerReply, WorkerRequest } from './messages.js';

/** A worker did not answer within its deadline. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

type Pool = Piscina<ServeTask, ServeDone>;

interface Pending {
  resolve(reply: WorkerReply): void;
  reject(error: Error): void;
}

/** One live thread: its pool, its port, the requests waiting for an answer, and why it died. */
interface Link {
  pool: Pool;
  port: MessagePort;
  pending: Map<number, Pending>;
  /** Set when the thread died or stopped serving; later requests fail with it at once. */
  dead: Error | null;
  /** An error the pool reported outside the serve task (a late event after destroy, say). */
  stray: Error | null;
  retired: boolean;
}

export class WorkerSlot {
  private link: Link;
  private nextId = 0;

  constructor(
    /** 0..numWorkers-1. */
    readonly index: number,
    /** Global index of the slot's first env. */
    readonly start: number,
    /** Envs pinned to this slot. */
    readonly count: number,
  ) {
    this.link = this.spawn();
  }

  /** Sends one request and resolves with its reply, or rejects (worker error, exit, or timeout). */
  run<R extends WorkerRequest>(request: R, timeoutMs: number): Promise<ReplyOf[R['kind']]> {
    const link = this.link;
    if (link.dead) return Promise.reject(link.dead);
    const id = this.nextId++;
    return new Promise<ReplyOf[R['kind']]>((resolve, reject) => {
      const timer = setTimeout(() => {
        link.pending.delete(id);
        const earlier = link.stray ? `; earlier it reported: ${link.stray.message}` : '';
        reject(
          new TimeoutError(
            `worker ${this.index} (envs ${this.start}..${this.start + this.count - 1}) did not answer a '${request.kind}' request within ${timeoutMs} ms${earlier}`,
          ),
        );
      }, timeoutMs);
      link.pending.set(id, {
        resolve: (reply) => {
          clearTimeout(timer);
          if (reply.kind !== REPLY_KIND[request.kind]) {
            reject(new Error(`worker ${this.index} answered '${request.kind}' with '${reply.kind}'`));
          } else {
            resolve(reply as ReplyOf[R['kind']]);
          }
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      link.port.postMessage({ id, request });
    });
  }

  /** Terminates the thread (even one stuck in a loop) and starts a fresh, empty one. */
  async restart(): Promise<void> {
    await this.destroy();
    this.link = this.spawn();
  }

  /** Terminates the thread. Never throws: it is called on paths that already handle an error. */
  async destroy(): Promise<void> {
    const link = this.link;
    link.retired = true;
    fail(link, new Error(`worker ${this.index} was terminated`));
    link.port.close();
    try {
      await link.pool.destroy();
    } catch {
      // A thread that already died cannot be terminated twice; nothing is left to clean up.
    }
  }

  private spawn(): Link {
    const pool = createPool(this.index);
    const { port1, port2 } = new MessageChannel();
    const link: Link = { pool, port: port1, pending: new Map(), dead: null, stray: null, retired: false };
    port1.on('message', (message: PortReply) => {
      const waiting = link.pending.get(message.id);
      if (!waiting) return; // timed out already
      link.pending.delete(message.id);
      if ('error' in message) waiting.reject(new Error(message.error));
      else waiting.resolve(message.reply);
    });
    // The port alone must not keep the process alive (the thread does while it runs).
    port1.unref();
    // Piscina emits 'error' for what no task waits for; without a listener it would crash the process.
    pool.on('error', (e: Error) => {
      if (!link.retired) link.stray = e;
    });
    pool.run({ kind: 'serve', port: port2 }, { transferList: [port2] }).then(
      () => fail(link, new Error(`worker ${this.index} stopped serving (it was closed)`)),
      (e: unknown) => fail(link, e instanceof Error ? e : new Error(String(e))),
    );
    return link;
  }
}

/** Marks the link dead and rejects every request in flight with `error`. */
function fail(link: Link, error: Error): void {
  link.dead ??= error;
  for (const waiting of link.pending.values()) waiting.reject(link.dead);
  link.pending.clear();
}

const REPLY_KIND: { [K in keyof ReplyOf]: ReplyOf[K]['kind'] } = {
  init: 'ready',
  reset: 'reset',
  step: 'stepped',
  close: 'closed',
};

function createPool(index: number): Pool {
  const { filename, execArgv } = workerSource();
  return new Piscina<ServeTask, ServeDone>({
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
