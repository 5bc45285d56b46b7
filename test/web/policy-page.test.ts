/**
 * Exported pages of on-policy runs (issue 17: "works for every algorithm's runs"): a PPO
 * CartPole-v1 run (separate actor and critic networks) and an A2C Catch-v0 run (one shared
 * actor-critic network over a stack of 84x84 frames), each trained for a few steps. The page
 * shows π(· | s) and must take Node's actions (`pixelrl play`'s loop) for the same seed.
 *
 * These policies are barely trained, so their action probabilities are nearly equal; the page
 * runs on tfjs' `cpu` backend here (`?backend=cpu`), whose kernels are Node's, so that float
 * rounding of another backend cannot flip a near-tie. The bundled DQN agent's test uses the
 * backend the page picks itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { AgentPolicy, openAgentRun } from '../../src/cli/commands/agent-policy.js';
import { runCli } from '../../src/cli/program.js';
import { Rng } from '../../src/util/rng.js';
import { playEpisodes } from '../../src/viz/playback.js';
import { launchBrowser, mustSkip, serveDir } from './browser.js';
import { waitForSteps } from './page-probe.js';

const tmp = mkdtempSync(join(tmpdir(), 'pixelrl-policy-page-'));
let browser: Browser | null = null;
let skip = false;
const servers: Server[] = [];

async function cli(args: string[]): Promise<void> {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    expect(await runCli(['node', 'pixelrl', ...args])).toBe(0);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

beforeAll(async () => {
  const launch = await launchBrowser();
  skip = mustSkip(launch);
  browser = launch.browser;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const s of servers) s.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function nodeActions(runDir: string, seed: number, steps: number): Promise<number[]> {
  await initBackend({ backend: 'cpu' });
  const run = await openAgentRun(runDir, 30);
  const env = run.makeEnv(seed);
  const policy = new AgentPolicy(run.agent);
  const actions: number[] = [];
  try {
    for (const s of playEpisodes(env, policy.policy, {
      episodes: 1000,
      epsilon: 0.05,
      rng: new Rng(seed).spawn(),
      seed,
    })) {
      actions.push(s.action);
      if (actions.length === steps) break;
    }
  } finally {
    env.close();
    run.agent.dispose();
  }
  return actions;
}

interface Case {
  algo: string;
  env: string;
  /** The training budget flags. */
  budget: string[];
  /** The model folders the page must load. */
  models: string[];
  names: string[];
}

const CASES: Case[] = [
  {
    algo: 'ppo',
    env: 'CartPole-v1',
    budget: ['--steps', '256', '--num-steps', '32'],
    models: ['actor', 'critic'],
    names: ['LEFT', 'RIGHT'],
  },
  {
    algo: 'a2c',
    env: 'Catch-v0',
    budget: ['--steps', '64'],
    models: ['actorCritic'],
    names: ['NOOP', 'RIGHT', 'LEFT'],
  },
];

describe('exported pages of on-policy runs, in Chromium', () => {
  test.for(CASES)(
    '$algo on $env: the page shows π(· | s) and plays Node’s actions',
    { timeout: 180_000 },
    async ({ algo, env, budget, models, names }, { skip: skipTest }) => {
      skipTest(skip, 'no browser could start (the reason is printed above)');
      const runDir = join(tmp, `${algo}-run`);
      await cli([
        'train',
        '--algo',
        algo,
        '--env',
        env,
        ...budget,
        '--run-name',
        runDir,
        '--progress',
        'off',
        '--backend',
        'cpu',
      ]);
      const site = join(tmp, `${algo}-site`);
      await cli(['export', runDir, '--out', site]);
      const { url, server } = await serveDir(site);
      servers.push(server);
      const page = await (browser as Browser).newPage();
      await page.goto(`${url}?seed=5&speed=max&backend=cpu`);
      const s = await waitForSteps(page, 100);
      const run = await page.evaluate(() => fetch('run.json').then((r) => r.json()));
      expect(run.models).toEqual(models);
      expect(run.panel).toBe('policy');
      expect(s.backend).toBe('cpu');
      expect(s.actions.slice(0, 100)).toEqual(await nodeActions(runDir, 5, 100));
      // The bars are probabilities: one per action, summing to 1.
      const bars = await page.$$eval('.pr-bar', (rows) => rows.map((r) => r.textContent ?? ''));
      expect(bars.map((b) => b.replace(/[\d.]+$/, ''))).toEqual(names);
      const p = bars.map((b) => Number(/([\d.]+)$/.exec(b)?.[1]));
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
      await page.close();
    },
  );
});
