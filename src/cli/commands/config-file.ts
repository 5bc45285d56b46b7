/**
 * Reading a `--config file.json` for `pixelrl train`: one JSON object in the run schema
 * (src/train/train-config.ts), or a clear error. Old-style files (the names runs used before the
 * schema was one, src/train/legacy-config.ts) are read with today's names.
 */
import { readFileSync } from 'node:fs';
import { type OldNames, upgradeRunConfig } from '../../train/legacy-config.js';

/**
 * The settings in `path`, with today's names. `algo`: the run's algorithm (the flag's), which an
 * old flat on-policy file's hyperparameters are nested under; `oldNames` records the old names
 * the file used, so that errors can name them (legacy-config.ts's withOldNames).
 */
export function readConfigFile(
  path: string,
  what: string,
  algo = 'dqn',
  oldNames?: OldNames,
): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read --config ${path}: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`--config ${path} must hold a JSON object of ${what}`);
  }
  try {
    return upgradeRunConfig(value as Record<string, unknown>, algo, oldNames);
  } catch (err) {
    throw new Error(`--config ${path}: ${(err as Error).message}`);
  }
}
