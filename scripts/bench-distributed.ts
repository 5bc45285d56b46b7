/**
 * The distributed (Ape-X over Redis) figures, on this machine, with a private redis-server:
 *
 *   throughput: transitions/s from 1, 2, 4 local actor processes through Redis into the
 *     learner's replay, 84x84 frames, compressed and not (the learner only inserting); the bytes
 *     per transition on the wire (the stream entries' payload); and the learner's updates/s while
 *     it consumes and trains (one update per 4 transitions, as pixelrl train)
 *   race: the same Catch-v0 run (pixelrl train's CPU defaults: 42x42, compact net, 10-step
 *     Double DQN, prioritized) locally and with 2 local actors: wall time until an evaluation
 *     reaches a mean return of 17, or the cap
 *
 *     npx tsx scripts/bench-distributed.ts [--part throughput|race|all] [--transitions 1000]
 *                                          [--actors 1,2,4] [--race-seconds 600] [--backend wasm]
 *
 * Every process here shares the machine's cores: on a 2-core machine, actors compete with the
 * learner (and with anything else running), so read the figures with the `uptime` load printed
 * before and after.
 */
import { execSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type BackendName, initBackend, parseBackendName } from '../src/backend/select.js';
import { configFromFlags } from '../src/cli/commands/train.js';
import { runLearner } from '../src/distributed/learner.js';
import { spawnLocalActors, stopActors } from '../src/distributed/local-actors.js';
import { runKeys } from '../src/distributed/redis.js';
import { startRedisServer } from '../src/distributed/redis-server.js';
import { makeDistributed } from '../src/distributed/settings.js';
import { trainDistributed } from '../src/distributed/train-distributed.js';
import { runDqn } from '../src/train/run-dqn.js';
import type { RunConfig } from '../src/train/train-config.js';

interface Options {
  part: 'throughput' | 'race' | 'all';
  transitions: number;
  actors: number[];
  raceSeconds: number;
  backend?: BackendName;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { part: 'all', transitions: 1000, actors: [1, 2, 4], raceSeconds: 600 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (value === undefined) fail(`${flag} needs a value`);
    if (flag === '--part' && ['throughput', 'race', 'all'].includes(value)) o.part = value as Options['part'];
    else if (flag === '--transitions' && Number.isInteger(Number(value)) && Number(value) >= 200)
      o.transitions = Number(value);
    else if (flag === '--actors' && /^\d+(,\d+)*$/.test(value)) o.actors = value.split(',').map(Number);
    else if (flag === '--race-seconds' && Number(value) > 0) o.raceSeconds = Number(value);
    else if (flag === '--backend') o.backend = parseBackendName(value);
    else fail(`unknown or bad option ${flag} ${value}`);
  }
  if (o.actors.some((n) => n < 1)) fail('--actors must be positive integers');
  return o;
}

function fail(message: string): never {
  process.stderr.write(`bench-distributed: ${message}\n`);
  process.exit(2);
}

const uptime = () => execSync('uptime').toString().trim();
const quiet = () => {};

function catchConfig(flags: Record<string, unknown>): RunConfig {
  return configFromFlags({ env: 'Catch-v0', algo: 'dqn', progress: 'off', ...flags } as Parameters<
    typeof configFromFlags
  >[0]);
}

/**
 * One throughput figure: `actors` processes → Redis → the learner's replay. With `train` off the
 * learner only inserts (learning starts after the budget): the transport's rate. With it on, the
 * learner trains as `pixelrl train` would (one update per 4 transitions), which paces consumption.
 */
async function throughput(actors: number, compress: boolean, train: boolean, o: Options) {
  const server = await startRedisServer();
  const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-bench-')), 'bench');
  const config = makeDistributed(
    catchConfig({
      steps: o.transitions,
      seed: 1,
      frameSize: 84,
      net: '[c8k8s4,relu:c16k4s2,relu:64,relu]',
      learningStarts: train ? 200 : o.transitions + 1,
      bufferSize: 20_000,
      evalEpisodes: 0,
      saveReplay: false,
    }),
    { actors, envsPerActor: 1, compress },
  );
  const actorArgs = o.backend ? ['--backend', o.backend] : [];
  let start = 0;
  let firstStep = 0;
  let updatesAtStart = 0;
  const children: ReturnType<typeof spawnLocalActors> = [];
  try {
    const summary = await runLearner({
      runDir,
      config,
      redisUrl: server.url,
      progress: 'off',
      log: quiet,
      onReady: () => {
        children.push(
          ...spawnLocalActors({ redisUrl: server.url, run: 'bench', count: actors, args: actorArgs }),
        );
      },
      onRecord: (r) => {
        // Time from the first record (an episode, or a train line): actor start-up is not throughput.
        if (start === 0) {
          start = performance.now();
          firstStep = r.step;
        }
      },
    });
    const seconds = (performance.now() - start) / 1000;
    const redis = new Redis(server.url);
    const entries = (await redis.xrangeBuffer(runKeys('bench').stream, '-', '+')) as [Buffer, Buffer[]][];
    let bytes = 0;
    let sent = 0;
    for (const [, fields] of entries) {
      for (let i = 0; i < fields.length; i += 2) {
        bytes += fields[i].length + fields[i + 1].length;
        if (fields[i].toString() === 'n') sent += Number(fields[i + 1].toString());
      }
    }
    redis.disconnect();
    updatesAtStart = train
      ? Math.round(((firstStep - 200) / config.dqn.trainFrequency) * config.dqn.gradientSteps)
      : 0;
    return {
      actors,
      compress,
      transitionsPerSecond: (summary.step - firstStep) / seconds,
      updatesPerSecond: train ? (summary.updates - Math.max(0, updatesAtStart)) / seconds : Number.NaN,
      bytesPerTransition: bytes / sent,
    };
  } finally {
    await stopActors(children, 2000);
    await server.stop();
  }
}

/** Seconds until an evaluation of the Catch-v0 run reaches 17 (or null at the cap). */
async function race(
  kind: 'local' | '2 actors',
  o: Options,
): Promise<{ seconds: number | null; steps: number; best: number }> {
  const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-race-')), 'race');
  const base = catchConfig({ steps: 200_000, seed: 0, evalInterval: 2500, evalEpisodes: 5 });
  const controller = new AbortController();
  const cap = setTimeout(() => controller.abort(), o.raceSeconds * 1000);
  const t0 = performance.now();
  let reached: number | null = null;
  let best = Number.NEGATIVE_INFINITY;
  let steps = 0;
  const onRecord = (r: { kind: string; meanReturn?: number; step: number }) => {
    if (r.kind !== 'eval') return;
    best = Math.max(best, r.meanReturn as number);
    steps = r.step;
    if ((r.meanReturn as number) >= 17 && reached === null) {
      reached = (performance.now() - t0) / 1000;
      controller.abort();
    }
  };
  try {
    if (kind === 'local') {
      await runDqn({ runDir, config: base, progress: 'off', signal: controller.signal, onRecord });
    } else {
      await trainDistributed({
        runDir,
        config: makeDistributed(base, { actors: 2, envsPerActor: 1 }),
        localActors: 2,
        actorArgs: o.backend ? ['--backend', o.backend] : [],
        progress: 'off',
        signal: controller.signal,
        onRecord,
      });
    }
  } finally {
    clearTimeout(cap);
  }
  return { seconds: reached, steps, best };
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  const info = await initBackend({ backend: o.backend });
  console.log(`bench-distributed: ${availableParallelism()} cores, backend ${info.name}`);
  console.log(`uptime before: ${uptime()}`);
  if (o.part !== 'race') {
    console.log(`\nthroughput: Catch-v0 84x84, ${o.transitions} transitions per case, 1 env per actor`);
    console.log('actors  compressed  learner   transitions/s  updates/s  bytes/transition on the wire');
    const cases: [boolean, boolean][] = [
      [true, false],
      [false, false],
      [true, true],
    ];
    for (const [compress, train] of cases) {
      for (const actors of o.actors) {
        const r = await throughput(actors, compress, train, o);
        console.log(
          `${String(r.actors).padStart(6)}  ${String(r.compress).padEnd(10)}  ${(train ? 'trains' : 'inserts').padEnd(8)}  ` +
            `${r.transitionsPerSecond.toFixed(0).padStart(13)}  ${(train ? r.updatesPerSecond.toFixed(1) : '-').padStart(9)}  ` +
            `${r.bytesPerTransition.toFixed(0).padStart(10)}`,
        );
      }
    }
    console.log(`uptime: ${uptime()}`);
  }
  if (o.part !== 'throughput') {
    console.log(
      `\nrace: Catch-v0 (pixelrl train's CPU defaults), wall time to an evaluation >= 17, cap ${o.raceSeconds} s`,
    );
    for (const kind of ['local', '2 actors'] as const) {
      const r = await race(kind, o);
      console.log(
        `${kind.padEnd(9)} ${r.seconds === null ? `not reached in ${o.raceSeconds} s` : `${r.seconds.toFixed(0)} s`} ` +
          `(last evaluation at step ${r.steps}, best mean return ${Number.isFinite(r.best) ? r.best.toFixed(1) : '-'})`,
      );
    }
  }
  console.log(`uptime after: ${uptime()}`);
}

await main();
