/**
 * `pixelrl plot` on a tiny Catch-v0 run trained here and a second seed written by hand: PNG/SVG
 * files and their sizes, seeds as a band, score lines, and clear errors for bad run directories.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plotCommand, scoreLines, scoresArg } from '../../src/cli/commands/plot.js';
import { pngSize } from '../viz/image-files.js';
import { runCommands, trainTinyCatch } from './viewer-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-plot-'));
let run = '';
beforeAll(async () => {
  run = await trainTinyCatch(dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plot = (...args: string[]) => runCommands([plotCommand()], ['plot', ...args]);

/** A run directory written by hand: `episodes` game episodes of Catch-v0 with an evaluation. */
function handRun(name: string, seed: number, metrics?: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  writeFileSync(
    join(d, 'config.json'),
    JSON.stringify({ format: 'pixelrl-run', env: 'Catch-v0', algo: 'dqn', seed }),
  );
  const lines = Array.from({ length: 6 }, (_, e) =>
    JSON.stringify({
      kind: 'episode',
      step: 70 * (e + 1),
      frames: 280 * (e + 1),
      timeSeconds: e,
      return: e - 3,
      length: 70,
      envIndex: 0,
    }),
  );
  lines.push(
    JSON.stringify({
      kind: 'eval',
      step: 400,
      frames: 1600,
      timeSeconds: 6,
      meanReturn: 1,
      stdReturn: 0.5,
      episodes: 2,
    }),
  );
  writeFileSync(join(d, 'metrics.jsonl'), metrics ?? `${lines.join('\n')}\n`);
  return d;
}

describe('pixelrl plot', () => {
  it('draws two seeds of one algorithm as a band, to PNG and SVG', async () => {
    const seed1 = handRun('seed1', 1);
    const png = join(dir, 'curve.png');
    const svg = join(dir, 'curve.svg');
    const r = await plot(run, seed1, '--out', png, '--out', svg, '--scores', '-2.6,15.9');
    expect(r.code).toBe(0);
    const size = pngSize(readFileSync(png));
    expect(r.out).toContain(`wrote ${png}, ${svg} (PNG ${size.width}x${size.height})`);
    expect(size.width).toBeGreaterThan(1000); // a 640-px plot area at 2x, plus axes and legend
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('dqn (2 seeds)');
    expect(text).toContain('reference 15.9');
    expect(text).toContain('random -2.6');
  });

  it("labels runs, plots against wall time, and draws the registry's score lines", async () => {
    const other = handRun('other', 2);
    const svg = join(dir, 'time.svg');
    const r = await plot(run, other, '--label', 'tiny', '--label', 'hand', '--x', 'time', '-o', svg);
    expect(r.code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toContain('hand');
    expect(text).toContain('tiny');
    expect(text).toMatch(/wall time \(seconds\)/i);
    expect(text).toContain('reference 19.7');
  });

  it('reads score lines from the registry when every run has the same env', () => {
    expect(scoreLines(['Pong-v0', 'Pong-v0'])).toEqual({ random: -20.3, reference: 18.7 });
    expect(scoreLines(['Pong-v0', 'Breakout-v0'])).toBeUndefined();
    expect(scoreLines(['CartPole-v1'])).toBeUndefined();
    expect(scoresArg(' -1, 2.5')).toEqual({ random: -1, reference: 2.5 });
    expect(() => scoresArg('3')).toThrow(/two different numbers: random,reference/);
  });
});

describe('pixelrl plot: bad arguments', () => {
  it('names the file and line of a malformed run directory, or the missing folder', async () => {
    const bad = handRun('bad', 3, '{"kind":"episode","step":1}\n');
    const r = await plot(bad, '--out', join(dir, 'x.png'));
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${join(bad, 'metrics.jsonl')} line 1: a "episode" record needs a finite number "frames"`,
    );
    const missing = await plot(join(dir, 'nope'), '--out', join(dir, 'x.png'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/run directory .*nope does not exist/);
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const e = await plot(empty, '--out', join(dir, 'x.png'));
    expect(e.err).toMatch(/config\.json is missing|metrics\.jsonl is missing/);
  });

  it('refuses unknown output types and a wrong number of labels', async () => {
    const a = await plot(run, '--out', join(dir, 'x.jpg'));
    expect(a.code).toBe(2);
    expect(a.err).toContain('use .png, .svg or .json file names');
    const b = await plot(run, '--label', 'a', '--label', 'b', '--out', join(dir, 'x.svg'));
    expect(b.code).toBe(2);
    expect(b.err).toContain('2 --label for 1 runs');
  });
});
