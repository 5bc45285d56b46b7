import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRun } from '../../src/viz/metrics.js';
import { paddedDomain, rewardPlotSpec, writeRewardPlot } from '../../src/viz/reward-plot.js';
import { pngSize } from './image-files.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-plot-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tiny run directory as the trainer writes it: 20 episodes, 2 evaluations. */
function makeRun(name: string, algo: string, seed: number): string {
  const run = join(dir, name);
  mkdirSync(run);
  writeFileSync(join(run, 'config.json'), JSON.stringify({ env: 'Catch-v0', algo, seed }));
  const lines: string[] = [];
  for (let e = 1; e <= 20; e++) {
    const rec = {
      kind: 'episode',
      step: 50 * e,
      frames: 200 * e,
      timeSeconds: e,
      return: e % 5,
      length: 50,
      envIndex: 0,
    };
    lines.push(JSON.stringify(rec));
    lines.push(
      JSON.stringify({ kind: 'train', step: 50 * e, frames: 200 * e, timeSeconds: e, loss: 1 / e, sps: 50 }),
    );
    if (e % 10 === 0) {
      const ev = {
        kind: 'eval',
        step: 50 * e,
        frames: 200 * e,
        timeSeconds: e,
        meanReturn: seed,
        stdReturn: 1,
        episodes: 3,
      };
      lines.push(JSON.stringify(ev));
    }
  }
  writeFileSync(join(run, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  return run;
}

const runs = [makeRun('a', 'dqn', 1), makeRun('b', 'dqn', 2), makeRun('c', 'a2c', 3)].map(readRun);

describe('rewardPlotSpec', () => {
  it('groups seeds of one algorithm into a mean line with a band, and draws evals and score rules', () => {
    const spec = rewardPlotSpec(runs, { scores: { random: -1, reference: 4 }, window: 5 }) as unknown as {
      layer: { mark: { type: string }; data: { values: Record<string, unknown>[] } }[];
    };
    const marks = spec.layer.map((l) => l.mark.type);
    expect(marks).toEqual(['circle', 'area', 'line', 'point', 'rule', 'text']);
    const [raw, band, line, evals, rules] = spec.layer.map((l) => l.data.values);
    expect(raw).toHaveLength(60); // every episode of every run
    expect(new Set(band.map((b) => b.group))).toEqual(new Set(['dqn (2 seeds)']));
    expect(new Set(line.map((b) => b.group))).toEqual(new Set(['dqn (2 seeds)', 'a2c']));
    // a2c is one run: its line is its own rolling mean of the last 5 returns, (1+2+3+4+0)/5 at episode 5.
    const a2c = line.filter((p) => p.group === 'a2c');
    // x is in agent steps (step 50 × episode 5), what --steps counts.
    expect(a2c[4]).toEqual({ group: 'a2c', line: 0, x: 250, y: 2 });
    expect(evals).toHaveLength(6);
    expect(rules.map((r) => r.label)).toEqual(['reference 4', 'random -1']);
  });

  it('draws seeds with no frames in common as separate lines, without a band', () => {
    const late = { ...runs[1], episodes: runs[1].episodes.map((e) => ({ ...e, step: e.step + 1e6 })) };
    const spec = rewardPlotSpec([runs[0], late]) as unknown as {
      layer: { mark: { type: string }; data: { values: { line: number }[] } }[];
    };
    expect(spec.layer.map((l) => l.mark.type)).toEqual(['circle', 'line', 'point']);
    expect(new Set(spec.layer[1].data.values.map((p) => p.line))).toEqual(new Set([0, 1]));
  });

  it('puts agent steps on the x axis by default, emulator frames when asked', () => {
    const first = (x?: 'frames') =>
      (
        rewardPlotSpec(runs.slice(0, 1), x ? { x } : {}) as unknown as {
          layer: { data: { values: { x: number }[] }; encoding: { x: { title: string } } }[];
        }
      ).layer[0];
    expect(first().encoding.x.title).toBe('agent steps');
    expect(first().data.values[0].x).toBe(50);
    expect(first('frames').encoding.x.title).toBe('emulator frames');
    expect(first('frames').data.values[0].x).toBe(200);
  });

  it('leaves headroom above the maximum and below the minimum, on every y encoding', () => {
    const spec = rewardPlotSpec(runs, { scores: { random: -1, reference: 4 } }) as unknown as {
      layer: { encoding: { y: { scale: { domain: [number, number] } } } }[];
    };
    const ys = runs.flatMap((r) => [...r.episodes.map((e) => e.return), ...r.evals.map((e) => e.meanReturn)]);
    const hi = Math.max(...ys, 4);
    const lo = Math.min(...ys, -1);
    for (const l of spec.layer) {
      expect(l.encoding.y.scale.domain).toEqual([lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)]);
    }
    expect(paddedDomain(500, 500)).toEqual([475, 525]);
  });

  it('gives the evaluations no legend of their own (it sat beside the "run" legend)', () => {
    const spec = rewardPlotSpec(runs) as unknown as { layer: { encoding: Record<string, unknown> }[] };
    expect(spec.layer.filter((l) => 'shape' in l.encoding)).toEqual([]);
    expect(JSON.stringify(spec)).toContain('diamonds: evaluation');
  });

  it('uses wall time in a readable unit when asked', () => {
    const spec = JSON.stringify(rewardPlotSpec(runs.slice(0, 1), { x: 'time' }));
    expect(spec).toContain('wall time (seconds)');
  });

  it('refuses a run without episodes', () => {
    const empty = { ...runs[0], episodes: [] };
    expect(() => rewardPlotSpec([empty])).toThrow(/has no finished episodes/);
  });
});

describe('writeRewardPlot', () => {
  it('writes SVG, PNG and the spec, with text in the SVG and the PNG at twice the SVG size', async () => {
    const out = join(dir, 'plot');
    const res = await writeRewardPlot(runs, [`${out}.svg`, `${out}.png`, `${out}.json`], {
      scores: { random: -1, reference: 4 },
    });
    expect(res.warnings).toEqual([]);
    const svg = readFileSync(`${out}.svg`, 'utf8');
    for (const text of [
      'agent steps',
      'episode return',
      'dqn (2 seeds)',
      'a2c',
      'reference 4',
      'evaluation',
    ]) {
      expect(svg).toContain(text);
    }
    const w = Number(/<svg[^>]* width="(\d+)"/.exec(svg)?.[1]);
    const h = Number(/<svg[^>]* height="(\d+)"/.exec(svg)?.[1]);
    expect(pngSize(readFileSync(`${out}.png`))).toEqual({ width: 2 * w, height: 2 * h });
    expect(res.pngSize).toEqual({ width: 2 * w, height: 2 * h });
    expect(JSON.parse(readFileSync(`${out}.json`, 'utf8')).$schema).toContain('vega-lite');
  });

  it('refuses an unknown file type before writing anything', async () => {
    await expect(writeRewardPlot(runs, [join(dir, 'p.svg'), join(dir, 'p.jpg')])).rejects.toThrow(
      /\.png, \.svg or \.json/,
    );
  });
});
