/**
 * `pixelrl train` as a process (issue 14, defect 8 and polish): Ctrl-C (SIGINT) or SIGTERM after a
 * checkpoint is a clean, saved stop that exits 0 and prints the resume command ready to paste
 * (and that command resumes the run); tfjs' "Hi, looks like you are running TensorFlow.js in
 * Node.js" banner never reaches the user.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { trainCommand } from '../../src/cli/commands/train.js';
import { runCommands } from './viewer-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'pixelrl-signals-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const BANNER = /looks like you are running TensorFlow\.js in Node\.js/;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

/** Starts `pixelrl train` on CartPole for far more steps than it will run (DQN, or `algo`). */
function startTraining(run: string, algo?: string): { child: ChildProcess; exited: Promise<Exit> } {
  const args = ['--import', tsx, join(repo, 'src/cli/main.ts'), 'train', '--env', 'CartPole-v1'];
  args.push('--steps', '1000000', '--eval-episodes', '0', '--backend', 'cpu', '--progress', 'bar');
  args.push('--run-name', run);
  if (algo === undefined) {
    args.push('--checkpoint-interval', '200', '--net', '[8,relu]', '--learning-starts', '50');
    args.push('--batch-size', '8', '--buffer-size', '500');
  } else {
    // No checkpoint before the stop: the signal must get through the loop itself.
    args.push('--algo', algo, '--checkpoint-interval', '0', '--net', '[8,tanh]', '--hyperparams', 'none');
  }
  const child = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    err += d;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, out, err }));
  });
  return { child, exited };
}

async function waitFor(path: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > until) throw new Error(`${path} did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('pixelrl train, stopped by a signal', () => {
  it('PPO: SIGINT mid-run (no checkpoint yet) saves one and exits 0 with the resume line', async () => {
    const run = join(root, 'stop-ppo');
    const { child, exited } = startTraining(run, 'ppo');
    // Once the run directory is announced the loop is running; give it a moment more.
    const until = Date.now() + 45_000;
    while (!existsSync(join(run, 'metrics.jsonl')) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const r = await exited;
    clearTimeout(timer);
    expect(r.signal, r.err).toBeNull();
    expect(r.code, r.err).toBe(0);
    expect(existsSync(join(run, 'checkpoint', 'manifest.json'))).toBe(true);
    expect(r.err).toMatch(
      new RegExp(
        `^stopped at step \\d+; checkpoint saved, continue with: pixelrl train --resume ${run}$`,
        'm',
      ),
    );
    expect(r.err + r.out).not.toMatch(BANNER);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} after the first checkpoint: exit 0, the resume line to paste, no tfjs banner`, async () => {
      const run = join(root, `stop-${signal}`);
      const { child, exited } = startTraining(run);
      try {
        await waitFor(join(run, 'checkpoint', 'manifest.json'), 45_000);
      } catch (e) {
        child.kill('SIGKILL');
        throw new Error(`${(e as Error).message}; stderr: ${(await exited).err}`);
      }
      child.kill(signal);
      const r = await exited;
      expect(r.signal, r.err).toBeNull();
      expect(r.code, r.err).toBe(0);
      const step = Number(/^stopped (\d+) steps in/m.exec(r.out)?.[1]);
      expect(step).toBeGreaterThan(0);
      const lines = r.err.split('\n');
      expect(lines).toContain(
        `stopped at step ${step}; checkpoint saved, continue with: pixelrl train --resume ${run}`,
      );
      expect(lines.some((l) => l.startsWith(`stopping (${signal})`))).toBe(true);
      expect(r.err + r.out).not.toMatch(BANNER);
      if (signal === 'SIGINT') {
        // The printed command resumes the run (here in-process, with a small budget on top).
        const more = await runCommands(
          [trainCommand()],
          ['train', '--resume', run, '--steps', String(step + 20), '--progress', 'off', '--backend', 'cpu'],
        );
        expect(more.code, more.err).toBe(0);
        expect(more.err).toMatch(new RegExp(`resumed .* at step ${step}`));
      }
    });
  }
});
