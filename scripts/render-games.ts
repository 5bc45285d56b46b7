/**
 * Writes a mid-episode frame of each bundled game to docs/games/<id>.png, scaled up 3x
 * nearest-neighbour, so people can see what the games look like. The frame is taken after the
 * reference policy has played `--steps` agent steps (default 230) from seed 1.
 *
 * Usage: npx tsx scripts/render-games.ts [--steps 230] [--out docs/games] [--ids Pong-v0]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import UPNG from 'upng-js';
import { AtariEnv } from '../envs/atari/atari-env.js';
import { GAMES } from '../envs/games/index.js';

const SCALE = 3;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** RGB (w x h x 3) to RGBA scaled by `k` nearest-neighbour. */
function scaleRgba(rgb: Uint8Array, w: number, h: number, k: number): Uint8Array {
  const out = new Uint8Array(w * k * h * k * 4);
  for (let y = 0; y < h * k; y++) {
    for (let x = 0; x < w * k; x++) {
      const i = (Math.floor(y / k) * w + Math.floor(x / k)) * 3;
      const o = (y * w * k + x) * 4;
      out[o] = rgb[i];
      out[o + 1] = rgb[i + 1];
      out[o + 2] = rgb[i + 2];
      out[o + 3] = 255;
    }
  }
  return out;
}

const steps = Number(arg('steps') ?? 230);
const outDir = arg('out') ?? 'docs/games';
const ids = arg('ids')?.split(',');
mkdirSync(outDir, { recursive: true });
for (const spec of GAMES.filter((g) => !ids || ids.includes(g.id))) {
  const env = new AtariEnv(spec.create(), {}, 1);
  env.reset();
  for (let t = 0; t < steps; t++) {
    const r = env.step(env.referenceAction());
    if (r.terminated || r.truncated) env.reset();
  }
  const frame = env.render();
  const rgba = scaleRgba(frame.data, frame.width, frame.height, SCALE);
  // Lossless with a 256-colour limit: the games use few colours, so this keeps the files small.
  const png = UPNG.encode([rgba.buffer as ArrayBuffer], frame.width * SCALE, frame.height * SCALE, 256);
  const path = join(outDir, `${spec.id}.png`);
  writeFileSync(path, new Uint8Array(png));
  console.log(`${path}: ${png.byteLength} bytes`);
}
