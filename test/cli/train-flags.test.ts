/** `pixelrl train`'s flags (issue 14): --no- flags with their own help, --worker-timeout range-checked. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { trainCommand } from '../../src/cli/commands/train.js';
import { runCommands } from './viewer-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-flags-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const cli = (args: string[]) => runCommands([trainCommand()], args);
const tiny = ['--env', 'CartPole-v1', '--net', '[8,relu]', '--learning-starts', '8', '--batch-size', '4'];
const quiet = [
  '--backend',
  'cpu',
  '--progress',
  'off',
  '--eval-episodes',
  '0',
  '--buffer-size',
  '100',
  '--hyperparams',
  'none',
];

describe('pixelrl train flags', () => {
  it('gives every --no- flag its own help, not "no <the flag’s help>"', () => {
    const help = trainCommand()
      .helpInformation()
      .replace(/\n\s{20,}/g, ' ');
    expect(help).toMatch(/--no-dueling\s+plain \(non-dueling\) head/);
    expect(help).toMatch(/--no-anneal-lr\s+a constant learning rate/);
    expect(help).toMatch(/--no-prioritized\s+uniform replay sampling/);
    expect(help).toMatch(/--no-normalize-advantages\s+use the advantages as they are \(on-policy\)/);
    const negated = help.split('\n').filter((l) => /^\s+--no-/.test(l));
    expect(negated.length).toBeGreaterThanOrEqual(8);
    for (const line of negated) expect(line).not.toMatch(/^\s+--no-\S+\s+no /);
  });

  it('--worker-timeout is saved as workerTimeout; out of range → exit 2 naming it', async () => {
    const run = join(root, 'timeout');
    const r = await cli([
      'train',
      ...tiny,
      ...quiet,
      '--steps',
      '16',
      '--worker-timeout',
      '5',
      '--run-name',
      run,
    ]);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(readFileSync(join(run, 'config.json'), 'utf8')).workerTimeout).toBe(5);
    const zero = await cli([
      'train',
      ...tiny,
      ...quiet,
      '--worker-timeout',
      '0',
      '--run-name',
      join(root, 'z'),
    ]);
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/--worker-timeout must be an integer >= 1/);
    const big = await cli([
      'train',
      ...tiny,
      ...quiet,
      '--worker-timeout',
      '100000',
      '--run-name',
      join(root, 'b'),
    ]);
    expect(big.code).toBe(2);
    expect(big.err).toMatch(/workerTimeout must be an integer from 1 to 86400, got 100000/);
    expect(big.err.trim().split('\n')).toHaveLength(1);
  });

  it('warns at the start when --steps ends before learning starts', async () => {
    const r = await cli([
      'train',
      ...tiny,
      ...quiet,
      '--learning-starts',
      '100',
      '--steps',
      '16',
      '--run-name',
      join(root, 'short'),
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(
      /warning: --steps 16 ends before learning starts \(learningStarts 100\): no gradient step will be taken/,
    );
  });
});
