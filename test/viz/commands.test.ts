/**
 * The library calls behind `pixelrl play`, `plot` and `tsne`, end to end on tiny inputs made here:
 * files written, their sizes and image dimensions, embedding sizes, and errors for bad run dirs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import UPNG from 'upng-js';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../envs/registry.js';
import { Rng } from '../../src/util/rng.js';
import { playInTerminal, playToFile } from '../../src/viz/play.js';
import { playEpisodes, randomPolicy, referencePolicy } from '../../src/viz/playback.js';
import { plotRuns, writeEmbeddingReport } from '../../src/viz/reports.js';
import { StateRecorder } from '../../src/viz/state-recorder.js';
import { gifInfo, pngSize } from './image-files.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const registry = createRegistry();

function tinyRun(name: string, seed: number, metrics?: string): string {
  const run = join(dir, name);
  mkdirSync(run);
  writeFileSync(join(run, 'config.json'), JSON.stringify({ env: 'Catch-v0', algo: 'dqn', seed }));
  const lines = Array.from({ length: 8 }, (_, e) =>
    JSON.stringify({
      kind: 'episode',
      step: 100 * (e + 1),
      frames: 400 * (e + 1),
      timeSeconds: e,
      return: e,
      length: 100,
      envIndex: 0,
    }),
  );
  writeFileSync(join(run, 'metrics.jsonl'), metrics ?? `${lines.join('\n')}\n`);
  return run;
}

describe('plot', () => {
  it('draws several runs to PNG and SVG', async () => {
    const runs = [tinyRun('s1', 1), tinyRun('s2', 2)];
    const res = await plotRuns(runs, [join(dir, 'curve.png'), join(dir, 'curve.svg')]);
    const png = pngSize(readFileSync(join(dir, 'curve.png')));
    expect(png).toEqual(res.pngSize);
    expect(png.width).toBeGreaterThan(1000); // a 640 px plot area at 2x, plus axes and titles
    expect(readFileSync(join(dir, 'curve.svg'), 'utf8')).toContain('dqn (2 seeds)');
  });

  it('names the file and line of a malformed run directory', async () => {
    const bad = tinyRun('bad', 3, '{"kind":"episode","step":1}\n');
    await expect(plotRuns([bad], [join(dir, 'x.png')])).rejects.toThrow(
      `${join(bad, 'metrics.jsonl')} line 1: a "episode" record needs a finite number "frames"`,
    );
    await expect(plotRuns([join(dir, 'missing')], [join(dir, 'x.png')])).rejects.toThrow(/does not exist/);
  });
});

describe('tsne', () => {
  it('embeds the recorded states and writes the map and the data', () => {
    const env = registry.make('Catch-v0');
    const rec = new StateRecorder({ capacity: 30, dim: 4, rng: new Rng(1) });
    for (const s of playEpisodes(env, referencePolicy(env), { rng: new Rng(1), seed: 1, maxSteps: 45 })) {
      // Stand-in "activations": a few numbers that vary with the step.
      rec.add([Math.sin(s.step), Math.cos(s.step), s.step / 45, s.reward], s.step / 45, s.frame, s);
    }
    expect(rec.size).toBe(30);
    const outputs = ['map.png', 'map.svg', 'emb.csv', 'emb.json'].map((f) => join(dir, f));
    const points = writeEmbeddingReport(rec, { rng: new Rng(2), outputs, iterations: 100 });
    expect(points).toHaveLength(60);
    const csv = readFileSync(join(dir, 'emb.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(31);
    expect(csv[0]).toBe('index,x,y,value,episode,step,action');
    expect(JSON.parse(readFileSync(join(dir, 'emb.json'), 'utf8')).points).toHaveLength(30);
    expect(readFileSync(join(dir, 'map.svg'), 'utf8').match(/<image /g)).toHaveLength(6);
    const { width, height } = pngSize(readFileSync(join(dir, 'map.png')));
    expect(width).toBeGreaterThan(height);
  });

  it('says when too few states were recorded', () => {
    const rec = new StateRecorder({ capacity: 5, dim: 2, rng: new Rng(0) });
    rec.add([0, 1], 0);
    expect(() => writeEmbeddingReport(rec, { rng: new Rng(0), outputs: [join(dir, 'e.csv')] })).toThrow(
      /only 1 states were recorded/,
    );
  });
});

describe('play', () => {
  it('writes an APNG of every step, and a GIF with a side panel', async () => {
    const env = registry.make('Catch-v0');
    const path = join(dir, 'ep.png');
    const res = await playToFile(
      env,
      referencePolicy(env),
      path,
      { rng: new Rng(0), seed: 0, maxSteps: 20 },
      { scale: 1 },
    );
    expect(res.frames).toBe(20);
    expect(res.episodes).toEqual([{ episode: 1, return: expect.any(Number), steps: 20 }]);
    const bytes = readFileSync(path);
    expect(
      UPNG.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)).tabs.acTL
        ?.num_frames,
    ).toBeLessThanOrEqual(20);
    expect(pngSize(bytes)).toEqual({ width: 160, height: 210 });

    const rng = new Rng(1);
    const random = randomPolicy(env, rng);
    const withProbs = () => ({ ...random(null, 0), values: [0.2, 0.5, 0.3] });
    const gif = join(dir, 'ep.gif');
    await playToFile(env, withProbs, gif, { rng, maxSteps: 6 }, { scale: 2, panel: 'policy' });
    expect(gifInfo(readFileSync(gif))).toEqual({ width: 320 + 220, height: 420, frames: 6 });
  });

  it('draws in the terminal with a status line', async () => {
    const env = registry.make('Catch-v0');
    const parts: string[] = [];
    const summaries = await playInTerminal(
      env,
      referencePolicy(env),
      { rng: new Rng(0), seed: 0, maxSteps: 3 },
      { out: { write: (s: string) => parts.push(s) }, columns: 40, now: () => 0, sleep: async () => {} },
    );
    expect(summaries).toEqual([{ episode: 1, return: 0, steps: 3 }]);
    const text = parts.join('');
    expect(text).toContain('ep 1  step 2  score 0  lives 3');
    expect(text).toContain('\x1b[38;2;');
    expect(text.endsWith('\x1b[0m\x1b[?25h')).toBe(true);
  });

  it('stops when asked after the current frame, and labels policy values π', async () => {
    const env = registry.make('Catch-v0');
    const rng = new Rng(2);
    const random = randomPolicy(env, rng);
    const withProbs = () => ({ ...random(null, 0), values: [0.2, 0.5, 0.3] });
    const parts: string[] = [];
    let frames = 0;
    const summaries = await playInTerminal(
      env,
      withProbs,
      { rng, seed: 0, maxSteps: 50 },
      { out: { write: (s: string) => parts.push(s) }, columns: 40, now: () => 0, sleep: async () => {} },
      { valuesKind: 'policy', shouldStop: () => ++frames >= 2 },
    );
    expect(frames).toBe(2);
    expect(summaries).toEqual([]);
    const text = parts.join('');
    expect(text).toContain('π: ');
    expect(text).toContain('step 1 ');
    expect(text).not.toContain('step 2 ');
  });
});
