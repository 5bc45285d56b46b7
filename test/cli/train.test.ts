import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalCommand } from '../../src/cli/commands/eval.js';
import { configFromFlags, trainCommand } from '../../src/cli/commands/train.js';
import { parseMetrics } from '../../src/viz/metrics.js';
import { type CliResult, runCommands } from './viewer-helpers.js';

/** Runs `pixelrl train | eval <args>` as src/cli/program.ts does: exit code 2 for argument errors. */
function cli(args: string[]): Promise<CliResult> {
  return runCommands([trainCommand(), evalCommand()], args);
}

const tiny = ['--net', '[8,relu]', '--learning-starts', '16', '--train-frequency', '4', '--batch-size', '8'];
const quiet = ['--backend', 'cpu', '--progress', 'off', '--eval-episodes', '1', '--eval-interval', '32'];

describe('pixelrl train / eval', () => {
  it('trains 64 steps on CartPole, writes the run directory, and evaluates it', async () => {
    const run = join(mkdtempSync(join(tmpdir(), 'pixelrl-cli-')), 'cartpole');
    const r = await cli([
      'train',
      '--env',
      'CartPole-v1',
      '--steps',
      '64',
      '--buffer-size',
      '200',
      '--run-name',
      run,
      ...tiny,
      ...quiet,
    ]);
    expect(r.err).not.toMatch(/Error|at .*\.ts/);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/trained 64 steps/);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ format: 'pixelrl-run', env: 'CartPole-v1', algo: 'dqn', steps: 64 });
    expect(config.dqn).toMatchObject({ net: '[8,relu]', batchSize: 8, gamma: 0.99 });
    const kinds = new Set(parseMetrics(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).map((r) => r.kind));
    expect(kinds).toEqual(new Set(['episode', 'eval']));
    const e = await cli(['eval', run, '--episodes', '3', '--backend', 'cpu', '--json']);
    expect(e.code).toBe(0);
    const result = JSON.parse(e.out);
    expect(result.returns).toHaveLength(3);
    expect(result.step).toBe(64);
    // Training longer: --resume with a larger --steps continues from step 64.
    const more = await cli([
      'train',
      '--resume',
      run,
      '--steps',
      '96',
      '--backend',
      'cpu',
      '--progress',
      'off',
    ]);
    expect(more.code).toBe(0);
    expect(more.out).toMatch(/trained 96 steps/);
    expect(more.err).toMatch(/resumed .* at step 64/);
    expect(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).steps).toBe(96);
    // The best evaluation's agent is a run directory of its own.
    const best = await cli(['eval', join(run, 'best'), '--episodes', '1', '--backend', 'cpu', '--json']);
    expect(best.code).toBe(0);
    expect(JSON.parse(best.out).returns).toHaveLength(1);
  });

  it.each([
    [['train', '--gamma', '2', ...quiet], /gamma must be a number in \[0, 1\]/],
    [['train', '--steps', 'many'], /--steps must be an integer >= 1/],
    [['train', '--threads', '0'], /--threads must be an integer >= 1/],
    [['train', '--workers', ''], /--workers must be an integer >= 0/],
    [['train', '--env', 'Nope-v0'], /unknown env "Nope-v0"; the registered envs are: .*CartPole-v1/],
    [['train', '--optimizer', 'sgd', '--env', 'CartPole-v1'], /optimizer must be adam or rmsprop/],
    [['train', '--preset', 'huge'], /argument 'huge' is invalid/],
    [['train', '--resume', '/nonexistent/run', ...quiet], /cannot resume .*config.json is missing/],
    [['train', '--resume', 'x', '--env', 'CartPole-v1'], /do not combine it with --env/],
    [['eval', '/nonexistent/run', '--backend', 'cpu'], /cannot load .*not a pixelrl run directory/],
  ])('%j → exit code 2 and a clear message', async (args, message) => {
    const r = await cli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('evaluates a bundled agent named by its bare name', async () => {
    const r = await cli(['eval', 'cartpole-dqn', '--episodes', '1', '--backend', 'cpu', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as { returns: number[] };
    expect(result.returns).toHaveLength(1);
    // The bundled CartPole agent balances: a random policy averages ~22 steps.
    expect(result.returns[0]).toBeGreaterThan(100);
  });

  it('reads presets, a config file and flags in that order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelrl-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ seed: 9, steps: 1000, dqn: { gamma: 0.9, batchSize: 16 } }));
    const c = configFromFlags({
      algo: 'dqn',
      progress: 'off',
      env: 'CartPole-v1',
      config: file,
      batchSize: 8,
    });
    expect(c.seed).toBe(9);
    expect(c.steps).toBe(1000);
    expect(c.dqn.gamma).toBe(0.9);
    expect(c.dqn.batchSize).toBe(8);
    expect(c.dqn.net).toBe('[256,relu:256,relu]');
    // The atari preset stacks 4 frames, which a vector env cannot take (issue 14, defect 8: it
    // failed inside the network builder, exit 1).
    expect(() =>
      configFromFlags({ algo: 'dqn', progress: 'off', env: 'CartPole-v1', preset: 'atari' }),
    ).toThrow(/CartPole-v1 gives vector observations .* use historyLength 1/);
  });
});

describe('pixelrl train on a pixel game', () => {
  it('trains 64 steps on Catch-v0 with a tiny conv net and 42x42 frames by default', async () => {
    const run = join(mkdtempSync(join(tmpdir(), 'pixelrl-cli-')), 'catch');
    const r = await cli([
      'train',
      '--env',
      'Catch-v0',
      '--steps',
      '64',
      '--buffer-size',
      '300',
      '--net',
      '[c4k8s4,relu:16,relu]',
      '--learning-starts',
      '16',
      '--batch-size',
      '4',
      '--run-name',
      run,
      '--backend',
      'cpu',
      '--progress',
      'off',
      '--eval-episodes',
      '0',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/trained 64 steps/);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ env: 'Catch-v0', frameSize: 42 });
    expect(config.dqn).toMatchObject({ historyLength: 4, clipRewards: true, trainFrequency: 4 });
    const manifest = JSON.parse(readFileSync(join(run, 'checkpoint', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ format: 'pixelrl-checkpoint', algo: 'dqn', step: 64 });
  });
});

describe('pixelrl train with worker threads', () => {
  it('steps CartPole envs in a worker and trains', async () => {
    const run = join(mkdtempSync(join(tmpdir(), 'pixelrl-cli-')), 'workers');
    const r = await cli([
      'train',
      '--env',
      'CartPole-v1',
      '--steps',
      '64',
      '--envs',
      '2',
      '--workers',
      '1',
      '--buffer-size',
      '200',
      '--run-name',
      run,
      ...tiny,
      ...quiet,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/trained 64 steps/);
    const episodes = parseMetrics(readFileSync(join(run, 'metrics.jsonl'), 'utf8')).filter(
      (x) => x.kind === 'episode',
    );
    expect(new Set(episodes.map((e) => e.envIndex))).toEqual(new Set([0, 1]));
  });
});
