import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { onPolicyConfigFromFlags } from '../../src/cli/commands/train-on-policy.js';
import { runCli } from '../../src/cli/program.js';
import { hyperparamsOf } from '../../src/train/on-policy-config.js';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  const code = await runCli(['node', 'pixelrl', ...args]);
  vi.restoreAllMocks();
  return { code, out, err };
}

const quiet = ['--backend', 'cpu', '--progress', 'off', '--eval-episodes', '0'];

describe('pixelrl train --algo reinforce | a2c | ppo', () => {
  afterEach(() => vi.restoreAllMocks());

  it('trains PPO on CartPole, writes a run directory, and resumes it with a larger budget', async () => {
    const run = join(mkdtempSync(join(tmpdir(), 'pixelrl-ppo-')), 'ppo');
    const args = ['train', '--algo', 'ppo', '--env', 'CartPole-v1', '--steps', '256', '--num-steps', '32'];
    const first = await cli([...args, '--net', '[8,tanh]', '--run-name', run, ...quiet]);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^trained 256 steps in \d+ s: \d+ episodes/);
    const config = JSON.parse(readFileSync(join(run, 'config.json'), 'utf8'));
    expect(config).toMatchObject({
      algo: 'ppo',
      env: 'CartPole-v1',
      steps: 256,
      ppo: { numSteps: 32, net: '[8,tanh]' },
    });
    expect(config).not.toHaveProperty('numSteps');
    const resumed = await cli([
      'train',
      '--resume',
      run,
      '--steps',
      '512',
      '--backend',
      'cpu',
      '--progress',
      'off',
    ]);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toMatch(/^trained 512 steps/);
  });

  it('refuses DQN settings with an on-policy algo, and the reverse, with exit code 2', async () => {
    const a = await cli(['train', '--algo', 'ppo', '--double-dqn']);
    expect(a.code).toBe(2);
    expect(a.err).toMatch(/--double-dqn is a DQN setting; --algo ppo does not use it/);
    const b = await cli(['train', '--algo', 'dqn', '--update-epochs', '3']);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/--update-epochs is an on-policy setting; --algo dqn does not use it/);
    const c = await cli(['train', '--algo', 'reinforce', '--clip-coef', '0.2']);
    expect(c.code).toBe(2);
    expect(c.err).toMatch(/--clip-coef is not a setting of --algo reinforce/);
    const d = await cli(['train', '--algo', 'sarsa']);
    expect(d.code).toBe(2);
    expect(d.err).toMatch(/argument 'sarsa' is invalid.*dqn, reinforce, a2c, ppo/);
  });

  it('builds the config from the preset, then the flags; pixel games get PPO CPU settings', () => {
    const cartpole = onPolicyConfigFromFlags(
      { algo: 'a2c', env: 'CartPole-v1', seed: 7, steps: 1000, envs: 4 },
      [],
    );
    expect(cartpole).toMatchObject({
      algo: 'a2c',
      env: 'CartPole-v1',
      seed: 7,
      steps: 1000,
      numEnvs: 4,
      atari: null,
    });
    const catchPpo = onPolicyConfigFromFlags({ algo: 'ppo', env: 'Catch-v0' }, []);
    expect(catchPpo.atari).toEqual({ screenSize: 42 });
    expect(hyperparamsOf(catchPpo).net).toBe('[c16k4s2,relu:c32k3s2,relu:128,relu]');
    const cleanrl = onPolicyConfigFromFlags(
      { algo: 'ppo', env: 'CartPole-v1', preset: 'cleanrl', clipCoef: 0.3 },
      [],
    );
    expect(cleanrl).toMatchObject({
      numEnvs: 4,
      ppo: { numSteps: 128, updateEpochs: 4, numMinibatches: 4, clipCoef: 0.3 },
    });
  });
});
