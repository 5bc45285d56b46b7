/**
 * The bundled agent for a classic: the best final DQN agent on Pong-v0 or Breakout-v0 in
 * benchmarks/results.json (or a run named with --run, or one trained here with --train), copied
 * to checkpoints/bundled/<name> without its replay memory, with its reward curve, t-SNE map, V(s)
 * plot and an animation written to docs/cli/<name>-*.
 *
 *   npx tsx scripts/bundle-classic-agent.ts [--run <run dir> | --train --env Pong-v0 --seed 0]
 *       [--name pong-dqn] [--docs docs/cli] [--bundled checkpoints/bundled] [--overwrite]
 *
 * --train reruns the benchmark's training (the tuned entry of hyperparams/dqn.json, the runner's
 * eval cadence, ort with one thread), which on the same engine build reproduces the run exactly.
 * An existing bundle is replaced only with --overwrite (the old one is moved aside first and
 * removed once the new one is in place). Run from the repository root after `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchmarkResult, readResults } from './benchmark-results.js';
import { copyRunWithoutReplay } from './bundle-run.js';

const CLASSICS = ['Pong-v0', 'Breakout-v0'];

const { values } = parseArgs({
  options: {
    run: { type: 'string' },
    train: { type: 'boolean', default: false },
    env: { type: 'string', default: 'Pong-v0' },
    seed: { type: 'string', default: '0' },
    name: { type: 'string' },
    docs: { type: 'string', default: 'docs/cli' },
    bundled: { type: 'string', default: 'checkpoints/bundled' },
    results: { type: 'string', default: 'benchmarks/results.json' },
    overwrite: { type: 'boolean', default: false },
  },
});

const cli = resolve('dist/src/cli/main.js');

function fail(line: string): never {
  process.stderr.write(`bundle-classic-agent: ${line}\n`);
  process.exit(2);
}

function pixelrl(args: string[]): string {
  process.stdout.write(`$ pixelrl ${args.join(' ')}\n`);
  const out = execFileSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 26,
  });
  process.stdout.write(out);
  return out;
}

/** The best DQN result on a classic (highest normalized final eval), or fails. */
function bestClassic(): BenchmarkResult {
  const runs = readResults(values.results).runs.filter(
    (r) => r.algo === 'dqn' && CLASSICS.includes(r.game) && r.normalized !== null,
  );
  if (runs.length === 0)
    fail(
      `${values.results} has no DQN result on ${CLASSICS.join(' or ')}: name a run with --run or use --train`,
    );
  return runs.reduce((a, b) => ((b.normalized as number) > (a.normalized as number) ? b : a));
}

/** The run directory to bundle, trained here when --train is given. */
function sourceRun(): string {
  if (values.run !== undefined) {
    const dir = resolve(values.run);
    if (!existsSync(join(dir, 'checkpoint', 'manifest.json')))
      fail(`${values.run} holds no checkpoint/manifest.json: give a finished run directory`);
    return dir;
  }
  if (!values.train) return bestClassic().runDir;
  if (!CLASSICS.includes(values.env))
    fail(`--env ${values.env}: the bundled classic is one of ${CLASSICS.join(', ')}`);
  const runName = `bundle-${values.env.replace(/-v\d+$/, '').toLowerCase()}-dqn-s${values.seed}`;
  if (existsSync(join('checkpoints', runName)))
    fail(`checkpoints/${runName} exists: move it away or bundle it with --run checkpoints/${runName}`);
  pixelrl([
    'train',
    '--env',
    values.env,
    '--seed',
    values.seed,
    '--engine',
    'ort',
    '--threads',
    '1',
    '--eval-interval',
    '50000',
    '--eval-episodes',
    '10',
    '--no-save-replay',
    '--progress',
    'lines',
    '--run-name',
    runName,
  ]);
  return resolve('checkpoints', runName);
}

async function main(): Promise<void> {
  if (!existsSync(cli)) fail(`${cli} is missing: run \`npm run build\` first`);
  const src = sourceRun();
  const config = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8')) as { env?: string };
  const env = config.env ?? 'unknown';
  if (!CLASSICS.includes(env))
    fail(`${src} trained ${env}: the bundled classic is one of ${CLASSICS.join(', ')}`);
  const name = values.name ?? `${env.replace(/-v\d+$/, '').toLowerCase()}-dqn`;
  const dest = resolve(values.bundled, name);
  if (existsSync(dest) && !values.overwrite)
    fail(
      `${dest} exists: pass --overwrite to replace it (the old bundle is kept until the new one is in place)`,
    );

  const temp = `${dest}.new-${process.pid}`;
  await copyRunWithoutReplay(src, temp);
  const old = `${dest}.old-${process.pid}`;
  if (existsSync(dest)) renameSync(dest, old);
  renameSync(temp, dest);
  rmSync(old, { recursive: true, force: true });
  process.stdout.write(`bundled ${src} as ${dest}\n`);

  const docs = resolve(values.docs);
  const at = (suffix: string) => join(docs, `${name}-${suffix}`);
  pixelrl(['eval', dest, '--episodes', '30']);
  pixelrl(['plot', dest, '-o', at('reward-curve.png')]);
  pixelrl([
    'tsne',
    dest,
    '--steps',
    '3000',
    '--points',
    '1000',
    '--seed',
    '1',
    '-o',
    at('tsne-map.png'),
    '--value-plot',
    at('value-episode.png'),
  ]);
  pixelrl(['play', dest, '--seed', '2', '--max-steps', '300', '--scale', '1', '--out', at('agent.gif')]);
}

await main();
