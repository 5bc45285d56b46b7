/**
 * `pixelrl tsne` on a tiny Catch-v0 run trained here: the map, the embedding files with the
 * expected number of points, the value-over-an-episode plot, UMAP, and errors; and the agent
 * policy behind it (the feature model's Q-values are the agent's).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentPolicy, maxValue, openAgentRun } from '../../src/cli/commands/agent-policy.js';
import { tsneCommand } from '../../src/cli/commands/tsne.js';
import { Rng } from '../../src/util/rng.js';
import { pngSize } from '../viz/image-files.js';
import { runCommands, trainTinyCatch } from './viewer-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-tsne-'));
let run = '';
beforeAll(async () => {
  run = await trainTinyCatch(dir);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tsne = (...args: string[]) => runCommands([tsneCommand()], ['tsne', ...args]);

describe('pixelrl tsne', () => {
  it('embeds 30 recorded states and writes the map, the data and the value plot', async () => {
    const files = ['map.png', 'map.svg', 'emb.csv', 'emb.json', 'value.png'].map((f) => join(dir, f));
    const r = await tsne(
      run,
      '--steps',
      '60',
      '--points',
      '30',
      '--iterations',
      '100',
      '--max-episode-steps',
      '50',
      '-o',
      files[0],
      '-o',
      files[1],
      '-o',
      files[2],
      '-o',
      files[3],
      '--value-plot',
      files[4],
      '--backend',
      'cpu',
    );
    expect(r.code, r.err).toBe(0);
    // The tiny net's last hidden layer has 16 units.
    expect(r.out).toMatch(
      /played 60 steps of Catch-v0 in [\d.]+ s; embedding 30 states of 16 features with tsne/,
    );
    expect(r.out).toMatch(/embedded 30 points in/);
    expect(r.out).toContain(`wrote ${files[4]}: V(s) over episode 1 (50 steps)`);
    const csv = readFileSync(files[2], 'utf8').trim().split('\n');
    expect(csv).toHaveLength(31);
    expect(csv[0]).toBe('index,x,y,value,episode,step,action');
    const json = JSON.parse(readFileSync(files[3], 'utf8')) as { points: unknown[] };
    expect(json.points).toHaveLength(30);
    expect(readFileSync(files[1], 'utf8').match(/<image /g)).toHaveLength(6); // thumbnails
    const map = pngSize(readFileSync(files[0]));
    expect(map.width).toBeGreaterThan(map.height); // map and colour bar side by side
    const value = pngSize(readFileSync(files[4]));
    expect(value.width).toBeGreaterThan(1000);
  });

  it('embeds with UMAP and skips the value plot on request', async () => {
    const csv = join(dir, 'umap.csv');
    const r = await tsne(
      run,
      '--method',
      'umap',
      '--steps',
      '40',
      '--points',
      '40',
      '--iterations',
      '50',
      '-o',
      csv,
      '--no-value-plot',
    );
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('with umap');
    expect(r.out).not.toContain('V(s) over episode');
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(41);
  });

  it('writes only the files asked for: no value-episode.png in the working directory by default', async () => {
    // Issue 14, defect 9: value-episode.png appeared in the working directory unasked.
    const here = mkdtempSync(join(tmpdir(), 'pixelrl-tsne-cwd-'));
    const cwd = process.cwd();
    process.chdir(here);
    try {
      const r = await tsne(
        run,
        '--steps',
        '40',
        '--points',
        '30',
        '--iterations',
        '50',
        '-o',
        join(dir, 'only.csv'),
      );
      expect(r.code, r.err).toBe(0);
      expect(readdirSync(here)).toEqual([]);
    } finally {
      process.chdir(cwd);
      rmSync(here, { recursive: true, force: true });
    }
  });

  it('says what is wrong with bad arguments and malformed runs (exit code 2)', async () => {
    const bad = join(dir, 'bad-run');
    mkdirSync(bad);
    writeFileSync(join(bad, 'config.json'), '[]');
    const cases: [string[], RegExp][] = [
      [[bad], new RegExp(`cannot load an agent from ${bad}:`)],
      [[run, '-o', join(dir, 'map.jpg')], /cannot write .*map\.jpg: use \.png, \.svg, \.csv or \.json/],
      [[run, '--value-plot', join(dir, 'v.csv')], /cannot write the value plot .*v\.csv: use \.png or \.svg/],
      [[run, '--steps', '3'], /--steps must be an integer >= 4/],
      [[run, '--method', 'pca'], /Allowed choices are tsne, umap/],
    ];
    for (const [args, message] of cases) {
      const r = await tsne(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
  });
});

describe('AgentPolicy', () => {
  it('gives the same Q-values with and without the feature model, over a played stretch', async () => {
    const loaded = await openAgentRun(run, 0);
    try {
      const plain = new AgentPolicy(loaded.agent);
      const withFeatures = new AgentPolicy(loaded.agent, { features: true });
      expect(withFeatures.featureDim).toBe(16);
      const env = loaded.makeEnv(3);
      const rng = new Rng(4);
      let { obs } = env.reset({ seed: 3 });
      for (let step = 0; step < 25; step++) {
        const a = plain.policy(obs, step);
        const b = withFeatures.policy(obs, step);
        expect(b.action).toBe(a.action);
        const qa = Array.from(a.values ?? []);
        const qb = Array.from(b.values ?? []);
        for (let i = 0; i < qa.length; i++) expect(qb[i]).toBeCloseTo(qa[i], 4);
        expect(maxValue(qb)).toBe(Math.max(...qb));
        expect(withFeatures.last?.features).toHaveLength(16);
        obs = env.step(rng.int(3)).obs;
      }
      env.close();
    } finally {
      loaded.agent.dispose();
    }
  });
});
