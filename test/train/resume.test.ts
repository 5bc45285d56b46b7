import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASSIC_PRESET } from '../../agents/dqn-config.js';
import { initBackend } from '../../src/backend/select.js';
import { disposeCheckpoint, readCheckpoint } from '../../src/checkpoint/checkpoint.js';
import { createEngine, tfjsEngine } from '../../src/engine/select.js';
import type { MetricRecord } from '../../src/train/metrics.js';
import { runDqn } from '../../src/train/run-dqn.js';
import { RUN_DEFAULTS, type RunConfig } from '../../src/train/train-config.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** A run small enough for a test that still trains, syncs, evaluates and ends episodes. */
function tinyCartPole(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    ...RUN_DEFAULTS,
    env: 'CartPole-v1',
    steps: 400,
    seed: 3,
    numEnvs: 2,
    evalInterval: 150,
    evalEpisodes: 2,
    evalNoopMax: 0,
    logInterval: 50,
    checkpointInterval: 0,
    dqn: {
      ...CLASSIC_PRESET,
      net: '[16,relu]',
      bufferSize: 1000,
      learningStarts: 60,
      trainFrequency: 4,
      gradientSteps: 2,
      targetUpdateInterval: 30,
      batchSize: 16,
      prioritized: true,
      nStep: 3,
      doubleDqn: true,
    },
    ...overrides,
  };
}

/** Records without wall-clock fields. */
function timeless(records: MetricRecord[]): unknown[] {
  return records.map((r) => {
    const { timeSeconds: _t, ...rest } = r as MetricRecord & { sps?: number };
    if ('sps' in rest) delete (rest as { sps?: number }).sps;
    return rest;
  });
}

function linesOf(path: string): unknown[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return timeless(lines.map((l) => JSON.parse(l) as MetricRecord));
}

/** Exact resume on each engine (same engine before and after the stop). */
describe.each([
  ['tfjs (cpu backend)', () => tfjsEngine()],
  ['ort', () => createEngine({ engine: 'ort' })],
] as const)('DQN resume on %s', (_name, makeEngine) => {
  const engine = makeEngine();
  it('a stopped and resumed run matches an uninterrupted one step for step', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pixelrl-resume-'));
    const whole: MetricRecord[] = [];
    const a = await runDqn({
      runDir: join(root, 'a'),
      config: tinyCartPole(),
      progress: 'off',
      engine,
      onRecord: (r) => whole.push(r),
    });
    const parts: MetricRecord[] = [];
    const b1 = await runDqn({
      runDir: join(root, 'b'),
      config: tinyCartPole(),
      progress: 'off',
      engine,
      stopAtStep: 200,
      onRecord: (r) => parts.push(r),
    });
    expect(b1.stopped).toBe(true);
    expect(b1.step).toBe(200);
    const b2 = await runDqn({
      runDir: join(root, 'b'),
      resume: true,
      progress: 'off',
      engine,
      onRecord: (r) => parts.push(r),
    });
    expect(b2.step).toBe(400);
    expect(b2.stopped).toBe(false);
    expect(whole.some((r) => r.kind === 'episode')).toBe(true);
    expect(whole.filter((r) => r.kind === 'eval')).toHaveLength(3);
    expect(timeless(parts)).toEqual(timeless(whole));
    expect(linesOf(join(root, 'b', 'metrics.jsonl'))).toEqual(linesOf(join(root, 'a', 'metrics.jsonl')));
    expect(b2.lastEval).toEqual(a.lastEval);

    const ca = await readCheckpoint(join(root, 'a'), 'dqn');
    const cb = await readCheckpoint(join(root, 'b'), 'dqn');
    for (const name of ['online', 'target']) {
      const wa = ca.parts.agent.models[name].getWeights().map((w) => Array.from(w.dataSync()));
      const wb = cb.parts.agent.models[name].getWeights().map((w) => Array.from(w.dataSync()));
      expect(wb).toEqual(wa);
    }
    expect(cb.parts.agent.arrays['optimizer.second']).toEqual(ca.parts.agent.arrays['optimizer.second']);
    expect(cb.parts.replay.arrays['sampler.tree']).toEqual(ca.parts.replay.arrays['sampler.tree']);
    disposeCheckpoint(ca);
    disposeCheckpoint(cb);
  });

  it('resumes a pixel game (makeAtari stack mid-episode: φ buffers, no-op RNG, lives) step for step', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pixelrl-resume-'));
    const config = tinyCartPole({
      env: 'Catch-v0',
      frameSize: 21,
      numEnvs: 1,
      steps: 160,
      evalEpisodes: 0,
      dqn: {
        ...tinyCartPole().dqn,
        // Dense on pixels: the cpu backend's conv backprop would take seconds per update.
        net: '[16,relu]',
        historyLength: 4,
        clipRewards: true,
        prioritized: false,
        gradientSteps: 1,
      },
    });
    const whole: MetricRecord[] = [];
    await runDqn({
      runDir: join(root, 'a'),
      config,
      progress: 'off',
      engine,
      onRecord: (r) => whole.push(r),
    });
    const parts: MetricRecord[] = [];
    await runDqn({
      runDir: join(root, 'b'),
      config,
      progress: 'off',
      engine,
      stopAtStep: 90,
      onRecord: (r) => parts.push(r),
    });
    await runDqn({
      runDir: join(root, 'b'),
      resume: true,
      progress: 'off',
      engine,
      onRecord: (r) => parts.push(r),
    });
    expect(whole.filter((r) => r.kind === 'train').length).toBeGreaterThan(1);
    expect(timeless(parts)).toEqual(timeless(whole));
    const ca = await readCheckpoint(join(root, 'a'), 'dqn');
    const cb = await readCheckpoint(join(root, 'b'), 'dqn');
    expect(cb.parts.loop.arrays.lastFrames).toEqual(ca.parts.loop.arrays.lastFrames);
    expect(cb.parts.loop.arrays.history).toEqual(ca.parts.loop.arrays.history);
    expect(cb.parts.agent.arrays['optimizer.first']).toEqual(ca.parts.agent.arrays['optimizer.first']);
    disposeCheckpoint(ca);
    disposeCheckpoint(cb);
  });
});
