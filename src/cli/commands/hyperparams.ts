/**
 * Per-game tuned settings (`hyperparams/dqn.json`, `hyperparams/ppo.json`), as RL Zoo keeps its
 * hyperparams/*.yml: one entry per env id, each a `--config` file object (`config`) with a
 * `comment` saying how it was found. `pixelrl train --env Pong-v0` with no other settings starts
 * from its entry; `--config` and flags override it; `--hyperparams file.json` reads another file.
 *
 *   { "format": "pixelrl-hyperparams", "version": 1, "algo": "dqn", "comment": "…",
 *     "entries": { "Pong-v0": { "comment": "how it was found", "config": { "steps": 500000, … } } } }
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HYPERPARAMS_FORMAT = 'pixelrl-hyperparams';

/** One env's tuned settings. */
export interface HyperparamsEntry {
  /** How the settings were found (a sweep, a paper, "first guess, not yet tuned"). */
  comment: string;
  /** A `--config` file object: validated as one when a run is built from it. */
  config: Record<string, unknown>;
}

/** A parsed hyperparams file. */
export interface HyperparamsFile {
  version: number;
  algo: string;
  entries: Record<string, HyperparamsEntry>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks the shape of a hyperparams file (`what` names it in errors); the configs are checked by the caller. */
export function parseHyperparams(value: unknown, what: string): HyperparamsFile {
  if (!isObject(value) || value.format !== HYPERPARAMS_FORMAT) {
    throw new Error(`${what} must be a JSON object with "format": "${HYPERPARAMS_FORMAT}"`);
  }
  if (!Number.isSafeInteger(value.version) || (value.version as number) < 1) {
    throw new Error(`${what}: "version" must be a positive integer, got ${JSON.stringify(value.version)}`);
  }
  if (typeof value.algo !== 'string') throw new Error(`${what}: "algo" must be a string such as "dqn"`);
  if (!isObject(value.entries)) throw new Error(`${what}: "entries" must be an object keyed by env id`);
  for (const [env, entry] of Object.entries(value.entries)) {
    if (
      !isObject(entry) ||
      typeof entry.comment !== 'string' ||
      entry.comment === '' ||
      !isObject(entry.config)
    ) {
      throw new Error(`${what}: entry ${env} must be { "comment": "how it was found", "config": { … } }`);
    }
    for (const key of Object.keys(entry)) {
      if (key !== 'comment' && key !== 'config')
        throw new Error(`${what}: entry ${env} has unknown field '${key}'`);
    }
  }
  return value as unknown as HyperparamsFile;
}

/** Reads and parses a hyperparams file; errors name the file. */
export function readHyperparams(path: string): HyperparamsFile {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read --hyperparams ${path}: ${(err as Error).message}`);
  }
  return parseHyperparams(value, `--hyperparams ${path}`);
}

/** The entry for `env` in a parsed file, or an error naming the file (`what`) and the ids it has. */
export function hyperparamsEntry(file: HyperparamsFile, env: string, what: string): HyperparamsEntry {
  const entry = file.entries[env];
  if (!entry)
    throw new Error(`${what} has no entry for ${env}; it has ${Object.keys(file.entries).join(', ')}`);
  return entry;
}

/** The shipped file of an algorithm: hyperparams/<algo>.json at the package root (beside dist/). */
export function shippedHyperparamsPath(algo: string): string {
  // This file is src/cli/commands/hyperparams.ts, or dist/src/cli/commands/hyperparams.js once built.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 5; up++) {
    const candidate = join(dir, 'hyperparams', `${algo}.json`);
    try {
      readFileSync(join(dir, 'package.json'));
      return candidate;
    } catch {
      dir = dirname(dir);
    }
  }
  return join(dir, 'hyperparams', `${algo}.json`);
}
