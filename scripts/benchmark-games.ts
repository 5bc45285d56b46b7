/**
 * The learning benchmark: trains each (algo, game, seed) of benchmarks/plan.json at its tuned
 * entry (hyperparams/<algo>.json), one run at a time, evaluates the final agent over 30 episodes
 * and writes benchmarks/results.json after every run (temp file, fsync, rename), with a copy of the
 * run's config.json and metrics.jsonl under benchmarks/runs/<key>/ (run directories are not
 * committed; the copy lets scripts/benchmark-report.ts redraw every curve on another machine).
 *
 *   npx tsx scripts/benchmark-games.ts [--snapshot /work/bench-snapshot] [--plan benchmarks/plan.json]
 *       [--results benchmarks/results.json] [--runs checkpoints/bench] [--hyperparams hyperparams]
 *       [--kept benchmarks/runs] [--commit] [--once]
 *
 * Resumable: a run already in results.json is skipped; a run whose directory holds a checkpoint is
 * continued with `pixelrl train --resume`; a run directory without one is started again
 * (`--overwrite` moves it aside). Started runs go before new ones. The plan and the hyperparams
 * files are read again before each run, so runs can be added to the plan while the runner goes; a
 * started run keeps the settings it started with (they are saved beside its directory and in its
 * config.json). A finished run whose tuned entry has changed since is trained again: its result
 * moves to results.json's `superseded` list and its files to `<runs>/superseded/`.
 *
 * Several runners may share one plan (one per core, each with its own `--snapshot` if wanted): a
 * lock file beside each run (`<key>.lock`, the runner's pid) keeps two from taking the same run,
 * and results.json is rewritten under its own lock.
 *
 * The training runs in a separate `pixelrl` build (`--snapshot`, a git worktree of a fixed commit
 * built with tsc) so that edits to this tree while a run goes cannot change it; its settings are
 * passed explicitly as a generated --config file, and the snapshot's commit is recorded per run.
 * Each run gets one core: `--threads 1 --workers 0`. SIGINT / SIGTERM stop the current run at its
 * next step (the train CLI checkpoints on SIGINT) and then the runner.
 */

import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/viz/atomic.js';
import {
  moveRunAside,
  type ResultsWithHistory,
  releaseLock,
  supersedeStale,
  takeLock,
} from './benchmark-claims.js';
import { KEPT_ROOT, keepRunFiles } from './benchmark-kept.js';
import { type BenchmarkResult, benchmarkEntry, readResults, runKey } from './benchmark-results.js';

const { values } = parseArgs({
  options: {
    snapshot: { type: 'string', default: '/work/bench-snapshot' },
    plan: { type: 'string', default: 'benchmarks/plan.json' },
    results: { type: 'string', default: 'benchmarks/results.json' },
    runs: { type: 'string', default: 'checkpoints/bench' },
    hyperparams: { type: 'string', default: 'hyperparams' },
    kept: { type: 'string', default: KEPT_ROOT },
    commit: { type: 'boolean', default: false },
    once: { type: 'boolean', default: false },
  },
});

const EVAL_EPISODES = 30;
const EVAL_SEED = 12345;
const EVAL_EPSILON = 0.05;
/** Tries per run (a try is one train process: the first start, then resumes) before it is skipped. */
const MAX_TRIES = 4;
/** Seconds a stopped train process gets to checkpoint and exit before it is killed. */
const STOP_GRACE_S = 120;

interface PlanItem {
  algo: 'dqn' | 'ppo';
  env: string;
  seed: number;
}

/** What the runner keeps beside a run's directory: the settings it started with and its wall time. */
interface RunState {
  key: string;
  item: PlanItem;
  hyperparamsFile: string;
  hyperparamsVersion: number;
  comment: string;
  config: Record<string, unknown>;
  budgetSteps: number;
  snapshotCommit: string;
  loadAtStart: string;
  /** Wall seconds of each train process so far (the running one updated every 30 s). */
  segments: number[];
  tries: number;
}

const snapshot = resolve(values.snapshot);
const cli = join(snapshot, 'dist/src/cli/main.js');
const runsDir = resolve(values.runs);
const resultsPath = resolve(values.results);
let stopping = false;
let child: ReturnType<typeof spawn> | undefined;

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function uptime(): string {
  return execFileSync('uptime', { encoding: 'utf8' }).trim();
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function readPlan(): PlanItem[] {
  const plan = readJson(values.plan) as { runs?: PlanItem[] };
  if (!Array.isArray(plan.runs))
    throw new Error(`${values.plan}: expected { "runs": [{ algo, env, seed }, …] }`);
  return plan.runs;
}

/** The run's settings as a --config file: the tuned entry, plus the runner's eval and checkpoint cadence. */
function runSettings(
  item: PlanItem,
): Omit<RunState, 'key' | 'item' | 'snapshotCommit' | 'loadAtStart' | 'segments' | 'tries'> {
  const file = join(values.hyperparams, `${item.algo}.json`);
  const { version, entry } = benchmarkEntry(readJson(file), item.env, file);
  const config = structuredClone(entry.config);
  if (item.algo === 'dqn') {
    const steps = config.steps as number;
    Object.assign(config, { env: item.env, seed: item.seed, evalEpisodes: 10, checkpointInterval: 25_000 });
    config.evalInterval = config.evalInterval ?? Math.min(50_000, steps);
    return {
      hyperparamsFile: file,
      hyperparamsVersion: version,
      comment: entry.comment,
      config,
      budgetSteps: steps,
    };
  }
  const steps = config.totalSteps as number;
  Object.assign(config, { env: item.env, seed: item.seed, checkpointEverySteps: 50_000, workers: 0 });
  config.evalEverySteps = config.evalEverySteps ?? 100_000;
  config.evalEpisodes = config.evalEpisodes ?? 10;
  return {
    hyperparamsFile: file,
    hyperparamsVersion: version,
    comment: entry.comment,
    config,
    budgetSteps: steps,
  };
}

/** Runs the snapshot's CLI; resolves with its exit code; adds its wall time to state.segments. */
function runCli(args: string[], outPath: string, state?: { s: RunState; path: string }): Promise<number> {
  return new Promise((done) => {
    const out = openSync(outPath, 'a');
    const t0 = Date.now();
    if (state) state.s.segments.push(0);
    const tick = () => {
      if (!state) return;
      state.s.segments[state.s.segments.length - 1] = Math.round((Date.now() - t0) / 1000);
      writeFileAtomic(state.path, `${JSON.stringify(state.s, null, 2)}\n`);
    };
    const timer = setInterval(tick, 30_000);
    child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', out, out], cwd: snapshot });
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      tick();
      closeSync(out);
      child = undefined;
      done(code ?? (signal ? 128 : 1));
    });
  });
}

function evalRun(
  runDir: string,
  outPath: string,
): { step: number; meanReturn: number; stdReturn: number; returns: number[] } {
  const text = execFileSync(
    process.execPath,
    [
      cli,
      'eval',
      runDir,
      '--episodes',
      String(EVAL_EPISODES),
      '--seed',
      String(EVAL_SEED),
      '--epsilon',
      String(EVAL_EPSILON),
      '--json',
    ],
    {
      encoding: 'utf8',
      cwd: snapshot,
      maxBuffer: 1 << 24,
      stdio: ['ignore', 'pipe', openSync(outPath, 'a')],
    },
  );
  const line = text.trim().split('\n').pop() ?? '';
  return JSON.parse(line);
}

async function scoresOf(
  env: string,
): Promise<{ random: number; reference: number; frameskip: number } | undefined> {
  const { createRegistry } = (await import(join(snapshot, 'dist/envs/registry.js'))) as {
    createRegistry: () => {
      spec(id: string): { kind: string; scores?: { random: number; reference: number } };
    };
  };
  const spec = createRegistry().spec(env);
  if (!spec.scores) return undefined;
  return { ...spec.scores, frameskip: 4 };
}

/** Commits results.json and the given kept files; a few tries, as another runner (or a person) may hold git's index lock. */
function commitResults(key: string, kept: string[] = []): void {
  if (!values.commit) return;
  const paths = [values.results, ...kept];
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync('git', ['add', ...paths], { stdio: 'ignore' });
      execFileSync(
        'git',
        ['commit', '-m', `benchmarks: ${key} (scripts/benchmark-games.ts)`, '--', ...paths],
        { stdio: 'ignore' },
      );
      log(`committed ${paths.join(', ')}`);
      return;
    } catch (err) {
      if (attempt === 5) {
        log(
          `git commit of ${values.results} failed (left for later): ${(err as Error).message.split('\n')[0]}`,
        );
        return;
      }
      Atomics.wait(pause, 0, 0, 3000);
    }
  }
}

/** The run's config and metrics copied under --kept (a failure is logged: the result stands without it). */
function keepRun(result: BenchmarkResult): string[] {
  try {
    return keepRunFiles(result.runDir, join(values.kept, result.key));
  } catch (err) {
    log(`${result.key}: its metrics were not kept: ${(err as Error).message}`);
    return [];
  }
}

/** Trains one plan item to its budget (resuming where it stopped); returns its result or undefined. */
async function runOne(item: PlanItem, snapshotCommit: string): Promise<BenchmarkResult | undefined> {
  const key = runKey(item);
  const runDir = join(runsDir, key);
  const statePath = join(runsDir, `${key}.bench.json`);
  const outPath = join(runsDir, `${key}.log`);
  const configPath = join(runsDir, `${key}.config.json`);
  let s: RunState;
  if (existsSync(statePath)) {
    s = readJson(statePath) as RunState;
  } else {
    s = { key, item, ...runSettings(item), snapshotCommit, loadAtStart: uptime(), segments: [], tries: 0 };
    writeFileAtomic(configPath, `${JSON.stringify(s.config, null, 2)}\n`);
    writeFileAtomic(statePath, `${JSON.stringify(s, null, 2)}\n`);
  }
  const common = ['--engine', 'ort', '--threads', '1', '--progress', 'lines'];
  while (!stopping) {
    if (s.tries >= MAX_TRIES) {
      log(`${key}: ${s.tries} tries without reaching ${s.budgetSteps} steps; skipped (see ${outPath})`);
      return undefined;
    }
    const hasCheckpoint = existsSync(join(runDir, 'checkpoint'));
    const args = hasCheckpoint
      ? ['train', '--resume', runDir, ...common]
      : [
          'train',
          ...(item.algo === 'ppo' ? ['--algo', 'ppo'] : []),
          '--config',
          configPath,
          '--run-name',
          runDir,
          ...common,
          ...(existsSync(runDir) ? ['--overwrite'] : []),
        ];
    s.tries += 1;
    log(`${key}: ${hasCheckpoint ? 'resuming' : 'starting'} (try ${s.tries}): node ${cli} ${args.join(' ')}`);
    const code = await runCli(args, outPath, { s, path: statePath });
    log(`${key}: train exited with ${code} after ${s.segments[s.segments.length - 1]} s`);
    if (stopping) return undefined;
    if (!existsSync(join(runDir, 'checkpoint'))) continue;
    const ev = evalRun(runDir, outPath);
    if (ev.step < s.budgetSteps) {
      log(`${key}: checkpoint at step ${ev.step} of ${s.budgetSteps}; resuming`);
      continue;
    }
    const scores = await scoresOf(item.env);
    const frameskip = scores?.frameskip ?? 1;
    const result: BenchmarkResult = {
      key,
      game: item.env,
      algo: item.algo,
      seed: item.seed,
      budgetSteps: s.budgetSteps,
      budgetFrames: s.budgetSteps * frameskip,
      wallSeconds: s.segments.reduce((a, b) => a + b, 0),
      trainProcesses: s.segments.length,
      machine: {
        cpuModel: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        uptimeAtStart: s.loadAtStart,
        uptimeAtEnd: uptime(),
      },
      eval: {
        episodes: EVAL_EPISODES,
        epsilon: EVAL_EPSILON,
        seed: EVAL_SEED,
        step: ev.step,
        mean: ev.meanReturn,
        sd: ev.stdReturn,
        returns: ev.returns,
      },
      random: scores?.random ?? null,
      reference: scores?.reference ?? null,
      normalized: scores ? (ev.meanReturn - scores.random) / (scores.reference - scores.random) : null,
      snapshotCommit: s.snapshotCommit,
      hyperparams: { file: s.hyperparamsFile, version: s.hyperparamsVersion, comment: s.comment },
      config: s.config,
      runDir,
      finishedAt: new Date().toISOString(),
    };
    return result;
  }
  return undefined;
}

async function main(): Promise<void> {
  mkdirSync(runsDir, { recursive: true });
  const snapshotCommit = execFileSync('git', ['-C', snapshot, 'rev-parse', 'HEAD'], {
    encoding: 'utf8',
  }).trim();
  log(
    `runner pid ${process.pid}; snapshot ${snapshot} at ${snapshotCommit}; runs under ${runsDir}; ${uptime()}`,
  );
  const failed = new Set<string>();
  while (!stopping) {
    const plan = readPlan();
    withResultsLock(() => supersedeChanged(plan));
    const done = new Set(readResults(resultsPath).runs.map((r) => r.key));
    const open = plan.filter((item) => !done.has(runKey(item)) && !failed.has(runKey(item)));
    if (open.length === 0) {
      log('every run of the plan is in the results; done');
      return;
    }
    // Started runs first (they hold a state file), then the plan's order; skip runs another runner holds.
    const started = (item: PlanItem) => existsSync(join(runsDir, `${runKey(item)}.bench.json`));
    const next = [...open.filter(started), ...open.filter((i) => !started(i))].find((item) =>
      takeLock(lockPath(item)),
    );
    if (!next) {
      log(`the ${open.length} open runs are held by other runners; done`);
      return;
    }
    // The lock is kept until the result is written, so no runner takes a finished run again.
    let result: BenchmarkResult | undefined;
    try {
      result = await runOne(next, snapshotCommit);
      const finished = result;
      if (finished)
        withResultsLock(() => {
          const fresh: ResultsWithHistory = readResults(resultsPath);
          fresh.runs = fresh.runs.filter((r) => r.key !== finished.key).concat(finished);
          writeFileAtomic(resultsPath, `${JSON.stringify(fresh, null, 2)}\n`);
        });
    } finally {
      releaseLock(lockPath(next));
    }
    if (!result) {
      if (!stopping) failed.add(runKey(next));
      continue;
    }
    const norm = result.normalized === null ? '' : `, normalized ${result.normalized.toFixed(3)}`;
    log(
      `${result.key}: eval ${result.eval.mean.toFixed(2)} ± ${result.eval.sd.toFixed(2)} over ${EVAL_EPISODES}${norm}; ${result.wallSeconds} s wall; wrote ${resultsPath}`,
    );
    commitResults(result.key, keepRun(result));
    if (values.once) return;
  }
}

function lockPath(item: PlanItem): string {
  return join(runsDir, `${runKey(item)}.lock`);
}

/** Runs `fn` holding results.json's lock (waits for another runner to let it go). */
function withResultsLock(fn: () => void): void {
  const lock = `${resultsPath}.lock`;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (!takeLock(lock)) Atomics.wait(pause, 0, 0, 200);
  try {
    fn();
  } finally {
    releaseLock(lock);
  }
}

/** Finished runs of the plan whose tuned entry changed since: their results and files are moved aside. */
function supersedeChanged(plan: PlanItem[]): void {
  const results: ResultsWithHistory = readResults(resultsPath);
  const moved: string[] = [];
  for (const item of plan) {
    const key = runKey(item);
    // A run another runner holds is left alone (it is being trained or its result written).
    if (!takeLock(lockPath(item))) continue;
    let dest: string | undefined;
    try {
      if (!supersedeStale(results, key, runSettings(item).config)) continue;
      dest = moveRunAside(runsDir, key, new Date().toISOString().replace(/[:.]/g, '-'));
    } finally {
      releaseLock(lockPath(item));
    }
    log(`${key}: its tuned entry changed; result moved to "superseded", files to ${dest ?? '(none)'}`);
    moved.push(key);
  }
  if (moved.length === 0) return;
  writeFileAtomic(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  commitResults(`${moved.join(', ')} superseded`);
}

const stop = () => {
  if (stopping) return;
  stopping = true;
  log(
    `stopping: SIGINT to the current train process (it checkpoints), SIGKILL if it is still there after ${STOP_GRACE_S} s`,
  );
  child?.kill('SIGINT');
  // The on-policy loop of the snapshot never yields to the event loop between updates, so its
  // SIGINT handler does not run: such a run restarts from its last periodic checkpoint.
  setTimeout(() => child?.kill('SIGKILL'), STOP_GRACE_S * 1000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
main().catch((err: Error) => {
  log(`runner failed: ${err.stack ?? err.message}`);
  process.exitCode = 1;
});
