/**
 * The page's env (src/web/run-env.ts, built from run.json) is the env Node's loaders build for
 * the same run: equal observations, rewards and ends step by step, for the same seed and actions.
 * This is what lets the page play the same episode as `pixelrl play`; it needs no browser.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { type LoadedAgent, loadAgent } from '../../src/train/load-agent.js';
import { Rng } from '../../src/util/rng.js';
import { loadWebRun } from '../../src/web/load-web-run.js';
import { makeRunEnv } from '../../src/web/run-env.js';
import { checkWebRun } from '../../src/web/web-run.js';

const agents: LoadedAgent[] = [];
beforeAll(() => initBackend({ backend: 'cpu' }));
afterAll(() => {
  for (const a of agents) a.dispose();
});

describe('makeRunEnv', () => {
  test.each([
    ['checkpoints/bundled/catch-dqn', 3],
    ['checkpoints/bundled/cartpole-dqn', 11],
    ['checkpoints/bundled/pong-dqn', 5],
  ])(
    '%s: the same steps as loadAgent(run).makeEnv (seed %i)',
    async (dir, seed) => {
      const { run, models } = await loadWebRun(dir);
      // run.json round-trips through JSON, as the page reads it.
      const web = checkWebRun(JSON.parse(JSON.stringify(run)));
      expect(models.map((m) => m.name)).toEqual(['online']);
      const agent = await loadAgent(dir);
      agents.push(agent);
      expect(web.inputShape).toEqual([...agent.inputShape]);
      expect(web.numActions).toBe(agent.numActions);
      const page = makeRunEnv(web, seed);
      const node = agent.makeEnv(seed, web.noopMax);
      const a = page.reset({ seed });
      const b = node.reset({ seed });
      expect(Array.from(a.obs)).toEqual(Array.from(b.obs));
      const rng = new Rng(seed);
      let ends = 0;
      for (let t = 0; t < 300; t++) {
        const action = rng.int(web.numActions);
        const x = page.step(action);
        const y = node.step(action);
        expect(Array.from(x.obs)).toEqual(Array.from(y.obs));
        expect([x.reward, x.terminated, x.truncated]).toEqual([y.reward, y.terminated, y.truncated]);
        if (x.terminated || x.truncated) {
          ends++;
          expect(Array.from(page.reset().obs)).toEqual(Array.from(node.reset().obs));
        }
      }
      expect(Array.from(page.render().data)).toEqual(Array.from(node.render().data));
      // CartPole's random episodes end many times in 300 steps; a Catch game does not.
      if (dir.includes('cartpole')) expect(ends).toBeGreaterThan(3);
      page.close();
      node.close();
    },
    60_000,
  );
});
