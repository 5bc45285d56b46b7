/**
 * The dashboard server without a browser: the routes it serves and the ones it refuses (`../`
 * → 404), the address it binds, a new metrics.jsonl line reaching `/events` within 2 s, and that
 * it writes nothing into the runs it watches.
 */
import {
  appendFileSync,
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Dashboard, startDashboard } from '../../src/web/server/dashboard-server.js';
import { checkWebRun } from '../../src/web/web-run.js';
import { rawGet, subscribe, until } from './sse-client.js';

const BUNDLED = 'checkpoints/bundled/catch-dqn';
const tmp = mkdtempSync(join(tmpdir(), 'pixelrl-dashboard-'));
const finished = join(tmp, 'catch-dqn');
const live = join(tmp, 'live');
let dashboard: Dashboard;

/** Every file under `dir` with its size and mtime: what "writes nothing" compares. */
function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => {
      const s = statSync(join(dir, f));
      return `${f} ${s.size} ${s.mtimeMs}`;
    })
    .sort();
}

const metricLines = readFileSync(join(BUNDLED, 'metrics.jsonl'), 'utf8').trim().split('\n');

beforeAll(async () => {
  cpSync(BUNDLED, finished, { recursive: true });
  cpSync(join(BUNDLED, 'config.json'), join(live, 'config.json'));
  writeFileSync(join(live, 'metrics.jsonl'), `${metricLines.slice(0, 50).join('\n')}\n`);
  dashboard = await startDashboard({ runs: [finished, live], port: 0 });
}, 60_000);

afterAll(async () => {
  await dashboard?.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('dashboard server', () => {
  test('binds 127.0.0.1 by default', () => {
    expect(dashboard.url).toBe(`http://127.0.0.1:${dashboard.port}/`);
  });

  test('serves its page, its script and the latest checkpoint’s agent', async () => {
    const page = await rawGet(dashboard.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="dashboard.js">');
    const script = await rawGet(dashboard.port, '/dashboard.js');
    expect(script.status).toBe(200);
    expect(script.body.length).toBeGreaterThan(100_000);
    const run = checkWebRun(JSON.parse((await rawGet(dashboard.port, '/runs/0/run.json')).body));
    expect(run.step).toBe(100_000);
    expect(run.models).toEqual(['online']);
    expect(run.actionMeanings).toEqual(['NOOP', 'RIGHT', 'LEFT']);
    const model = JSON.parse((await rawGet(dashboard.port, '/runs/0/online/model.json')).body);
    expect(model.weightsManifest[0].paths).toEqual(['./weights.bin']);
    // The live run has no checkpoint yet: nothing to play.
    expect((await rawGet(dashboard.port, '/runs/1/run.json')).status).toBe(404);
  });

  test.each([
    '/../package.json',
    '/../../../../etc/passwd',
    '/%2e%2e/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/runs/0/../../package.json',
    '/runs/0/online/../../config.json',
    '/runs/0/%2e%2e/config.json',
    '/runs/0/checkpoint/manifest.json',
    '/runs/0/metrics.jsonl',
    '/dashboard.js/../package.json',
    '/src/web/html.ts',
    '/package.json',
    '/runs/7/run.json',
  ])('refuses %s with 404', async (path) => {
    const r = await rawGet(dashboard.port, path);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('pixelrl-run');
    expect(r.body).not.toContain('"name": "pixelrl"');
  });

  test('a new metrics.jsonl line reaches /events within 2 s; a half-written line waits for its newline', async () => {
    const sse = await subscribe(dashboard.port);
    try {
      const records = (run: number) =>
        sse.events.flatMap((e) => (e.event.kind === 'records' && e.event.run === run ? e.event.records : []));
      await until(() => records(1).length >= 50, 5000, 'the first 50 records of the live run');
      expect(records(0)).toHaveLength(metricLines.length);
      const next = JSON.parse(metricLines[50]) as { step: number };
      const half = metricLines[50].slice(0, 20);
      appendFileSync(join(live, 'metrics.jsonl'), half);
      await new Promise((r) => setTimeout(r, 1200));
      expect(records(1)).toHaveLength(50);
      const written = performance.now();
      appendFileSync(join(live, 'metrics.jsonl'), `${metricLines[50].slice(20)}\n`);
      await until(() => records(1).length === 51, 2000, 'the appended line');
      const ms = performance.now() - written;
      process.stdout.write(`dashboard: a new metrics line reached /events after ${ms.toFixed(0)} ms\n`);
      expect(records(1)[50].step).toBe(next.step);
    } finally {
      sse.close();
    }
  });

  test('writes nothing into the runs it serves', async () => {
    const before = listing(finished);
    for (const path of ['/', '/runs/0/run.json', '/runs/0/online/model.json', '/runs/0/online/weights.bin']) {
      expect((await rawGet(dashboard.port, path)).status).toBe(200);
    }
    await new Promise((r) => setTimeout(r, 700));
    expect(listing(finished)).toEqual(before);
  });
});
