import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../envs/check-env.js';
import { createRegistry } from '../../envs/registry.js';

describe('registry', () => {
  const registry = createRegistry();

  it('makes every registered env, and every env passes checkEnv', () => {
    for (const id of registry.ids()) {
      expect(() => checkEnv(registry.make(id), { steps: 200 }), id).not.toThrow();
    }
  });

  it('refuses an unknown id and lists the valid ones', () => {
    expect(() => registry.make('Pacman-v9')).toThrow(/unknown env "Pacman-v9".*CartPole-v1.*Catch-v0/);
  });

  it('refuses an unknown option and lists the valid ones', () => {
    expect(() => registry.make('Catch-v0', { frameSkip: 4 })).toThrow(
      /Catch-v0 has no option "frameSkip"; valid options are: frameskip, repeatActionProbability/,
    );
  });

  it('refuses a bad option value with what was wrong', () => {
    expect(() => registry.make('Catch-v0', { frameskip: 0 })).toThrow(
      /frameskip must be an integer >= 1, got 0/,
    );
    expect(() => registry.make('Catch-v0', { obsType: 'rgba' })).toThrow(
      /obsType must be 'rgb' or 'grayscale'/,
    );
  });

  it('refuses a duplicate or malformed id', () => {
    const spec = registry.spec('CartPole-v1');
    expect(() => registry.register(spec)).toThrow(/already registered/);
    expect(() => registry.register({ ...spec, id: 'cartpole' })).toThrow(/must look like Name-v0/);
  });

  it('describes each env with its actions and observation shape', () => {
    const list = registry.list();
    const cartpole = list.find((d) => d.id === 'CartPole-v1');
    expect(cartpole?.actionMeanings).toEqual(['LEFT', 'RIGHT']);
    expect(cartpole?.observationShape).toEqual([4]);
    const c = list.find((d) => d.id === 'Catch-v0');
    expect(c?.actionMeanings).toEqual(['NOOP', 'RIGHT', 'LEFT']);
    expect(c?.observationShape).toEqual([210, 160, 3]);
  });
});
