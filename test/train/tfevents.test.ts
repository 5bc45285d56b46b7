/**
 * The TensorBoard event file of a short run, read back by readers that share no code with the
 * writer: test/train/tfevents-reader.ts (its own CRC32C and protobuf decoding; always runs) and
 * TensorBoard's or TensorFlow's own reader through Python (skipped when neither is installed).
 * Both must give exactly the scalars of metrics.jsonl: each finite field of each record at its
 * step, as a float32.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { DQN } from '../../src/train/api/dqn.js';
import { TfEventsWriter } from '../../src/train/tfevents.js';
import { type EventScalar, readEventFile } from './tfevents-reader.js';

/** What TensorBoard must show for metrics.jsonl, written from the format's rule, not the writer's code. */
function expectedScalars(jsonl: string): EventScalar[] {
  const tags: Record<string, string> = {
    return: 'return',
    length: 'length',
    loss: 'loss',
    meanQ: 'mean_q',
    epsilon: 'epsilon',
    sps: 'sps',
    learningRate: 'learning_rate',
    meanReturn: 'mean_return',
    stdReturn: 'std_return',
  };
  const out: EventScalar[] = [];
  for (const line of jsonl.trim().split('\n')) {
    const r = JSON.parse(line) as Record<string, unknown>;
    for (const [key, value] of Object.entries(r)) {
      if (['kind', 'step', 'frames', 'timeSeconds', 'envIndex', 'episodes'].includes(key)) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      expect(tags[key], `a tag for ${key}`).toBeDefined();
      out.push({ step: r.step as number, tag: `${r.kind}/${tags[key]}`, value: Math.fround(value) });
    }
  }
  return out;
}

let runDir: string;
let eventFile: string;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  runDir = join(mkdtempSync(join(tmpdir(), 'pixelrl-tfevents-')), 'run');
  const model = new DQN('CartPole-v1', {
    runDir,
    steps: 240,
    seed: 4,
    evalInterval: 120,
    evalEpisodes: 2,
    logInterval: 40,
    checkpointInterval: 0,
    saveReplay: false,
    dqn: { net: '[8,relu]', learningStarts: 80, trainFrequency: 20, gradientSteps: 1, batchSize: 8 },
  });
  await model.learn();
  model.dispose();
  const files = readdirSync(runDir).filter((f) => f.startsWith('events.out.tfevents.'));
  expect(files).toHaveLength(1);
  eventFile = join(runDir, files[0]);
});

describe('tfevents', () => {
  it('holds exactly the scalars of metrics.jsonl (independent TS reader)', () => {
    const jsonl = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8');
    const expected = expectedScalars(jsonl);
    const file = readEventFile(eventFile);
    expect(file.fileVersion).toBe('brain.Event:2');
    expect(file.scalars).toEqual(expected);
    const tags = new Set(expected.map((s) => s.tag));
    for (const tag of [
      'episode/return',
      'episode/length',
      'train/loss',
      'train/mean_q',
      'train/epsilon',
      'train/sps',
      'train/learning_rate',
      'eval/mean_return',
    ]) {
      expect(tags.has(tag), tag).toBe(true);
    }
  });

  it('a damaged byte fails the CRC check', () => {
    const bytes = readFileSync(eventFile);
    bytes[bytes.length - 6] ^= 0xff;
    const broken = join(runDir, 'broken.tfevents');
    writeFileSync(broken, bytes);
    expect(() => readEventFile(broken)).toThrow(/CRC/);
  });

  it('a record with no finite number writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixelrl-tfevents-'));
    const w = new TfEventsWriter(dir);
    w.log({
      kind: 'train',
      step: 5,
      frames: 5,
      timeSeconds: 1,
      loss: Number.NaN,
      sps: Number.POSITIVE_INFINITY,
    });
    w.log({ kind: 'eval', step: 6, frames: 6, timeSeconds: 1, meanReturn: 2.5, stdReturn: 0, episodes: 3 });
    expect(readEventFile(w.path).scalars).toEqual([
      { step: 6, tag: 'eval/mean_return', value: 2.5 },
      { step: 6, tag: 'eval/std_return', value: 0 },
    ]);
  });

  const python =
    spawnSync('python3', ['-c', 'import tensorboard'], { encoding: 'utf8' }).status === 0 ||
    spawnSync('python3', ['-c', 'import tensorflow'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!python)('TensorBoard itself reads the same scalars (Python)', () => {
    const out = spawnSync('python3', [join(import.meta.dirname, 'read_tfevents.py'), eventFile], {
      encoding: 'utf8',
    });
    expect(out.status, out.stderr).toBe(0);
    const read = out.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as EventScalar);
    const expected = expectedScalars(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8'));
    expect(read).toEqual(expected);
  });
});
