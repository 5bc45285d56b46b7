import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig, parseMetrics, readRun } from '../../src/viz/metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EPISODE = {
  kind: 'episode',
  step: 10,
  frames: 40,
  timeSeconds: 0.5,
  return: 3,
  length: 10,
  envIndex: 0,
};
const TRAIN = { kind: 'train', step: 12, frames: 48, timeSeconds: 0.6, loss: 0.1, sps: 200 };
const EVAL = { kind: 'eval', step: 20, frames: 80, timeSeconds: 1, meanReturn: 4, stdReturn: 1, episodes: 5 };
const lines = (...objs: object[]): string => `${objs.map((o) => JSON.stringify(o)).join('\n')}\n`;

describe('parseMetrics', () => {
  it('reads each kind and skips blank lines', () => {
    const recs = parseMetrics(`${lines(EPISODE, TRAIN)}\n${lines(EVAL)}`);
    expect(recs.map((r) => r.kind)).toEqual(['episode', 'train', 'eval']);
    expect(recs[0]).toEqual(EPISODE);
  });

  it('reads the fault records a trainer writes when a rollout worker fails (issue 14)', () => {
    const fault = {
      kind: 'fault',
      step: 10,
      frames: 40,
      timeSeconds: 0.5,
      fault: 'worker-exit',
      envIndex: 1,
      workerIndex: 0,
      affectedEnvs: [0, 1],
      restartsLeft: 9,
      message: 'worker exited with code: 70',
    };
    expect(parseMetrics(lines(EPISODE, fault, { ...EPISODE, truncated: true }))[1]).toEqual(fault);
    expect(() => parseMetrics(lines({ ...fault, workerIndex: 'w' }))).toThrow(
      /a "fault" record needs a finite number "workerIndex"/,
    );
    const run = join(dir, 'with-faults');
    mkdirSync(run);
    writeFileSync(join(run, 'config.json'), JSON.stringify({ env: 'Catch-v0', algo: 'dqn', seed: 0 }));
    writeFileSync(join(run, 'metrics.jsonl'), lines(EPISODE, fault, EVAL));
    const r = readRun(run);
    expect([r.episodes.length, r.evals.length, r.faults]).toEqual([1, 1, [fault]]);
  });

  it('names the file and line of bad JSON, and hints at an interrupted write', () => {
    const text = `${lines(EPISODE, EPISODE)}{"kind":"episode","st`;
    expect(() => parseMetrics(text, 'run/metrics.jsonl')).toThrow(
      /^run\/metrics.jsonl line 3: not valid JSON \(a run interrupted/,
    );
  });

  it('names the line and the missing field', () => {
    const { return: _r, ...noReturn } = EPISODE;
    expect(() => parseMetrics(lines(TRAIN, noReturn), 'm.jsonl')).toThrow(
      'm.jsonl line 2: a "episode" record needs a finite number "return" (fields: step, frames, timeSeconds, return, length, envIndex), got undefined',
    );
  });

  it('refuses unknown kinds, non-objects and optional fields of the wrong type', () => {
    expect(() => parseMetrics(lines({ ...EPISODE, kind: 'epsiode' }))).toThrow(/line 1: "kind" must be/);
    expect(() => parseMetrics('[1,2]\n')).toThrow(/line 1: expected a JSON object/);
    expect(() => parseMetrics(lines({ ...TRAIN, epsilon: 'high' }))).toThrow(
      /line 1: "epsilon" of a "train" record must be a number/,
    );
    expect(() => parseMetrics(lines({ ...EVAL, meanReturn: null }))).toThrow(/"meanReturn"/);
  });
});

describe('parseConfig', () => {
  it('needs env, algo and seed', () => {
    expect(parseConfig('{"env":"Catch-v0","algo":"dqn","seed":1,"lr":0.001}').lr).toBe(0.001);
    expect(() => parseConfig('{"env":"Catch-v0","seed":1}', 'c.json')).toThrow(
      'c.json: expected a string "algo", got undefined',
    );
    expect(() => parseConfig('nope', 'c.json')).toThrow(/c.json: not valid JSON/);
  });
});

describe('readRun', () => {
  it('splits a run directory by kind', () => {
    const run = join(dir, 'ok');
    mkdirSync(run);
    writeFileSync(join(run, 'config.json'), '{"env":"Catch-v0","algo":"dqn","seed":3}');
    writeFileSync(join(run, 'metrics.jsonl'), lines(EPISODE, TRAIN, EPISODE, EVAL));
    const r = readRun(run);
    expect(r.config.seed).toBe(3);
    expect([r.episodes.length, r.train.length, r.evals.length]).toEqual([2, 1, 1]);
  });

  it('gives clear errors for a missing or malformed run directory', () => {
    expect(() => readRun(join(dir, 'nope'))).toThrow(/run directory .*nope does not exist/);
    const half = join(dir, 'half');
    mkdirSync(half);
    writeFileSync(join(half, 'metrics.jsonl'), lines(EPISODE));
    expect(() => readRun(half)).toThrow(/config.json is missing: .* does not look like a run directory/);
    writeFileSync(join(half, 'config.json'), '{"env":"Catch-v0","algo":"dqn","seed":3}');
    writeFileSync(join(half, 'metrics.jsonl'), `${lines(EPISODE)}{"kind":"train"}\n`);
    expect(() => readRun(half)).toThrow(
      /half\/metrics.jsonl line 2: a "train" record needs a finite number "step"/,
    );
  });
});
