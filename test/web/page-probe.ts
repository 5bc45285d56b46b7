/**
 * Reading the exported page from a browser test: the player's snapshot, and what its game canvas
 * shows (whether it is blank, where Catch's paddle is), through puppeteer's page.evaluate.
 */
import type { Page } from 'puppeteer-core';
import { colour, PALETTE_RGB } from '../../envs/atari/palette.js';
import type { PlayerSnapshot } from '../../src/web/page/player.js';

export async function snapshot(page: Page): Promise<PlayerSnapshot> {
  const s = await page.evaluate(() => window.pixelrl?.snapshot() ?? null);
  if (!s)
    throw new Error(
      `the page has no player: ${await page.evaluate(() => window.pixelrl?.error ?? 'no hook')}`,
    );
  return s;
}

/** Waits until the player has taken `steps` actions since its reset. */
export async function waitForSteps(page: Page, steps: number, timeoutMs = 60_000): Promise<PlayerSnapshot> {
  await page.waitForFunction(
    (n: number) => window.pixelrl?.error || (window.pixelrl?.snapshot()?.actions.length ?? 0) >= n,
    { timeout: timeoutMs, polling: 50 },
    steps,
  );
  return snapshot(page);
}

/** Distinct colours on the game canvas, and the share of pixels unlike the top-left one. */
export async function canvasStats(page: Page): Promise<{ colours: number; nonBackground: number }> {
  return page.evaluate(() => {
    const c = document.querySelector('.pr-game') as HTMLCanvasElement;
    const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    let other = 0;
    const bg = (d[0] << 16) | (d[1] << 8) | d[2];
    for (let i = 0; i < d.length; i += 4) {
      const rgb = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      seen.add(rgb);
      if (rgb !== bg) other++;
    }
    return { colours: seen.size, nonBackground: other / (d.length / 4) };
  });
}

/** Catch-v0's paddle colour (envs/games/catch.ts: colour(2, 5)) and row (y 190–193). */
const PADDLE = colour(2, 5);
const PADDLE_ROW = 191;

/** The paddle's centre in game pixels, read off the canvas (scaled 3×); null if not on screen. */
export async function paddleX(page: Page): Promise<number | null> {
  const rgb = [PALETTE_RGB[PADDLE * 3], PALETTE_RGB[PADDLE * 3 + 1], PALETTE_RGB[PADDLE * 3 + 2]];
  return page.evaluate(
    (row: number, want: number[]) => {
      const c = document.querySelector('.pr-game') as HTMLCanvasElement;
      const scale = c.width / 160;
      const y = Math.floor((row + 0.5) * scale);
      const d = (c.getContext('2d') as CanvasRenderingContext2D).getImageData(0, y, c.width, 1).data;
      let sum = 0;
      let n = 0;
      for (let x = 0; x < c.width; x++) {
        if (d[x * 4] === want[0] && d[x * 4 + 1] === want[1] && d[x * 4 + 2] === want[2]) {
          sum += x;
          n++;
        }
      }
      return n === 0 ? null : sum / n / scale;
    },
    PADDLE_ROW,
    rgb,
  );
}
