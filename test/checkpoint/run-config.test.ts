/** config.json: written and read as it is; a field saved under its old name is read under the new one. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readRunConfig, writeRunConfig } from '../../src/checkpoint/run-config.js';
import { upgradeRunConfig } from '../../src/train/legacy-config.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pixelrl-run-config-'));
  dirs.push(d);
  return d;
}

describe('readRunConfig', () => {
  it('reads an on-policy run saved with atari.frameStack as atari.historyLength', async () => {
    const dir = await tempDir();
    const saved = { format: 'pixelrl-run', algo: 'ppo', atari: { screenSize: 24, frameStack: 2 } };
    await writeFile(join(dir, 'config.json'), JSON.stringify(saved));
    const config = upgradeRunConfig(await readRunConfig(dir));
    expect(config.atari).toEqual({ screenSize: 24, historyLength: 2 });
  });

  it('leaves a config with the current names as written', async () => {
    const dir = await tempDir();
    const config = { algo: 'ppo', atari: { historyLength: 3 }, steps: 7 };
    await writeRunConfig(dir, config);
    expect(await readRunConfig(dir)).toEqual({ format: 'pixelrl-run', ...config });
  });

  it('reads the bundled catch-dqn run with historyLength 4', async () => {
    const config = await readRunConfig('checkpoints/bundled/catch-dqn');
    expect((config.dqn as { historyLength: number }).historyLength).toBe(4);
  });
});
