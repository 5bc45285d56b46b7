/**
 * What the learner tells actors through the run's `spec` key: which run (a fresh id per new run,
 * kept on resume), its config (env, φ, network, n-step, the distributed settings), and whether it
 * is still running. Actors build their envs and network from it, so they take no config of their own.
 */
import type { Redis } from 'ioredis';
import type { RunKeys } from './redis.js';
import type { DistributedRunConfig } from './settings.js';

export interface RunSpec {
  runId: string;
  status: 'running' | 'done';
  config: DistributedRunConfig;
}

export async function readSpec(redis: Redis, keys: RunKeys): Promise<RunSpec | null> {
  const raw = await redis.get(keys.spec);
  if (raw === null) return null;
  const spec = JSON.parse(raw) as RunSpec;
  if (typeof spec?.runId !== 'string' || typeof spec.config?.distributed !== 'object') {
    throw new Error(`${keys.spec} does not hold a pixelrl run spec`);
  }
  return spec;
}

export async function writeSpec(redis: Redis, keys: RunKeys, spec: RunSpec): Promise<void> {
  await redis.set(keys.spec, JSON.stringify(spec));
}
