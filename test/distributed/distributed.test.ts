/**
 * A learner and 2 actor processes on Catch-v0 through a real redis-server (started here on a
 * free loopback port, with a password): both actors' transitions arrive, weight versions advance
 * on both, the run directory is a complete DQN run that `loadAgent` (eval, play, tsne) reads,
 * and the password appears in no file of the run and no log line.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { readCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { runKeys } from '../../src/distributed/redis.js';
import { type RedisServer, startRedisServer } from '../../src/distributed/redis-server.js';
import { trainDistributed } from '../../src/distributed/train-distributed.js';
import { createEngine, type Engine } from '../../src/engine/select.js';
import { loadAgent } from '../../src/train/load-agent.js';
import { Rng } from '../../src/util/rng.js';
import { parseMetrics } from '../../src/viz/metrics.js';
import { tinyCatch, transitionsUpTo } from './helpers.js';

const PASSWORD = 'pw-Zq81-never-logged';
let server: RedisServer;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  server = await startRedisServer({ args: ['--requirepass', PASSWORD] });
});
afterAll(async () => {
  await server?.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('pixelrl train --distributed --local-actors 2', () => {
  it('trains from both actors, advances their weights, writes a complete run, leaks no password', async () => {
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-dist-')), 'catch-apex');
    const url = `redis://default:${PASSWORD}@127.0.0.1:${server.port}`;
    const logs: string[] = [];
    const steps = 1200;
    // The learner trains through the engine it is given (counted), the actors act on ort.
    const ort = createEngine({ engine: 'ort' });
    let learners = 0;
    const engine: Engine = {
      ...ort,
      dqnLearner: (...args) => {
        learners++;
        return ort.dqnLearner(...args);
      },
    };
    const summary = await trainDistributed({
      runDir,
      config: tinyCatch(steps),
      redisUrl: url,
      localActors: 2,
      engine,
      actorArgs: ['--backend', 'cpu', '--engine', 'ort'],
      progress: 'off',
      log: (line) => logs.push(line),
    });
    expect(summary.stopped).toBe(false);
    expect(learners).toBe(1);
    expect(logs.filter((l) => /^\[actor \d\] engine: ort engine \(asked for\)/.test(l))).toHaveLength(2);
    expect(summary.step).toBeGreaterThanOrEqual(steps);
    const { parts, manifest } = await readCheckpoint(runDir, 'dqn');
    expect(manifest.step).toBe(summary.step);
    const loop = parts.loop.json as {
      tallies: Record<
        string,
        { transitions: number; firstWeightsVersion: number; lastWeightsVersion: number }
      >;
      lastEntryId: string;
      dropped: number;
    };
    // Both actors' transitions arrived, and they add up to the learner's steps.
    expect(Object.keys(loop.tallies).sort()).toEqual(['0', '1']);
    for (const t of Object.values(loop.tallies)) {
      expect(t.transitions).toBeGreaterThan(100);
      expect(t.lastWeightsVersion).toBeGreaterThan(t.firstWeightsVersion);
    }
    expect(loop.tallies['0'].transitions + loop.tallies['1'].transitions).toBe(summary.step);
    expect(loop.dropped).toBe(0);
    const redis = new Redis(url);
    try {
      expect(await transitionsUpTo(redis, 'catch-apex', loop.lastEntryId)).toBe(summary.step);
      expect(JSON.parse((await redis.get(runKeys('catch-apex').spec)) as string).status).toBe('done');
    } finally {
      redis.disconnect();
    }
    // The actors ran with Ape-X's ε of 2 slots, and stopped because the run was done.
    expect(logs.some((l) => /^\[actor \d\] actor slot 0 of 2: .*ε = 0\.400/.test(l))).toBe(true);
    expect(logs.some((l) => /^\[actor \d\] actor slot 1 of 2: .*ε = 0\.000655/.test(l))).toBe(true);
    expect(logs.filter((l) => /\(the run is done\)$/.test(l))).toHaveLength(2);
    // The run directory of a local DQN run (+ distributed.json).
    for (const f of [
      'config.json',
      'distributed.json',
      'metrics.jsonl',
      'metrics.csv',
      'checkpoint/manifest.json',
    ]) {
      expect(statSync(join(runDir, f)).isFile(), f).toBe(true);
    }
    const records = parseMetrics(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8'));
    expect(new Set(records.map((r) => r.kind))).toEqual(new Set(['episode', 'train', 'eval']));
    const lanes = new Set(
      records.filter((r) => r.kind === 'episode').map((r) => (r as { envIndex: number }).envIndex),
    );
    expect([...lanes].sort()).toEqual([0, 1]); // episodes reported by both actors
    const agent = await loadAgent(runDir);
    try {
      expect(agent.step).toBe(summary.step);
      const out = agent.act(new Float32Array(16 * 16 * 4), 1, 0, new Rng(1), new Int32Array(1));
      expect(out[0]).toBeGreaterThanOrEqual(0);
    } finally {
      agent.dispose();
    }
    // Credentials: in no run file (text or binary) and no log line; the URL is shown redacted.
    for (const file of filesUnder(runDir)) {
      expect(readFileSync(file).includes(PASSWORD), file).toBe(false);
    }
    expect(logs.join('\n')).not.toContain(PASSWORD);
    expect(logs.some((l) => l.includes(`redis://default:***@127.0.0.1:${server.port}`))).toBe(true);
  }, 120_000);
});
