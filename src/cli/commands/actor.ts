/**
 * `pixelrl actor --redis URL --run NAME`: an Ape-X actor for a distributed run (src/distributed/):
 * it takes a free actor slot of the learner's run, steps its envs with the published weights and
 * its slot's ε, and streams its experience to the learner until the run is done or Ctrl-C.
 * The URL may also come from PIXELRL_REDIS_URL (so that a password stays out of `ps`); it is
 * never printed with its password.
 */
import { Command } from 'commander';
import { type BackendName, initBackend } from '../../backend/select.js';
import { runActor } from '../../distributed/actor.js';
import { checkRedisUrl, runKeys } from '../../distributed/redis.js';
import type { Device } from '../../engine/ort/session.js';
import { createEngine, type Engine } from '../../engine/select.js';
import type { EngineName } from '../../engine/types.js';
import { addEngineFlags, BACKEND_HELP, backendArg, intArg } from './cli-args.js';

interface ActorFlags {
  redis?: string;
  run: string;
  envs?: number;
  workers: number;
  seed?: number;
  maxSteps?: number;
  backend?: BackendName;
  threads?: number;
  engine?: EngineName | 'auto';
  device?: Device;
}

export function actorCommand(): Command {
  const cmd = new Command('actor')
    .description('an actor of a distributed run: steps envs, streams experience to the learner through Redis')
    .option('--redis <url>', 'redis://[user:password@]host:port or rediss://… (default: $PIXELRL_REDIS_URL)')
    .requiredOption('--run <name>', "the learner's run name (its run directory's name)")
    .option(
      '--envs <n>',
      "envs to step (default and at most: the learner's envs per actor)",
      intArg('--envs', 1),
    )
    .option('--workers <n>', 'worker threads for the envs (0 = main thread)', intArg('--workers', 0), 0)
    .option(
      '--seed <n>',
      'seed of the envs and exploration (default: from the run seed and the slot)',
      intArg('--seed', 0),
    )
    .option('--max-steps <n>', 'stop after this many env steps', intArg('--max-steps', 1))
    .option('--backend <name>', BACKEND_HELP, backendArg);
  addEngineFlags(cmd, 'engine of the Q-network');
  cmd.action(async (flags: ActorFlags) => {
    const url = flags.redis ?? process.env.PIXELRL_REDIS_URL;
    try {
      if (url === undefined) throw new Error('--redis URL is required (or set PIXELRL_REDIS_URL)');
      checkRedisUrl(url);
      runKeys(flags.run);
    } catch (err) {
      cmd.error(`error: ${(err as Error).message}`, { exitCode: 2 });
    }
    const log = (line: string) => process.stderr.write(`${line}\n`);
    let engine: Engine;
    try {
      engine = createEngine({ engine: flags.engine, device: flags.device, threads: flags.threads });
    } catch (err) {
      return cmd.error(`error: ${(err as Error).message}`, { exitCode: 2 });
    }
    log(`engine: ${engine.reason}`);
    await initBackend({ backend: flags.backend, threads: engine.name === 'tfjs' ? flags.threads : 1, log });
    const controller = new AbortController();
    const stop = () => {
      if (controller.signal.aborted) process.exit(130);
      log('actor: stopping');
      controller.abort();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    try {
      const s = await runActor({
        redisUrl: url as string,
        run: flags.run,
        envs: flags.envs,
        workers: flags.workers,
        seed: flags.seed,
        maxSteps: flags.maxSteps,
        engine,
        log,
        signal: controller.signal,
      });
      const why =
        s.end === 'done' ? 'the run is done' : s.end === 'max-steps' ? '--max-steps reached' : 'stopped';
      process.stdout.write(
        `actor slot ${s.slot}: ${s.steps} steps, ${s.messages} messages, ${s.transitions} transitions, ` +
          `${s.bytes} bytes, weights v${s.weightsVersion} (${why})\n`,
      );
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  });
  return cmd;
}
