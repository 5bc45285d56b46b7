import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { hashBytes } from '../../envs/hash.js';
import type { BoxArray } from '../../envs/spaces.js';
import type { EnvRecipe } from '../../src/rollout/env-recipe.js';
import { SyncVecEnv, type SyncVecEnvState } from '../../src/rollout/sync-vec-env.js';
import { Rng } from '../../src/util/rng.js';
import { bytesOf, countEnds, stepStream } from './helpers.js';

/** The checkpoint path: the DQN and on-policy loops store env states with this packer. */
const packr = new Packr({ moreTypes: true });
const throughCheckpoint = (state: SyncVecEnvState): SyncVecEnvState =>
  packr.unpack(packr.pack(state)) as SyncVecEnvState;

const cases: { name: string; recipe: EnvRecipe; before: number; after: number }[] = [
  { name: 'CartPole', recipe: { id: 'CartPole-v1' }, before: 37, after: 400 },
  { name: 'a makeAtari pixel game', recipe: { id: 'Breakout-v0', atari: {} }, before: 45, after: 250 },
];

describe('SyncVecEnv getState / setState', () => {
  for (const { name, recipe, before, after } of cases) {
    it(`resumes ${name} mid-episode in a fresh SyncVecEnv, step for step`, async () => {
      const numEnvs = 3;
      const a = new SyncVecEnv({ recipe, numEnvs, seed: 7 });
      await a.reset();
      const actionRng = new Rng(11);
      const warmup = await stepStream(a, before, actionRng);
      const state = throughCheckpoint(a.getState());
      // Built from another seed and never reset: everything that matters must come from the state.
      const b = new SyncVecEnv({ recipe, numEnvs, seed: 1234 });
      b.setState(state);
      const bRng = Rng.fromState(actionRng.getState());
      const streamA = await stepStream(a, after, actionRng);
      const streamB = await stepStream(b, after, bRng);
      expect(streamB).toEqual(streamA);
      // The streams are not trivially alike: episodes end (autoreset included) ...
      const ends = countEnds(streamA);
      expect(ends.terminated + ends.truncated).toBeGreaterThan(numEnvs);
      // ... and a vector env reset afresh from the same seed does not continue where `a` was.
      const fresh = new SyncVecEnv({ recipe, numEnvs, seed: 7 });
      await fresh.reset();
      const freshStream = await stepStream(fresh, after, Rng.fromState(bRng.getState()));
      expect(freshStream.map((r) => r.obs)).not.toEqual(streamA.map((r) => r.obs));
      expect(warmup.at(-1)?.obs).toBe(hashBytes(bytesOf(state.obs as BoxArray)));
      await Promise.all([a.close(), b.close(), fresh.close()]);
    });
  }

  it('restores a state without seeds and generations (the former LocalVecEnv checkpoints)', async () => {
    const recipe: EnvRecipe = { id: 'CartPole-v1' };
    const a = new SyncVecEnv({ recipe, numEnvs: 2, seed: 3 });
    await a.reset();
    const rng = new Rng(5);
    await stepStream(a, 13, rng);
    const { envs, obs } = throughCheckpoint(a.getState());
    const b = new SyncVecEnv({ recipe, numEnvs: 2, seed: 3 });
    b.setState({ envs, obs });
    const bRng = Rng.fromState(rng.getState());
    expect(await stepStream(b, 200, bRng)).toEqual(await stepStream(a, 200, rng));
  });

  it('carries fault generations: before the fault both fault alike, after it the env is rebuilt', async () => {
    const recipe: EnvRecipe = { id: 'CartPole-v1', fault: { envIndex: 1, atStep: 6, mode: 'throw' } };
    const a = new SyncVecEnv({ recipe, numEnvs: 2, seed: 9 });
    await a.reset();
    const rng = new Rng(1);
    await stepStream(a, 2, rng);
    // Taken before the fault: the fault-injecting wrapper's step count comes along.
    const b = new SyncVecEnv({ recipe, numEnvs: 2, seed: 9 });
    b.setState(throughCheckpoint(a.getState()));
    const bRng = Rng.fromState(rng.getState());
    const streamA = await stepStream(a, 20, rng);
    expect(await stepStream(b, 20, bRng)).toEqual(streamA);
    expect(streamA[3].faults).toEqual(['', 'env-error@1']);
    // Taken after the fault: env 1 is generation 1, so the fresh vector env rebuilds it (no fault wrapper).
    const state = throughCheckpoint(a.getState());
    expect(state.generations).toEqual([0, 1]);
    const c = new SyncVecEnv({ recipe, numEnvs: 2, seed: 9 });
    c.setState(state);
    const cRng = Rng.fromState(rng.getState());
    const after = await stepStream(c, 100, cRng);
    expect(after).toEqual(await stepStream(a, 100, rng));
    expect(after.every((r) => r.faults.every((f) => f === ''))).toBe(true);
  });

  it('says when a state cannot be taken or does not fit', async () => {
    const a = new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 2 });
    expect(() => a.getState()).toThrow(/call reset\(\) before getState\(\)/);
    await a.reset();
    a.stepAsync(new Int32Array([0, 1]));
    expect(() => a.getState()).toThrow(/a step is in flight; call stepWait\(\) before getState\(\)/);
    await a.stepWait();
    const three = new SyncVecEnv({ recipe: { id: 'CartPole-v1' }, numEnvs: 3 });
    expect(() => three.setState(a.getState())).toThrow(/env state holds 2 envs, this vector env has 3 envs/);
    const pixels = new SyncVecEnv({ recipe: { id: 'Breakout-v0', atari: {} }, numEnvs: 2 });
    expect(() => pixels.setState(a.getState())).toThrow(/env state holds 8 observation elements/);
    await a.close();
    expect(() => a.getState()).toThrow(/getState\(\) after close\(\)/);
    await Promise.all([three.close(), pixels.close()]);
  });
});
