/**
 * Helpers of the `pixelrl play | plot | tsne` tests: run commands as src/cli/program.ts does
 * (exit code 2 for argument errors, output captured), and train a tiny Catch-v0 run to view.
 */
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { vi } from 'vitest';
import { trainCommand } from '../../src/cli/commands/train.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `pixelrl <args>` with the given subcommands; argument errors → code 2, others → 1. */
export async function runCommands(commands: Command[], args: string[]): Promise<CliResult> {
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
  const program = new Command('pixelrl').exitOverride().configureOutput({
    outputError: (s) => {
      err += s;
    },
  });
  for (const c of commands) program.addCommand(c.exitOverride());
  let code = 0;
  try {
    await program.parseAsync(['node', 'pixelrl', ...args]);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? 0 : 2;
    else {
      code = 1;
      err += String(error);
    }
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  return { code, out, err };
}

/**
 * Trains DQN on Catch-v0 for 400 steps with a tiny conv net (42x42 frames, 4-frame stacks) into
 * `dir/name`: about three game episodes in metrics.jsonl and a checkpoint to load.
 */
export async function trainTinyCatch(dir: string, name = 'catch', seed = 0): Promise<string> {
  const run = join(dir, name);
  const r = await runCommands(
    [trainCommand()],
    [
      'train',
      '--env',
      'Catch-v0',
      '--steps',
      '400',
      '--seed',
      String(seed),
      '--buffer-size',
      '500',
      '--net',
      '[c4k8s4,relu:16,relu]',
      '--learning-starts',
      '360',
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
      '--no-save-replay',
    ],
  );
  if (r.code !== 0) throw new Error(`tiny training failed (${r.code}): ${r.err}`);
  return run;
}
