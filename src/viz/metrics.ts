/**
 * Reading a run directory's `metrics.jsonl` and `config.json` (formats fixed by the trainer):
 *
 *   metrics.jsonl, one JSON object per line, discriminated by `kind`:
 *     { kind: 'episode', step, frames, timeSeconds, return, length, envIndex }
 *     { kind: 'train',   step, frames, timeSeconds, loss, meanQ?, epsilon?, sps }
 *     { kind: 'eval',    step, frames, timeSeconds, meanReturn, stdReturn, episodes }
 *     { kind: 'fault',   step, frames, timeSeconds, fault, envIndex, workerIndex, affectedEnvs, message }
 *   config.json: at least { env, algo, seed }.
 *
 * Every malformed line gives an Error naming the file, the line and what was expected. Unknown
 * extra fields are allowed (the trainer may add some); unknown kinds are refused.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type {
  EpisodeRecord,
  EvalRecord,
  FaultRecord,
  MetricRecord,
  TrainRecord,
} from '../checkpoint/metric-records.js';

export type {
  EpisodeRecord,
  EvalRecord,
  FaultRecord,
  MetricRecord,
  TrainRecord,
} from '../checkpoint/metric-records.js';

export interface RunConfig {
  env: string;
  algo: string;
  seed: number;
  [key: string]: unknown;
}

/** Everything a run directory says, split by kind, each in file order. */
export interface RunMetrics {
  dir: string;
  config: RunConfig;
  episodes: EpisodeRecord[];
  train: TrainRecord[];
  evals: EvalRecord[];
  /** Worker and env faults during training (readRun always fills it; optional for hand-made runs). */
  faults?: FaultRecord[];
}

const COMMON = ['step', 'frames', 'timeSeconds'] as const;
const REQUIRED: Record<MetricRecord['kind'], readonly string[]> = {
  episode: [...COMMON, 'return', 'length', 'envIndex'],
  train: [...COMMON, 'loss', 'sps'],
  eval: [...COMMON, 'meanReturn', 'stdReturn', 'episodes'],
  fault: [...COMMON, 'envIndex', 'workerIndex'],
};
const OPTIONAL: Record<MetricRecord['kind'], readonly string[]> = {
  episode: [],
  train: ['meanQ', 'epsilon'],
  eval: [],
  fault: ['restartsLeft'],
};
const KINDS: readonly MetricRecord['kind'][] = ['episode', 'train', 'eval', 'fault'];

/** Parses the text of a metrics.jsonl file; `file` names it in error messages. Blank lines are skipped. */
export function parseMetrics(text: string, file = 'metrics.jsonl'): MetricRecord[] {
  const out: MetricRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `${file} line ${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      // A last line cut short by a crash is the usual cause; say so.
      const hint =
        i >= lines.length - 2 ? ' (a run interrupted while writing leaves a partial last line)' : '';
      throw new Error(`${where}: not valid JSON${hint}: ${(err as Error).message}`);
    }
    out.push(checkRecord(value, where));
  }
  return out;
}

function checkRecord(value: unknown, where: string): MetricRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${where}: expected a JSON object with a "kind" field, got ${JSON.stringify(value)}`);
  }
  const obj = value as Record<string, unknown>;
  const kind = obj.kind as MetricRecord['kind'];
  if (!KINDS.includes(kind)) {
    throw new Error(
      `${where}: "kind" must be "episode", "train", "eval" or "fault", got ${JSON.stringify(obj.kind)}`,
    );
  }
  for (const key of REQUIRED[kind]) {
    if (typeof obj[key] !== 'number' || !Number.isFinite(obj[key])) {
      throw new Error(
        `${where}: a "${kind}" record needs a finite number "${key}" (fields: ${REQUIRED[kind].join(', ')}), ` +
          `got ${JSON.stringify(obj[key])}`,
      );
    }
  }
  for (const key of OPTIONAL[kind]) {
    if (obj[key] !== undefined && typeof obj[key] !== 'number') {
      throw new Error(
        `${where}: "${key}" of a "${kind}" record must be a number, got ${JSON.stringify(obj[key])}`,
      );
    }
  }
  return obj as unknown as MetricRecord;
}

/** Parses config.json's text; `file` names it in error messages. */
export function parseConfig(text: string, file = 'config.json'): RunConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file}: expected a JSON object like { "env": "Catch-v0", "algo": "dqn", "seed": 0 }`);
  }
  const c = value as Record<string, unknown>;
  for (const [key, type] of [
    ['env', 'string'],
    ['algo', 'string'],
    ['seed', 'number'],
  ] as const) {
    if (typeof c[key] !== type) {
      throw new Error(`${file}: expected a ${type} "${key}", got ${JSON.stringify(c[key])}`);
    }
  }
  return c as RunConfig;
}

/** Reads the run directory `dir` (its metrics.jsonl and config.json). */
export function readRun(dir: string): RunMetrics {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`run directory ${dir} does not exist (pass the folder that \`pixelrl train\` wrote)`);
  }
  const metricsPath = join(dir, 'metrics.jsonl');
  const configPath = join(dir, 'config.json');
  for (const p of [metricsPath, configPath]) {
    if (!existsSync(p)) {
      throw new Error(
        `${p} is missing: ${dir} does not look like a run directory (metrics.jsonl and config.json)`,
      );
    }
  }
  const config = parseConfig(readFileSync(configPath, 'utf8'), configPath);
  const records = parseMetrics(readFileSync(metricsPath, 'utf8'), metricsPath);
  const faults: FaultRecord[] = [];
  const run: RunMetrics = { dir, config, episodes: [], train: [], evals: [], faults };
  for (const r of records) {
    if (r.kind === 'episode') run.episodes.push(r);
    else if (r.kind === 'train') run.train.push(r);
    else if (r.kind === 'eval') run.evals.push(r);
    else faults.push(r);
  }
  return run;
}
