/**
 * The shape of benchmarks/results.json (written by scripts/benchmark-games.ts, read by
 * scripts/benchmark-report.ts) and the small helpers both share.
 */
import { existsSync, readFileSync } from 'node:fs';
import {
  type HyperparamsEntry,
  hyperparamsEntry,
  parseHyperparams,
} from '../src/cli/commands/hyperparams.js';

export const RESULTS_FORMAT = 'pixelrl-benchmark-results';

/** One finished (algo, game, seed) run. */
export interface BenchmarkResult {
  key: string;
  game: string;
  algo: string;
  seed: number;
  budgetSteps: number;
  /** budgetSteps × frameskip (4 on the pixel games; 1 on vector envs). */
  budgetFrames: number;
  /** Wall seconds of the train processes, summed over resumes (evaluations excluded). */
  wallSeconds: number;
  trainProcesses: number;
  machine: { cpuModel: string; cores: number; uptimeAtStart: string; uptimeAtEnd: string };
  /** The final agent (not the best one) over `episodes` episodes. */
  eval: {
    episodes: number;
    epsilon: number;
    seed: number;
    step: number;
    mean: number;
    sd: number;
    returns: number[];
  };
  random: number | null;
  reference: number | null;
  /** (agent − random) / (reference − random). */
  normalized: number | null;
  snapshotCommit: string;
  hyperparams: { file: string; version: number; comment: string };
  config: Record<string, unknown>;
  runDir: string;
  finishedAt: string;
}

export interface BenchmarkResults {
  format: typeof RESULTS_FORMAT;
  runs: BenchmarkResult[];
}

export function runKey(item: { algo: string; env: string; seed: number }): string {
  return `${item.algo}-${item.env}-s${item.seed}`;
}

export function readResults(path: string): BenchmarkResults {
  if (!existsSync(path)) return { format: RESULTS_FORMAT, runs: [] };
  const value = JSON.parse(readFileSync(path, 'utf8')) as BenchmarkResults;
  if (value.format !== RESULTS_FORMAT || !Array.isArray(value.runs)) {
    throw new Error(`${path} is not a ${RESULTS_FORMAT} file`);
  }
  return value;
}

/** The tuned entry of `env` in a parsed hyperparams JSON value (`file` names it in errors). */
export function benchmarkEntry(
  value: unknown,
  env: string,
  file: string,
): { version: number; entry: HyperparamsEntry } {
  const parsed = parseHyperparams(value, file);
  return { version: parsed.version, entry: hyperparamsEntry(parsed, env, file) };
}
