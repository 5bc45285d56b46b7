/**
 * `runActor`: an Ape-X actor for the run named `run` on a Redis server. It waits for the learner's
 * spec, takes a free actor slot (a lease, SET NX PX, renewed every second: a killed actor's slot
 * frees itself), and runs sessions (actor-session.ts) until the learner says the run is done or
 * the caller stops it. When Redis or the learner is away it waits and retries; a new run under
 * the same name (a new run id) starts a new session with the new config.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Engine } from '../engine/select.js';
import { runActorSession, type SessionEnd, type SessionStats } from './actor-session.js';
import { connectRedis, redactRedisUrl, runKeys, sleep } from './redis.js';
import { type RunSpec, readSpec } from './run-spec.js';

export interface ActorOptions {
  /** redis://[user:password@]host:port[/db] or rediss://… (TLS). */
  redisUrl: string;
  /** The learner's run name (its run directory's name). */
  run: string;
  /** Envs to step; default (and at most) the run's envs per actor. */
  envs?: number;
  /** Worker threads for the envs (0 = this thread). */
  workers?: number;
  /** Seeds the envs, network init and exploration; default from the run's seed and the slot. */
  seed?: number;
  /** How long a slot stays taken after the actor stops renewing it. */
  leaseMs?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Stop after this many env steps (summed over envs) per session. */
  maxSteps?: number;
  /** The engine that runs the Q-network's forward pass; default: tfjs on the current backend. */
  engine?: Engine;
}

export interface ActorSummary {
  slot: number;
  steps: number;
  messages: number;
  transitions: number;
  bytes: number;
  weightsVersion: number;
  end: SessionEnd;
}

const RENEW =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

export async function runActor(options: ActorOptions): Promise<ActorSummary> {
  const log = options.log ?? (() => {});
  const keys = runKeys(options.run);
  const leaseMs = options.leaseMs ?? 5000;
  const redis = connectRedis(options.redisUrl, { log, name: 'pixelrl-actor' });
  const sub = connectRedis(options.redisUrl, { name: 'pixelrl-actor-sub' });
  let announced = -1;
  let reconnects = -1;
  redis.on('ready', () => {
    reconnects++;
  });
  sub.on('message', (_channel: string, version: string) => {
    announced = Math.max(announced, Number(version));
  });
  await sub.subscribe(keys.weightsVersion);
  log(`actor for run ${options.run} on ${redactRedisUrl(options.redisUrl)}`);
  const total: ActorSummary = {
    slot: -1,
    steps: 0,
    messages: 0,
    transitions: 0,
    bytes: 0,
    weightsVersion: -1,
    end: 'stopped',
  };
  try {
    for (;;) {
      const spec = await waitForSpec(options, () => readSpec(redis, keys), log);
      if (spec === null) return total;
      if (spec.status === 'done') {
        total.end = 'done';
        return total;
      }
      const d = spec.config.distributed;
      const envs = options.envs ?? d.envsPerActor;
      if (envs > d.envsPerActor) {
        throw new Error(
          `--envs ${envs}: the learner keeps ${d.envsPerActor} replay lane(s) per actor; use at most that`,
        );
      }
      const session = randomUUID();
      const slot = await claimSlot(redis, keys.slot, d.actors, session, leaseMs, log, options.signal);
      if (slot === null) return total;
      total.slot = slot;
      let stats: SessionStats;
      try {
        stats = await runActorSession({
          redis,
          keys,
          spec,
          slot,
          session,
          envs,
          workers: options.workers ?? 0,
          seed: options.seed,
          announced: () => announced,
          renewLease: async () => {
            if ((await redis.eval(RENEW, 1, keys.slot(slot), session, String(leaseMs))) === 1) return true;
            // The key is gone (a restarted Redis): take it again if it is free.
            return (await redis.set(keys.slot(slot), session, 'PX', leaseMs, 'NX')) === 'OK';
          },
          reconnects: () => reconnects,
          log,
          signal: options.signal,
          maxSteps: options.maxSteps,
          engine: options.engine,
        });
      } finally {
        await redis.eval(
          "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end",
          1,
          keys.slot(slot),
          session,
        );
      }
      total.steps += stats.steps;
      total.messages += stats.messages;
      total.transitions += stats.transitions;
      total.bytes += stats.bytes;
      total.weightsVersion = stats.weightsVersion;
      total.end = stats.end;
      if (stats.end === 'new-run') log('the learner started a new run under this name: a new session');
      else if (stats.end === 'lost-slot') log(`slot ${slot} was taken over: claiming a slot again`);
      else return total;
    }
  } finally {
    sub.disconnect();
    redis.disconnect();
  }
}

/** The run's spec, once the learner has written it; null when stopped first. */
async function waitForSpec(
  options: ActorOptions,
  read: () => Promise<RunSpec | null>,
  log: (line: string) => void,
): Promise<RunSpec | null> {
  let told = false;
  for (;;) {
    if (options.signal?.aborted) return null;
    const spec = await read();
    if (spec !== null) return spec;
    if (!told) log(`waiting for the learner of run ${options.run}`);
    told = true;
    await sleep(250, options.signal);
  }
}

/** Takes the first free slot of 0..count−1; waits while all are taken. Null when stopped. */
async function claimSlot(
  redis: Redis,
  slotKey: (i: number) => string,
  count: number,
  session: string,
  leaseMs: number,
  log: (line: string) => void,
  signal?: AbortSignal,
): Promise<number | null> {
  let told = false;
  for (;;) {
    if (signal?.aborted) return null;
    for (let i = 0; i < count; i++) {
      if ((await redis.set(slotKey(i), session, 'PX', leaseMs, 'NX')) === 'OK') return i;
    }
    if (!told) log(`all ${count} actor slots are taken; waiting for one to free`);
    told = true;
    await sleep(500, signal);
  }
}
