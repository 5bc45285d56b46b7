import { describe, expect, it } from 'vitest';
import type { ActorCritic } from '../../agents/actor-critic.js';
import type { OnPolicyEnvs, OnPolicyStep } from '../../src/train/on-policy-envs.js';
import { EpisodeCollector } from '../../src/train/on-policy-episodes.js';
import { RolloutCollector } from '../../src/train/on-policy-rollout.js';
import { Rng } from '../../src/util/rng.js';

/**
 * Two envs, reward 1 per step. Env 0 is truncated (time limit) on its 2nd step, env 1 terminates
 * on its 3rd. Observations are [step count] so the batch rows can be checked.
 */
function scriptedEnvs(): OnPolicyEnvs {
  let t = 0;
  const obs = new Float32Array(2);
  return {
    numEnvs: 2,
    obsSize: 1,
    obsShape: [1],
    singleObservationSpace: { dtype: 'float32' },
    singleActionSpace: { n: 2 },
    reset: () => ({ obs: obs.fill(0) }),
    step(): OnPolicyStep {
      t++;
      const truncated = Uint8Array.of(t === 2 ? 1 : 0, 0);
      const terminated = Uint8Array.of(0, t === 3 ? 1 : 0);
      const infos: OnPolicyStep['infos'] = [{}, {}];
      for (let i = 0; i < 2; i++) {
        if (truncated[i] || terminated[i]) infos[i].finalObs = Float32Array.of(t);
      }
      obs.fill(t);
      return { obs, rewards: Float64Array.of(1, 1), terminated, truncated, infos };
    },
    close: () => {},
  };
}

/** A stand-in actor-critic: always action 0, log π = −0.5, V(s_t) = 1 when acting, V = 10 for bootstraps. */
const stubAc = {
  act: (_obs: Float32Array, batch: number) => ({
    actions: new Int32Array(batch),
    logProbs: new Float32Array(batch).fill(-0.5),
    values: new Float32Array(batch).fill(1),
  }),
  values: (_obs: Float32Array, batch: number) => new Float32Array(batch).fill(10),
} as unknown as ActorCritic;

describe('RolloutCollector', () => {
  it('bootstraps truncated episodes, cuts terminated ones, and computes GAE (hand-worked, γ = 0.5, λ = 1)', async () => {
    const episodes: { envIndex: number; return: number; length: number; step: number }[] = [];
    const c = new RolloutCollector({
      envs: scriptedEnvs(),
      ac: stubAc,
      numSteps: 3,
      gamma: 0.5,
      gaeLambda: 1,
      rng: new Rng(0),
      onEpisode: (e) => episodes.push(e),
    });
    await c.start(0);
    const batch = await c.collect();
    // Env 0: r = [1, 1 + 0.5·10, 1], done after t = 1, V(s_3) = 10:
    //   G_2 = 1 + 5 = 6, G_1 = 6, G_0 = 1 + 0.5·6 = 4;  Â = G − 1 = [3, 5, 5].
    // Env 1: r = [1, 1, 1], terminated at t = 2: G = [1.75, 1.5, 1];  Â = [0.75, 0.5, 0].
    // Rows are t·N + i.
    expect(Array.from(batch.advantages)).toEqual([3, 0.75, 5, 0.5, 5, 0]);
    expect(Array.from(batch.returns)).toEqual([4, 1.75, 6, 1.5, 6, 1]);
    expect(Array.from(batch.obs)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(batch.size).toBe(6);
    expect(c.step).toBe(6);
    // Undiscounted, unbootstrapped episode returns.
    expect(episodes).toEqual([
      { envIndex: 0, return: 2, length: 2, step: 4 },
      { envIndex: 1, return: 3, length: 3, step: 6 },
    ]);
  });
});

describe('EpisodeCollector', () => {
  it('hands out whole episodes with Monte-Carlo returns, bootstrapping only the truncated one', async () => {
    const c = new EpisodeCollector({
      envs: scriptedEnvs(),
      ac: stubAc,
      episodesPerUpdate: 2,
      gamma: 0.5,
      rng: new Rng(0),
    });
    await c.start(0);
    const batch = await c.collect();
    // Env 0 (truncated at its 2nd step): r = [1, 1 + 0.5·10] → G = [4, 6].
    // Env 1 (terminated at its 3rd step): r = [1, 1, 1] → G = [1.75, 1.5, 1].
    expect(Array.from(batch.returns)).toEqual([4, 6, 1.75, 1.5, 1]);
    expect(Array.from(batch.advantages)).toEqual([3, 5, 0.75, 0.5, 0]);
    expect(Array.from(batch.obs)).toEqual([0, 1, 0, 1, 2]);
    // Env 0's next episode (1 step so far) carries over.
    expect(c.step).toBe(6);
  });
});
