import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hashBytes } from '../../envs/hash.js';
import type { EnvRecipe } from '../../src/rollout/env-recipe.js';
import { SyncVecEnv } from '../../src/rollout/sync-vec-env.js';
import { ThreadedVecEnv } from '../../src/rollout/threaded-vec-env.js';
import type { VecEnvFault } from '../../src/rollout/vec-env.js';
import { bytesOf, countEnds, recordStream } from './helpers.js';

async function bothStreams(recipe: EnvRecipe, numEnvs: number, numWorkers: number, steps: number) {
  const sync = new SyncVecEnv({ recipe, numEnvs, seed: 11 });
  const threaded = await ThreadedVecEnv.create({ recipe, numEnvs, numWorkers, seed: 11 });
  try {
    return { sync: await recordStream(sync, steps, 4), threaded: await recordStream(threaded, steps, 4) };
  } finally {
    await sync.close();
    await threaded.close();
  }
}

describe('ThreadedVecEnv', () => {
  it('gives the same streams as SyncVecEnv for the same seed (CartPole, uneven slices)', async () => {
    const { sync, threaded } = await bothStreams({ id: 'CartPole-v1' }, 5, 2, 300);
    expect(countEnds(sync).terminated).toBeGreaterThan(20);
    expect(threaded).toEqual(sync);
  });

  it('gives the same pixel streams as SyncVecEnv, time-limit truncations and finalObs included', async () => {
    const recipe = { id: 'Catch-v0', options: { maxNumFramesPerEpisode: 120 } };
    const { sync, threaded } = await bothStreams(recipe, 3, 2, 70);
    expect(countEnds(sync).truncated).toBe(6); // 120 frames = 30 steps: ends at steps 30 and 60
    expect(threaded).toEqual(sync);
  });

  it('runs the full makeAtari stack (φ, frame stack, episodic life) in the workers, same streams as sync', async () => {
    const recipe: EnvRecipe = { id: 'Breakout-v0', atari: { maxNumFramesPerEpisode: 400 } };
    const { sync, threaded } = await bothStreams(recipe, 3, 2, 120);
    expect(sync[0].obs).not.toBe(''); // 3 × [84, 84, 4] uint8
    const ends = countEnds(sync);
    expect(ends.truncated + ends.terminated).toBeGreaterThan(3); // 400 frames = 100 φ steps at most
    expect(threaded).toEqual(sync);
  });

  it('handles an env that throws inside a worker exactly as SyncVecEnv does', async () => {
    const recipe = { id: 'CartPole-v1', fault: { envIndex: 2, atStep: 7, mode: 'throw' as const } };
    const { sync, threaded } = await bothStreams(recipe, 4, 2, 30);
    expect(sync[7].faults).toEqual(['', '', 'env-error@2', '']);
    expect(threaded).toEqual(sync);
  });

  it('restarts a worker that exits, truncating its envs and naming the env it was stepping', async () => {
    const faults: VecEnvFault[] = [];
    const venv = await ThreadedVecEnv.create({
      recipe: { id: 'Catch-v0', fault: { envIndex: 3, atStep: 5, mode: 'exit' } },
      numEnvs: 4,
      numWorkers: 2,
      seed: 3,
      onFault: (f) => faults.push(f),
    });
    await venv.reset();
    const actions = new Int32Array([0, 1, 2, 0]);
    let before = '';
    for (let t = 1; t <= 4; t++)
      before = hashBytes(bytesOf((await venv.step(actions)).obs.slice(2 * 100800, 3 * 100800)));
    const r = await venv.step(actions);
    expect(Array.from(r.truncated)).toEqual([0, 0, 1, 1]);
    expect(Array.from(r.rewards.subarray(2))).toEqual([0, 0]);
    const fault = r.infos[3].fault;
    expect(fault).toMatchObject({ envIndex: 3, workerIndex: 1, kind: 'worker-exit', affectedEnvs: [2, 3] });
    expect(fault?.message).toMatch(/exited with code: 70/);
    expect(r.infos[2].fault).toBe(fault);
    // Env 2 was stepped before env 3 killed the thread: its finalObs is what the worker last wrote.
    expect(hashBytes(bytesOf(r.infos[2].finalObs ?? new Uint8Array()))).not.toBe(before);
    expect(r.infos[0].fault).toBeUndefined();
    expect(faults).toHaveLength(1);
    // The restarted worker's envs are fresh episodes that run on.
    for (let t = 0; t < 10; t++) {
      const s = await venv.step(actions);
      expect(Array.from(s.truncated)).toEqual([0, 0, 0, 0]);
      expect(s.infos.map((i) => i.lives)).toEqual([3, 3, 3, 3]);
    }
    await venv.close();
  });

  it('terminates and restarts a worker that hangs, after the step deadline', async () => {
    // One env on one worker: on a loaded machine no healthy worker can be mistaken for a hung one.
    const faults: VecEnvFault[] = [];
    const venv = await ThreadedVecEnv.create({
      recipe: { id: 'CartPole-v1', fault: { envIndex: 0, atStep: 2, mode: 'hang' } },
      numEnvs: 1,
      numWorkers: 1,
      stepTimeoutMs: 2_000,
      onFault: (f) => faults.push(f),
    });
    await venv.reset();
    await venv.step(new Int32Array([0]));
    const r = await venv.step(new Int32Array([0]));
    expect(Array.from(r.truncated)).toEqual([1]);
    expect(r.infos[0].fault).toMatchObject({ envIndex: 0, workerIndex: 0, kind: 'timeout' });
    expect(r.infos[0].fault?.message).toMatch(
      /worker 0 \(envs 0\.\.0\) did not answer a 'step' request within 2000 ms/,
    );
    expect(Array.from((await venv.step(new Int32Array([1]))).truncated)).toEqual([0]);
    expect(faults.map((f) => f.kind)).toEqual(['timeout']);
    await venv.close();
  });

  it('gives up after maxRestarts, closing itself, with an error that says what to do', async () => {
    const venv = await ThreadedVecEnv.create({
      recipe: { id: 'CartPole-v1', fault: { envIndex: 0, atStep: 1, mode: 'exit' } },
      numEnvs: 1,
      numWorkers: 1,
      maxRestarts: 0,
    });
    await venv.reset();
    await expect(venv.step(new Int32Array([0]))).rejects.toThrow(
      /worker 0 \(envs 0..0\) failed 1 times \(last: worker exited with code: 70\); giving up after 0 restarts.*allow more restarts/,
    );
    await expect(venv.reset()).rejects.toThrow(/after close\(\)/);
  });

  it('writes observations into shared memory and caps the workers at N', async () => {
    const venv = await ThreadedVecEnv.create({ recipe: { id: 'CartPole-v1' }, numEnvs: 3, numWorkers: 8 });
    expect(venv.numWorkers).toBe(3);
    const { obs } = await venv.reset();
    expect(obs).toBeInstanceOf(Float32Array);
    expect(obs.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bytesOf(obs).some((b) => b !== 0)).toBe(true);
    venv.stepAsync(new Int32Array(3));
    const waiting = expect(venv.stepWait()).rejects.toThrow(
      /close\(\) was called while this step was in flight/,
    );
    await venv.close(); // with a step in flight: the workers are terminated, the wait is told why
    await waiting;
    await venv.close(); // closing twice is harmless
    await expect(venv.step(new Int32Array(3))).rejects.toThrow(/after close\(\)/);
  });

  it('fails to start with the env error when the recipe cannot be built', async () => {
    await expect(
      ThreadedVecEnv.create({ recipe: { id: 'Catch-v0', options: { frameskip: 0 } }, numEnvs: 2 }),
    ).rejects.toThrow(/frameskip must be an integer >= 1, got 0/);
  });

  it('lets the process exit after close(): no worker, timer or port is left behind', () => {
    const fixture = fileURLToPath(new URL('./fixtures/close-exits.ts', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = spawnSync(process.execPath, ['--import', tsx, fixture], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('closed\n');
    expect(child.signal).toBeNull(); // not killed by the timeout
    expect(child.status).toBe(0);
  });
});
