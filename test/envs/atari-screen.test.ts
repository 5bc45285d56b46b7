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
