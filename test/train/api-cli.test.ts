/**
 * Runs made from code are runs like the CLI's: `pixelrl eval | play | plot` read a run that
 * `new DQN(...).learn()` wrote (and its `save` copy); `pixelrl train --record-every` writes
 * videos; `--env-module` trains a custom env and refuses one that fails checkEnv, on one line
 * with exit code 2.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { evalCommand } from '../../src/cli/commands/eval.js';
import { playCommand } from '../../src/cli/commands/play.js';
import { plotCommand } from '../../src/cli/commands/plot.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { createRegistry, DQN, unregister } from '../../src/index.js';
import { runCommands } from '../cli/viewer-helpers.js';

const cli = (...args: string[]) =>
  runCommands([trainCommand(), evalCommand(), playCommand(), plotCommand()], args);
const dir = mkdtempSync(join(tmpdir(), 'pixelrl-api-cli-'));
const run = join(dir, 'cartpole');

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  const model = new DQN('CartPole-v1', {
    runDir: run,
    steps: 120,
    seed: 0,
    evalInterval: 0,
    evalEpisodes: 1,
    logInterval: 40,
    checkpointInterval: 0,
    saveReplay: false,
    dqn: { net: '[8,relu]', learningStarts: 40, trainFrequency: 20, batchSize: 8, bufferSize: 500 },
  });
  const summary = await model.learn();
  expect(summary.steps).toBe(120);
  await model.save(join(dir, 'saved'));
  model.dispose();
});

describe('a run made with the API, read by the CLI', () => {
  it('pixelrl eval evaluates it and its saved copy', async () => {
    for (const target of [run, join(dir, 'saved')]) {
      const r = await cli('eval', target, '--episodes', '2', '--backend', 'cpu', '--json');
      expect(r.code, r.err).toBe(0);
      const result = JSON.parse(r.out);
      expect(result.returns).toHaveLength(2);
      expect(result.step).toBe(120);
    }
  });

  it('pixelrl play writes an animation of it', async () => {
    const out = join(dir, 'episode.gif');
    const r = await cli('play', run, '--out', out, '--max-steps', '5', '--backend', 'cpu');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/gif, \d+x\d+, 5 frames/);
    expect(readFileSync(out).subarray(0, 3).toString()).toBe('GIF');
  });

  it('pixelrl plot draws its reward curve', async () => {
    const out = join(dir, 'curve.svg');
    const r = await cli('plot', run, '--out', out);
    expect(r.code, r.err).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<svg');
  });
});

describe('pixelrl train with the library flags', () => {
  const tiny = [
    '--steps',
    '60',
    '--net',
    '[8,relu]',
    '--learning-starts',
    '20',
    '--train-frequency',
    '10',
  ].concat(['--batch-size', '8', '--backend', 'cpu', '--progress', 'off', '--eval-episodes', '1']);

  it('--record-every saves evaluation episodes as videos named by step', async () => {
    const runDir = join(dir, 'videos-run');
    const r = await cli(
      'train',
      '--env',
      'CartPole-v1',
      ...tiny,
      '--record-every',
      '30',
      '--run-name',
      runDir,
    );
    expect(r.code, r.err).toBe(0);
    expect(readdirSync(join(runDir, 'videos')).sort()).toEqual(['step-000000030.gif', 'step-000000060.gif']);
  });

  it('--env-module trains a custom env registered by the module', async () => {
    const runDir = join(dir, 'line-run');
    const module = join(import.meta.dirname, 'fixtures', 'line-env.ts');
    try {
      const r = await cli(
        'train',
        '--env-module',
        module,
        '--env',
        'TestLine-v0',
        ...tiny,
        '--run-name',
        runDir,
      );
      expect(r.code, r.err).toBe(0);
      expect(JSON.parse(readFileSync(join(runDir, 'config.json'), 'utf8')).env).toBe('TestLine-v0');
      expect(existsSync(join(runDir, 'checkpoint'))).toBe(true);
      // Envs registered in this process cannot reach worker threads.
      const threaded = await cli(
        'train',
        '--env-module',
        module,
        '--env',
        'TestLine-v0',
        '--workers',
        '1',
        ...tiny,
      );
      expect(threaded.code).toBe(2);
      expect(threaded.err).toMatch(/cannot run in --workers threads/);
    } finally {
      unregister('TestLine-v0');
    }
  });

  it('--env-module refuses an env that fails checkEnv, on one line, exit code 2', async () => {
    const module = join(import.meta.dirname, 'fixtures', 'broken-env.ts');
    try {
      const r = await cli(
        'train',
        '--env-module',
        module,
        '--env',
        'TestBroken-v0',
        ...tiny,
        '--run-name',
        join(dir, 'x'),
      );
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/TestBroken-v0 fails checkEnv: .*reward NaN is not finite/);
      expect(existsSync(join(dir, 'x'))).toBe(false);
    } finally {
      unregister('TestBroken-v0');
    }
  });

  it('--env-module refuses a module that registers nothing, and one that cannot be imported', async () => {
    const none = await cli('train', '--env-module', join(import.meta.dirname, 'tfevents-reader.ts'), ...tiny);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/registered no env/);
    const missing = await cli('train', '--env-module', join(dir, 'nope.js'), ...tiny);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot import it/);
    expect(createRegistry().ids()).not.toContain('TestLine-v0');
  });
});
