/**
 * Per-game tuned settings (`hyperparams/dqn.json`, `hyperparams/ppo.json`), as RL Zoo keeps its
 * hyperparams/*.yml: one entry per env id, each a `--config` file object (`config`) with a
 * `comment` saying how it was found. `pixelrl train --env Pong-v0` with no other settings starts
 * from its entry; `--config` and flags override it; `--hyperparams file.json` reads another file.
 *
 *   { "format": "pixelrl-hyperparams", "version": 1, "algo": "dqn", "comment": "…",
 *     "entries": { "Pong-v0": { "comment": "how it was found", "config": { "steps": 500000, … } } } }
 */
import { existsSync, readFileSync } from 'node:fs';
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

/** The shipped file of an algorithm: hyperparams/<algo>.json at the package root. */
export function shippedHyperparamsPath(algo: string): string {
  // This file is src/cli/commands/hyperparams.ts, or dist/src/cli/commands/hyperparams.js once built:
  // the root is the first folder above it with a package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'hyperparams', `${algo}.json`);
}

/** Merges a --config object over a tuned entry's config: top-level fields replace, nested objects (`dqn`, `atari`) merge. */
export function mergeSettings(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(over)) {
    const prev = merged[key];
    merged[key] = isObject(prev) && isObject(value) ? { ...prev, ...value } : value;
  }
  return merged;
}

/** The flags that choose a run's tuned entry. */
export interface SettingsFlags {
  env?: string;
  preset?: string;
  config?: string;
  /** A hyperparams file, or `none` for no tuned entry. */
  hyperparams?: string;
}

/**
 * The settings a new run starts from, before the flags: the env's tuned entry (from --hyperparams,
 * else the shipped hyperparams/<algo>.json unless --preset names a preset) with `file` (the
 * --config file's settings, already read) over it. `upgrade` brings an entry's config to the
 * schema `file` is in (as the --config reader does for a file). `source` names where the settings
 * came from, for errors; `note` says which entry was used, for the run's first lines.
 */
export function withTunedEntry(
  flags: SettingsFlags,
  algo: string,
  file: Record<string, unknown>,
  defaultEnv: string,
  upgrade: (config: Record<string, unknown>) => Record<string, unknown> = (config) => config,
): { file: Record<string, unknown>; source: string; note?: string } {
  const plain = { file, source: `--config ${flags.config}` };
  const env = flags.env ?? (typeof file.env === 'string' ? file.env : defaultEnv);
  const explicit = flags.hyperparams !== undefined && flags.hyperparams !== 'none';
  const path = explicit ? (flags.hyperparams as string) : shippedHyperparamsPath(algo);
  if (flags.hyperparams === 'none' || (!explicit && (flags.preset !== undefined || !existsSync(path)))) {
    return plain;
  }
  const what = `--hyperparams ${path}`;
  const tuned = readHyperparams(path);
  if (tuned.algo !== algo) throw new Error(`${what} holds settings for --algo ${tuned.algo}, not ${algo}`);
  if (!tuned.entries[env]) {
    if (explicit) hyperparamsEntry(tuned, env, what);
    return plain;
  }
  const entry = tuned.entries[env];
  let config: Record<string, unknown>;
  try {
    config = upgrade(entry.config);
  } catch (err) {
    throw new Error(`${what}, entry ${env}: ${(err as Error).message}`);
  }
  const note = `hyperparams: ${env} starts from its entry in ${path} (version ${tuned.version}; ${entry.comment}); flags and --config override it, --hyperparams none leaves it out`;
  const source = `${flags.config ? `--config ${flags.config} over ` : ''}the ${env} entry of ${what}`;
  return { file: mergeSettings(config, file), source, note };
}
