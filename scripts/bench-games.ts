/**
 * Benchmarks the bundled pixel games: per game, the mean ± sd episode return of a uniform-random
 * policy and of the game's scripted reference policy (30 episodes each, ALE v5 settings: sticky
 * actions 0.25, frameskip 4, minimal action set, 108000-frame limit), and raw emulator frames per
 * CPU-second with the RGB observation drawn every frame (AtariEnv with frameskip 1, obsType rgb, one
 * step per frame), and of the game alone (tick + draw into palette indices, random actions).
 *
 * The returns are played with AtariEnv.emulateFrame, which is step() without drawing the
 * observation: same frames, same sticky actions, same RNG draws, much faster.
 *
 * Usage: npx tsx scripts/bench-games.ts [--episodes 30] [--ids Pong-v0,Breakout-v0]
 */
import { AtariEnv } from '../envs/atari/atari-env.js';
import { type GameSpec, SCREEN_HEIGHT, SCREEN_WIDTH } from '../envs/atari/game.js';
import { GAMES } from '../envs/games/index.js';
import { Rng } from '../src/util/rng.js';

interface Stats {
  mean: number;
  sd: number;
  meanFrames: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Plays `episodes` episodes; `policy` returns an index into the env's action set. */
function play(spec: GameSpec, episodes: number, seed: number, policy: 'random' | 'reference'): Stats {
  const env = new AtariEnv(spec.create(), { frameskip: 4, repeatActionProbability: 0.25 }, seed);
  const rng = new Rng(seed + 1);
  const returns: number[] = [];
  let frames = 0;
  for (let e = 0; e < episodes; e++) {
    env.reset();
    let total = 0;
    let done = false;
    while (!done) {
      const a = policy === 'random' ? rng.int(env.actionSpace.n) : env.referenceAction();
      for (let f = 0; f < 4 && !done; f++) {
        total += env.emulateFrame(a);
        frames++;
        done = env.isTerminated() || env.isTruncated();
      }
    }
    returns.push(total);
  }
  const mean = returns.reduce((a, b) => a + b, 0) / episodes;
  const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / episodes);
  return { mean, sd, meanFrames: frames / episodes };
}

/**
 * Raw frames per CPU-second with an RGB observation rendered every frame, random actions. Measured
 * in this process's CPU time rather than wall time, so that other work on the machine does not
 * count against it: it is the rate of one core.
 */
function framesPerSecond(spec: GameSpec, seconds: number): number {
  const env = new AtariEnv(spec.create(), { frameskip: 1, obsType: 'rgb' }, 3);
  const rng = new Rng(4);
  env.reset();
  let frames = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (let i = 0; i < 500; i++) {
      const r = env.step(rng.int(env.actionSpace.n));
      frames++;
      if (r.terminated || r.truncated) env.reset();
    }
  }
  const used = process.cpuUsage(cpu);
  return frames / ((used.user + used.system) / 1e6);
}

/** Frames per CPU-second of the game alone: tick + draw into palette indices, no RGB conversion. */
function gameFramesPerSecond(spec: GameSpec, frames: number): number {
  const game = spec.create();
  const rng = new Rng(5);
  const screen = new Uint8Array(SCREEN_WIDTH * SCREEN_HEIGHT);
  game.reset(rng);
  const cpu = process.cpuUsage();
  for (let f = 0; f < frames; f++) {
    game.tick(rng.int(18), rng);
    game.draw(screen);
    if (game.gameOver) game.reset(rng);
  }
  const used = process.cpuUsage(cpu);
  return frames / ((used.user + used.system) / 1e6);
}

const episodes = Number(arg('episodes') ?? 30);
const ids = arg('ids')?.split(',');
const games = GAMES.filter((g) => !ids || ids.includes(g.id));
const fmt = (s: Stats): string => `${s.mean.toFixed(1)} ± ${s.sd.toFixed(1)}`.padEnd(18);

console.log(`episodes per policy: ${episodes}; sticky actions 0.25, frameskip 4, 108000-frame limit`);
console.log(
  `| game | random | reference | random frames/ep | reference frames/ep | raw frames/CPU-s (rgb obs) | game-only frames/CPU-s |\n| --- | --- | --- | --- | --- | --- | --- |`,
);
for (const spec of games) {
  const random = play(spec, episodes, 100, 'random');
  const reference = play(spec, episodes, 200, 'reference');
  const fps = framesPerSecond(spec, 1.5);
  const gameFps = gameFramesPerSecond(spec, 100_000);
  console.log(
    `| ${spec.id.padEnd(17)} | ${fmt(random)} | ${fmt(reference)} | ${random.meanFrames.toFixed(0).padStart(6)} | ${reference.meanFrames.toFixed(0).padStart(6)} | ${fps.toFixed(0).padStart(6)} | ${gameFps.toFixed(0).padStart(7)} |`,
  );
}
