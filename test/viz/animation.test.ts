import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import UPNG from 'upng-js';
import { afterAll, describe, expect, it } from 'vitest';
import type { RgbFrame } from '../../envs/core.js';
import { type AnimationFrame, writeAnimation } from '../../src/viz/animation.js';
import { gifInfo, pngChunks, pngSize } from './image-files.js';

const dir = mkdtempSync(join(tmpdir(), 'pixelrl-anim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A w x h frame, all black but pixel (t mod w, 0), which is (10 t, 200, 30). */
function frameAt(t: number, w = 6, h = 4): RgbFrame {
  const data = new Uint8Array(w * h * 3);
  const i = (t % w) * 3;
  data[i] = (10 * t) & 255;
  data[i + 1] = 200;
  data[i + 2] = 30;
  return { width: w, height: h, data };
}

function decode(path: string): UPNG.Image {
  const b = readFileSync(path);
  return UPNG.decode(b.buffer.slice(b.byteOffset, b.byteOffset + b.length));
}

describe('writeAnimation: APNG', () => {
  it('writes every frame, upscaled, and the pixels decode back (checked with upng-js)', async () => {
    const path = join(dir, 'a.png');
    const frames = Array.from({ length: 5 }, (_, t) => frameAt(t));
    const res = await writeAnimation(frames, path, { scale: 3, fps: 10 });
    expect(res).toMatchObject({ format: 'apng', frames: 5, droppedFrames: 0, width: 18, height: 12 });
    expect(pngSize(readFileSync(path))).toEqual({ width: 18, height: 12 });
    const img = decode(path);
    expect(img.tabs.acTL).toEqual({ num_frames: 5, num_plays: 0 });
    expect(img.frames.map((f) => f.delay)).toEqual([100, 100, 100, 100, 100]);
    const rgba = UPNG.toRGBA8(img).map((b) => new Uint8Array(b));
    for (let t = 0; t < 5; t++) {
      // Pixel (x, y) of the output shows source pixel (x/3, y/3).
      for (const [x, y] of [
        [0, 0],
        [3 * t + 2, 2],
        [3 * t + 1, 3],
        [17, 11],
      ]) {
        const o = (y * 18 + x) * 4;
        const src = frameAt(t).data;
        const s = (Math.floor(y / 3) * 6 + Math.floor(x / 3)) * 3;
        expect([...rgba[t].subarray(o, o + 4)]).toEqual([src[s], src[s + 1], src[s + 2], 255]);
      }
    }
  });

  it('merges identical consecutive frames into one longer frame', async () => {
    const path = join(dir, 'b.png');
    const frames = [frameAt(0), frameAt(0), frameAt(0), frameAt(1)];
    const res = await writeAnimation(frames, path, { scale: 1, fps: 20 });
    expect(res.frames).toBe(4); // frames read and shown
    const img = decode(path);
    expect(img.frames.map((f) => f.delay)).toEqual([150, 50]);
    expect(pngChunks(readFileSync(path))).toEqual(['IHDR', 'acTL', 'fcTL', 'IDAT', 'fcTL', 'fdAT', 'IEND']);
  });

  it('writes only the changed rectangle of later frames', async () => {
    const path = join(dir, 'c.png');
    await writeAnimation([frameAt(0), frameAt(2)], path, { scale: 2 });
    const rect = decode(path).frames[1].rect;
    // Pixels 0 and 2 of row 0 changed: x from 0 to 2 at scale 2 → 6 px wide, 2 px tall.
    expect(rect).toEqual({ x: 0, y: 0, width: 6, height: 2 });
  });

  it('stops at maxFrames and counts the rest as dropped', async () => {
    function* many(): Generator<RgbFrame> {
      for (let t = 0; t < 50; t++) yield frameAt(t);
    }
    const res = await writeAnimation(many(), join(dir, 'd.png'), { maxFrames: 7, scale: 1 });
    expect(res.frames).toBe(7);
    expect(res.droppedFrames).toBe(43);
    expect(decode(join(dir, 'd.png')).frames.length).toBe(7);
  });

  it('adds a side panel to the right, and takes async sources', async () => {
    async function* withPanel(): AsyncGenerator<AnimationFrame> {
      for (let t = 0; t < 3; t++)
        yield { frame: frameAt(t, 40, 30), panel: { values: [t, 1, -1], chosen: 1 } };
    }
    const path = join(dir, 'e.png');
    const res = await writeAnimation(withPanel(), path, {
      scale: 4,
      panel: { actionNames: ['NOOP', 'RIGHT', 'LEFT'], kind: 'values', width: 200 },
    });
    // 160 px of game + 200 px of panel; the height is the panel's minimum, 240 px (> 120).
    expect(pngSize(readFileSync(path))).toEqual({ width: 360, height: 240 });
    expect(res.frames).toBe(3);
  });
});

describe('writeAnimation: GIF', () => {
  it('writes one image per frame at the upscaled size', async () => {
    const path = join(dir, 'a.gif');
    const res = await writeAnimation(
      Array.from({ length: 6 }, (_, t) => frameAt(t)),
      path,
      { scale: 2 },
    );
    expect(res.format).toBe('gif');
    expect(gifInfo(readFileSync(path))).toEqual({ width: 12, height: 8, frames: 6 });
  });
});

describe('writeAnimation: MP4 and errors', () => {
  it('says ffmpeg is needed, and what else works, when it is not on the PATH', async () => {
    const saved = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-bin');
    try {
      await expect(writeAnimation([frameAt(0)], join(dir, 'x.mp4'))).rejects.toThrow(
        /needs ffmpeg, which is not on the PATH.*\.png.*\.gif/s,
      );
    } finally {
      process.env.PATH = saved;
    }
  });

  it('pipes raw RGBA frames into ffmpeg and moves its output into place', async () => {
    // A stand-in ffmpeg that copies its stdin to its last argument (the output path).
    const fake = join(dir, 'fake-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\nfor last; do :; done\ncat > "$last"\n');
    chmodSync(fake, 0o755);
    const path = join(dir, 'v.mp4');
    const res = await writeAnimation(
      Array.from({ length: 4 }, (_, t) => frameAt(t)),
      path,
      { scale: 2, ffmpegPath: fake },
    );
    expect(res.format).toBe('mp4');
    expect(statSync(path).size).toBe(4 * 12 * 8 * 4);
  });

  it('reports ffmpeg failures with its exit code', async () => {
    const fake = join(dir, 'failing-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\necho "Unknown encoder libx264" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    await expect(writeAnimation([frameAt(0)], join(dir, 'w.mp4'), { ffmpegPath: fake })).rejects.toThrow(
      /ffmpeg exited with code 1.*Unknown encoder/,
    );
  });

  it('refuses frames of different sizes and leaves no file behind', async () => {
    const sub = mkdtempSync(join(dir, 'sizes-'));
    await expect(writeAnimation([frameAt(0), frameAt(0, 7, 4)], join(sub, 'f.png'))).rejects.toThrow(
      /frame 1 is 7x4 but the first frame was 6x4/,
    );
    expect(readdirSync(sub)).toEqual([]);
  });

  it('refuses an empty source, a bad extension and a bad scale', async () => {
    await expect(writeAnimation([], join(dir, 'g.png'))).rejects.toThrow(/no frames/);
    await expect(writeAnimation([frameAt(0)], join(dir, 'g.webm'))).rejects.toThrow(/\.png.*\.gif.*\.mp4/);
    await expect(writeAnimation([frameAt(0)], join(dir, 'g.png'), { scale: 1.5 })).rejects.toThrow(/scale/);
    const bad = { width: 2, height: 2, data: new Uint8Array(5) };
    await expect(writeAnimation([bad], join(dir, 'g.png'))).rejects.toThrow(/2\*2\*3|width\*height\*3 = 12/);
  });
});
