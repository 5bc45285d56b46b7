import { describe, expect, it } from 'vitest';
import type { EnvRecipe } from '../../src/rollout/env-recipe.js';
import { SyncVecEnv } from '../../src/rollout/sync-vec-env.js';
import { ThreadedVecEnv } from '../../src/rollout/threaded-vec-env.js';
import type { VecEnvFault } from '../../src/rollout/vec-env.js';
import { countEnds, recordStream } from './helpers.js';

/** Streams of SyncVecEnv and of ThreadedVecEnv with a slice in the calling thread, same seed. */
async function bothStreams(recipe: EnvRecipe, numEnvs: number, numWorkers: number, steps: number) {
  const sync = new SyncVecEnv({ recipe, numEnvs, seed: 11 });
  const threaded = await ThreadedVecEnv.create({
    recipe,
    numEnvs,
    numWorkers,
    seed: 11,
    mainThreadSlice: true,
  });
  try {
    return { sync: await recordStream(sync, steps, 4), threaded: await recordStream(threaded, steps, 4) };
  } finally {
    await sync.close();
    await threaded.close();
  }
}

describe('ThreadedVecEnv with mainThreadSlice', () => {
  it('gives the same streams as SyncVecEnv (CartPole, 1 worker + the calling thread, uneven slices)', async () => {
    const { sync, threaded } = await bothStreams({ id: 'CartPole-v1' }, 5, 1, 300);
    expect(countEnds(sync).terminated).toBeGreaterThan(20);
    expect(threaded).toEqual(sync);
  });

  it('gives the same streams with 2 workers + the calling thread (CartPole, 7 envs)', async () => {
    const { sync, threaded } = await bothStreams({ id: 'CartPole-v1' }, 7, 2, 200);
    expect(threaded).toEqual(sync);
  });

  it('runs the full makeAtari stack in both the worker and the calling thread, same streams as sync', async () => {
    const recipe: EnvRecipe = { id: 'Breakout-v0', atari: { maxNumFramesPerEpisode: 400 } };
    const { sync, threaded } = await bothStreams(recipe, 3, 1, 120);
    const ends = countEnds(sync);
    expect(ends.truncated + ends.terminated).toBeGreaterThan(3);
    expect(threaded).toEqual(sync);
  });

  it('handles an env that throws in the calling thread as SyncVecEnv does, and reports it', async () => {
    // 4 envs, 1 worker: the worker holds envs 0-1, the calling thread envs 2-3.
    const recipe = { id: 'CartPole-v1', fault: { envIndex: 3, atStep: 7, mode: 'throw' as const } };
    const { sync, threaded } = await bothStreams(recipe, 4, 1, 30);
    expect(sync[7].faults).toEqual(['', '', '', 'env-error@3']);
    expect(threaded).toEqual(sync);

    const faults: VecEnvFault[] = [];
    const venv = await ThreadedVecEnv.create({
      recipe,
      numEnvs: 4,
      numWorkers: 1,
      mainThreadSlice: true,
      onFault: (f) => faults.push(f),
    });
    try {
      await venv.reset();
      for (let t = 0; t < 8; t++) await venv.step(new Int32Array(4));
      expect(faults).toHaveLength(1);
      expect(faults[0]).toMatchObject({ envIndex: 3, workerIndex: -1, kind: 'env-error', affectedEnvs: [3] });
    } finally {
      await venv.close();
    }
  });

  it('caps the workers at N - 1 so that every slice, the local one too, has an env', async () => {
    const venv = await ThreadedVecEnv.create({
      recipe: { id: 'CartPole-v1' },
      numEnvs: 2,
      numWorkers: 4,
      mainThreadSlice: true,
    });
    try {
      expect(venv.numWorkers).toBe(1);
      const r = await venv.reset({ seed: 5 });
      expect(r.infos).toHaveLength(2);
      expect(r.obs).toHaveLength(8);
    } finally {
      await venv.close();
    }
  });
});
