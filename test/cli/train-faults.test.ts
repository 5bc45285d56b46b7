/**
 * `pixelrl train` with rollout workers that fail (issue 14, defect 7), through the CLI's own entry
 * (runCli, as src/cli/main.ts calls it): a fault is one warning line and the run goes on; a worker
 * that runs out of restarts ends the command non-zero with one clear line naming the step.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { trainCommand } from '../../src/cli/commands/train.js';
import { runCli } from '../../src/cli/program.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-cli-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: await runCli(['node', 'pixelrl', ...args]), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const train = (run: string, faults: object) => [
  'train',
  ...['--env', 'CartPole-v1', '--steps', '40', '--workers', '1', '--hyperparams', 'none'],
  ...['--net', '[8,relu]', '--learning-starts', '100', '--batch-size', '8', '--buffer-size', '200'],
  ...['--backend', 'cpu', '--progress', 'off', '--eval-episodes', '0', '--run-name', run],
  ...['--test-faults', JSON.stringify(faults)],
];

describe('pixelrl train with failing workers', () => {
  it('prints one line per fault, logs it, and finishes the run', async () => {
    const run = join(root, 'once');
    const r = await cli(train(run, { fault: { envIndex: 0, atStep: 7, mode: 'exit' } }));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/trained 40 steps/);
    expect(r.err.split('\n').filter((l) => l.startsWith('warning: step 7:'))).toEqual([
      'warning: step 7: worker 0 (stepping env 0) exited (worker exited with code: 70); episodes of env 0 cut short, env rebuilt; 9 restarts left',
    ]);
    const kinds = readFileSync(join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).kind);
    expect(kinds.filter((k) => k === 'fault')).toHaveLength(1);
  });

  it('exits non-zero with one clear line when a worker runs out of restarts', async () => {
    const faults = { fault: { envIndex: 0, atStep: 2, generations: 100, mode: 'exit' }, maxRestarts: 1 };
    const r = await cli(train(join(root, 'out'), faults));
    expect(r.code).toBe(1);
    const last = r.err.trim().split('\n').at(-1);
    expect(last).toBe(
      'pixelrl: the envs failed at step 3: ThreadedVecEnv: worker 0 (envs 0..0) failed 2 times (last: worker exited with code: 70); giving up after 1 restarts. Fix the env, or allow more restarts (maxRestarts).',
    );
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('keeps --test-faults out of --help', () => {
    expect(trainCommand().helpInformation()).not.toContain('test-faults');
  });
});
