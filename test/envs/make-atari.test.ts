import { describe, expect, it } from 'vitest';
import { AtariEnv } from '../../envs/atari/atari-env.js';
import { checkEnv } from '../../envs/check-env.js';
import type { Env, EpisodeStats } from '../../envs/core.js';
import { restoreEnv, snapshotEnv } from '../../envs/env-state.js';
import { hashBytes } from '../../envs/hash.js';
import { makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import type { Discrete } from '../../envs/spaces.js';
import { AtariPreprocessing } from '../../envs/wrappers/atari-preprocessing.js';
import { Rng } from '../../src/util/rng.js';

/** The class names from the outermost wrapper down to the game's harness. */
function chain(env: unknown): string[] {
  const names: string[] = [];
  let e: unknown = env;
  while (e) {
    names.push((e as object).constructor.name);
    e = (e as { inner?: unknown }).inner;
  }
  return names;
}

function find<T>(env: unknown, cls: new (...args: never[]) => T): T {
  let e: unknown = env;
  while (e && !(e instanceof cls)) e = (e as { inner?: unknown }).inner;
  if (!e) throw new Error(`no ${cls.name} in the stack`);
  return e as T;
}

describe('makeAtari', () => {
  const registry = createRegistry();
  const games = registry.ids().filter((id) => registry.spec(id).kind === 'atari');

  it('assembles the DQN stack in SB3 AtariWrapper order, FireReset only for games with FIRE', () => {
    expect(chain(makeAtari('Breakout-v0'))).toEqual([
      'FrameStack',
      'ClipReward',
      'FireReset',
      'EpisodicLife',
      'NoopReset',
      'RecordEpisodeStatistics',
      'AtariPreprocessing',
      'AtariEnv',
    ]);
    expect(chain(makeAtari('Catch-v0'))).not.toContain('FireReset');
    const bare = makeAtari('Catch-v0', {
      historyLength: false,
      clipReward: false,
      terminalOnLifeLoss: false,
      noopMax: 0,
    });
    expect(chain(bare)).toEqual(['RecordEpisodeStatistics', 'AtariPreprocessing', 'AtariEnv']);
    expect(bare.observationSpace.toString()).toBe('Box(0, 255, [84,84], uint8)');
  });

  it('defaults to ALE v5 settings under φ: frameskip 1 in the harness, sticky 0.25, [84, 84, 4] uint8', () => {
    const env = makeAtari('Pong-v0', {}, 3);
    const base = find(env, AtariEnv);
    expect(base.options).toMatchObject({
      frameskip: 1,
      repeatActionProbability: 0.25,
      maxNumFramesPerEpisode: 108000,
    });
    expect(find(env, AtariPreprocessing).frameskip).toBe(4);
    expect(env.observationSpace.toString()).toBe('Box(0, 255, [84,84,4], uint8)');
    expect(env.actionMeanings).toEqual(base.actionMeanings);
  });

  it('passes checkEnv for every bundled game', () => {
    for (const id of games) expect(() => checkEnv(makeAtari(id, {}, 1), { steps: 120 }), id).not.toThrow();
  });

  it('reports the real game in info.episode: all lives, unclipped score, every φ step', () => {
    const env = makeAtari('SpaceInvaders-v0', {}, 2);
    // Spy on φ, beneath every wrapper, to know the game's own rewards and steps.
    const phi = find(env, AtariPreprocessing);
    const step = phi.step.bind(phi);
    let raw = 0;
    let phiSteps = 0;
    phi.step = (a: number) => {
      const r = step(a);
      raw += r.reward;
      phiSteps++;
      return r;
    };
    const rng = new Rng(1);
    env.reset({ seed: 2 });
    let lifeEnds = 0;
    let clipped = 0;
    let episode: EpisodeStats | undefined;
    while (!episode) {
      const r = env.step(rng.int((env.actionSpace as Discrete).n));
      clipped += r.reward;
      episode = r.info.episode;
      if ((r.terminated || r.truncated) && !episode) {
        lifeEnds++;
        env.reset();
      }
    }
    expect(lifeEnds).toBe(2); // 3 lives: two lost lives end agent episodes before the game ends
    expect(episode.return).toBe(raw);
    expect(episode.length).toBe(phiSteps);
    expect(raw).toBeGreaterThan(clipped); // invaders are worth 5–30 points; the agent saw +1 each
  });

  it('is deterministic under a seed', () => {
    const run = (seed: number): number[] => {
      const env: Env<Uint8Array, number> = makeAtari('Breakout-v0', {}, seed);
      const rng = new Rng(0);
      const sums = [env.reset({ seed }).obs.reduce((a, b) => a + b, 0)];
      for (let t = 0; t < 50; t++) {
        const r = env.step(rng.int(4));
        sums.push(r.obs.reduce((a, b) => a + b, 0));
        if (r.terminated || r.truncated) env.reset();
      }
      return sums;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('resumes exactly from a mid-episode snapshot of every level (the checkpoint path of SyncVecEnv)', () => {
    const a = makeAtari('Breakout-v0', {}, 1);
    const b = makeAtari('Breakout-v0', {}, 2);
    const rng = new Rng(0);
    a.reset({ seed: 1 });
    b.reset({ seed: 2 });
    for (let t = 0; t < 200; t++) {
      const r = a.step(rng.int(4));
      if (r.terminated || r.truncated) a.reset();
    }
    restoreEnv(b, structuredClone(snapshotEnv(a)));
    for (let t = 0; t < 300; t++) {
      const action = rng.int(4);
      const ra = a.step(action);
      const rb = b.step(action);
      expect([hashBytes(rb.obs), rb.reward, rb.terminated]).toEqual([
        hashBytes(ra.obs),
        ra.reward,
        ra.terminated,
      ]);
      if (ra.terminated || ra.truncated) expect(hashBytes(b.reset().obs)).toBe(hashBytes(a.reset().obs));
    }
  });

  it('refuses what it cannot build, saying what is wrong', () => {
    expect(() => makeAtari('CartPole-v1')).toThrow(/builds pixel games; CartPole-v1 is a classic env/);
    expect(() => makeAtari('Pacman-v9')).toThrow(/unknown env "Pacman-v9"/);
    expect(() => makeAtari('Pong-v0', { frameSkip: 4 } as never)).toThrow(
      /unknown option "frameSkip"; valid options are: repeatActionProbability, .*frameskip/,
    );
    expect(() => makeAtari('Pong-v0', { historyLength: 0 })).toThrow(
      /historyLength must be an integer >= 1 or false, got 0/,
    );
    expect(() => makeAtari('Pong-v0', { noopMax: -1 })).toThrow(/noopMax must be an integer >= 0, got -1/);
    expect(() => makeAtari('Pong-v0', { repeatActionProbability: 2 })).toThrow(
      /repeatActionProbability must be in \[0, 1\]/,
    );
    expect(() => makeAtari('Catch-v0', { fireReset: true })).toThrow(
      /fireReset is true but Catch-v0's action 1 is not FIRE/,
    );
  });
});
