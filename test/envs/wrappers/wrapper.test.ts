/** The Wrapper base: it forwards every call to its inner env, adds no state of its own, and withoutSeed. */
import { describe, expect, it } from 'vitest';
import { restoreEnv, snapshotEnv } from '../../../envs/env-state.js';
import { TimeLimit } from '../../../envs/wrappers/time-limit.js';
import { Wrapper, withoutSeed } from '../../../envs/wrappers/wrapper.js';
import { ScriptedEnv } from './scripted-env.js';

describe('Wrapper', () => {
  it('forwards spaces, action meanings, reset, step, render and close to the inner env', () => {
    const inner = new ScriptedEnv({ episodeLength: 3, reward: (t) => 10 * t });
    let closed = 0;
    inner.close = () => void closed++;
    const env = new Wrapper(inner);
    expect(env.observationSpace).toBe(inner.observationSpace);
    expect(env.actionSpace).toBe(inner.actionSpace);
    expect(env.actionMeanings).toBe(inner.actionMeanings);
    expect(Array.from(env.reset({ seed: 7 }).obs)).toEqual([1, 0]);
    const s = env.step(2);
    expect([Array.from(s.obs), s.reward, s.terminated]).toEqual([[1, 1], 10, false]);
    expect(env.render()).toEqual(inner.render());
    env.close();
    expect(closed).toBe(1);
    expect(inner.log).toEqual(['reset(seed=7)', 'step 2']);
  });

  it('adds no field to a snapshot: a chain restores to the same point through it', () => {
    const make = () => new Wrapper(new TimeLimit(new ScriptedEnv({ episodeLength: 10 }), 4));
    const a = make();
    a.reset();
    a.step(0);
    a.step(0);
    const snap = snapshotEnv(a);
    expect(snap.fields).toEqual({});
    const b = make();
    restoreEnv(b, snap);
    // Two steps left before the time limit, in both.
    expect([b.step(0).truncated, b.step(0).truncated]).toEqual([false, true]);
    expect([a.step(0).truncated, a.step(0).truncated]).toEqual([false, true]);
  });
});

describe('withoutSeed', () => {
  it('drops the seed and keeps the other options', () => {
    expect(withoutSeed({ seed: 3, options: { mode: 1 } })).toEqual({ options: { mode: 1 } });
    expect(withoutSeed({ options: { mode: 1 } })).toEqual({ options: { mode: 1 } });
    expect(withoutSeed(undefined)).toBeUndefined();
  });
});
