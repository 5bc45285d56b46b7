/**
 * The dashboard in headless Chromium (issue 17): the bundled runs' curves and their agent
 * playing (with PIXELRL_WRITE_DOCS=1, a screenshot in docs/web/dashboard.png), and `pixelrl train --dashboard` on a short
 * CartPole run: the page's step counter and reward curve move while the training writes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startDashboard } from '../../src/web/server/dashboard-server.js';
import { launchBrowser, mustSkip } from './browser.js';
import { until } from './sse-client.js';

const SCREENSHOT = join(import.meta.dirname, '../../docs/web/dashboard.png');
const ROOT = join(import.meta.dirname, '../..');
let browser: Browser | null = null;
let skip = false;
const tmp = mkdtempSync(join(tmpdir(), 'pixelrl-dash-browser-'));

beforeAll(async () => {
  const launch = await launchBrowser();
  skip = mustSkip(launch);
  browser = launch.browser;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  rmSync(tmp, { recursive: true, force: true });
});

interface PageRun {
  name: string;
  episodes: number;
  evals: number;
  train: number;
  step: string;
}

async function runsOnPage(page: Page): Promise<PageRun[]> {
  return page.evaluate(() => {
    const d = window.pixelrlDashboard;
    const steps = Array.from(document.querySelectorAll('.db-step'), (e) => e.textContent ?? '');
    return (d?.state.runs ?? []).map((r, i) => ({
      name: r.info.name,
      episodes: r.episodes.length,
      evals: r.evals.length,
      train: r.train.length,
      step: steps[i] ?? '',
    }));
  });
}

/** The reward chart's pixels, as a data URL (changes when the curve does). */
const rewardChart = (page: Page) =>
  page.evaluate(() => (document.querySelector('.db-chart') as HTMLCanvasElement).toDataURL());

async function newPage(url: string): Promise<Page> {
  const page = await (browser as Browser).newPage();
  await page.setViewport({ width: 1280, height: 1200 });
  await page.goto(url);
  return page;
}

describe('pixelrl dashboard, in Chromium', () => {
  test('finished runs: curves, evaluations, progress, and the latest checkpoint playing', async ({
    skip: skipTest,
  }) => {
    skipTest(skip, 'no browser could start (the reason is printed above)');
    const dashboard = await startDashboard({
      runs: ['checkpoints/bundled/catch-dqn', 'checkpoints/bundled/cartpole-dqn'],
      port: 0,
    });
    try {
      const page = await newPage(dashboard.url);
      await page.waitForFunction(() => window.pixelrlDashboard?.playerStep === 100_000, { timeout: 60_000 });
      await page.waitForFunction(
        () => (window.pixelrl?.snapshot()?.actions.length ?? 0) > 60 || document.querySelector('.pr-game'),
        {
          timeout: 30_000,
        },
      );
      await new Promise((r) => setTimeout(r, 4000));
      const runs = await runsOnPage(page);
      expect(runs.map((r) => r.name)).toEqual(['catch-dqn', 'cartpole-dqn']);
      expect(runs[0].episodes).toBeGreaterThan(100);
      expect(runs[0].evals).toBeGreaterThan(0);
      expect(runs[0].step).toBe('step 100000 / 100000');
      const text = await page.$eval('#db-runs', (t) => t.textContent ?? '');
      expect(text).toContain('done');
      expect(text).toMatch(/eval \d+\.\d ± \d+\.\d/);
      // The README's picture, refreshed only when asked (a test run leaves the tree as it was).
      if (process.env.PIXELRL_WRITE_DOCS) await page.screenshot({ path: SCREENSHOT, fullPage: true });
      await page.close();
    } finally {
      await dashboard.close();
    }
  }, 120_000);

  test('pixelrl train --dashboard: the step counter and the curve update while it trains', async ({
    skip: skipTest,
  }) => {
    skipTest(skip, 'no browser could start (the reason is printed above)');
    const runDir = join(tmp, 'live-cartpole');
    const child: ChildProcess = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/main.ts',
        'train',
        '--env',
        'CartPole-v1',
        // A budget the test never reaches (it stops the run with SIGINT): with a short one, a slow
        // machine let the run end, or reach CartPole's 500-step episodes, before the page had
        // seen the later episodes it waits for.
        '--steps',
        '1000000',
        '--seed',
        '0',
        '--run-name',
        runDir,
        '--eval-interval',
        '0',
        '--progress',
        'off',
        '--dashboard',
        '0',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let log = '';
    child.stderr?.on('data', (c: Buffer) => {
      log += c.toString();
    });
    child.stdout?.on('data', (c: Buffer) => {
      log += c.toString();
    });
    try {
      const url = await until(
        () => {
          if (child.exitCode !== null) throw new Error(`train exited with ${child.exitCode}: ${log}`);
          return /dashboard at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log)?.[1];
        },
        60_000,
        `the dashboard URL (log: ${log})`,
      );
      const page = await newPage(url);
      // Records have arrived and the (throttled) table shows them.
      await page.waitForFunction(
        () =>
          (window.pixelrlDashboard?.state.runs[0]?.episodes.length ?? 0) > 3 &&
          /step \d+/.test(document.querySelector('.db-step')?.textContent ?? ''),
        { timeout: 60_000 },
      );
      const first = (await runsOnPage(page))[0];
      const chart = await rewardChart(page);
      await page.waitForFunction(
        (n: number) => (window.pixelrlDashboard?.state.runs[0]?.episodes.length ?? 0) > n + 2,
        { timeout: 60_000 },
        first.episodes,
      );
      await new Promise((r) => setTimeout(r, 700));
      const later = (await runsOnPage(page))[0];
      expect(later.name).toBe('live-cartpole');
      const stepOf = (s: string) => Number(/step (\d+)/.exec(s)?.[1] ?? Number.NaN);
      expect(stepOf(later.step)).toBeGreaterThan(stepOf(first.step));
      expect(later.step).toMatch(/ \/ 1000000$/);
      expect(await rewardChart(page)).not.toBe(chart);
      await page.close();
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
    }
  }, 180_000);
});
