/**
 * A run that goes numerically bad stops (issue 14, defect 4): `learningRate: 1e308` used to train
 * to all-NaN weights and report "done". Now the first non-finite loss or weight stops the run
 * with the step and the setting named, the last good checkpoint stays, and the CLI exits non-zero.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { disposeCheckpoint, readCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { NonFiniteError } from '../../src/train/non-finite.js';
import { runDqn } from '../../src/train/run-dqn.js';
import { runCommands } from '../cli/viewer-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-nonfinite-'));
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const flags = ['--env', 'CartPole-v1', '--net', '[8,relu]', '--batch-size', '8', '--buffer-size', '500'];
const quiet = ['--backend', 'cpu', '--progress', 'off', '--eval-episodes', '0'];

describe('non-finite training stops', () => {
  it('pixelrl train with learningRate 1e308: a message naming the step and the setting, exit non-zero', async () => {
    const file = join(root, 'lr.json');
    writeFileSync(file, JSON.stringify({ dqn: { learningRate: 1e308 } }));
    const run = join(root, 'cli');
    const r = await runCommands(
      [trainCommand()],
      [
        'train',
        ...flags,
        ...quiet,
        '--config',
        file,
        '--steps',
        '400',
        '--learning-starts',
        '16',
        '--run-name',
        run,
      ],
    );
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/training stopped at step \d+: .*non-finite|the loss is (NaN|Infinity)/);
    expect(r.err).toMatch(/Lower the learning rate \(it is 1e\+308\)/);
    expect(r.out).not.toMatch(/trained 400 steps/);
  });

  it('keeps the last good checkpoint', async () => {
    const run = join(root, 'lib');
    const { configFromFlags } = await import('../../src/cli/commands/train.js');
    const config = configFromFlags({
      algo: 'dqn',
      progress: 'off',
      env: 'CartPole-v1',
      steps: 400,
      net: '[8,relu]',
      batchSize: 8,
      bufferSize: 500,
      learningStarts: 64,
      learningRate: 1e308,
      checkpointInterval: 32,
      evalEpisodes: 0,
    });
    const err = await runDqn({ runDir: run, config }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NonFiniteError);
    expect((err as NonFiniteError).step).toBeGreaterThanOrEqual(64);
    const loaded = await readCheckpoint(run, 'dqn');
    // The checkpoints before learning started are good; none after the first bad update exists.
    expect(loaded.manifest.step).toBeLessThan((err as NonFiniteError).step);
    expect(loaded.manifest.step).toBeGreaterThanOrEqual(32);
    disposeCheckpoint(loaded);
    expect(existsSync(join(run, 'checkpoint.tmp'))).toBe(false);
  });
});
