/**
 * A figure as a flat list of shapes (rect, circle, polyline, text, frame image, vertical colour
 * gradient), drawn by two renderers that agree: to PNG with @napi-rs/canvas and to SVG as a
 * string. The t-SNE map and the value-over-an-episode plot are built as scenes, so both formats
 * come from one layout. Text is positioned by its alphabetic baseline in both renderers (the
 * `baseline` option is turned into an offset here) so it sits at the same place in each.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import type { RgbFrame } from '../../envs/core.js';
import { writeFileAtomic } from './atomic.js';
import { framePng, toRgba } from './raster.js';
import { FONT_STACK, installedSansFamily } from './svg-png.js';

export type Shape =
  | {
      kind: 'rect';
      x: number;
      y: number;
      w: number;
      h: number;
      fill?: string;
      stroke?: string;
      lineWidth?: number;
    }
  | {
      kind: 'circle';
      x: number;
      y: number;
      r: number;
      fill?: string;
      stroke?: string;
      lineWidth?: number;
      opacity?: number;
    }
  | { kind: 'line'; points: readonly number[]; stroke: string; lineWidth?: number; dash?: readonly number[] }
  | {
      kind: 'text';
      x: number;
      y: number;
      text: string;
      size: number;
      fill?: string;
      bold?: boolean;
      align?: 'left' | 'center' | 'right';
      /** Which part of the text `y` refers to. Default 'alphabetic'. */
      baseline?: 'top' | 'middle' | 'alphabetic';
      /** Rotation in degrees around (x, y); -90 reads bottom to top. */
      rotate?: number;
    }
  | { kind: 'image'; x: number; y: number; w: number; h: number; frame: RgbFrame; border?: string }
  /** A vertical gradient through `colors`, listed bottom to top. */
  | { kind: 'gradient'; x: number; y: number; w: number; h: number; colors: readonly string[] };

export interface Scene {
  width: number;
  height: number;
  background: string;
  shapes: Shape[];
}

/** Baseline offset of text of `size` px, as a fraction of the size (DejaVu-like metrics). */
function baselineShift(baseline: 'top' | 'middle' | 'alphabetic' | undefined, size: number): number {
  if (baseline === 'top') return 0.8 * size;
  if (baseline === 'middle') return 0.35 * size;
  return 0;
}

function canvasFont(size: number, bold?: boolean): string {
  return `${bold ? 'bold ' : ''}${size}px ${installedSansFamily() ?? 'sans-serif'}`;
}

/** The scene as PNG, `scale` times its size (2 gives sharp text on high-density screens). */
export function sceneToPng(scene: Scene, scale = 1): Buffer {
  const canvas = createCanvas(Math.round(scene.width * scale), Math.round(scene.height * scale));
  const ctx = canvas.getContext('2d');
  ctx.scale(scale, scale);
  ctx.fillStyle = scene.background;
  ctx.fillRect(0, 0, scene.width, scene.height);
  for (const s of scene.shapes) drawShape(ctx, s);
  return canvas.toBuffer('image/png');
}

function drawShape(ctx: SKRSContext2D, s: Shape): void {
  ctx.save();
  switch (s.kind) {
    case 'rect':
      if (s.fill) {
        ctx.fillStyle = s.fill;
        ctx.fillRect(s.x, s.y, s.w, s.h);
      }
      if (s.stroke) {
        ctx.strokeStyle = s.stroke;
        ctx.lineWidth = s.lineWidth ?? 1;
        ctx.strokeRect(s.x, s.y, s.w, s.h);
      }
      break;
    case 'circle':
      ctx.globalAlpha = s.opacity ?? 1;
      ctx.beginPath();
      ctx.arc(s.x, s.y, s.r, 0, 2 * Math.PI);
      if (s.fill) {
        ctx.fillStyle = s.fill;
        ctx.fill();
      }
      if (s.stroke) {
        ctx.strokeStyle = s.stroke;
        ctx.lineWidth = s.lineWidth ?? 1;
        ctx.stroke();
      }
      break;
    case 'line':
      ctx.strokeStyle = s.stroke;
      ctx.lineWidth = s.lineWidth ?? 1;
      ctx.lineJoin = 'round';
      if (s.dash) ctx.setLineDash([...s.dash]);
      ctx.beginPath();
      for (let i = 0; i + 1 < s.points.length; i += 2) {
        if (i === 0) ctx.moveTo(s.points[0], s.points[1]);
        else ctx.lineTo(s.points[i], s.points[i + 1]);
      }
      ctx.stroke();
      break;
    case 'text':
      ctx.translate(s.x, s.y);
      if (s.rotate) ctx.rotate((s.rotate * Math.PI) / 180);
      ctx.font = canvasFont(s.size, s.bold);
      ctx.fillStyle = s.fill ?? '#222';
      ctx.textAlign = s.align ?? 'left';
      ctx.textBaseline = 'alphabetic';
      ctx.fillText(s.text, 0, baselineShift(s.baseline, s.size));
      break;
    case 'image': {
      const src = createCanvas(s.frame.width, s.frame.height);
      const sctx = src.getContext('2d');
      const data = sctx.createImageData(s.frame.width, s.frame.height);
      data.data.set(toRgba(s.frame));
      sctx.putImageData(data, 0, 0);
      ctx.imageSmoothingEnabled = false; // pixel art: nearest-neighbour
      ctx.drawImage(src, s.x, s.y, s.w, s.h);
      if (s.border) {
        ctx.strokeStyle = s.border;
        ctx.lineWidth = 2;
        ctx.strokeRect(s.x - 1, s.y - 1, s.w + 2, s.h + 2);
      }
      break;
    }
    case 'gradient': {
      const g = ctx.createLinearGradient(0, s.y + s.h, 0, s.y);
      s.colors.forEach((c, i) => {
        g.addColorStop(i / Math.max(1, s.colors.length - 1), c);
      });
      ctx.fillStyle = g;
      ctx.fillRect(s.x, s.y, s.w, s.h);
      break;
    }
  }
  ctx.restore();
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function n(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** The scene as a standalone SVG document (frames embedded as PNG data URLs). */
export function sceneToSvg(scene: Scene): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" ` +
      `viewBox="0 0 ${scene.width} ${scene.height}" font-family="${esc(FONT_STACK)}">`,
    `<rect width="100%" height="100%" fill="${scene.background}"/>`,
  ];
  let gradients = 0;
  for (const s of scene.shapes) {
    switch (s.kind) {
      case 'rect':
        out.push(
          `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${s.fill ?? 'none'}"` +
            (s.stroke ? ` stroke="${s.stroke}" stroke-width="${s.lineWidth ?? 1}"` : '') +
            '/>',
        );
        break;
      case 'circle':
        out.push(
          `<circle cx="${n(s.x)}" cy="${n(s.y)}" r="${n(s.r)}" fill="${s.fill ?? 'none'}"` +
            (s.opacity !== undefined ? ` opacity="${s.opacity}"` : '') +
            (s.stroke ? ` stroke="${s.stroke}" stroke-width="${s.lineWidth ?? 1}"` : '') +
            '/>',
        );
        break;
      case 'line': {
        const pts: string[] = [];
        for (let i = 0; i + 1 < s.points.length; i += 2) pts.push(`${n(s.points[i])},${n(s.points[i + 1])}`);
        out.push(
          `<polyline points="${pts.join(' ')}" fill="none" stroke="${s.stroke}" stroke-width="${s.lineWidth ?? 1}" ` +
            `stroke-linejoin="round"${s.dash ? ` stroke-dasharray="${s.dash.join(' ')}"` : ''}/>`,
        );
        break;
      }
      case 'text': {
        const anchor = s.align === 'center' ? 'middle' : s.align === 'right' ? 'end' : 'start';
        const rot = s.rotate ? ` transform="rotate(${s.rotate} ${n(s.x)} ${n(s.y)})"` : '';
        // The baseline offset is applied before the rotation, as on the canvas.
        out.push(
          `<text x="${n(s.x)}" y="${n(s.y)}" dy="${n(baselineShift(s.baseline, s.size))}" font-size="${s.size}" ` +
            `fill="${s.fill ?? '#222'}" text-anchor="${anchor}"${s.bold ? ' font-weight="bold"' : ''}${rot}>` +
            `${esc(s.text)}</text>`,
        );
        break;
      }
      case 'image': {
        const href = `data:image/png;base64,${framePng(s.frame).toString('base64')}`;
        out.push(
          `<image x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" href="${href}" ` +
            'preserveAspectRatio="none" image-rendering="optimizeSpeed" style="image-rendering:pixelated"/>',
        );
        if (s.border) {
          out.push(
            `<rect x="${n(s.x - 1)}" y="${n(s.y - 1)}" width="${n(s.w + 2)}" height="${n(s.h + 2)}" fill="none" ` +
              `stroke="${s.border}" stroke-width="2"/>`,
          );
        }
        break;
      }
      case 'gradient': {
        const id = `g${gradients++}`;
        const stops = s.colors
          .map((c, i) => `<stop offset="${n(i / Math.max(1, s.colors.length - 1))}" stop-color="${c}"/>`)
          .join('');
        out.push(
          `<defs><linearGradient id="${id}" x1="0" y1="1" x2="0" y2="0">${stops}</linearGradient></defs>`,
          `<rect x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="url(#${id})"/>`,
        );
        break;
      }
    }
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Writes a scene to `.png` (drawn at 2x) and/or `.svg` paths; returns the paths. */
export function writeScene(scene: Scene, paths: readonly string[]): string[] {
  for (const p of paths) {
    if (!/\.(png|svg)$/i.test(p))
      throw new Error(`cannot write a figure to ${p}: use a .png or .svg file name`);
  }
  for (const p of paths) writeFileAtomic(p, /\.svg$/i.test(p) ? sceneToSvg(scene) : sceneToPng(scene, 2));
  return [...paths];
}
