/**
 * The Redis side of a distributed run: key names, the client, and the URL as it may be shown.
 *
 * Keys of run R (all under `pixelrl:R:`):
 *   spec            JSON: the learner's run id, config and status ('running' | 'done')
 *   stream          the experience stream (XADD MAXLEN ~), read by the consumer group `learner`
 *   progress        hash: actor slot → "session:seq" of the last message the learner read
 *   weights         the newest weights (encoded WeightsMessage); weights:version its version,
 *                   and the channel weights:version announces each new one
 *   slot:<i>        an actor's lease on slot i (SET NX PX, renewed while it lives)
 *
 * The client retries forever with a capped backoff and queues commands while disconnected, so
 * both sides wait out a Redis restart. ioredis passes `redis://user:password@…` auth and
 * `rediss://` TLS on; the password is never printed: {@link redactRedisUrl}.
 */
import { Redis, type RedisOptions } from 'ioredis';

export const GROUP = 'learner';
export const CONSUMER = 'learner';

export interface RunKeys {
  spec: string;
  stream: string;
  progress: string;
  weights: string;
  weightsVersion: string;
  slot(index: number): string;
}

export function runKeys(run: string): RunKeys {
  if (!/^[A-Za-z0-9._-]+$/.test(run)) {
    throw new Error(`run name "${run}" must be letters, digits, '.', '_' or '-' (it names Redis keys)`);
  }
  const p = `pixelrl:${run}:`;
  return {
    spec: `${p}spec`,
    stream: `${p}stream`,
    progress: `${p}progress`,
    weights: `${p}weights`,
    weightsVersion: `${p}weights:version`,
    slot: (index) => `${p}slot:${index}`,
  };
}

/** The URL with its password (and a user-only credential) replaced by `***`, for logs. */
export function redactRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    else if (u.username) u.username = '***';
    return u.toString();
  } catch {
    return '(an unparsable Redis URL)';
  }
}

/** Checks a --redis value; the error never repeats the URL (it may hold a password). */
export function checkRedisUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error('--redis must be a URL such as redis://host:6379 or rediss://user:password@host:6380');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') {
    throw new Error(`--redis must start with redis:// or rediss://, got ${u.protocol}//`);
  }
}

export interface ConnectOptions {
  /** Told once per outage, and when the connection is back; never sees the password. */
  log?: (line: string) => void;
  /** The connection's name in CLIENT LIST (e.g. `pixelrl-actor-0`). */
  name?: string;
}

/** A client that reconnects forever; call `quit()` (or `disconnect()`) when done. */
export function connectRedis(url: string, options: ConnectOptions = {}): Redis {
  checkRedisUrl(url);
  const log = options.log ?? (() => {});
  const shown = redactRedisUrl(url);
  const redisOptions: RedisOptions = {
    connectionName: options.name,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 1000),
    reconnectOnError: () => false,
  };
  const client = new Redis(url, redisOptions);
  let down = false;
  client.on('error', (err: Error & { code?: string }) => {
    if (down) return;
    down = true;
    log(`redis ${shown}: ${err.code ?? err.message}; retrying`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log(`redis ${shown}: connected again`);
  });
  return client;
}

/** Resolves after `ms`, or early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
