/**
 * ThreadedVecEnv's fault paths with real worker threads (issue 14, defect 7): a worker that dies
 * in reset, two workers failing in one step, a restart that fails, and running out of restarts;
 * every fault says how many restarts its worker has left.
 */
import { describe, expect, it } from 'vitest';
import { buildEnv, type EnvRecipe, generationSeed } from '../../src/rollout/env-recipe.js';
import { ThreadedVecEnv } from '../../src/rollout/threaded-vec-env.js';
import type { VecEnvFault } from '../../src/rollout/vec-env.js';
import { deriveSeeds } from '../../src/util/rng.js';

const CARTPOLE: EnvRecipe = { id: 'CartPole-v1' };

describe('ThreadedVecEnv faults', () => {
  it('restarts a worker that dies in reset: its envs start rebuilt, the reset infos carry the fault', async () => {
    const faults: VecEnvFault[] = [];
    const venv = await ThreadedVecEnv.create({
      recipe: { ...CARTPOLE, fault: { envIndex: 1, atReset: 1, mode: 'exit' } },
      numEnvs: 2,
      numWorkers: 2,
      seed: 5,
      onFault: (f) => faults.push(f),
    });
    try {
      const { obs, infos } = await venv.reset();
      expect(faults).toHaveLength(1);
      expect(faults[0]).toMatchObject({
        kind: 'worker-exit',
        envIndex: 1,
        workerIndex: 1,
        affectedEnvs: [1],
        restartsLeft: 9,
      });
      expect((infos[1] as { fault?: VecEnvFault }).fault).toBe(faults[0]);
      expect((infos[0] as { fault?: VecEnvFault }).fault).toBeUndefined();
      // Env 1 is its generation-1 rebuild, reset with that generation's seed; env 0 is untouched.
      const seeds = deriveSeeds(5, 2);
      const rebuilt = buildEnv(CARTPOLE, 0).reset({ seed: generationSeed(seeds[1], 1) }).obs;
      const first = buildEnv(CARTPOLE, 0).reset({ seed: seeds[0] }).obs;
      expect(Array.from(obs.subarray(4, 8))).toEqual(Array.from(rebuilt));
      expect(Array.from(obs.subarray(0, 4))).toEqual(Array.from(first));
      for (let t = 0; t < 5; t++) {
        const r = await venv.step(new Int32Array([0, 1]));
        expect(Array.from(r.truncated)).toEqual([0, 0]);
      }
      expect(faults).toHaveLength(1);
    } finally {
      await venv.close();
    }
  });

  it('handles two workers failing in the same step: both truncated, both restarted, two faults', async () => {
    const faults: VecEnvFault[] = [];
    const venv = await ThreadedVecEnv.create({
      recipe: {
        ...CARTPOLE,
        fault: [
          { envIndex: 0, atStep: 3, mode: 'exit' },
          { envIndex: 2, atStep: 3, mode: 'exit' },
        ],
      },
      numEnvs: 3,
      numWorkers: 3,
      onFault: (f) => faults.push(f),
    });
    try {
      await venv.reset();
      const actions = new Int32Array([0, 1, 0]);
      await venv.step(actions);
      await venv.step(actions);
      const r = await venv.step(actions);
      expect(Array.from(r.truncated)).toEqual([1, 0, 1]);
      expect(Array.from(r.rewards)).toEqual([0, 1, 0]);
      expect(faults.map((f) => [f.kind, f.workerIndex, f.affectedEnvs, f.restartsLeft])).toEqual([
        ['worker-exit', 0, [0], 9],
        ['worker-exit', 2, [2], 9],
      ]);
      expect(r.infos[0].fault).toBe(faults[0]);
      expect(r.infos[2].fault).toBe(faults[1]);
      expect(r.infos[0].finalObs).toHaveLength(4);
      const next = await venv.step(actions);
      expect(Array.from(next.truncated)).toEqual([0, 0, 0]);
    } finally {
      await venv.close();
    }
  });

  it('closes itself and says why when a restart fails', async () => {
    const venv = await ThreadedVecEnv.create({
      recipe: {
        ...CARTPOLE,
        fault: [
          { envIndex: 0, atStep: 2, mode: 'exit' },
          { envIndex: 0, atBuild: 1, mode: 'throw' },
        ],
      },
      numEnvs: 1,
      numWorkers: 1,
    });
    await venv.reset();
    await venv.step(new Int32Array([0]));
    await expect(venv.step(new Int32Array([0]))).rejects.toThrow(
      /worker 0 could not be restarted after it failed \(worker exited with code: 70\): injected fault: env 0 when building generation 1/,
    );
    await expect(venv.reset()).rejects.toThrow(/after close\(\)/);
  });

  it('counts restarts down in the faults, then gives up', async () => {
    const faults: VecEnvFault[] = [];
    const venv = await ThreadedVecEnv.create({
      recipe: { ...CARTPOLE, fault: { envIndex: 0, atStep: 1, generations: 100, mode: 'exit' } },
      numEnvs: 1,
      numWorkers: 1,
      maxRestarts: 2,
      onFault: (f) => faults.push(f),
    });
    await venv.reset();
    expect(Array.from((await venv.step(new Int32Array([0]))).truncated)).toEqual([1]);
    expect(Array.from((await venv.step(new Int32Array([0]))).truncated)).toEqual([1]);
    await expect(venv.step(new Int32Array([0]))).rejects.toThrow(
      /worker 0 \(envs 0..0\) failed 3 times \(last: worker exited with code: 70\); giving up after 2 restarts/,
    );
    expect(faults.map((f) => f.restartsLeft)).toEqual([1, 0]);
  });

  it('refuses a fault injection without exactly one of atStep, atReset, atBuild', async () => {
    await expect(
      ThreadedVecEnv.create({
        recipe: { ...CARTPOLE, fault: { envIndex: 0, atStep: 1, atReset: 1, mode: 'exit' } },
        numEnvs: 1,
      }),
    ).rejects.toThrow(/exactly one of atStep, atReset, atBuild; got atStep, atReset/);
  });
});
