/**
 * With and without: the in-training evaluations of two groups of runs (same game, same seeds) at
 * the same agent steps, so that a setting can be judged before either group reaches its budget.
 * Each run directory (or a kept copy under benchmarks/) holds a metrics.jsonl; its `eval` records
 * are the CLI's periodic evaluations (10 episodes each in the benchmark runner).
 *
 *   npx tsx scripts/compare-evals.ts --group "tuned=benchmarks/runs/dqn-Pong-v0-s1,…" \
 *       --group "dueling+PER=benchmarks/experiments/dueling-per/runs/dqn-Pong-v0-s1,…" \
 *       [--at 500000 --at 1000000] [--window 150000]
 *
 * For each group and each --at step it prints the eval mean of every run at that step and the
 * mean of its evals over the last --window steps up to it (less noisy than one 10-episode eval),
 * then the group's mean of those means (undefined when a run has no eval in the window).
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EvalRecord } from '../src/checkpoint/metric-records.js';
import { meanStd } from '../src/train/evaluate.js';
import { parseMetrics } from '../src/viz/metrics.js';

interface Group {
  label: string;
  runs: { dir: string; evals: EvalRecord[] }[];
}

/** `label=dir1,dir2` → the group's runs with their eval records, in step order. */
export function readGroup(spec: string): Group {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1)
    throw new Error(`--group '${spec}': expected label=runDir[,runDir…]`);
  const dirs = spec
    .slice(eq + 1)
    .split(',')
    .filter((d) => d !== '');
  return {
    label: spec.slice(0, eq),
    runs: dirs.map((dir) => {
      const file = join(dir, 'metrics.jsonl');
      const evals = parseMetrics(readFileSync(file, 'utf8'), file).filter(
        (r): r is EvalRecord => r.kind === 'eval',
      );
      return { dir, evals: evals.sort((a, b) => a.step - b.step) };
    }),
  };
}

/** The eval at exactly `step`, and the mean of the evals in (step − window, step]; undefined when none. */
export function evalsAt(
  evals: readonly EvalRecord[],
  step: number,
  window: number,
): { at: number | undefined; windowMean: number | undefined; count: number } {
  const at = evals.find((e) => e.step === step)?.meanReturn;
  const inWindow = evals.filter((e) => e.step > step - window && e.step <= step);
  const windowMean = inWindow.length === 0 ? undefined : meanStd(inWindow.map((e) => e.meanReturn)).mean;
  return { at, windowMean, count: inWindow.length };
}

function fmt(x: number | undefined): string {
  return x === undefined ? '—' : x.toFixed(2);
}

function main(): void {
  const { values } = parseArgs({
    options: {
      group: { type: 'string', multiple: true, default: [] },
      at: { type: 'string', multiple: true, default: [] },
      window: { type: 'string', default: '150000' },
    },
  });
  const window = Number(values.window);
  const steps = values.at.map(Number);
  if (values.group.length < 1 || steps.length < 1 || !(window > 0) || steps.some((s) => !(s > 0))) {
    process.stderr.write(
      'compare-evals: give at least one --group label=runDir[,runDir…], one --at <step> and a positive --window\n',
    );
    process.exit(2);
  }
  const groups = values.group.map(readGroup);
  for (const step of steps) {
    process.stdout.write(`\nat step ${step} (window: evals in (${step - window}, ${step}])\n`);
    for (const g of groups) {
      const rows = g.runs.map((r) => ({ dir: r.dir, ...evalsAt(r.evals, step, window) }));
      for (const r of rows) {
        process.stdout.write(
          `  ${g.label.padEnd(14)} ${r.dir}: eval ${fmt(r.at)}, window mean ${fmt(r.windowMean)} (${r.count} evals)\n`,
        );
      }
      const means = rows.map((r) => r.windowMean).filter((m): m is number => m !== undefined);
      const groupMean = means.length === rows.length ? meanStd(means).mean : undefined;
      process.stdout.write(`  ${g.label.padEnd(14)} mean of the window means: ${fmt(groupMean)}\n`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
