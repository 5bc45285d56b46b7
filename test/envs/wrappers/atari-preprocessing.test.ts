import { describe, expect, it } from 'vitest';
import { AtariEnv } from '../../../envs/atari/atari-env.js';
import { fillRect } from '../../../envs/atari/draw.js';
import { type Game, SCREEN_HEIGHT, SCREEN_WIDTH } from '../../../envs/atari/game.js';
import { colour, PALETTE_GRAY, PALETTE_RGB } from '../../../envs/atari/palette.js';
import { CatchGame } from '../../../envs/games/catch.js';
import { maxPool } from '../../../envs/preprocess/max-pool.js';
import { AreaResizer } from '../../../envs/preprocess/resize-area.js';
import { AtariPreprocessing } from '../../../envs/wrappers/atari-preprocessing.js';
import { Rng } from '../../../src/util/rng.js';

const BG = colour(0, 0);
const A = colour(0, 7);
const B = colour(3, 4);

/**
 * Blinker: on odd frames the top half (rows 0–104) is lit in A, on even frames the bottom half in B,
 * like a game that draws its sprites on alternate frames. Frame t rewards t; the game ends at frame `end`.
 */
class Blinker implements Game {
  readonly minimalActions = ['NOOP', 'FIRE'] as const;
  t = 0;
  constructor(readonly end: number) {}
  get gameOver(): boolean {
    return this.t >= this.end;
  }
  get lives(): number {
    return 1;
  }
  reset(): void {
    this.t = 0;
  }
  tick(): number {
    this.t++;
    return this.t;
  }
  draw(screen: Uint8Array): void {
    screen.fill(BG);
    if (this.t % 2 === 1) fillRect(screen, 0, 0, SCREEN_WIDTH, 105, A);
    else fillRect(screen, 0, 105, SCREEN_WIDTH, 105, B);
  }
  getState(): number {
    return this.t;
  }
  setState(s: unknown): void {
    this.t = s as number;
  }
  referenceAction(): number {
    return 0;
  }
}

function blinker(end: number, options = {}): AtariPreprocessing {
  const env = new AtariEnv(new Blinker(end), { frameskip: 1, repeatActionProbability: 0 });
  return new AtariPreprocessing(env, options);
}

/** The rows of an 84x84 frame, each summarized as its single value (they are uniform here). */
function rowValues(obs: Uint8Array): number[] {
  const rows: number[] = [];
  for (let y = 0; y < 84; y++) {
    const row = obs.subarray(y * 84, y * 84 + 84);
    expect(row.every((v) => v === row[0])).toBe(true);
    rows.push(row[0]);
  }
  return rows;
}

describe('AtariPreprocessing (φ)', () => {
  it('max-pools the last two frames of a skip, so sprites drawn on alternate frames both show', () => {
    const env = blinker(100);
    expect(env.observationSpace.toString()).toBe('Box(0, 255, [84,84], uint8)');
    const gA = PALETTE_GRAY[A];
    const gB = PALETTE_GRAY[B];
    const gBg = PALETTE_GRAY[BG];
    expect(gBg).toBeLessThan(Math.min(gA, gB));
    // Reset shows frame 0 (even: bottom lit). 210 rows → 84: output row y covers source rows 2.5y…2.5y+2.5,
    // so rows 0–41 are the top half and 42–83 the bottom half exactly.
    const top = (v: number): number[] => Array(42).fill(v);
    expect(rowValues(env.reset().obs)).toEqual([...top(gBg), ...top(gB)]);
    // Frames 1–4: frame 4 lights the bottom, frame 3 the top; their max lights both. Rewards 1+2+3+4.
    const r = env.step(0);
    expect(r.reward).toBe(10);
    expect(rowValues(r.obs)).toEqual([...top(gA), ...top(gB)]);
    expect(r.info.episodeFrameNumber).toBe(4);
  });

  it('stops the skip at game over, and then shows the final frame alone', () => {
    const env = blinker(6);
    env.reset();
    env.step(0); // frames 1–4
    const r = env.step(0); // frames 5, 6: game over at 6
    expect(r.terminated).toBe(true);
    expect(r.reward).toBe(5 + 6);
    expect(r.info.episodeFrameNumber).toBe(6);
    // Frame 6 alone (bottom lit); pooling with frame 4 (not the frame before 6) would be wrong.
    expect(rowValues(r.obs)).toEqual([
      ...Array(42).fill(PALETTE_GRAY[BG]),
      ...Array(42).fill(PALETTE_GRAY[B]),
    ]);
    expect(() => env.step(0)).toThrow(/call reset\(\) before step\(\)/);
  });

  it('gives RGB [h, w, 3] when grayscale is false, and any smaller size', () => {
    const env = blinker(100, { grayscale: false, screenSize: [16, 21] });
    expect(env.observationSpace.toString()).toBe('Box(0, 255, [21,16,3], uint8)');
    const obs = env.reset().obs;
    // 210 → 21 rows is an exact 10:1 block: rows 0–9 are background, 10 is mixed, 11–20 are colour B.
    const px = (y: number): number[] => Array.from(obs.subarray(y * 48, y * 48 + 3));
    expect(px(0)).toEqual(Array.from(PALETTE_RGB.subarray(BG * 3, BG * 3 + 3)));
    expect(px(20)).toEqual(Array.from(PALETTE_RGB.subarray(B * 3, B * 3 + 3)));
  });

  it('equals max → resize of the last two grayscale screens, frame for frame, on a real game', () => {
    const seed = 17;
    const phi = new AtariPreprocessing(new AtariEnv(new CatchGame(), { frameskip: 1 }, seed));
    const twin = new AtariEnv(new CatchGame(), { frameskip: 1 }, seed);
    const resizer = new AreaResizer({ srcWidth: 160, srcHeight: 210, dstWidth: 84, dstHeight: 84 });
    const [s1, s2, pooled] = [0, 0, 0].map(() => new Uint8Array(SCREEN_WIDTH * SCREEN_HEIGHT));
    const out = new Uint8Array(84 * 84);
    const rng = new Rng(5);
    phi.reset({ seed });
    twin.reset({ seed });
    let steps = 0;
    for (let step = 0; step < 150; step++, steps++) {
      const a = rng.int(3);
      const r = phi.step(a);
      let reward = 0;
      let endedInSkip = false;
      for (let f = 0; f < 4 && !endedInSkip; f++) {
        reward += twin.emulateFrame(a);
        if (f === 2) twin.grayscaleScreen(s2);
        endedInSkip = twin.isTerminated() && f < 3;
      }
      expect(r.reward).toBe(reward);
      if (endedInSkip) break; // the final frame alone is tested above
      twin.grayscaleScreen(s1);
      expect(Buffer.from(r.obs).equals(resizer.resize(maxPool(s1, s2, pooled), out))).toBe(true);
      if (r.terminated) break;
    }
    expect(steps).toBeGreaterThan(40);
  });

  it('refuses an AtariEnv that skips frames itself, and bad options', () => {
    const skipping = new AtariEnv(new CatchGame(), { frameskip: 4 });
    expect(() => new AtariPreprocessing(skipping)).toThrow(
      /skips frames itself: make its AtariEnv with frameskip 1 \(got 4\)/,
    );
    const env = new AtariEnv(new CatchGame(), { frameskip: 1 });
    expect(() => new AtariPreprocessing(env, { frameskip: 0 })).toThrow(
      /frameskip must be an integer >= 1, got 0/,
    );
    expect(() => new AtariPreprocessing(env, { screenSize: 300 })).toThrow(
      /screenSize must be .* at most 160x210/,
    );
  });
});
