/**
 * The exported agent page in headless Chromium (issue 17): `pixelrl export catch-dqn` → a static
 * folder; the page loads its model with tfjs, plays the bundled Catch agent, and must play the
 * very episode Node plays for the same seed and weights (`pixelrl play`'s loop: the same env,
 * φ, frame history and ε-greedy Rng): equal actions for the first 200 steps, the same score.
 * Also: page weight, a canvas that is not blank, and the keyboard moving the paddle in "you play"
 * mode. Prints the time to the first agent frame; with PIXELRL_WRITE_DOCS=1 writes docs/web/export-catch.png.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { AgentPolicy, openAgentRun } from '../../src/cli/commands/agent-policy.js';
import { runCli } from '../../src/cli/program.js';
import { Rng } from '../../src/util/rng.js';
import { playEpisodes } from '../../src/viz/playback.js';
import { launchBrowser, mustSkip, serveDir } from './browser.js';
import { canvasStats, paddleX, snapshot, waitForSteps } from './page-probe.js';

const SEED = 7;
const STEPS = 200;
const SCREENSHOT = join(import.meta.dirname, '../../docs/web/export-catch.png');

let browser: Browser | null = null;
let skip = false;
let server: Server | null = null;
let url = '';
let out = '';

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'pixelrl-export-'));
  const site = join(out, 'site');
  expect(await runCli(['node', 'pixelrl', 'export', 'catch-dqn', '--out', site])).toBe(0);
  const launch = await launchBrowser();
  skip = mustSkip(launch);
  browser = launch.browser;
  ({ url, server } = await serveDir(site));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  rmSync(out, { recursive: true, force: true });
});

/** The first `steps` actions and rewards of `pixelrl play catch-dqn --seed <seed>` (ε 0.05), in Node. */
async function nodeEpisode(seed: number, steps: number): Promise<{ actions: number[]; rewards: number[] }> {
  await initBackend({ backend: 'cpu' });
  const run = await openAgentRun('catch-dqn', 30);
  const env = run.makeEnv(seed);
  const policy = new AgentPolicy(run.agent);
  const actions: number[] = [];
  const rewards: number[] = [];
  try {
    for (const s of playEpisodes(env, policy.policy, {
      episodes: 10,
      epsilon: 0.05,
      rng: new Rng(seed).spawn(),
      seed,
    })) {
      actions.push(s.action);
      rewards.push(s.reward);
      if (actions.length === steps) break;
    }
  } finally {
    env.close();
    run.agent.dispose();
  }
  return { actions, rewards };
}

async function openPage(query: string): Promise<Page> {
  const page = await (browser as Browser).newPage();
  await page.setViewport({ width: 1040, height: 720 });
  await page.goto(`${url}?${query}`);
  return page;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('pixelrl export catch-dqn, in Chromium', () => {
  test('the page (script + model) weighs at most 3 MB', () => {
    const size = (f: string) => statSync(join(out, 'site', f)).size;
    const script = size('app.js');
    const model = size('online/model.json') + size('online/weights.bin');
    const wasm = size('tfjs-backend-wasm-simd.wasm') + size('tfjs-backend-wasm.wasm');
    process.stdout.write(
      `export page weight: app.js ${script} B + model ${model} B = ${script + model} B` +
        ` (wasm fallback, fetched only without WebGL: ${wasm} B)\n`,
    );
    expect(script + model).toBeLessThanOrEqual(3_000_000);
  });

  test('plays the same episode as Node for the same seed: equal actions for 200 steps, same score', async ({
    skip: skipTest,
  }) => {
    skipTest(skip, 'no browser could start (the reason is printed above)');
    const page = await openPage(`seed=${SEED}&speed=max`);
    const s = await waitForSteps(page, STEPS);
    process.stdout.write(
      `export page: first agent frame ${s.firstFrameMs?.toFixed(0)} ms after navigation start (tfjs ${s.backend})\n`,
    );
    const node = await nodeEpisode(SEED, STEPS);
    expect(s.seed).toBe(SEED);
    expect(s.actions.slice(0, STEPS)).toEqual(node.actions);
    expect(s.rewards.slice(0, STEPS)).toEqual(node.rewards);
    // The trained agent scores: its score after 200 steps is positive (a random policy's is not).
    expect(sum(node.rewards)).toBeGreaterThan(0);
    await page.close();
  }, 120_000);

  test('draws the game mid-episode (not blank) and shows the bars; screenshot', async ({
    skip: skipTest,
  }) => {
    skipTest(skip, 'no browser could start (the reason is printed above)');
    const page = await openPage(`seed=${SEED}&speed=1`);
    await waitForSteps(page, 40);
    await page.click('.pr-play');
    const stats = await canvasStats(page);
    expect(stats.colours).toBeGreaterThanOrEqual(4);
    expect(stats.nonBackground).toBeGreaterThan(0.01);
    const bars = await page.$$eval('.pr-bar', (rows) => rows.map((r) => r.textContent ?? ''));
    expect(bars.map((b) => b.replace(/[-\d.]+$/, ''))).toEqual(['NOOP', 'RIGHT', 'LEFT']);
    expect(await page.$$eval('.pr-chosen', (rows) => rows.length)).toBe(1);
    expect((await snapshot(page)).playing).toBe(false);
    // The README's picture, refreshed only when asked (a test run leaves the tree as it was).
    if (process.env.PIXELRL_WRITE_DOCS) await page.screenshot({ path: SCREENSHOT });
    await page.close();
  }, 60_000);

  test('"you play": the arrow keys move the paddle, and the player is scored by the same loop', async ({
    skip: skipTest,
  }) => {
    skipTest(skip, 'no browser could start (the reason is printed above)');
    const page = await openPage(`seed=${SEED}&speed=1`);
    await waitForSteps(page, 1);
    await page.click('.pr-mode');
    await waitForSteps(page, 5);
    expect((await snapshot(page)).mode).toBe('you');
    const start = (await paddleX(page)) as number;
    expect(start).not.toBeNull();
    await page.keyboard.down('ArrowLeft');
    await new Promise((r) => setTimeout(r, 1200));
    await page.keyboard.up('ArrowLeft');
    await new Promise((r) => setTimeout(r, 200));
    const left = (await paddleX(page)) as number;
    expect(left).toBeLessThan(start - 20);
    await page.keyboard.down('ArrowRight');
    await new Promise((r) => setTimeout(r, 1500));
    await page.keyboard.up('ArrowRight');
    await new Promise((r) => setTimeout(r, 200));
    const right = (await paddleX(page)) as number;
    expect(right).toBeGreaterThan(left + 40);
    const s = await snapshot(page);
    // Catch's actions: NOOP 0, RIGHT 1, LEFT 2; both were taken, and nothing was ε-random.
    expect(s.actions).toContain(2);
    expect(s.actions).toContain(1);
    expect(s.score).toBe(sum(s.rewards.slice(s.rewards.length - s.step)));
    await page.close();
  }, 60_000);
});
