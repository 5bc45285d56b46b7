/**
 * `writeAnimation`: an episode's frames → an animated PNG, GIF or MP4 (chosen by the file
 * extension), upscaled with nearest-neighbour, with an optional side panel of the action values
 * or the policy at each frame.
 *
 * Frames may come from an array, a generator or an async generator, so an episode can be played
 * and written at the same time without keeping it in memory; `maxFrames` bounds the output.
 */
import { extname } from 'node:path';
import type { RgbFrame } from '../../envs/core.js';
import { ActionPanel, type PanelData, type PanelOptions } from './action-panel.js';
import { type AnimationFormat, type FrameSink, openSink } from './frame-sinks.js';
import { blitScaled, checkFrame } from './raster.js';

/** A frame with what the side panel shows for it. */
export interface AnimationFrame {
  frame: RgbFrame;
  /** The panel's data for this frame; without it the panel keeps showing the previous data. */
  panel?: PanelData;
}

export type FrameSource = Iterable<RgbFrame | AnimationFrame> | AsyncIterable<RgbFrame | AnimationFrame>;

export interface AnimationOptions {
  /** Integer upscaling factor (nearest-neighbour). Default 3. */
  scale?: number;
  /** Frames per second of the output. Default 30 (GIF rounds the delay to 10 ms, at most 50 fps). */
  fps?: number;
  /** Draw a side panel of action values or probabilities (frames then carry `panel` data). */
  panel?: PanelOptions;
  /** Frames after this many are read but not written (bounds file size and time). Default 10000. */
  maxFrames?: number;
  /** Output format; default from the extension: .png/.apng → 'apng', .gif → 'gif', .mp4 → 'mp4'. */
  format?: AnimationFormat;
  /** ffmpeg binary for MP4; default: found on the PATH. */
  ffmpegPath?: string;
}

export interface AnimationResult {
  path: string;
  format: AnimationFormat;
  /** Frames written. */
  frames: number;
  /** Frames read past `maxFrames` and not written. */
  droppedFrames: number;
  /** Output size in pixels. */
  width: number;
  height: number;
}

const PANEL_BG = [21, 23, 28];

/** The smallest height that leaves the panel room for 22 px per action bar and its strip chart. */
function panelMinHeight(actions: number): number {
  return Math.max(240, 120 + 22 * actions);
}

/** The animation format a path's extension asks for. */
export function formatFromPath(path: string): AnimationFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.png' || ext === '.apng') return 'apng';
  if (ext === '.gif') return 'gif';
  if (ext === '.mp4') return 'mp4';
  throw new Error(
    `cannot tell the animation format of ${path}: use a .png (animated PNG), .gif or .mp4 file name`,
  );
}

/** Writes `frames` as an animation to `path` (atomically: a temp file renamed at the end). */
export async function writeAnimation(
  frames: FrameSource,
  path: string,
  options: AnimationOptions = {},
): Promise<AnimationResult> {
  const scale = options.scale ?? 3;
  const fps = options.fps ?? 30;
  const maxFrames = options.maxFrames ?? 10000;
  if (!Number.isInteger(scale) || scale < 1 || scale > 16) {
    throw new Error(`animation scale must be an integer from 1 to 16, got ${scale}`);
  }
  if (!(fps > 0 && fps <= 240)) throw new Error(`animation fps must be in (0, 240], got ${fps}`);
  if (!Number.isInteger(maxFrames) || maxFrames < 1) {
    throw new Error(`maxFrames must be a positive integer, got ${maxFrames}`);
  }
  const format = options.format ?? formatFromPath(path);

  let sink: FrameSink | null = null;
  let panel: ActionPanel | null = null;
  let canvas = new Uint8Array(0);
  let width = 0;
  let height = 0;
  let first: RgbFrame | null = null;
  let written = 0;
  let dropped = 0;
  try {
    for await (const item of frames) {
      const { frame, panel: panelData } = 'frame' in item ? item : { frame: item, panel: undefined };
      if (written >= maxFrames) {
        dropped++;
        continue;
      }
      if (!first) {
        checkFrame(frame, 'first frame');
        first = frame;
        const gameH = frame.height * scale;
        height = options.panel ? Math.max(gameH, panelMinHeight(options.panel.actionNames.length)) : gameH;
        if (options.panel) panel = new ActionPanel(options.panel, height);
        width = frame.width * scale + (panel?.width ?? 0);
        canvas = new Uint8Array(width * height * 4);
        fillRgba(canvas, PANEL_BG);
        sink = openSink(format, path, { width, height, fps, ffmpegPath: options.ffmpegPath });
      } else if (frame.width !== first.width || frame.height !== first.height) {
        throw new Error(
          `frame ${written} is ${frame.width}x${frame.height} but the first frame was ` +
            `${first.width}x${first.height}: all frames of an animation must have the same size`,
        );
      } else {
        checkFrame(frame, `frame ${written}`);
      }
      blitScaled(frame, scale, canvas, width);
      if (panel && panelData)
        copyRect(panel.draw(panelData), panel.width, height, canvas, width, width - panel.width);
      await sink!.add(canvas);
      written++;
    }
    if (!sink) throw new Error(`no frames to write to ${path}: the frame source was empty`);
    await sink.finish();
  } catch (err) {
    sink?.abort();
    throw err;
  }
  return { path, format, frames: written, droppedFrames: dropped, width, height };
}

function fillRgba(buf: Uint8Array, rgb: readonly number[]): void {
  for (let i = 0; i < buf.length; i += 4) {
    buf[i] = rgb[0];
    buf[i + 1] = rgb[1];
    buf[i + 2] = rgb[2];
    buf[i + 3] = 255;
  }
}

function copyRect(src: Uint8Array, w: number, h: number, dst: Uint8Array, dstW: number, x0: number): void {
  for (let y = 0; y < h; y++) dst.set(src.subarray(y * w * 4, (y + 1) * w * 4), (y * dstW + x0) * 4);
}
