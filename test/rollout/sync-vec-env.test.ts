import { describe, expect, it } from 'vitest';
import type { BoxArray } from '../../envs/spaces.js';
import { buildEnv, generationSeed } from '../../src/rollout/env-recipe.js';
import { SyncVecEnv } from '../../src/rollout/sync-vec-env.js';
import type { VecEnvFault } from '../../src/rollout/vec-env.js';
import { deriveSeeds, Rng } from '../../src/util/rng.js';
import { recordStream } from './helpers.js';

function row(obs: BoxArray, i: number, size: number): number[] {
  return Array.from(obs.subarray(i * size, (i + 1) * size));
}

describe('SyncVecEnv', () => {
  it('matches N single envs stepped by hand, with same-step autoreset and finalObs', async () => {
    const n = 3;
    const seed = 5;
    const venv = new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: n, seed });
    const seeds = deriveSeeds(seed, n);
    const envs = seeds.map((s, i) => buildEnv({ id: 'CartPole-v1' }, s, { envIndex: i, generation: 0 }));
    const start = await venv.reset();
    for (const [i, env] of envs.entries()) {
      expect(row(start.obs, i, 4)).toEqual(Array.from(env.reset({ seed: seeds[i] }).obs));
    }
    const rng = new Rng(9);
    const actions = new Int32Array(n);
    let ends = 0;
    for (let t = 0; t < 300; t++) {
      for (let i = 0; i < n; i++) actions[i] = rng.int(2);
      const r = await venv.step(actions);
      envs.forEach((env, i) => {
        const s = env.step(actions[i]);
        expect(r.rewards[i]).toBe(s.reward);
        expect(r.terminated[i]).toBe(s.terminated ? 1 : 0);
        expect(r.truncated[i]).toBe(s.truncated ? 1 : 0);
        if (s.terminated || s.truncated) {
          ends++;
          expect(Array.from(r.infos[i].finalObs ?? [])).toEqual(Array.from(s.obs));
          // Same step: the batch already shows the first observation of the next episode.
          expect(row(r.obs, i, 4)).toEqual(Array.from(env.reset().obs));
        } else {
          expect(r.infos[i].finalObs).toBeUndefined();
          expect(row(r.obs, i, 4)).toEqual(Array.from(s.obs));
        }
      });
    }
    expect(ends).toBeGreaterThan(10); // random CartPole episodes last ~20 steps
    await venv.close();
  });

  it('reports a time limit as truncated (not terminated) with the last observation in finalObs', async () => {
    const venv = new SyncVecEnv({
      recipe: { id: 'CartPole-v1', options: { maxEpisodeSteps: 3 } },
      numEnvs: 2,
    });
    await venv.reset();
    const alternate = [new Int32Array([0, 1]), new Int32Array([1, 0])];
    for (let t = 1; t <= 6; t++) {
      const r = await venv.step(alternate[t % 2]);
      const end = t % 3 === 0 ? 1 : 0;
      expect(Array.from(r.truncated)).toEqual([end, end]);
      expect(Array.from(r.terminated)).toEqual([0, 0]);
      expect(Array.from(r.rewards)).toEqual([1, 1]);
      expect(r.infos.map((info) => info.finalObs !== undefined)).toEqual([end === 1, end === 1]);
      if (end) expect(Array.from(r.infos[0].finalObs ?? [])).not.toEqual(row(r.obs, 0, 4));
    }
    await venv.close();
  });

  it('gives raw pixel frames in the env dtype, with lives in the infos', async () => {
    const venv = new SyncVecEnv({ recipe: { id: 'Catch-v0' }, numEnvs: 2 });
    const { obs, infos } = await venv.reset();
    expect(obs).toBeInstanceOf(Uint8Array);
    expect(obs.length).toBe(2 * 210 * 160 * 3);
    expect(venv.obsShape).toEqual([210, 160, 3]);
    expect(infos.map((i) => i.lives)).toEqual([3, 3]);
    const r = await venv.step(new Int32Array([1, 2]));
    expect(r.infos.map((i) => i.lives)).toEqual([3, 3]);
    await venv.close();
  });

  it('builds pixel games through makeAtari: [84, 84, 4] uint8 frames, lives, and episode statistics', async () => {
    const venv = new SyncVecEnv({
      recipe: { id: 'Breakout-v0', atari: { maxNumFramesPerEpisode: 200, terminalOnLifeLoss: false } },
      numEnvs: 2,
    });
    expect(venv.obsShape).toEqual([84, 84, 4]);
    const { obs } = await venv.reset();
    expect(obs).toBeInstanceOf(Uint8Array);
    expect(obs.length).toBe(2 * 84 * 84 * 4);
    let episodes = 0;
    for (let t = 0; t < 60; t++) {
      const r = await venv.step(new Int32Array([1, 2]));
      for (const info of r.infos) expect(typeof info.lives).toBe('number');
      for (let i = 0; i < 2; i++) {
        if (!r.truncated[i] && !r.terminated[i]) continue;
        episodes++;
        // RecordEpisodeStatistics sits under the vector env: its stats arrive with finalObs.
        expect(r.infos[i].episode?.length).toBeGreaterThan(0);
        expect(r.infos[i].finalObs).toHaveLength(84 * 84 * 4);
      }
    }
    expect(episodes).toBeGreaterThanOrEqual(2); // 200 frames = 50 steps: each env ends at least once
  });

  it('refuses a recipe that gives harness options outside atari', () => {
    const recipe = { id: 'Breakout-v0', options: { frameskip: 1 }, atari: {} };
    expect(() => new SyncVecEnv({ recipe, numEnvs: 1 })).toThrow(/give the harness options inside atari/);
    expect(() => new SyncVecEnv({ recipe: { id: 'CartPole-v1', atari: {} }, numEnvs: 1 })).toThrow(
      /makeAtari builds pixel games; CartPole-v1 is a classic env/,
    );
  });

  it('reset({ seed }) replays the same streams; another seed gives others', async () => {
    const venv = new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 4, seed: 1 });
    const a = await recordStream(venv, 50, 3);
    const again = await recordStream(venv, 50, 3); // no seed: the RNGs continue
    await venv.reset({ seed: 1 });
    const b = await recordStream(
      new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 4, seed: 1 }),
      50,
      3,
    );
    const c = await recordStream(
      new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 4, seed: 2 }),
      50,
      3,
    );
    expect(b).toEqual(a);
    expect(again[0].obs).not.toBe(a[0].obs);
    expect(c[0].obs).not.toBe(a[0].obs);
    await venv.close();
  });

  it('truncates, reports and rebuilds an env that throws; its neighbours go on untouched', async () => {
    const faults: VecEnvFault[] = [];
    const recipe = { id: 'CartPole-v1', options: { maxEpisodeSteps: 100 } };
    const faulty = new SyncVecEnv({
      recipe: { ...recipe, fault: { envIndex: 1, atStep: 4, mode: 'throw' } },
      numEnvs: 3,
      seed: 8,
      onFault: (f) => faults.push(f),
    });
    const clean = new SyncVecEnv({ recipe, numEnvs: 3, seed: 8 });
    await faulty.reset();
    await clean.reset();
    const actions = new Int32Array([1, 1, 0]);
    let before: number[] = [];
    for (let t = 1; t <= 4; t++) {
      const f = await faulty.step(actions);
      const c = await clean.step(actions);
      for (const i of [0, 2]) expect(row(f.obs, i, 4)).toEqual(row(c.obs, i, 4));
      if (t < 4) {
        before = row(f.obs, 1, 4);
        continue;
      }
      expect(Array.from(f.truncated)).toEqual([0, 1, 0]);
      expect(f.rewards[1]).toBe(0);
      expect(f.infos[1].fault).toMatchObject({
        envIndex: 1,
        workerIndex: -1,
        kind: 'env-error',
        affectedEnvs: [1],
      });
      expect(f.infos[1].fault?.message).toMatch(/injected fault: env 1 at step 4/);
      expect(Array.from(f.infos[1].finalObs ?? [])).toEqual(before);
      const rebuilt = buildEnv(recipe, 0).reset({ seed: generationSeed(deriveSeeds(8, 3)[1], 1) });
      expect(row(f.obs, 1, 4)).toEqual(Array.from(rebuilt.obs));
    }
    expect(faults.map((f) => f.envIndex)).toEqual([1]);
    // The rebuilt env is generation 1: it does not fail again.
    for (let t = 0; t < 10; t++) expect((await faulty.step(actions)).infos[1].fault).toBeUndefined();
  });

  it("refuses 'exit' faults in the calling thread instead of ending the process", async () => {
    const venv = new SyncVecEnv({
      recipe: { id: 'CartPole-v1', fault: { envIndex: 0, atStep: 1, mode: 'exit' } },
      numEnvs: 1,
    });
    await venv.reset();
    const r = await venv.step(new Int32Array([0]));
    expect(r.infos[0].fault?.message).toMatch(/only runs in a worker thread/);
  });

  it('enforces the call order with messages that say what to call', async () => {
    const venv = new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 2 });
    const a = new Int32Array([0, 1]);
    expect(() => venv.stepAsync(a)).toThrow(/call reset\(\) before the first step/);
    await venv.reset();
    await expect(venv.stepWait()).rejects.toThrow(/stepWait\(\) without a step in flight/);
    venv.stepAsync(a);
    expect(() => venv.stepAsync(a)).toThrow(/stepAsync\(\) was called twice/);
    await expect(venv.reset()).rejects.toThrow(/call stepWait\(\) before reset\(\)/);
    await venv.stepWait();
    await venv.close();
    await expect(venv.reset()).rejects.toThrow(/reset\(\) after close\(\)/);
  });

  it('refuses bad actions and bad recipes with what was wrong', () => {
    const venv = new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 2 });
    venv.resetSync();
    expect(() => venv.stepSync(new Int32Array([0]))).toThrow(
      /Int32Array of 2 actions.*got an Int32Array of 1/,
    );
    expect(() => venv.stepSync(new Int32Array([0, 2]))).toThrow(/action 2 of env 1 is outside Discrete\(2\)/);
    expect(() => new SyncVecEnv({ recipe: { id: 'Nope-v0' }, numEnvs: 1 })).toThrow(/unknown env "Nope-v0"/);
    expect(() => new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 0 })).toThrow(
      /numEnvs must be an integer >= 1/,
    );
    const withFunction = { id: 'CartPole-v1', options: { maxEpisodeSteps: () => 5 } };
    expect(() => new SyncVecEnv({ recipe: withFunction, numEnvs: 1 })).toThrow(/must be plain data/);
    expect(
      () =>
        new SyncVecEnv({
          recipe: { id: 'CartPole-v1', fault: { envIndex: 0, atStep: 0, mode: 'throw' } },
          numEnvs: 1,
        }),
    ).toThrow(/fault.atStep must be an integer >= 1/);
  });
});
