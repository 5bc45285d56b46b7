import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnPolicyAlgo } from '../../agents/pg-config.js';
import { initBackend } from '../../src/backend/select.js';
import { trainOnPolicy } from '../../src/train/on-policy.js';
import { hyperparamsOf, type OnPolicyRunConfig, onPolicyPreset } from '../../src/train/on-policy-config.js';
import { parseMetrics } from '../../src/viz/metrics.js';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'pixelrl-onpolicy-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A small, fast config of each algorithm on CartPole. */
function tiny(algo: OnPolicyAlgo, steps = 256): OnPolicyRunConfig {
  const c = onPolicyPreset(algo, 'classic') as OnPolicyRunConfig;
  hyperparamsOf(c).net = '[8,tanh]';
  c.numEnvs = 2;
  c.steps = steps;
  c.logEveryUpdates = 1;
  if (c.algo === 'ppo') {
    c.ppo.numSteps = 16;
    c.ppo.updateEpochs = 2;
    c.ppo.numMinibatches = 2;
  } else if (c.algo === 'a2c') {
    c.a2c.numSteps = 8;
  } else {
    c.reinforce.episodesPerUpdate = 2;
  }
  return c;
}

const readLines = (dir: string): Record<string, unknown>[] =>
  parseMetrics(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')) as unknown as Record<string, unknown>[];

/** The records without wall-clock fields, for comparing two runs. */
const timeless = (records: Record<string, unknown>[]): Record<string, unknown>[] =>
  records.map(({ timeSeconds: _t, sps: _s, ...rest }) => rest);

describe('trainOnPolicy', () => {
  it.each([
    'reinforce',
    'a2c',
    'ppo',
  ] as const)('%s runs its budget and writes the project metrics format', async (algo) => {
    const dir = tmp();
    const result = await trainOnPolicy(tiny(algo), dir);
    result.agent.ac.dispose();
    expect(result.steps).toBeGreaterThanOrEqual(256);
    expect(result.episodes).toBeGreaterThan(0);
    const lines = readLines(dir);
    const episode = lines.find((l) => l.kind === 'episode');
    const train = lines.find((l) => l.kind === 'train');
    expect(Object.keys(episode ?? {}).sort()).toEqual(
      ['envIndex', 'frames', 'kind', 'length', 'return', 'step', 'timeSeconds'].sort(),
    );
    expect(train).toMatchObject({ kind: 'train', step: expect.any(Number), loss: expect.any(Number) });
    expect(train).toHaveProperty('policyLoss');
    expect(train).toHaveProperty('entropy');
    if (algo === 'ppo') {
      expect(train).toHaveProperty('approxKl');
      expect(train).toHaveProperty('clipFraction');
    }
    // CartPole pays 1 per step: an episode's return is its length.
    for (const l of lines.filter((x) => x.kind === 'episode')) expect(l.return).toBe(l.length);
    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ format: 'pixelrl-run', algo, env: 'CartPole-v1' });
  });

  it('evaluates the greedy policy on schedule and at the end, in the eval metrics format', async () => {
    const dir = tmp();
    const c = tiny('ppo', 256);
    c.evalInterval = 128;
    c.evalEpisodes = 3;
    const result = await trainOnPolicy(c, dir);
    result.agent.ac.dispose();
    const evals = readLines(dir).filter((l) => l.kind === 'eval');
    expect(evals.map((e) => e.step)).toEqual([128, 256]);
    expect(Object.keys(evals[0]).sort()).toEqual(
      ['episodes', 'frames', 'kind', 'meanReturn', 'stdReturn', 'step', 'timeSeconds'].sort(),
    );
    expect(evals[1].episodes).toBe(3);
    expect(result.lastEval?.meanReturn).toBe(evals[1].meanReturn);
  });

  it('is deterministic for a seed', async () => {
    const [a, b] = [tmp(), tmp()];
    for (const dir of [a, b]) (await trainOnPolicy(tiny('ppo'), dir)).agent.ac.dispose();
    expect(timeless(readLines(a))).toEqual(timeless(readLines(b)));
  });

  it.each([
    'ppo',
    'reinforce',
  ] as const)('%s: a stopped and resumed run continues step for step', async (algo) => {
    const straight = tmp();
    const resumed = tmp();
    const full = await trainOnPolicy(tiny(algo, 512), straight);
    const first = await trainOnPolicy(tiny(algo, 512), resumed, { stopAtStep: 200 });
    first.agent.ac.dispose();
    expect(first.stopped).toBe(true);
    const second = await trainOnPolicy(null, resumed, { resume: true });
    expect(second.steps).toBe(full.steps);
    expect(timeless(readLines(resumed))).toEqual(timeless(readLines(straight)));
    expect(Array.from(second.agent.ac.learner.getParams())).toEqual(
      Array.from(full.agent.ac.learner.getParams()),
    );
    full.agent.ac.dispose();
    second.agent.ac.dispose();
  });

  it('refuses to resume a directory that holds no run, and a new run without a config', async () => {
    const dir = tmp();
    await expect(trainOnPolicy(null, join(dir, 'missing'), { resume: true })).rejects.toThrow(/config\.json/);
    await expect(trainOnPolicy(null, dir)).rejects.toThrow(/a new run needs a config/);
  });

  it('gives the same run with envs in a worker thread as in this thread', async () => {
    const [local, threaded] = [tmp(), tmp()];
    (await trainOnPolicy(tiny('ppo'), local)).agent.ac.dispose();
    const c = tiny('ppo');
    c.workers = 1;
    (await trainOnPolicy(c, threaded)).agent.ac.dispose();
    expect(timeless(readLines(threaded))).toEqual(timeless(readLines(local)));
  });

  it('trains a conv actor-critic on a pixel game through makeAtari', async () => {
    const c = onPolicyPreset('ppo', 'atari');
    Object.assign(c, { env: 'Catch-v0', numEnvs: 2, steps: 64 });
    Object.assign(c.ppo, { net: '[c4k4s4,relu:16,relu]', numSteps: 16 });
    c.atari = { screenSize: 24, historyLength: 2 };
    const records: Record<string, unknown>[] = [];
    const result = await trainOnPolicy(c, null, {
      onRecord: (r) => records.push(r as unknown as Record<string, unknown>),
    });
    expect(result.agent.ac.inputShape).toEqual([24, 24, 2]);
    expect(result.agent.ac.models.length).toBe(1);
    result.agent.ac.dispose();
    const train = records.filter((r) => r.kind === 'train');
    expect(train.length).toBe(2);
    // frames = steps × frameskip 4.
    expect(train[1]).toMatchObject({ step: 64, frames: 256 });
    expect(Number.isFinite(train[1].loss)).toBe(true);
  });

  it('keeps the tensor count flat over hundreds of updates', async () => {
    const c = tiny('a2c', 2 * 4 * 400);
    if (c.algo !== 'a2c') throw new Error('unreachable');
    c.a2c.numSteps = 4;
    let before = -1;
    let after = -1;
    const result = await trainOnPolicy(c, null, {
      onUpdate: ({ update }) => {
        if (update === 20) before = tf.memory().numTensors;
        if (update === 400) after = tf.memory().numTensors;
      },
    });
    result.agent.ac.dispose();
    expect(result.updates).toBe(400);
    expect(before).toBeGreaterThan(0);
    expect(after).toBe(before);
  });
});
