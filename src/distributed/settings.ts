/**
 * The distributed part of a run's config, kept in the run directory's `distributed.json` beside
 * config.json (which stays a plain DQN run config, so `pixelrl eval | play | plot | tsne` and
 * everything else that reads runs see a DQN run). A distributed run's `numEnvs` is the learner's replay lanes:
 * `actors × envsPerActor`, one ring of the replay per env of each actor slot, so that a stack or
 * an n-step return never mixes two envs (replay/transition-store.ts).
 *
 * None of these is a secret: the Redis URL (which may hold a password) is never part of the config.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunConfig } from '../train/train-config.js';

/** The file of a run directory that makes it a distributed run. */
export const DISTRIBUTED_FILE = 'distributed.json';
const FORMAT = 'pixelrl-distributed';

export interface DistributedSettings {
  /** Actor slots N: actor i explores with ε_i = 0.4^(1 + 7i/(N−1)) (apex.ts). */
  actors: number;
  /** Envs each actor steps (its replay lanes on the learner). */
  envsPerActor: number;
  /** Env steps (of all of an actor's envs together) between an actor's stream messages. */
  flushSteps: number;
  /** The stream's approximate cap (XADD MAXLEN ~): the oldest entries go past it. */
  streamMaxLen: number;
  /** Messages an actor may have in the stream that the learner has not read yet (backpressure). */
  maxInFlight: number;
  /** Learner updates between weight publications. */
  publishInterval: number;
  /** Compress stream messages (deflate-raw, level 1). */
  compress: boolean;
}

export const DISTRIBUTED_DEFAULTS: Omit<DistributedSettings, 'actors' | 'envsPerActor'> = {
  flushSteps: 8,
  streamMaxLen: 2000,
  maxInFlight: 32,
  publishInterval: 20,
  compress: true,
};

/** A distributed run's whole config. */
export interface DistributedRunConfig extends RunConfig {
  distributed: DistributedSettings;
}

/** Checks the `distributed` object; the error names the field. */
export function validateDistributedSettings(raw: unknown): DistributedSettings {
  if (typeof raw !== 'object' || raw === null) throw new Error('distributed must be an object of settings');
  const s = { ...DISTRIBUTED_DEFAULTS, ...(raw as Partial<DistributedSettings>) } as DistributedSettings;
  const known = new Set(['actors', 'envsPerActor', ...Object.keys(DISTRIBUTED_DEFAULTS)]);
  for (const key of Object.keys(s)) {
    if (!known.has(key))
      throw new Error(`distributed.${key} is not a setting (known: ${[...known].join(', ')})`);
  }
  const int = (name: keyof DistributedSettings, min: number) => {
    const v = s[name];
    if (!Number.isSafeInteger(v) || (v as number) < min)
      throw new Error(`distributed.${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`);
  };
  int('actors', 1);
  int('envsPerActor', 1);
  int('flushSteps', 1);
  int('streamMaxLen', 1);
  int('maxInFlight', 1);
  int('publishInterval', 1);
  if (typeof s.compress !== 'boolean')
    throw new Error(`distributed.compress must be a boolean, got ${s.compress}`);
  if (s.streamMaxLen < s.actors * s.maxInFlight) {
    throw new Error(
      `distributed.streamMaxLen ${s.streamMaxLen} is below actors × maxInFlight = ${s.actors * s.maxInFlight}: ` +
        'unread messages would be trimmed',
    );
  }
  return s;
}

/** A run config made distributed: `numEnvs` becomes the learner's lanes; replay is prioritized. */
export function makeDistributed(
  config: RunConfig,
  settings: Partial<DistributedSettings> & Pick<DistributedSettings, 'actors' | 'envsPerActor'>,
): DistributedRunConfig {
  const distributed = validateDistributedSettings(settings);
  // Ape-X's replay is prioritized, with the actors' initial priorities.
  const dqn = { ...config.dqn, prioritized: true };
  return { ...config, dqn, numEnvs: distributed.actors * distributed.envsPerActor, distributed };
}

/** True when `runDir` holds a distributed run (its distributed.json). */
export function isDistributedRun(runDir: string): boolean {
  return existsSync(join(runDir, DISTRIBUTED_FILE));
}

/** The run config without its distributed part (what config.json holds). */
export function plainRunConfig(config: DistributedRunConfig): RunConfig {
  const { distributed: _d, ...plain } = config;
  return plain;
}

export async function writeDistributedSettings(runDir: string, settings: DistributedSettings): Promise<void> {
  await writeFile(
    join(runDir, DISTRIBUTED_FILE),
    `${JSON.stringify({ format: FORMAT, ...settings }, null, 2)}\n`,
  );
}

export async function readDistributedSettings(runDir: string): Promise<DistributedSettings> {
  const path = join(runDir, DISTRIBUTED_FILE);
  const { format, ...settings } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  if (format !== FORMAT) throw new Error(`${path} is not a pixelrl distributed-run file`);
  return validateDistributedSettings(settings);
}
