/**
 * scripts/benchmark-claims.ts: run locks between runners, and superseding a result whose tuned
 * entry changed (its record kept, its files moved, never deleted).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  moveRunAside,
  type ResultsWithHistory,
  releaseLock,
  supersedeStale,
  takeLock,
} from '../../scripts/benchmark-claims.js';
import { type BenchmarkResult, RESULTS_FORMAT } from '../../scripts/benchmark-results.js';

/** A pid no process has: above Linux's largest (4194304). */
const DEAD_PID = 4_194_305;

describe('run locks', () => {
  it('gives a free lock, refuses one a live process holds, and takes one left by a dead process', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelrl-lock-'));
    const lock = join(dir, 'dqn-Pong-v0-s0.lock');
    expect(takeLock(lock)).toBe(true);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    // Held by this (live) process: a second runner is refused.
    expect(takeLock(lock, DEAD_PID)).toBe(false);
    writeFileSync(lock, `${DEAD_PID}\n`);
    expect(takeLock(lock)).toBe(true);
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('is released only by its holder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelrl-lock-'));
    const lock = join(dir, 'x.lock');
    expect(takeLock(lock)).toBe(true);
    releaseLock(lock, DEAD_PID);
    expect(existsSync(lock)).toBe(true);
    releaseLock(lock);
    expect(existsSync(lock)).toBe(false);
  });
});

function result(key: string, config: Record<string, unknown>): BenchmarkResult {
  return { key, config } as unknown as BenchmarkResult;
}

describe('superseding a changed entry', () => {
  it('compares configs whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalJson({ steps: 1, env: 'Pong-v0' })).toBe(canonicalJson({ env: 'Pong-v0', steps: 1 }));
  });

  it('moves a result to superseded only when its config differs', () => {
    const pong = result('dqn-Pong-v0-s0', { env: 'Pong-v0', steps: 500_000, dqn: { net: 'compact' } });
    const freeway = result('dqn-Freeway-v0-s0', { env: 'Freeway-v0', steps: 300_000 });
    const results: ResultsWithHistory = { format: RESULTS_FORMAT, runs: [pong, freeway] };
    expect(supersedeStale(results, freeway.key, { steps: 300_000, env: 'Freeway-v0' })).toBeUndefined();
    expect(supersedeStale(results, 'dqn-Seaquest-v0-s0', {})).toBeUndefined();
    expect(results.runs).toHaveLength(2);
    const moved = supersedeStale(results, pong.key, {
      env: 'Pong-v0',
      steps: 2_000_000,
      dqn: { net: 'compact' },
    });
    expect(moved).toBe(pong);
    expect(results.runs).toEqual([freeway]);
    expect(results.superseded).toEqual([pong]);
  });

  it("moves a run's files aside into superseded/<key>-<stamp> and refuses to move over a folder", () => {
    const runs = mkdtempSync(join(tmpdir(), 'pixelrl-runs-'));
    const key = 'dqn-Pong-v0-s0';
    mkdirSync(join(runs, key, 'checkpoint'), { recursive: true });
    writeFileSync(join(runs, key, 'checkpoint', 'meta.json'), '{}');
    writeFileSync(join(runs, `${key}.bench.json`), '{"tries":1}');
    writeFileSync(join(runs, `${key}.log`), 'step 1\n');
    const dest = moveRunAside(runs, key, 'T1');
    expect(dest).toBe(join(runs, 'superseded', `${key}-T1`));
    expect(readFileSync(join(dest as string, key, 'checkpoint', 'meta.json'), 'utf8')).toBe('{}');
    expect(readFileSync(join(dest as string, `${key}.bench.json`), 'utf8')).toBe('{"tries":1}');
    expect(readFileSync(join(dest as string, `${key}.log`), 'utf8')).toBe('step 1\n');
    expect(existsSync(join(runs, key))).toBe(false);
    expect(moveRunAside(runs, key, 'T2')).toBeUndefined();
    writeFileSync(join(runs, `${key}.log`), 'again\n');
    expect(() => moveRunAside(runs, key, 'T1')).toThrow(/exists already; refusing/);
    expect(readFileSync(join(runs, `${key}.log`), 'utf8')).toBe('again\n');
  });
});
