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
  return renameSavedFields(config as Record<string, unknown>);
}

/**
 * Reads the old names of renamed fields, so that run directories written before a rename still
 * load: `atari.frameStack` (an on-policy run's makeAtari options) is now `atari.historyLength`,
 * the name of the frames-per-observation count everywhere.
 */
function renameSavedFields(config: Record<string, unknown>): Record<string, unknown> {
  const atari = config.atari;
  if (typeof atari !== 'object' || atari === null || !('frameStack' in atari)) return config;
  const { frameStack, ...rest } = atari as Record<string, unknown>;
  return { ...config, atari: { historyLength: frameStack, ...rest } };
}

/** Runs `check` (a validation of what `path` holds); its error is rethrown naming `path`. */
export function checkingFile<T>(path: string, check: () => T): T {
  try {
    return check();
  } catch (err) {
    throw new Error(`${path}: ${(err as Error).message}`);
  }
}
