/**
 * Renders sample outputs of src/viz into docs/viz/ from synthetic data, to look at them:
 *   npx tsx scripts/render-viz-samples.ts [outDir]
 *
 * - reward-curve.png/.svg: three fake "dqn" seeds (mean + min–max band) and one "a2c" run,
 *   with evaluations and Catch-v0's random/reference scores;
 * - catch-episode.png (APNG) / .gif and catch-frame.png: Catch-v0 played by its reference policy,
 *   with a side panel of made-up action values;
 * - tsne-map.png/.svg and tsne-embedding.csv: t-SNE of downsampled Catch screens, coloured by
 *   the discounted return actually obtained from each state (a stand-in for an agent's V(s));
 * - value-episode.png: that value along one episode, with its peaks and dips;
 * - terminal.txt: one frame as 24-bit ANSI text (`cat docs/viz/terminal.txt` in a terminal).
 * Prints the time each one took.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import UPNG from 'upng-js';
import type { RgbFrame } from '../envs/core.js';
import { createRegistry } from '../envs/registry.js';
import { Rng } from '../src/util/rng.js';
import { type AnimationFrame, writeAnimation } from '../src/viz/animation.js';
import { embed } from '../src/viz/embedding.js';
import { writeEmbedding } from '../src/viz/embedding-io.js';
import type { EpisodeRecord, EvalRecord, RunMetrics } from '../src/viz/metrics.js';
import { playEpisodes, referencePolicy } from '../src/viz/playback.js';
import { writeRewardPlot } from '../src/viz/reward-plot.js';
import { formatStatus, frameToAnsi } from '../src/viz/terminal.js';
import { writeEmbeddingPlot } from '../src/viz/tsne-plot.js';
import { writeValueEpisodePlot } from '../src/viz/value-plot.js';

const out = process.argv[2] ?? 'docs/viz';

/** A learning curve that rises from -15 towards +15 at a seed-dependent rate, with noise. */
function fakeRun(algo: string, seed: number, rateFrames: number): RunMetrics {
  const rng = new Rng(seed);
  const episodes: EpisodeRecord[] = [];
  const evals: EvalRecord[] = [];
  let frames = 0;
  let step = 0;
  let time = 0;
  for (let e = 0; e < 300; e++) {
    const length = 100 + rng.int(100);
    step += length;
    frames += length * 4;
    time += length / 400;
    const progress = 1 - Math.exp(-frames / rateFrames);
    const ret = -15 + 30 * progress + rng.normal() * 4;
    episodes.push({ kind: 'episode', step, frames, timeSeconds: time, return: ret, length, envIndex: 0 });
    if (e % 30 === 29) {
      const meanReturn = -15 + 31 * progress + rng.normal();
      evals.push({ kind: 'eval', step, frames, timeSeconds: time, meanReturn, stdReturn: 2, episodes: 10 });
    }
  }
  return { dir: `fake/${algo}-${seed}`, config: { env: 'Catch-v0', algo, seed }, episodes, train: [], evals };
}

/** Plays Catch-v0 with its reference policy (ε = 0.2) and keeps what the figures need. */
function playCatch(steps: number, seed: number) {
  const registry = createRegistry();
  const env = registry.make('Catch-v0', { obsType: 'rgb' }, seed);
  const frames: RgbFrame[] = [];
  const rewards: number[] = [];
  const actions: number[] = [];
  const episodeStarts: number[] = [];
  const play = playEpisodes(env, referencePolicy(env), {
    rng: new Rng(seed),
    seed,
    epsilon: 0.2,
    episodes: 100,
  });
  for (const s of play) {
    if (s.step === 0) episodeStarts.push(frames.length);
    frames.push(s.frame);
    rewards.push(s.reward);
    actions.push(s.action);
    if (frames.length === steps) break;
  }
  return { frames, rewards, actions, episodeStarts, actionNames: env.actionMeanings ?? [] };
}

/** Discounted return from each step to the end of its episode. */
function discountedReturns(rewards: number[], starts: number[], gamma: number): Float32Array {
  const v = new Float32Array(rewards.length);
  const ends = [...starts.slice(1), rewards.length];
  for (let e = 0; e < starts.length; e++) {
    let g = 0;
    for (let t = ends[e] - 1; t >= starts[e]; t--) {
      g = rewards[t] + gamma * g;
      v[t] = g;
    }
  }
  return v;
}

/** The screen area-averaged 8x8 → 20x26 grey values: a crude stand-in for a hidden layer. */
function screenFeatures(frame: RgbFrame): Float32Array {
  const w = Math.floor(frame.width / 8);
  const h = Math.floor(frame.height / 8);
  const f = new Float32Array(w * h);
  for (let y = 0; y < h * 8; y++) {
    for (let x = 0; x < w * 8; x++) {
      const i = (y * frame.width + x) * 3;
      f[Math.floor(y / 8) * w + Math.floor(x / 8)] +=
        (frame.data[i] + frame.data[i + 1] + frame.data[i + 2]) / (3 * 64 * 255);
    }
  }
  return f;
}

async function timed<T>(name: string, fn: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await fn();
  console.log(`${name.padEnd(22)} ${(performance.now() - t0).toFixed(0).padStart(6)} ms`);
  return result;
}

const runs = [
  fakeRun('dqn', 1, 40000),
  fakeRun('dqn', 2, 50000),
  fakeRun('dqn', 3, 45000),
  fakeRun('a2c', 4, 90000),
];
const game = playCatch(1200, 7);
await timed('reward curve', () =>
  // The runs are made up, so are these scores (the CLI takes them from the env's registry entry).
  writeRewardPlot(runs, [join(out, 'reward-curve.png'), join(out, 'reward-curve.svg')], {
    scores: { random: -14.2, reference: 15.3 },
  }),
);

const episodeEnd = game.episodeStarts[1] ?? game.frames.length;
const values = discountedReturns(game.rewards, game.episodeStarts, 0.97);
// Made-up Q-values: the discounted return, plus a bonus for the action actually taken.
const qOf = (t: number): number[] =>
  [0, 1, 2].map((a) => values[t] + (a === game.actions[t] ? 0.3 : -0.2 * a));
function* episodeFrames(): Generator<AnimationFrame> {
  for (let t = 0; t < episodeEnd; t++)
    yield { frame: game.frames[t], panel: { values: qOf(t), chosen: game.actions[t] } };
}
const panel = { actionNames: game.actionNames, kind: 'values' as const };
const apng = await timed('APNG animation', () =>
  writeAnimation(episodeFrames(), join(out, 'catch-episode.png'), { panel, scale: 2, maxFrames: 150 }),
);
await timed('GIF animation', () =>
  writeAnimation(episodeFrames(), join(out, 'catch-episode.gif'), { panel, scale: 2, maxFrames: 60 }),
);
// One frame of the APNG, decoded back, as a still image to look at.
const bytes = readFileSync(join(out, 'catch-episode.png'));
const decoded = UPNG.decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
const still = UPNG.toRGBA8(decoded)[Math.min(120, decoded.frames.length - 1)];
writeFileSync(
  join(out, 'catch-frame.png'),
  Buffer.from(UPNG.encode([still], decoded.width, decoded.height, 0)),
);
console.log(
  `  APNG: ${apng.frames} frames, ${apng.width}x${apng.height}, ${(bytes.length / 1024).toFixed(0)} KiB`,
);

const n = 1000;
const dim = screenFeatures(game.frames[0]).length;
const features = new Float32Array(n * dim);
for (let i = 0; i < n; i++) features.set(screenFeatures(game.frames[i]), i * dim);
const points = await timed(`t-SNE ${n}x${dim}`, () =>
  embed(features, n, dim, { method: 'tsne', rng: new Rng(1) }),
);
const v = values.subarray(0, n);
await timed('t-SNE figure', () =>
  writeEmbeddingPlot(
    { points, values: v, frames: game.frames, valueLabel: 'V(s): discounted return (γ = 0.97)' },
    [join(out, 'tsne-map.png'), join(out, 'tsne-map.svg')],
  ),
);
writeEmbedding(
  { points, values: v, method: 'tsne', columns: { action: game.actions.slice(0, n) } },
  join(out, 'tsne-embedding.csv'),
);
await timed('value-over-episode', () =>
  writeValueEpisodePlot(
    {
      values: values.subarray(0, episodeEnd),
      rewards: game.rewards.slice(0, episodeEnd),
      frames: game.frames,
      valueLabel: 'V(s): discounted return (γ = 0.97)',
    },
    [join(out, 'value-episode.png')],
  ),
);
const status = formatStatus({
  episode: 1,
  step: 40,
  score: 1,
  lives: 3,
  values: qOf(40),
  actionNames: game.actionNames,
  chosen: game.actions[40],
});
writeFileSync(join(out, 'terminal.txt'), `${frameToAnsi(game.frames[40], { columns: 80 })}${status}\n`);
console.log(`wrote the samples to ${out}/`);
