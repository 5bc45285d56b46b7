/**
 * `pixelrl train --distributed`: the learner (learner.ts) on a given Redis, or with
 * `--local-actors N` a private redis-server (when no --redis is given) and N actor processes on
 * this machine, all stopped when the learner ends.
 */
import type { ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import type { RunConfig } from '../train/train-config.js';
import { type LearnerOptions, type LearnerSummary, runLearner } from './learner.js';
import { spawnLocalActors, stopActors } from './local-actors.js';
import { checkRedisUrl } from './redis.js';
import { type RedisServer, startRedisServer } from './redis-server.js';
import { type DistributedRunConfig, makeDistributed } from './settings.js';

export interface TrainDistributedOptions extends Omit<LearnerOptions, 'redisUrl'> {
  redisUrl?: string;
  /** Actor processes to start here. */
  localActors?: number;
  /** Extra arguments for the local actors (e.g. the backend). */
  actorArgs?: string[];
}

/**
 * The distributed config of a new run: `actors` slots (`--distributed N`), else `--local-actors`,
 * else 2; `numEnvs` of the flags is the envs per actor.
 */
export function distributedConfigOf(
  config: RunConfig,
  actors?: number,
  localActors?: number,
): DistributedRunConfig {
  return makeDistributed(config, { actors: actors ?? localActors ?? 2, envsPerActor: config.numEnvs });
}

/** Checks the flags' combination; throws an Error worded for the user. */
export function checkDistributedFlags(redisUrl: string | undefined, localActors: number | undefined): void {
  if (redisUrl === undefined && localActors === undefined) {
    throw new Error(
      '--distributed needs --redis URL, or --local-actors N to start a private redis-server here',
    );
  }
  if (redisUrl !== undefined) checkRedisUrl(redisUrl);
  if (localActors !== undefined && !(Number.isInteger(localActors) && localActors >= 1)) {
    throw new Error('--local-actors must be an integer >= 1');
  }
}

export async function trainDistributed(options: TrainDistributedOptions): Promise<LearnerSummary> {
  const log = options.log ?? (() => {});
  checkDistributedFlags(options.redisUrl, options.localActors);
  let server: RedisServer | undefined;
  let redisUrl = options.redisUrl;
  if (redisUrl === undefined) {
    server = await startRedisServer();
    redisUrl = server.url;
    log(`started a private redis-server on 127.0.0.1:${server.port}`);
  }
  let children: ChildProcess[] = [];
  const run = options.run ?? basename(options.runDir);
  try {
    return await runLearner({
      ...options,
      redisUrl,
      run,
      onReady: () => {
        options.onReady?.();
        if (options.localActors) {
          children = spawnLocalActors({
            redisUrl: redisUrl as string,
            run,
            count: options.localActors,
            args: options.actorArgs,
            log,
          });
        }
      },
    });
  } finally {
    await stopActors(children);
    await server?.stop();
  }
}
