/** The end-of-run summary: the run directory's size, how to shrink it, no "-0.0" (issue 14, defect 9). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixed, runSummary } from '../../src/cli/commands/run-summary.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-summary-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run summary', () => {
  it('says how large the run directory is and how to shrink a large replay', () => {
    mkdirSync(join(dir, 'checkpoint'));
    writeFileSync(join(dir, 'checkpoint', 'replay.frames.bin'), Buffer.alloc(3 * 1024 * 1024));
    writeFileSync(join(dir, 'config.json'), Buffer.alloc(1024 * 1024));
    const text = runSummary(
      { stopped: false, steps: 100, seconds: 2, episodes: 3, meanReturn: -0.04, lastEval: null },
      dir,
    );
    expect(text).toContain('mean return (last 100) 0.0');
    expect(text).toMatch(
      /run directory: .* \(4\.0 MiB; the replay memory in its checkpoint is 3\.0 MiB: --no-save-replay/,
    );
  });

  it('prints no minus sign on a rounded zero', () => {
    expect(fixed(-0.04, 1)).toBe('0.0');
    expect(fixed(-0, 0)).toBe('0');
    expect(fixed(-0.06, 1)).toBe('-0.1');
  });
});
