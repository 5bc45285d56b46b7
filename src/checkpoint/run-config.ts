/** config.json of a run directory: written durably (temp, fsync, rename), read with every check. */
import { join } from 'node:path';
import { mkdirDurable, readJsonFile, writeFileDurable } from './safe-files.js';

export const RUN_FORMAT = 'pixelrl-run';

/** Writes config.json of a run directory (creating the directory). */
export async function writeRunConfig(runDir: string, config: Record<string, unknown>): Promise<void> {
  await mkdirDurable(runDir);
  await writeFileDurable(
    join(runDir, 'config.json'),
    `${JSON.stringify({ format: RUN_FORMAT, ...config }, null, 2)}\n`,
  );
}

/** Reads config.json of a run directory, refusing a missing, damaged or foreign one. */
export async function readRunConfig(runDir: string): Promise<Record<string, unknown>> {
  const path = join(runDir, 'config.json');
  let config: unknown;
  try {
    config = await readJsonFile(path);
  } catch (err) {
    const message = (err as Error).message;
    if (message === `${path} is missing`) {
      throw new Error(`${runDir} is not a pixelrl run directory: ${path} is missing`);
    }
    throw new Error(message);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(`${path} is not a JSON object: the file is truncated or foreign`);
  }
  const format = (config as { format?: unknown }).format;
  if (format !== RUN_FORMAT) {
    throw new Error(`${path} was not written by pixelrl (format is ${JSON.stringify(format)})`);
  }
  // As written: the old names of renamed settings are read by the run-config validators
  // (src/train/legacy-config.ts), which also read them in --config files.
  return config as Record<string, unknown>;
}

/** Runs `check` (a validation of what `path` holds); its error is rethrown naming `path`. */
export function checkingFile<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}
