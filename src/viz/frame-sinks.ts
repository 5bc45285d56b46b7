/**
 * The three animation encoders behind one interface: APNG (our streaming writer), GIF (gifenc,
 * one quantized 256-colour palette per frame) and MP4 (raw frames piped into ffmpeg). Each takes
 * RGBA frames one at a time and keeps memory bounded: APNG and GIF write each frame's bytes to
 * disk as it comes, ffmpeg reads from a pipe with backpressure.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import type Gifenc from 'gifenc';
import { ApngWriter } from './apng-writer.js';
import { openAtomic } from './atomic.js';

/**
 * gifenc's package has no "exports" map: Node loads its CommonJS build and bundlers (vitest's
 * vite) its ES build, whose default exports differ. Loading it with `require` gives the
 * CommonJS build everywhere.
 */
function loadGifenc(): typeof Gifenc {
  return createRequire(import.meta.url)('gifenc') as typeof Gifenc;
}

export type AnimationFormat = 'apng' | 'gif' | 'mp4';

export interface FrameSink {
  /** Adds one RGBA frame; the sink does not keep a reference to `rgba`. */
  add(rgba: Uint8Array): Promise<void>;
  /** Finishes the file and moves it into place. */
  finish(): Promise<void>;
  /** Deletes the partial file. */
  abort(): void;
}

export interface SinkOptions {
  /** Frame size in pixels (every frame has it). */
  width: number;
  height: number;
  /** Frames per second. */
  fps: number;
  /** Path of the ffmpeg binary (MP4 only); default: looked up on the PATH. */
  ffmpegPath?: string;
}

/** The encoder for `format`, writing to `path`. Throws at once if MP4 is asked for without ffmpeg. */
export function openSink(format: AnimationFormat, path: string, options: SinkOptions): FrameSink {
  if (format === 'apng') return apngSink(path, options);
  if (format === 'gif') return gifSink(path, options);
  return mp4Sink(path, options);
}

function apngSink(path: string, o: SinkOptions): FrameSink {
  const file = openAtomic(path);
  const writer = new ApngWriter(file, o.width, o.height, o.fps);
  return {
    add: async (rgba) => writer.addFrame(rgba),
    finish: async () => {
      writer.finish();
      file.commit();
    },
    abort: () => file.abort(),
  };
}

function gifSink(path: string, o: SinkOptions): FrameSink {
  const file = openAtomic(path);
  const { GIFEncoder, applyPalette, quantize } = loadGifenc();
  const gif = GIFEncoder();
  // GIF delays are in hundredths of a second and browsers slow down delays under 20 ms to 100 ms,
  // so the frame rate is rounded to a multiple of 10 ms and capped at 50 fps.
  const delay = Math.max(20, Math.round(1000 / o.fps / 10) * 10);
  const flush = (): void => {
    file.write(gif.bytesView());
    gif.stream.reset(); // keeps the encoder's state; only empties its output buffer
  };
  return {
    add: async (rgba) => {
      const palette = quantize(rgba, 256, { format: 'rgb444' });
      gif.writeFrame(applyPalette(rgba, palette, 'rgb444'), o.width, o.height, { palette, delay, repeat: 0 });
      flush();
    },
    finish: async () => {
      gif.finish();
      flush();
      file.commit();
    },
    abort: () => file.abort(),
  };
}

/** The path of `name` if an executable of that name is on the PATH. */
export function findOnPath(name: string, pathVar = process.env.PATH ?? ''): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; try the next directory
      }
    }
  }
  return null;
}

function mp4Sink(path: string, o: SinkOptions): FrameSink {
  const ffmpeg = o.ffmpegPath ?? findOnPath('ffmpeg');
  if (!ffmpeg) {
    throw new Error(
      `writing ${path} as MP4 needs ffmpeg, which is not on the PATH. Install it (apt install ffmpeg, ` +
        'brew install ffmpeg, or https://ffmpeg.org/download.html), or write an APNG (.png) or a GIF ' +
        '(.gif) instead: those need nothing else.',
    );
  }
  const tempPath = `${path}.${process.pid}.tmp.mp4`;
  // yuv420p (the pixel format every player accepts) needs even dimensions: pad by one if needed.
  const args = ['-y', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgba'];
  args.push('-s', `${o.width}x${o.height}`, '-r', String(o.fps), '-i', '-');
  args.push('-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p');
  args.push('-movflags', '+faststart', '-f', 'mp4', tempPath);
  const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let failure: Error | null = null;
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      failure = new Error(`could not run ffmpeg (${ffmpeg}): ${err.message}`);
      resolve(-1);
    });
    child.on('close', (code) => resolve(code ?? -1));
  });
  child.stdin.on('error', () => {
    // EPIPE when ffmpeg dies early; its exit code and stderr explain why.
  });
  const failed = (code: number): Error =>
    failure ?? new Error(`ffmpeg exited with code ${code} while writing ${path}: ${stderr.trim()}`);
  return {
    add: async (rgba) => {
      if (failure) throw failure;
      if (!child.stdin.write(Buffer.from(rgba))) {
        await new Promise<void>((resolve) => {
          child.stdin.once('drain', resolve);
          child.once('close', resolve);
        });
      }
    },
    finish: async () => {
      child.stdin.end();
      const code = await exited;
      if (code !== 0) {
        rmSync(tempPath, { force: true });
        throw failed(code);
      }
      renameSync(tempPath, path);
    },
    abort: () => {
      child.kill();
      rmSync(tempPath, { force: true });
    },
  };
}
