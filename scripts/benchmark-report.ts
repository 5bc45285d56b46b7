/**
 * From benchmarks/results.json (scripts/benchmark-games.ts): a reward-curve plot per game
 * (`pixelrl plot`: the mean of each algorithm's seeds with their min–max band, random and
 * reference lines) under benchmarks/plots/, and README's "What the agents reach" benchmark table,
 * written between its marker comments. No number in the table is typed by hand.
 *
 *   npx tsx scripts/benchmark-report.ts [--results benchmarks/results.json] [--readme README.md]
 *       [--plots benchmarks/plots] [--kept benchmarks/runs] [--cli /work/bench-snapshot/dist/src/cli/main.js]
 *       [--no-plots]
 *
 * A run is plotted from its run directory, or from the copy of its metrics the runner keeps under
 * benchmarks/runs/<key>/.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '../src/viz/atomic.js';
import type { ResultsWithHistory } from './benchmark-claims.js';
import { KEPT_ROOT, plotSource } from './benchmark-kept.js';
import { type BenchmarkResult, readResults } from './benchmark-results.js';

export const TABLE_START =
  '<!-- benchmark-table:start (scripts/benchmark-report.ts writes this table from benchmarks/results.json) -->';
export const TABLE_END = '<!-- benchmark-table:end -->';

const ALGOS = ['dqn', 'ppo'] as const;

const fmt = (x: number, digits = 1) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** 500000 → 500k, 2000000 → 2M. */
function count(n: number): string {
  return n >= 1e6 ? `${fmt(n / 1e6, n % 1e6 === 0 ? 0 : 1)}M` : `${fmt(n / 1000, 0)}k`;
}

function minutes(seconds: number): string {
  return `${Math.round(seconds / 60)} min`;
}

/** One algorithm's cell: budget, wall time per seed, final eval per seed and the mean normalized score. */
function cell(runs: BenchmarkResult[], best: boolean): string {
  if (runs.length === 0) return '–';
  const sorted = [...runs].sort((a, b) => a.seed - b.seed);
  const budgets = [
    ...new Set(sorted.map((r) => `${count(r.budgetSteps)} steps (${count(r.budgetFrames)} frames)`)),
  ].join(' / ');
  const evals = sorted.map((r) => `${fmt(r.eval.mean)} ± ${fmt(r.eval.sd)}`).join(' / ');
  const walls = sorted.map((r) => minutes(r.wallSeconds)).join(' / ');
  const norms = sorted.filter((r) => r.normalized !== null).map((r) => r.normalized as number);
  const mean = norms.length ? norms.reduce((a, b) => a + b, 0) / norms.length : null;
  const norm = mean === null ? '' : `; normalized ${best ? '**' : ''}${fmt(mean, 2)}${best ? '**' : ''}`;
  const seeds = sorted.map((r) => r.seed).join(' / ');
  return `${evals} (seed ${seeds}${norm}); ${budgets}, ${walls}`;
}

function meanNormalized(runs: BenchmarkResult[]): number | null {
  const norms = runs.filter((r) => r.normalized !== null).map((r) => r.normalized as number);
  return norms.length ? norms.reduce((a, b) => a + b, 0) / norms.length : null;
}

/** The markdown table: a row per game, a cell per algorithm, the better mean normalized score in bold. */
export function benchmarkTable(runs: BenchmarkResult[], superseded: BenchmarkResult[] = []): string {
  if (runs.length === 0) return 'No benchmark run has finished yet.';
  const games = [...new Set(runs.map((r) => r.game))].sort();
  const lines = [
    '| game | random | reference | DQN: final eval over 30 episodes, budget, wall time | PPO: the same |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const game of games) {
    const byAlgo = ALGOS.map((algo) => runs.filter((r) => r.game === game && r.algo === algo));
    const means = byAlgo.map(meanNormalized);
    const top = Math.max(...means.map((m) => m ?? Number.NEGATIVE_INFINITY));
    const both = means.every((m) => m !== null);
    const anchor = runs.find((r) => r.game === game);
    const score = (x: number | null | undefined) => (x === null || x === undefined ? '–' : fmt(x));
    const cells = byAlgo.map((rs, k) => cell(rs, both && means[k] === top));
    lines.push(`| ${game} | ${score(anchor?.random)} | ${score(anchor?.reference)} | ${cells.join(' | ')} |`);
  }
  const machine = runs[0]?.machine;
  const footer = machine
    ? `\nFinal agents (not the best evaluation), ε 0.05, no-op starts; normalized = (agent − random) / (reference − random), the mean over seeds; the better algorithm per game in bold when both ran. Wall time is the training on one core (\`--threads 1\`, no worker threads) of a ${machine.cores}-core ${machine.cpuModel} shared with other work; each run's \`uptime\` at its start and end is in benchmarks/results.json. Settings: hyperparams/dqn.json and hyperparams/ppo.json; runs: \`npx tsx scripts/benchmark-games.ts\`.`
    : '';
  return `${lines.join('\n')}\n${footer}${supersededLine(superseded)}`;
}

/** One line naming the runs whose entries were retuned since (kept in results.json's `superseded`). */
function supersededLine(superseded: BenchmarkResult[]): string {
  if (superseded.length === 0) return '';
  const items = superseded.map((r) => {
    const norm = r.normalized === null ? '' : ` (normalized ${fmt(r.normalized, 2)})`;
    return `${r.algo.toUpperCase()} ${r.game} seed ${r.seed}, hyperparams version ${r.hyperparams.version}, ${count(r.budgetSteps)} steps: ${fmt(r.eval.mean)} ± ${fmt(r.eval.sd)}${norm}`;
  });
  return `\n\nEarlier settings, since retuned (their runs are kept in results.json under \`superseded\`): ${items.join('; ')}.`;
}

/** `text` with the part between the markers replaced by `table` (an error when the markers are missing). */
export function replaceBetweenMarkers(text: string, table: string, what: string): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`${what} has no ${TABLE_START} … ${TABLE_END} markers`);
  return `${text.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${text.slice(end)}`;
}

/**
 * Which runs one game's plot is drawn from: those whose metrics are here (run directory or kept
 * copy). When some are missing (runs that finished before the runner kept copies, on a machine that
 * has lost their run directories) and
 * the game already has a plot, it is kept: a plot redrawn from fewer runs would lose curves.
 */
export function plotPlan<R extends { key: string }>(
  runs: R[],
  here: (run: R) => boolean,
  plotExists: boolean,
): { draw: R[]; missing: R[] } {
  const missing = runs.filter((r) => !here(r));
  const draw = missing.length > 0 && plotExists ? [] : runs.filter(here);
  return { draw, missing };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      results: { type: 'string', default: 'benchmarks/results.json' },
      readme: { type: 'string', default: 'README.md' },
      plots: { type: 'string', default: 'benchmarks/plots' },
      cli: { type: 'string', default: '/work/bench-snapshot/dist/src/cli/main.js' },
      kept: { type: 'string', default: KEPT_ROOT },
      'no-plots': { type: 'boolean', default: false },
    },
  });
  const { runs, superseded = [] } = readResults(values.results) as ResultsWithHistory;
  if (!values['no-plots']) {
    mkdirSync(values.plots, { recursive: true });
    for (const game of [...new Set(runs.map((r) => r.game))]) {
      const out = join(values.plots, `${game}.png`);
      const plan = plotPlan(
        runs.filter((r) => r.game === game),
        (r) => plotSource(r, values.kept) !== undefined,
        existsSync(out),
      );
      const gone = plan.missing.map((r) => r.key).join(', ');
      if (plan.draw.length === 0) {
        process.stdout.write(
          `${out}: ${plan.missing.length ? `kept (the metrics of ${gone} are not here)` : 'no runs'}\n`,
        );
        continue;
      }
      const mine = plan.draw;
      const args = [
        values.cli,
        'plot',
        ...mine.map((r) => plotSource(r, values.kept) as string),
        ...mine.flatMap((r) => ['--label', r.algo.toUpperCase()]),
      ];
      const without = gone ? ` (without ${gone}: its metrics are not here)` : '';
      execFileSync(
        process.execPath,
        [
          ...args,
          '--title',
          `${game}: ${mine.length} run${mine.length === 1 ? '' : 's'} of the benchmark${without}`,
          '-o',
          out,
        ],
        {
          stdio: 'inherit',
        },
      );
    }
  }
  const readme = readFileSync(values.readme, 'utf8');
  writeFileAtomic(
    values.readme,
    replaceBetweenMarkers(readme, benchmarkTable(runs, superseded), values.readme),
  );
  process.stdout.write(`wrote the table of ${runs.length} runs into ${values.readme}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
