/**
 * Helpers of the distributed tests: a tiny Catch-v0 config (16x16 φ, a 4-filter conv), polling,
 * and what the learner tells the actors in Redis (its per-slot read progress, the stream's counts).
 */
import type { Redis } from 'ioredis';
import { configFromFlags } from '../../src/cli/commands/train.js';
import { runKeys } from '../../src/distributed/redis.js';
import { type DistributedRunConfig, makeDistributed } from '../../src/distributed/settings.js';

/** A distributed Catch-v0 run small enough for a test: ~1 s of learner work per 500 transitions. */
export function tinyCatch(steps: number, extra: Record<string, unknown> = {}): DistributedRunConfig {
  const flags = {
    env: 'Catch-v0',
    algo: 'dqn',
    steps,
    seed: 3,
    frameSize: 16,
    net: '[c4k4s2,relu:16,relu]',
    learningStarts: 100,
    batchSize: 8,
    bufferSize: 4000,
    evalEpisodes: 1,
    evalInterval: 0,
    progress: 'off' as const,
    ...extra,
  };
  return makeDistributed(configFromFlags(flags as Parameters<typeof configFromFlags>[0]), {
    actors: 2,
    envsPerActor: 1,
    publishInterval: 10,
  });
}

/**
 * Polls `check` every 100 ms until it holds; fails naming `what` after `timeoutMs`, with the
 * last lines of `logs` (the processes' output) when given.
 */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
  logs: readonly string[] = [],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${logs.slice(-40).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The learner's read progress per actor slot: the session and seq of the last message it read. */
export async function readProgress(
  redis: Redis,
  run: string,
): Promise<Record<string, { session: string; seq: number }>> {
  const raw = await redis.hgetall(runKeys(run).progress);
  const out: Record<string, { session: string; seq: number }> = {};
  for (const [slot, v] of Object.entries(raw)) {
    const [session, seq] = v.split(':');
    out[slot] = { session, seq: Number(seq) };
  }
  return out;
}

/** Transitions in the stream's entries up to `lastId` (the `n` field each actor writes). */
export async function transitionsUpTo(redis: Redis, run: string, lastId: string): Promise<number> {
  const entries = (await redis.xrange(runKeys(run).stream, '-', lastId)) as [string, string[]][];
  let n = 0;
  for (const [, fields] of entries) n += Number(fields[fields.indexOf('n') + 1]);
  return n;
}
