/**
 * loadAgent on on-policy runs trained here: a conv PPO agent on a pixel game (the run's own
 * makeAtari stack: screen size and frame stack as trained), and A2C / REINFORCE runs with
 * separate actor and critic networks; and the error for an algorithm it does not know.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { AgentPolicy } from '../../src/cli/commands/agent-policy.js';
import { playCommand } from '../../src/cli/commands/play.js';
import { loadAgent } from '../../src/train/load-agent.js';
import { trainOnPolicy } from '../../src/train/on-policy.js';
import { hyperparamsOf, type OnPolicyRunConfig, onPolicyPreset } from '../../src/train/on-policy-config.js';
import { runCommands } from '../cli/viewer-helpers.js';
import { gifInfo } from '../viz/image-files.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-load-pg-'));
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadAgent (on-policy runs)', () => {
  it('rebuilds a conv PPO agent on Catch-v0 with the run’s screen size and frame stack', async () => {
    const c = onPolicyPreset('ppo', 'atari');
    Object.assign(c, { env: 'Catch-v0', numEnvs: 2, steps: 32, evalEpisodes: 0 });
    Object.assign(c.ppo, { net: '[c4k4s4,relu:16,relu]', numSteps: 16 });
    c.atari = { screenSize: 24, historyLength: 2 };
    const run = join(dir, 'catch-ppo');
    const trained = await trainOnPolicy(c, run);
    const agent = await loadAgent(run);
    try {
      expect([...agent.inputShape]).toEqual([24, 24, 2]);
      expect([...agent.frameShape]).toEqual([24, 24, 2]);
      expect(agent.historyLength).toBe(1);
      const env = agent.makeEnv(7, 0);
      const { obs } = env.reset({ seed: 7 });
      expect(obs.length).toBe(24 * 24 * 2);
      const x = Float32Array.from(obs);
      // The loaded network is the trained one: the same V(s) on the same observation.
      const trainedValue = trained.agent.ac.values(x, 1)[0];
      const loaded = agent.analyze(x, true);
      expect(loaded.value).toBeCloseTo(trainedValue, 5);
      expect(loaded.features).toHaveLength(16);
      expect(loaded.actionValues).toHaveLength(agent.numActions);
      const d = new AgentPolicy(agent).policy(obs, 0);
      expect(Array.from(d.values ?? [])).toEqual(Array.from(loaded.actionValues));
      env.close();
    } finally {
      trained.agent.ac.dispose();
      agent.dispose();
    }
    // The game's own screen (160x210) at the default scale 3, one frame per agent step.
    const out = join(dir, 'catch.gif');
    const r = await runCommands(
      [playCommand()],
      ['play', run, '--out', out, '--max-steps', '3', '--panel', 'none', '--backend', 'cpu'],
    );
    expect(r.code, r.err).toBe(0);
    expect(gifInfo(readFileSync(out))).toEqual({ width: 480, height: 630, frames: 3 });
  }, 30_000);

  it('loads A2C and REINFORCE runs with separate actor and critic networks', async () => {
    for (const algo of ['a2c', 'reinforce'] as const) {
      const c = onPolicyPreset(algo, 'classic') as OnPolicyRunConfig;
      Object.assign(c, { numEnvs: 2, steps: 64, evalEpisodes: 0 });
      Object.assign(hyperparamsOf(c), { net: '[6,tanh]', sharedTorso: false });
      if (c.algo === 'a2c') c.a2c.numSteps = 8;
      if (c.algo === 'reinforce') c.reinforce.episodesPerUpdate = 2;
      const run = join(dir, algo);
      const trained = await trainOnPolicy(c, run);
      const agent = await loadAgent(run);
      try {
        expect(agent.config.algo).toBe(algo);
        expect(agent.panel).toBe('policy');
        // Features from the actor's torso (6 units); V(s) from the critic (REINFORCE: its baseline).
        expect(agent.featureDim()).toBe(6);
        const x = new Float32Array([0.01, -0.02, 0.03, 0.04]);
        expect(agent.analyze(x, false).value).toBeCloseTo(trained.agent.ac.values(x, 1)[0], 5);
      } finally {
        trained.agent.ac.dispose();
        agent.dispose();
      }
    }
  }, 30_000);

  it('names the algorithms it reads when config.json has another', async () => {
    const run = join(dir, 'sac');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'config.json'), JSON.stringify({ format: 'pixelrl-run', algo: 'sac' }));
    await expect(loadAgent(run)).rejects.toThrow(
      /is a sac run; loadAgent reads dqn, ppo, a2c and reinforce runs/,
    );
  });
});
