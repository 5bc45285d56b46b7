import { existsSync, mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import {
  disposeCheckpoint,
  readCheckpoint,
  readRunConfig,
  writeCheckpoint,
  writeRunConfig,
} from '../../src/checkpoint/checkpoint.js';
import { loadModelFromDir } from '../../src/checkpoint/tfjs-files.js';
import { buildNetwork } from '../../src/nets/index.js';
import { Rng } from '../../src/util/rng.js';
import type { StateBundle } from '../../src/util/state-bundle.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function bundle(seed: number): StateBundle {
  return {
    json: { step: seed, rng: new Rng(seed).getState() },
    arrays: {
      moments: Float32Array.from([seed, 0.5, -1]),
      flags: Uint8Array.from([1, 2, 3]),
      tree: Float64Array.from([1e-300, 2]),
      ids: Int32Array.from([-7]),
    },
    models: { online: buildNetwork('[4,relu]', [3], { kind: 'q', actions: 2 }, { rng: new Rng(seed) }) },
  };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'pixelrl-ckpt-'));

describe('checkpoints', () => {
  it('round-trip plain data, typed arrays of every dtype and tfjs models', async () => {
    const dir = tmp();
    const saved = bundle(5);
    await writeCheckpoint(dir, 'dqn', 123, { agent: saved });
    const loaded = await readCheckpoint(dir, 'dqn');
    expect(loaded.manifest.step).toBe(123);
    const got = loaded.parts.agent;
    expect(got.json).toEqual(saved.json);
    expect(got.arrays).toEqual(saved.arrays);
    expect(got.arrays.tree).toBeInstanceOf(Float64Array);
    const x = tf.tensor2d([0.1, -2, 3], [1, 3]);
    expect((got.models.online.predict(x) as tf.Tensor).dataSync()).toEqual(
      (saved.models.online.predict(x) as tf.Tensor).dataSync(),
    );
    // The weights are in the standard tfjs folder format.
    const json = JSON.parse(readFileSync(join(dir, 'checkpoint', 'agent.online', 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);
    const again = await loadModelFromDir(join(dir, 'checkpoint', 'agent.online'));
    expect(again.countParams()).toBe(saved.models.online.countParams());
    disposeCheckpoint(loaded);
  });

  it('replaces the previous checkpoint only once the new one is complete', async () => {
    const dir = tmp();
    await writeCheckpoint(dir, 'dqn', 1, { agent: bundle(1) });
    await writeCheckpoint(dir, 'dqn', 2, { agent: bundle(2) });
    expect(existsSync(join(dir, 'checkpoint.tmp'))).toBe(false);
    expect(existsSync(join(dir, 'checkpoint.old'))).toBe(false);
    expect((await readCheckpoint(dir)).manifest.step).toBe(2);
    // A crash between the two renames leaves only checkpoint.old: it is still found.
    const { renameSync } = await import('node:fs');
    renameSync(join(dir, 'checkpoint'), join(dir, 'checkpoint.old'));
    expect((await readCheckpoint(dir)).manifest.step).toBe(2);
  });

  it('refuses a missing run, a run without checkpoint, a truncated file and a foreign manifest', async () => {
    const dir = tmp();
    await expect(readCheckpoint(join(dir, 'nope'))).rejects.toThrow(/run directory .*nope does not exist/);
    mkdirSync(join(dir, 'empty'));
    await expect(readCheckpoint(join(dir, 'empty'))).rejects.toThrow(/has no checkpoint/);

    await writeCheckpoint(join(dir, 'cut'), 'dqn', 1, { agent: bundle(1) });
    truncateSync(join(dir, 'cut', 'checkpoint', 'agent.online', 'weights.bin'), 10);
    await expect(readCheckpoint(join(dir, 'cut'))).rejects.toThrow(
      /weights.bin is 10 bytes, expected \d+: the checkpoint is truncated/,
    );

    mkdirSync(join(dir, 'foreign', 'checkpoint'), { recursive: true });
    writeFileSync(join(dir, 'foreign', 'checkpoint', 'manifest.json'), '{"format":"something-else"}');
    await expect(readCheckpoint(join(dir, 'foreign'))).rejects.toThrow(/was not written by pixelrl/);

    await writeCheckpoint(join(dir, 'ppo'), 'ppo', 1, { agent: bundle(1) });
    await expect(readCheckpoint(join(dir, 'ppo'), 'dqn')).rejects.toThrow(/is a ppo run, not dqn/);
  });

  it('writes config.json with a format tag and refuses foreign or broken ones', async () => {
    const dir = tmp();
    await writeRunConfig(join(dir, 'run'), { env: 'CartPole-v1', algo: 'dqn', seed: 1 });
    expect(await readRunConfig(join(dir, 'run'))).toEqual({
      format: 'pixelrl-run',
      env: 'CartPole-v1',
      algo: 'dqn',
      seed: 1,
    });
    await expect(readRunConfig(join(dir, 'none'))).rejects.toThrow(
      /not a pixelrl run directory: .*config.json is missing/,
    );
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'config.json'), '{"env": "CartPole');
    await expect(readRunConfig(join(dir, 'bad'))).rejects.toThrow(/not valid JSON/);
    writeFileSync(join(dir, 'bad', 'config.json'), '{"name": "other tool"}');
    await expect(readRunConfig(join(dir, 'bad'))).rejects.toThrow(/was not written by pixelrl/);
  });
});
