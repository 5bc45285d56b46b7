/** Reading a `--config file.json` for `pixelrl train`: one JSON object, or a clear error. */
import { readFileSync } from 'node:fs';

export function readConfigFile(path: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read --config ${path}: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`--config ${path} must hold a JSON object of ${what}`);
  }
  return value as Record<string, unknown>;
}
