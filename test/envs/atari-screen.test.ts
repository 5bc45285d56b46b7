import { describe, expect, it } from 'vitest';
import { AtariEnv } from '../../envs/atari/atari-env.js';
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../../envs/atari/game.js';
import { PALETTE_GRAY, PALETTE_RGB } from '../../envs/atari/palette.js';
import { GAMES } from '../../envs/games/index.js';

const PIXELS = SCREEN_WIDTH * SCREEN_HEIGHT;

describe('AtariEnv screen conversion', () => {
  for (const spec of GAMES) {
    it(`${spec.id}: word-at-a-time RGB and grayscale equal the palette lookup, aligned or not`, () => {
      const game = spec.create();
      const env = new AtariEnv(game, { frameskip: 1 });
      env.reset({ seed: 3 });
      for (let t = 0; t < 200; t++) env.step(t % env.actionSpace.n);
      const indices = new Uint8Array(PIXELS);
      game.draw(indices);
      const rgb = env.rgbScreen(new Uint8Array(PIXELS * 3));
      const gray = env.grayscaleScreen(new Uint8Array(PIXELS));
      // A view at byte offset 1 takes the byte-by-byte path.
      const rgbOdd = env.rgbScreen(new Uint8Array(PIXELS * 3 + 1).subarray(1));
      const grayOdd = env.grayscaleScreen(new Uint8Array(PIXELS + 1).subarray(1));
      for (let i = 0; i < PIXELS; i++) {
        const c = indices[i];
        for (let k = 0; k < 3; k++) {
          if (rgb[i * 3 + k] !== PALETTE_RGB[c * 3 + k] || rgbOdd[i * 3 + k] !== rgb[i * 3 + k]) {
            throw new Error(`pixel ${i} channel ${k} differs`);
          }
        }
        if (gray[i] !== PALETTE_GRAY[c] || grayOdd[i] !== gray[i]) throw new Error(`gray pixel ${i} differs`);
      }
      expect(new Set(indices).size).toBeGreaterThan(1);
    });
  }
});

describe('AtariEnv episode end', () => {
  it('refuses step() after game over until reset()', () => {
    const spec = GAMES[0];
    const env = new AtariEnv(spec.create(), { frameskip: 4, repeatActionProbability: 0 });
    env.reset({ seed: 1 });
    let done = false;
    for (let t = 0; t < 100_000 && !done; t++) done = env.step(0).terminated;
    expect(done).toBe(true);
    expect(() => env.step(0)).toThrow(/call reset\(\) before step\(\)/);
    env.reset();
    expect(() => env.step(0)).not.toThrow();
  });
});
