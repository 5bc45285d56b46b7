/**
 * scripts/benchmark-kept.ts: a finished run's config and metrics copied byte for byte into the
 * repository's benchmarks/runs/<key>/, and the plot taken from the run directory first, the kept
 * copy second.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepRunFiles, plotSource } from '../../scripts/benchmark-kept.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pixelrl-kept-'));
  dirs.push(d);
  return d;
}

describe('keepRunFiles', () => {
  it('copies config.json and metrics.jsonl byte for byte, and nothing else', () => {
    const root = tempDir();
    const run = join(root, 'checkpoints', 'dqn-Pong-v0-s0');
    mkdirSync(join(run, 'checkpoint'), { recursive: true });
    const metrics =
      '{"kind":"episode","step":744,"return":-21}\n{"kind":"eval","step":50000,"meanReturn":-19.6}\n';
    writeFileSync(join(run, 'config.json'), '{"env":"Pong-v0"}\n');
    writeFileSync(join(run, 'metrics.jsonl'), metrics);
    writeFileSync(join(run, 'checkpoint', 'weights.bin'), 'x');
    const dest = join(root, 'benchmarks', 'runs', 'dqn-Pong-v0-s0');
    expect(keepRunFiles(run, dest)).toEqual([join(dest, 'config.json'), join(dest, 'metrics.jsonl')]);
    expect(readFileSync(join(dest, 'metrics.jsonl'), 'utf8')).toBe(metrics);
    expect(readFileSync(join(dest, 'config.json'), 'utf8')).toBe('{"env":"Pong-v0"}\n');
    expect(() => readFileSync(join(dest, 'checkpoint', 'weights.bin'))).toThrow(/ENOENT/);
  });

  it('fails on a run without metrics', () => {
    const root = tempDir();
    writeFileSync(join(root, 'config.json'), '{}');
    expect(() => keepRunFiles(root, join(root, 'kept'))).toThrow(/metrics\.jsonl/);
  });
});

describe('plotSource', () => {
  const run = { key: 'ppo-Seaquest-v0-s0', runDir: '/gone/ppo-Seaquest-v0-s0' };
  it('takes the run directory, then the kept copy, then nothing', () => {
    const has = (paths: string[]) => (p: string) => paths.includes(p);
    const live = '/gone/ppo-Seaquest-v0-s0/metrics.jsonl';
    const kept = join('benchmarks/runs', 'ppo-Seaquest-v0-s0', 'metrics.jsonl');
    expect(plotSource(run, 'benchmarks/runs', has([live, kept]))).toBe(run.runDir);
    expect(plotSource(run, 'benchmarks/runs', has([kept]))).toBe(join('benchmarks/runs', run.key));
    expect(plotSource(run, 'benchmarks/runs', has([]))).toBeUndefined();
  });
});
