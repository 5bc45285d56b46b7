/**
 * Kill -9 a training run again and again, resume it each time, and compare the result with an
 * uninterrupted run byte for byte: the check that no kill loses a checkpoint and that a resumed
 * run is the run it would have been.
 *
 *   npx tsx scripts/check-kill-resume.ts [--kills 12] [--seed 1] [--steps 3000] [--dir DIR] [--keep]
 *
 * Kills come in three kinds, chosen at random: at a random moment; while a checkpoint is being
 * written (as soon as checkpoint.tmp/ appears, after 0–3 ms); and, when `strace` is installed, at
 * a rename (strace's syscall fault injection delivers SIGKILL at the K-th rename). After each
 * kill the run directory must hold a loadable config.json and, once one was written, a loadable
 * checkpoint ("corrupt" counts the kills after which it did not); each resume must start
 * ("failed resumes"). At the end, metrics.jsonl (without its wall-time fields), every array and
 * weights file of checkpoint/ and best/, and state.json (without wall time) are compared with
 * the uninterrupted run's.
 *
 * Each run is a child process of this script (`--child <train args>`) that runs `pixelrl train`
 * as the CLI does; CartPole-v1 with a small network on the cpu backend, so results are exact.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/util/rng.js';

interface Options {
  kills: number;
  seed: number;
  steps: number;
  dir: string | null;
  keep: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { kills: 12, seed: 1, steps: 3000, dir: null, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const int = (name: string): number => {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be an integer >= 0, got ${value}`);
      i++;
      return n;
    };
    if (flag === '--kills') o.kills = int('--kills');
    else if (flag === '--seed') o.seed = int('--seed');
    else if (flag === '--steps') o.steps = Math.max(1, int('--steps'));
    else if (flag === '--dir') {
      o.dir = value;
      i++;
    } else if (flag === '--keep') o.keep = true;
    else throw new Error(`unknown option ${flag}; see the header of scripts/check-kill-resume.ts`);
  }
  return o;
}

const script = fileURLToPath(import.meta.url);

function trainArgs(steps: number): string[] {
  return [
    '--env',
    'CartPole-v1',
    '--preset',
    'classic',
    '--steps',
    String(steps),
    '--seed',
    '5',
    '--net',
    '[32,relu]',
    '--buffer-size',
    '5000',
    '--learning-starts',
    '200',
    '--checkpoint-interval',
    '250',
    '--eval-interval',
    '1000',
    '--eval-episodes',
    '2',
    '--backend',
    'cpu',
    '--progress',
    'off',
  ];
}

/** The command of a child: this script under tsx, in child mode. */
function childCommand(args: string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', script, '--child', ...args]];
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function waitFor(child: ChildProcess): Promise<Exit> {
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

function hasStrace(): boolean {
  return spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
}

type KillKind = 'random' | 'during-write' | 'at-rename';

/** Runs one child with `args`, killing it as `kind` says; resolves with how it ended. */
async function runAndKill(
  args: string[],
  run: string,
  kind: KillKind | null,
  rng: Rng,
  seconds: number,
  fresh = true,
): Promise<Exit> {
  let [cmd, argv] = childCommand(args);
  if (kind === 'at-rename') {
    // The K-th rename that touches one of the run's checkpoint folders or its config.json
    // (strace counts per thread, and libuv renames from its pool threads: K stays small).
    // A resumed run renames config.json only when --steps changes: not here.
    const paths = [
      'checkpoint.tmp',
      'checkpoint',
      join('best', 'checkpoint.tmp'),
      ...(fresh ? ['config.json'] : []),
    ];
    const path = join(run, paths[rng.int(paths.length)]);
    const when = 1 + rng.int(3);
    argv = [
      '-f',
      '-qq',
      '-o',
      '/dev/null',
      '-P',
      path,
      '-e',
      'trace=rename,renameat,renameat2',
      '-e',
      `inject=rename,renameat,renameat2:signal=SIGKILL:when=${when}`,
      cmd,
      ...argv,
    ];
    cmd = 'strace';
  }
  const child = spawn(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  const exit = waitFor(child);
  let timer: NodeJS.Timeout | undefined;
  if (kind === 'random') {
    timer = setTimeout(() => child.kill('SIGKILL'), (0.5 + rng.float() * seconds) * 1000);
  } else if (kind === 'during-write') {
    const delay = rng.int(4);
    timer = setInterval(() => {
      if (existsSync(join(run, 'checkpoint.tmp'))) {
        clearInterval(timer);
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    }, 1);
  }
  const result = await exit;
  if (timer) clearInterval(timer);
  return result;
}

/** Every file under `dir`, relative paths, sorted. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** A JSON value without wall-time fields (they differ between any two runs). */
function withoutTime(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTime);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // The metrics files' byte lengths depend on how many digits each timeSeconds took.
    if (!['timeSeconds', 'sps', 'savedAt', 'jsonlBytes', 'csvBytes'].includes(k)) out[k] = withoutTime(v);
  }
  return out;
}

/** The files of two runs that differ (wall-time fields aside), or are in only one. */
function differences(ref: string, run: string): string[] {
  const diff: string[] = [];
  const metrics = (dir: string) =>
    readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.stringify(withoutTime(JSON.parse(line))));
  if (metrics(ref).join('\n') !== metrics(run).join('\n')) diff.push('metrics.jsonl');
  for (const sub of ['checkpoint', join('best', 'checkpoint')]) {
    const a = files(join(ref, sub));
    const b = files(join(run, sub));
    for (const f of new Set([...a, ...b])) {
      const pa = join(ref, sub, f);
      const pb = join(run, sub, f);
      if (!existsSync(pa) || !existsSync(pb)) {
        diff.push(`${join(sub, f)} (in one run only)`);
        continue;
      }
      if (f === 'manifest.json') continue; // savedAt and the state.json checksum: wall time
      const same =
        f === 'state.json'
          ? JSON.stringify(withoutTime(JSON.parse(readFileSync(pa, 'utf8')))) ===
            JSON.stringify(withoutTime(JSON.parse(readFileSync(pb, 'utf8'))))
          : readFileSync(pa).equals(readFileSync(pb));
      if (!same) diff.push(join(sub, f));
    }
  }
  return diff;
}

async function main(options: Options): Promise<number> {
  const { checkpointDir, readCheckpoint, disposeCheckpoint, readRunConfig } = await import(
    '../src/checkpoint/checkpoint.js'
  );
  const { initBackend } = await import('../src/backend/select.js');
  await initBackend({ backend: 'cpu' });
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'pixelrl-kill-resume-'));
  const ref = join(root, 'reference');
  const run = join(root, 'killed');
  rmSync(ref, { recursive: true, force: true });
  rmSync(run, { recursive: true, force: true });
  const rng = new Rng(options.seed);
  const strace = hasStrace();
  const kinds: KillKind[] = strace ? ['random', 'during-write', 'at-rename'] : ['random', 'during-write'];
  const args = trainArgs(options.steps);

  const t0 = performance.now();
  const refExit = await runAndKill([...args, '--run-name', ref], ref, null, rng, 0);
  if (refExit.code !== 0) throw new Error(`the uninterrupted run failed:\n${refExit.stderr}`);
  const seconds = (performance.now() - t0) / 1000;
  process.stdout.write(
    `uninterrupted run: ${seconds.toFixed(1)} s; strace ${strace ? 'found' : 'not found (no at-rename kills)'}\n`,
  );

  const counts: Record<KillKind, number> = { random: 0, 'during-write': 0, 'at-rename': 0 };
  let kills = 0;
  let corrupt = 0;
  let failedResumes = 0;
  let resumes = 0;
  let rounds = 0;
  const diff: string[] = [];
  // Rounds of one killed run each, until the kills are spent: each round's result is compared.
  while ((kills < options.kills || rounds === 0) && failedResumes <= 3) {
    rounds++;
    rmSync(run, { recursive: true, force: true });
    let sawCheckpoint = false;
    let finished = false;
    while (!finished && failedResumes <= 3) {
      const started = existsSync(join(run, 'config.json'));
      const hasCheckpoint = started && (await checkpointDir(run)) !== null;
      if (started && !hasCheckpoint) rmSync(run, { recursive: true, force: true }); // killed before its first save
      const childArgs = hasCheckpoint
        ? ['--resume', run, '--backend', 'cpu', '--progress', 'off']
        : [...args, '--run-name', run];
      if (hasCheckpoint) resumes++;
      const kind = kills < options.kills ? kinds[rng.int(kinds.length)] : null;
      const exit = await runAndKill(childArgs, run, kind, rng, seconds, !hasCheckpoint);
      const killed = exit.signal === 'SIGKILL' || exit.code === 137;
      if (process.env.VERBOSE || exit.code !== 0)
        process.stdout.write(`round ${rounds}: ${kind ?? 'no kill'} → ${exit.signal ?? exit.code}\n`);
      if (exit.code === 0) {
        finished = true;
        continue;
      }
      if (!killed) {
        failedResumes++;
        process.stdout.write(
          `a ${hasCheckpoint ? 'resume' : 'start'} failed (exit ${exit.code}):\n${exit.stderr}\n`,
        );
        continue;
      }
      kills++;
      if (kind) counts[kind]++;
      if (existsSync(join(run, 'config.json'))) {
        try {
          await readRunConfig(run);
        } catch (err) {
          corrupt++;
          process.stdout.write(
            `kill ${kills} (${kind}) left config.json unreadable: ${(err as Error).message}\n`,
          );
        }
      }
      if (sawCheckpoint || (await checkpointDir(run)) !== null) {
        try {
          disposeCheckpoint(await readCheckpoint(run, 'dqn'));
          sawCheckpoint = true;
        } catch (err) {
          corrupt++;
          process.stdout.write(
            `kill ${kills} (${kind}) left no loadable checkpoint: ${(err as Error).message}\n`,
          );
        }
      }
    }
    if (!finished) {
      diff.push(`round ${rounds}: the killed run never finished`);
      continue;
    }
    const found = differences(ref, run);
    diff.push(...found.map((f) => `round ${rounds}: ${f}`));
    // Keep a differing run for a look.
    if (found.length > 0) cpSync(run, `${run}-round-${rounds}`, { recursive: true });
  }
  const identical = diff.length === 0;
  process.stdout.write(
    `kills: ${kills} in ${rounds} run(s) (random ${counts.random}, during checkpoint writes ${counts['during-write']}, at renames ${counts['at-rename']})\n` +
      `resumes: ${resumes}, failed resumes: ${failedResumes}\n` +
      `corrupt after a kill: ${corrupt}\n` +
      `byte-identical to the uninterrupted run (metrics, checkpoint, best/; wall time aside): ${identical ? 'yes' : `no: ${diff.join(', ')}`}\n`,
  );
  if (!options.keep && options.dir === null) rmSync(root, { recursive: true, force: true });
  else process.stdout.write(`runs kept in ${root}\n`);
  return identical && corrupt === 0 && failedResumes === 0 ? 0 : 1;
}

/** Child mode: `pixelrl train <args>` as the CLI runs it (exit code 2 for argument errors). */
async function child(args: string[]): Promise<number> {
  const { Command, CommanderError } = await import('commander');
  const { trainCommand } = await import('../src/cli/commands/train.js');
  const program = new Command('pixelrl').exitOverride();
  program.addCommand(trainCommand().exitOverride());
  try {
    await program.parseAsync(['node', 'pixelrl', 'train', ...args]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`pixelrl: ${(err as Error).message}\n`);
    return 1;
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  process.exitCode = await child(argv.slice(1));
} else {
  try {
    process.exitCode = await main(parseOptions(argv));
  } catch (err) {
    process.stderr.write(`check-kill-resume: ${(err as Error).message}\n`);
    process.exitCode = 2;
  }
}
