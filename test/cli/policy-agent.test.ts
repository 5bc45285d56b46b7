/**
 * `pixelrl play`, `tsne` and `eval` on a tiny PPO CartPole run trained here (the policy-gradient
 * path of src/train/load-agent.ts): the policy panel, the critic's values, the
 * torso's features, and the greedy policy's agreement with the agent's probabilities.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { AgentPolicy } from '../../src/cli/commands/agent-policy.js';
import { evalCommand } from '../../src/cli/commands/eval.js';
import { playCommand } from '../../src/cli/commands/play.js';
import { tsneCommand } from '../../src/cli/commands/tsne.js';
import { loadAgent } from '../../src/train/load-agent.js';
import { trainOnPolicy } from '../../src/train/on-policy.js';
import { onPolicyPreset } from '../../src/train/on-policy-config.js';
import { Rng } from '../../src/util/rng.js';
import { gifInfo } from '../viz/image-files.js';
import { runCommands } from './viewer-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-pg-agent-'));
const run = join(dir, 'ppo');

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  const c = onPolicyPreset('ppo', 'classic');
  c.ppo.net = '[8,tanh]';
  c.numEnvs = 2;
  c.steps = 256;
  c.ppo.numSteps = 16;
  c.ppo.updateEpochs = 2;
  c.ppo.numMinibatches = 2;
  c.evalEpisodes = 0;
  (await trainOnPolicy(c, run)).agent.ac.dispose();
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadAgent on a PPO run', () => {
  it('gives π(·|s) summing to 1, acts on its argmax, and reports the critic and 8 torso features', async () => {
    const agent = await loadAgent(run);
    try {
      expect(agent.config.algo).toBe('ppo');
      expect(agent.panel).toBe('policy');
      expect(agent.step).toBe(256);
      expect([...agent.inputShape]).toEqual([4]);
      expect(agent.historyLength).toBe(1);
      expect(agent.featureDim()).toBe(8);
      const policy = new AgentPolicy(agent, { features: true });
      const env = agent.makeEnv(5, 0);
      const rng = new Rng(1);
      const out = new Int32Array(1);
      let { obs } = env.reset({ seed: 5 });
      for (let step = 0; step < 20; step++) {
        const d = policy.policy(obs, step);
        const probs = Array.from(d.values ?? []);
        expect(probs).toHaveLength(2);
        expect(probs[0] + probs[1]).toBeCloseTo(1, 5);
        expect(d.action).toBe(probs[1] > probs[0] ? 1 : 0);
        // The loaded agent's greedy act (ε = 0) is the policy's argmax too.
        agent.act(Float32Array.from(obs as Float32Array), 1, 0, rng, out);
        expect(out[0]).toBe(d.action);
        const plain = agent.analyze(Float32Array.from(obs as Float32Array), false);
        expect(policy.last?.value).toBeCloseTo(plain.value, 5);
        expect(policy.last?.features).toHaveLength(8);
        const r = env.step(rng.int(2));
        if (r.terminated || r.truncated) break;
        obs = r.obs;
      }
      env.close();
    } finally {
      agent.dispose();
    }
  });
});

describe('viewers and eval on a PPO run', () => {
  it('play --out writes one frame per step with the probability panel', async () => {
    const out = join(dir, 'ppo.gif');
    const r = await runCommands(
      [playCommand()],
      ['play', run, '--out', out, '--max-steps', '5', '--epsilon', '0', '--backend', 'cpu'],
    );
    expect(r.code, r.err).toBe(0);
    // 600x400 screens and the 2-action panel, as for a DQN CartPole agent.
    expect(r.out).toContain(`wrote ${out}: gif, 820x400, 5 frames at 30 fps`);
    expect(gifInfo(readFileSync(out))).toEqual({ width: 820, height: 400, frames: 5 });
  });

  it('play refuses --panel values: a policy agent has probabilities', async () => {
    const r = await runCommands(
      [playCommand()],
      ['play', run, '--out', join(dir, 'x.gif'), '--panel', 'values', '--backend', 'cpu'],
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/has action probabilities, not action values; use --panel policy/);
  });

  it('tsne embeds 20 states of 8 features coloured by the critic', async () => {
    const csv = join(dir, 'emb.csv');
    const r = await runCommands(
      [tsneCommand()],
      ['tsne', run, '--steps', '40', '--points', '20', '--iterations', '50', '-o', csv].concat([
        '--no-value-plot',
        '--max-episode-steps',
        '30',
        '--backend',
        'cpu',
      ]),
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/played 40 steps of CartPole-v1 in [\d.]+ s; embedding 20 states of 8 features/);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(21);
    const values = lines.slice(1).map((l) => Number(l.split(',')[3]));
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('eval prints the mean ± sd return over the episodes', async () => {
    const r = await runCommands(
      [evalCommand()],
      ['eval', run, '--episodes', '3', '--epsilon', '0', '--backend', 'cpu'],
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /^CartPole-v1, .*ppo at step 256: return \d+\.\d\d ± \d+\.\d\d over 3 episodes \(ε 0\)\n$/,
    );
  });
});
