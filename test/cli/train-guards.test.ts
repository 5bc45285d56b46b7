/**
 * `pixelrl train` never clobbers a run and answers every user mistake with one line and exit
 * code 2 (issue 14, defects 1, 6 and 8).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunDirInUseError } from '../../src/checkpoint/run-dir.js';
import { defaultRunName, trainCommand } from '../../src/cli/commands/train.js';
import { runDqn } from '../../src/train/run-dqn.js';
import { type CliResult, runCommands } from './viewer-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-guards-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (args: string[]): Promise<CliResult> => runCommands([trainCommand()], args);
const tiny = ['--env', 'CartPole-v1', '--net', '[8,relu]', '--learning-starts', '16', '--batch-size', '8'];
const quiet = ['--backend', 'cpu', '--progress', 'off', '--eval-episodes', '0', '--buffer-size', '200'];
/** As `quiet`, for runs whose --config sets the evaluation. */
const quietFile = ['--backend', 'cpu', '--progress', 'off', '--buffer-size', '200', '--steps', '16'];

describe('run directories are never clobbered', () => {
  it('refuses an existing --run-name without --resume, and leaves the run as it was', async () => {
    const run = join(root, 'taken');
    const first = await cli(['train', ...tiny, ...quiet, '--steps', '48', '--run-name', run]);
    expect(first.code).toBe(0);
    const metrics = readFileSync(join(run, 'metrics.jsonl'), 'utf8');
    const manifest = readFileSync(join(run, 'checkpoint', 'manifest.json'), 'utf8');
    const again = await cli(['train', ...tiny, ...quiet, '--steps', '32', '--run-name', run]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds a run: resume it with --resume .*--run-name.*--overwrite/);
    expect(again.err.trim().split('\n'), again.err).toHaveLength(1);
    expect(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).toBe(metrics);
    expect(readFileSync(join(run, 'checkpoint', 'manifest.json'), 'utf8')).toBe(manifest);
  });

  it('--overwrite moves the old run to a timestamped backup and starts a new one', async () => {
    const run = join(root, 'over');
    expect((await cli(['train', ...tiny, ...quiet, '--steps', '48', '--run-name', run])).code).toBe(0);
    const old = readFileSync(join(run, 'checkpoint', 'manifest.json'), 'utf8');
    const r = await cli(['train', ...tiny, ...quiet, '--steps', '32', '--run-name', run, '--overwrite']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/moved the old run to .*over\.backup-\d{8}-\d{6}/);
    const backups = readdirSync(root).filter((n) => n.startsWith('over.backup-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(root, backups[0], 'checkpoint', 'manifest.json'), 'utf8')).toBe(old);
    expect(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).steps).toBe(32);
  });

  it('default run names differ within one second', () => {
    const now = new Date('2026-12-03T10:11:12.000Z');
    const a = defaultRunName('CartPole-v1', 'dqn', 0, now);
    const b = defaultRunName('CartPole-v1', 'dqn', 0, now);
    expect(a).toMatch(/^CartPole-v1-dqn-s0-20261203-101112-[0-9a-f]{4}$/);
    expect(a).not.toBe(b);
  });

  it('the library refuses too: runDqn into a run directory in use', async () => {
    const run = join(root, 'lib');
    writeFileSync(join(root, 'placeholder'), '');
    await cli(['train', ...tiny, ...quiet, '--steps', '16', '--run-name', run]);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    delete config.format;
    await expect(runDqn({ runDir: run, config })).rejects.toBeInstanceOf(RunDirInUseError);
    expect(existsSync(join(run, 'checkpoint', 'manifest.json'))).toBe(true);
  });
});

describe('user mistakes: one line, exit code 2', () => {
  const config = (name: string, value: unknown): string => {
    const path = join(root, `${name}.json`);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };
  const cases: [string, string[], RegExp][] = [
    ['a malformed --net', ['--net', '[8,rel'], /--net .*net spec/],
    ['a conv --net on a vector env', ['--net', '[c8k3s1,relu]'], /conv layers need an image input/],
    ['--preset atari on CartPole', ['--preset', 'atari', '--net', '[8,relu]'], /historyLength 1/],
    [
      'a network too large for memory',
      ['--net', '[100000000,relu]'],
      /--net \[100000000,relu\] (has \d+ parameters|.*the run needs about)/,
    ],
    ['nStep larger than the buffer', ['--n-step', '1000'], /bufferSize 200 is too small: .*nStep 1000/],
    [
      'nStep beyond its range',
      ['--n-step', '1000000'],
      /DQN setting nStep must be an integer from 1 to 1000/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const run = join(root, what.replace(/\W/g, '_'));
      const r = await cli(['train', ...tiny, ...quiet, '--steps', '16', ...args, '--run-name', run]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(existsSync(run)).toBe(false);
    });
  }
  const files: [string, unknown, RegExp][] = [
    ['an unknown top-level --config key', { stpes: 10 }, /unknown setting 'stpes'/],
    ['evalEpisodes 1e9', { evalEpisodes: 1e9 }, /evalEpisodes must be an integer from 0 to 10000/],
    ['evalEpsilon true', { evalEpsilon: true }, /evalEpsilon must be a number in \[0, 1\], got true/],
    ['unknown envOptions', { envOptions: { gravityy: 3 } }, /envOptions .*gravityy/],
  ];
  for (const [what, value, message] of files) {
    it(what, async () => {
      const file = config(what.replace(/\W/g, '_'), value);
      const r = await cli(['train', ...tiny, ...quietFile, '--config', file, '--run-name', join(root, 'y')]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    });
  }
  it('--overwrite with --resume', async () => {
    const r = await cli(['train', '--resume', join(root, 'taken'), '--overwrite']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--overwrite starts a new run/);
  });
});
