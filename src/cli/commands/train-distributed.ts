/**
 * The `--distributed` part of `pixelrl train` (Ape-X over Redis, src/distributed/): its flags,
 * and the job that train.ts's shared flow (config, run directory, Ctrl-C, summary) runs.
 *
 *   pixelrl train --distributed [N] --redis URL          a learner; actors join with `pixelrl actor`
 *   pixelrl train --distributed --local-actors 2         + a private redis-server and 2 actors here
 *   pixelrl train --resume RUN --redis URL               a distributed run resumes as one
 */
import type { Command } from 'commander';
import type { BackendName } from '../../backend/select.js';
import type { DistributedRunConfig } from '../../distributed/settings.js';
import { isDistributedRun } from '../../distributed/settings.js';
import {
  checkDistributedFlags,
  distributedConfigOf,
  trainDistributed,
} from '../../distributed/train-distributed.js';
import type { Engine } from '../../engine/select.js';
import type { RunConfig } from '../../train/train-config.js';
import { intArg, runDirOf } from './cli-args.js';
import { runSummary } from './run-summary.js';

export interface DistributedFlags {
  distributed?: boolean | number;
  redis?: string;
  localActors?: number;
  resume?: string;
  algo: string;
  steps?: number;
  backend?: BackendName;
  progress: 'auto' | 'bar' | 'lines' | 'off';
}

export function addDistributedFlags(cmd: Command): void {
  cmd
    .option(
      '--distributed [actors]',
      'Ape-X: train DQN on experience from actor processes, through Redis; actors = actor slots (default: --local-actors, else 2)',
      intArg('--distributed', 1),
    )
    .option(
      '--redis <url>',
      'the Redis of a --distributed run: redis://[user:password@]host:port or rediss://…',
    )
    .option(
      '--local-actors <n>',
      'with --distributed: start N actors here (and a private redis-server when --redis is not given)',
      intArg('--local-actors', 1),
    );
}

/** True when the flags ask for a distributed run, or resume one. */
export function wantsDistributed(flags: DistributedFlags): boolean {
  if (flags.distributed !== undefined || flags.redis !== undefined || flags.localActors !== undefined)
    return true;
  return flags.resume !== undefined && isDistributedRun(runDirOf(flags.resume));
}

/** The job of a distributed run; `configFromFlags` is train.ts's (numEnvs = envs per actor). */
export function distributedJob(flags: DistributedFlags, configFromFlags: () => RunConfig) {
  const resume = flags.resume !== undefined;
  return {
    config: (): DistributedRunConfig => {
      if (flags.algo !== 'dqn') throw new Error(`--distributed trains DQN (Ape-X), not --algo ${flags.algo}`);
      checkDistributedFlags(flags.redis, flags.localActors);
      const actors = typeof flags.distributed === 'number' ? flags.distributed : undefined;
      return distributedConfigOf(configFromFlags(), actors, flags.localActors);
    },
    run: async (args: {
      config: DistributedRunConfig | undefined;
      runDir: string;
      log: (line: string) => void;
      signal: AbortSignal;
      engine: Engine;
    }): Promise<string> => {
      const r = await trainDistributed({
        ...args,
        resume,
        steps: resume ? flags.steps : undefined,
        redisUrl: flags.redis,
        localActors: flags.localActors,
        actorArgs: [
          ...(flags.backend ? ['--backend', flags.backend] : []),
          // The local actors act on the learner's engine (each its own ORT session).
          ...[
            '--engine',
            args.engine.name,
            '--device',
            args.engine.device,
            '--threads',
            String(args.engine.threads),
          ],
        ],
        progress: flags.progress,
      });
      return runSummary(
        {
          stopped: r.stopped,
          steps: r.step,
          seconds: r.seconds,
          episodes: r.episodes,
          meanReturn: r.meanRecentReturn,
          lastEval: r.lastEval,
        },
        args.runDir,
      );
    },
  };
}
