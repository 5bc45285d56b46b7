/**
 * The dashboard's two folds, without a server or browser: MetricsTail (complete lines only, a
 * replaced file starts over, a bad line named) and the page's DashboardState (overlapping
 * updates are not counted twice; restarts drop the old records; progress and ETA).
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { MetricRecord } from '../../src/checkpoint/metric-records.js';
import { DashboardState, etaSeconds, formatDuration, latestStep } from '../../src/web/dashboard/run-state.js';
import { MetricsTail } from '../../src/web/server/metrics-tail.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const episode = (step: number, ret: number): MetricRecord => ({
  kind: 'episode',
  step,
  frames: step * 4,
  timeSeconds: step / 100,
  return: ret,
  length: 10,
  envIndex: 0,
});
const train = (step: number, sps: number): MetricRecord => ({
  kind: 'train',
  step,
  frames: step * 4,
  timeSeconds: step / 100,
  loss: 0.5,
  sps,
});
const line = (r: MetricRecord) => `${JSON.stringify(r)}\n`;

describe('MetricsTail', () => {
  test('returns each complete line once, holds a partial one, and starts over on a shorter file', async () => {
    const file = join(dir, 'metrics.jsonl');
    const tail = new MetricsTail(file);
    expect(await tail.poll()).toEqual({ restarted: false, records: [] }); // no file yet
    writeFileSync(file, line(episode(10, 1)) + line(episode(20, 2)));
    expect((await tail.poll()).records.map((r) => r.step)).toEqual([10, 20]);
    expect((await tail.poll()).records).toEqual([]);
    const third = line(episode(30, 3));
    appendFileSync(file, third.slice(0, 15));
    expect((await tail.poll()).records).toEqual([]);
    appendFileSync(file, third.slice(15));
    expect((await tail.poll()).records.map((r) => r.step)).toEqual([30]);
    writeFileSync(file, line(episode(5, 0)));
    expect(await tail.poll()).toEqual({ restarted: true, records: [episode(5, 0)] });
  });

  test('a malformed line is an error naming the file and its line number', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, line(episode(1, 0)) + line(episode(2, 0)));
    const tail = new MetricsTail(file);
    await tail.poll();
    appendFileSync(file, '{"kind":"episode","step":"x"}\n');
    await expect(tail.poll()).rejects.toThrow(
      /bad\.jsonl line 3: a "episode" record needs a finite number "step"/,
    );
  });
});

describe('DashboardState', () => {
  const runs = {
    kind: 'runs' as const,
    runs: [
      {
        id: 0,
        name: 'r',
        dir: 'r',
        config: { env: 'Catch-v0', algo: 'dqn', seed: 0, steps: 1000 },
        checkpointStep: null,
      },
    ],
  };

  test('an update overlapping what the page holds is not counted twice; a restart replaces', () => {
    const s = new DashboardState();
    s.apply(runs);
    s.apply({ kind: 'records', run: 0, restarted: true, at: 0, records: [episode(10, 1), episode(20, 2)] });
    // The live broadcast of record 1 arrives after a snapshot that already held it.
    s.apply({ kind: 'records', run: 0, restarted: false, at: 1, records: [episode(20, 2), episode(30, 3)] });
    expect(s.runs[0].episodes.map((e) => e.step)).toEqual([10, 20, 30]);
    s.apply({ kind: 'records', run: 0, restarted: true, at: 0, records: [episode(5, 0)] });
    expect(s.runs[0].episodes.map((e) => e.step)).toEqual([5]);
  });

  test('progress and ETA from the latest step and steps per second', () => {
    const s = new DashboardState();
    s.apply(runs);
    s.apply({ kind: 'records', run: 0, restarted: true, at: 0, records: [episode(100, 1), train(400, 50)] });
    expect(latestStep(s.runs[0])).toBe(400);
    expect(etaSeconds(s.runs[0])).toBe(12); // (1000 - 400) / 50
    s.apply({ kind: 'records', run: 0, restarted: false, at: 2, records: [train(1000, 50)] });
    expect(etaSeconds(s.runs[0])).toBeNull();
    expect(formatDuration(12)).toBe('12 s');
    expect(formatDuration(3725)).toBe('1 h 2 min');
  });
});
