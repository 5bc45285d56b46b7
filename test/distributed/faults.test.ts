/**
 * Faults, with a real redis-server and real actor processes on Catch-v0:
 *  1. kill -9 an actor: the learner keeps training on the other; Redis is killed and restarted
 *     on its port: learner and actor reconnect; a new actor process joins the dead one's slot.
 *  2. kill -9 the learner and resume it from its checkpoint: the actors carry on (same
 *     sessions), pick up the resumed learner's weights, and every transition in the stream up
 *     to the last one the learner inserted is in it exactly once (counted per stream entry).
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { readCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { runLearner } from '../../src/distributed/learner.js';
import { compareIds } from '../../src/distributed/learner-stream.js';
import { pixelrlCommand, spawnActor, stopActors } from '../../src/distributed/local-actors.js';
import { GROUP, runKeys } from '../../src/distributed/redis.js';
import { startRedisServer } from '../../src/distributed/redis-server.js';
import { readProgress, tinyCatch, transitionsUpTo, waitFor } from './helpers.js';

interface LoopJson {
  step: number;
  lastEntryId: string;
  dropped: number;
  weightsVersion: number;
  tallies: Record<string, { transitions: number; sessions: number; lastWeightsVersion: number }>;
}

const cleanup: (() => Promise<void>)[] = [];
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('distributed faults', () => {
  it('survives a killed actor and a restarted Redis; a new actor joins the free slot', async () => {
    let server = await startRedisServer();
    const port = server.port;
    cleanup.push(() => server.stop());
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-faults-')), 'faults-a');
    const run = 'faults-a';
    const logs: string[] = [];
    const log = (line: string) => logs.push(line);
    const controller = new AbortController();
    const learning = runLearner({
      runDir,
      config: tinyCatch(1_000_000),
      redisUrl: server.url,
      progress: 'off',
      log,
      signal: controller.signal,
    });
    learning.catch(() => {});
    const actorOptions = { redisUrl: server.url, run, args: ['--backend', 'cpu'], log };
    const actors = [spawnActor(actorOptions, 'a0'), spawnActor(actorOptions, 'a1')];
    cleanup.push(() => stopActors(actors, 0));
    const watch = new Redis(`redis://127.0.0.1:${port}`, {
      maxRetriesPerRequest: null,
      retryStrategy: () => 100,
    });
    watch.on('error', () => {});
    cleanup.push(async () => watch.disconnect());
    await waitFor(
      'both actors read',
      async () => {
        const p = await readProgress(watch, run);
        return (p['0']?.seq ?? -1) >= 3 && (p['1']?.seq ?? -1) >= 3;
      },
      40_000,
      logs,
    );
    const before = await readProgress(watch, run);
    // 1. kill -9 actor 1: the learner keeps reading actor 0.
    const slotOf = (name: string) =>
      logs.find((l) => l.startsWith(`[${name}] actor slot `))?.match(/slot (\d)/)?.[1];
    const [survivorSlot, victimSlot] = ['0', '1'];
    const victim = actors[slotOf('a0') === victimSlot ? 0 : 1];
    victim.kill('SIGKILL');
    await exited(victim);
    const at = (await readProgress(watch, run))[survivorSlot].seq;
    await waitFor(
      'the learner to go on with one actor',
      async () => (await readProgress(watch, run))[survivorSlot].seq >= at + 10,
      30_000,
      logs,
    );
    // 2. Redis dies (no persistence: every key is gone) and comes back on the same port.
    server.process.kill('SIGKILL');
    await exited(server.process);
    server = await startRedisServer({ port });
    await waitFor(
      'learner and actor to reconnect and stream again',
      async () => {
        const p = await readProgress(watch, run);
        return (p[survivorSlot]?.seq ?? -1) > (before[survivorSlot]?.seq ?? 0) + 12;
      },
      40_000,
      logs,
    );
    // 3. A new actor process takes the dead actor's slot.
    actors.push(spawnActor(actorOptions, 'a2'));
    await waitFor(
      'a new actor to join the free slot',
      async () => {
        const p = (await readProgress(watch, run))[victimSlot];
        return p !== undefined && p.session !== before[victimSlot].session && p.seq >= 3;
      },
      40_000,
      logs,
    );
    controller.abort();
    const summary = await learning;
    expect(summary.stopped).toBe(true);
    const { parts } = await readCheckpoint(runDir, 'dqn');
    const loop = parts.loop.json as unknown as LoopJson;
    expect(loop.tallies[survivorSlot].sessions).toBe(1); // the same process across the Redis restart
    expect(loop.tallies[victimSlot].sessions).toBe(2); // the killed one, then the new one
    expect(Number(parts.lanes.json.cuts)).toBeGreaterThanOrEqual(1); // the dead session's episode was cut
    expect(logs.some((l) => l.includes('consumer group was gone'))).toBe(true);
  }, 150_000);

  it('resumes a kill -9ed learner: actors carry on, no acknowledged transition lost or doubled', async () => {
    const server = await startRedisServer();
    cleanup.push(() => server.stop());
    const runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-faults-')), 'faults-b');
    const run = 'faults-b';
    const logs: string[] = [];
    const log = (line: string) => logs.push(line);
    const tiny = ['--env', 'Catch-v0', '--frame-size', '16', '--net', '[c4k4s2,relu:16,relu]', '--seed', '3'];
    const { command, args } = pixelrlCommand([
      'train',
      '--distributed',
      '2',
      '--redis',
      server.url,
      '--run-name',
      runDir,
      '--steps',
      '1000000',
      '--checkpoint-interval',
      '300',
      '--learning-starts',
      '100',
      '--batch-size',
      '8',
      '--buffer-size',
      '4000',
      '--eval-episodes',
      '0',
      '--backend',
      'cpu',
      '--progress',
      'off',
      ...tiny,
    ]);
    const learner = spawn(command, args, { stdio: 'ignore' });
    cleanup.push(async () => {
      learner.kill('SIGKILL');
    });
    const actorOptions = { redisUrl: server.url, run, args: ['--backend', 'cpu'], log };
    const actors = [spawnActor(actorOptions, 'a0'), spawnActor(actorOptions, 'a1')];
    cleanup.push(() => stopActors(actors, 0));
    const redis = new Redis(server.url);
    cleanup.push(async () => redis.disconnect());
    const keys = runKeys(run);
    const pendingNow = async () => {
      const groups = (await redis.xinfo('GROUPS', keys.stream).catch(() => [])) as unknown[][];
      const g = groups.find((row) => row[row.indexOf('name') + 1] === GROUP);
      return g ? Number(g[g.indexOf('pending') + 1]) : 0;
    };
    // Kill it once a checkpoint exists and it has inserted (not yet acknowledged) entries since.
    await waitFor(
      'a checkpoint',
      () => existsSync(join(runDir, 'checkpoint', 'manifest.json')),
      60_000,
      logs,
    );
    await waitFor(
      'entries inserted after the checkpoint',
      async () => (await pendingNow()) >= 5,
      30_000,
      logs,
    );
    learner.kill('SIGKILL');
    await exited(learner);
    const killed = await readCheckpoint(runDir, 'dqn');
    const atKill = killed.parts.loop.json as unknown as LoopJson;
    expect(await pendingNow()).toBeGreaterThanOrEqual(5);
    await new Promise((r) => setTimeout(r, 1000)); // the actors go on meanwhile
    const summary = await runLearner({
      runDir,
      resume: true,
      steps: atKill.step + 600,
      redisUrl: server.url,
      progress: 'off',
      log,
    });
    expect(summary.stopped).toBe(false);
    expect(summary.step).toBeGreaterThanOrEqual(atKill.step + 600);
    await Promise.all(actors.map(exited)); // they stop on their own: the run is done
    const { parts } = await readCheckpoint(runDir, 'dqn');
    const loop = parts.loop.json as unknown as LoopJson;
    // Every transition the stream holds up to the last inserted entry is in the learner once.
    expect(await transitionsUpTo(redis, run, loop.lastEntryId)).toBe(loop.step);
    expect(loop.dropped).toBe(0);
    expect(Object.values(loop.tallies).reduce((n, t) => n + t.transitions, 0)).toBe(loop.step);
    // Nothing inserted is left unacknowledged; what is pending was never inserted.
    const pending = (await redis.xpending(keys.stream, GROUP, '-', '+', 1000)) as [string, ...unknown[]][];
    expect(pending.every(([id]) => compareIds(id, loop.lastEntryId) > 0)).toBe(true);
    // The actors carried on (one session each) and took the resumed learner's weights.
    for (const t of Object.values(loop.tallies)) {
      expect(t.sessions).toBe(1);
      expect(t.lastWeightsVersion).toBeGreaterThan(atKill.weightsVersion);
    }
    expect(logs.filter((l) => /\(the run is done\)$/.test(l))).toHaveLength(2);
  }, 150_000);
});
