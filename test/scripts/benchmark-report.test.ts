/**
 * scripts/benchmark-report.ts: README's benchmark table from results.json records (numbers and the
 * better algorithm per game, worked out by hand), and the write between the marker comments.
 */
import { describe, expect, it } from 'vitest';
import {
  benchmarkTable,
  plotPlan,
  replaceBetweenMarkers,
  TABLE_END,
  TABLE_START,
} from '../../scripts/benchmark-report.js';
import type { BenchmarkResult } from '../../scripts/benchmark-results.js';
import { runKey } from '../../scripts/benchmark-results.js';

function run(
  algo: string,
  seed: number,
  mean: number,
  sd: number,
  wallSeconds: number,
  budgetSteps: number,
): BenchmarkResult {
  const random = -20.3;
  const reference = 18.7;
  return {
    key: runKey({ algo, env: 'Pong-v0', seed }),
    game: 'Pong-v0',
    algo,
    seed,
    budgetSteps,
    budgetFrames: budgetSteps * 4,
    wallSeconds,
    trainProcesses: 1,
    machine: {
      cpuModel: 'AMD EPYC',
      cores: 2,
      uptimeAtStart: 'load average: 1',
      uptimeAtEnd: 'load average: 2',
    },
    eval: { episodes: 30, epsilon: 0.05, seed: 12345, step: budgetSteps, mean, sd, returns: [] },
    random,
    reference,
    normalized: (mean - random) / (reference - random),
    snapshotCommit: 'abc',
    hyperparams: { file: 'hyperparams/dqn.json', version: 1, comment: 'c' },
    config: {},
    runDir: '/nonexistent',
    finishedAt: '2026-12-03T00:00:00Z',
  };
}

describe('benchmark report', () => {
  it('writes a row per game with per-seed evals, the mean normalized score and the better algo in bold', () => {
    // DQN seeds: (0.2 + 20.3) / 39 = 0.5256…, (−1.0 + 20.3) / 39 = 0.4949…; mean 0.5103 → 0.51.
    // PPO: (−10 + 20.3) / 39 = 0.2641 → 0.26.
    const table = benchmarkTable([
      run('dqn', 1, -1, 3, 3000, 500_000),
      run('dqn', 0, 0.2, 2.04, 3630, 500_000),
      run('ppo', 0, -10, 1, 1500, 1_000_000),
    ]);
    const row = table.split('\n').find((l) => l.startsWith('| Pong-v0'));
    expect(row).toBe(
      '| Pong-v0 | -20.3 | 18.7 | 0.2 ± 2.0 / -1.0 ± 3.0 (seed 0 / 1; normalized **0.51**); 500k steps (2M frames), 61 min / 50 min | -10.0 ± 1.0 (seed 0; normalized 0.26); 1M steps (4M frames), 25 min |',
    );
    expect(table).toMatch(/a 2-core AMD EPYC/);
    expect(benchmarkTable([])).toBe('No benchmark run has finished yet.');
    expect(table).not.toMatch(/retuned/);
  });

  it('names the superseded runs after the table', () => {
    // (−19.4 + 20.3) / 39 = 0.0230… → 0.02.
    const old = run('dqn', 0, -19.4, 1.5, 3700, 500_000);
    const table = benchmarkTable([run('ppo', 0, -10, 1, 1500, 1_000_000)], [old]);
    expect(table.split('\n').pop()).toBe(
      'Earlier settings, since retuned (their runs are kept in results.json under `superseded`): DQN Pong-v0 seed 0, hyperparams version 1, 500k steps: -19.4 ± 1.5 (normalized 0.02).',
    );
  });

  it('replaces only what is between the markers, and refuses a text without them', () => {
    const text = `a\n${TABLE_START}\nold table\n${TABLE_END}\nb\n`;
    const once = replaceBetweenMarkers(text, 'T1', 'README.md');
    expect(once).toBe(`a\n${TABLE_START}\n\nT1\n\n${TABLE_END}\nb\n`);
    expect(replaceBetweenMarkers(once, 'T2', 'README.md')).toBe(
      `a\n${TABLE_START}\n\nT2\n\n${TABLE_END}\nb\n`,
    );
    expect(() => replaceBetweenMarkers('a\nb\n', 'T', 'README.md')).toThrow(
      /README\.md has no <!-- benchmark-table:start/,
    );
  });

  it('draws a plot from the runs that are here, and keeps a committed plot when some are gone', () => {
    const runs = [{ key: 'dqn-Pong-v0-s0' }, { key: 'ppo-Pong-v0-s0' }, { key: 'dqn-Pong-v0-s1' }];
    const all = () => true;
    const notDqn0 = (r: { key: string }) => r.key !== 'dqn-Pong-v0-s0';
    expect(plotPlan(runs, all, true)).toEqual({ draw: runs, missing: [] });
    expect(plotPlan(runs, all, false)).toEqual({ draw: runs, missing: [] });
    expect(plotPlan(runs, notDqn0, true)).toEqual({ draw: [], missing: [runs[0]] });
    expect(plotPlan(runs, notDqn0, false)).toEqual({ draw: [runs[1], runs[2]], missing: [runs[0]] });
    expect(plotPlan(runs, () => false, false)).toEqual({ draw: [], missing: runs });
  });
});
