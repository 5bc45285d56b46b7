/**
 * vega-lite spec → SVG (vega's string renderer) → PNG (resvg), with text measured by the real font.
 *
 * Without a measuring canvas vega estimates a text's width as 0.8 x font size per character, far
 * too wide for most fonts, so long titles and legends get padded with empty space or truncated.
 * vega lets a program supply its own measure (its `textMetrics.width` hook, used the same way by
 * vl-convert); we install one backed by @napi-rs/canvas. The hook is a setting inside vega's
 * module, set before each render to the same function, so the order of calls does not matter.
 */
import { createCanvas } from '@napi-rs/canvas';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from './atomic.js';
import { svgToPng } from './svg-png.js';

/** The parts of vega's runtime that its typings leave out. */
interface VegaTextHooks {
  textMetrics: { width: (item: unknown, text: unknown) => number };
  font: (item: unknown) => string;
}

function measureTextWithCanvas(): void {
  const hooks = vega as unknown as VegaTextHooks;
  const ctx = createCanvas(1, 1).getContext('2d');
  hooks.textMetrics.width = (item, text) => {
    const s = text == null ? '' : String(text).trim();
    if (s === '') return 0;
    ctx.font = hooks.font(item);
    return ctx.measureText(s).width;
  };
}

/** A vega-lite spec as an SVG string. */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  measureTextWithCanvas();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PlotFiles {
  /** Files written. */
  paths: string[];
  /** PNG size in pixels, if one was written. */
  pngSize?: { width: number; height: number };
  warnings: string[];
}

/** Writes a vega-lite spec as SVG / PNG / JSON, by each path's extension. */
export async function writeSpec(spec: TopLevelSpec, paths: readonly string[]): Promise<PlotFiles> {
  const result: PlotFiles = { paths: [], warnings: [] };
  for (const p of paths) {
    if (!/\.(svg|png|json)$/i.test(p))
      throw new Error(`cannot write a plot to ${p}: use a .png, .svg or .json file name`);
  }
  const svg = paths.some((p) => !/\.json$/i.test(p)) ? await specToSvg(spec) : '';
  for (const p of paths) {
    if (/\.svg$/i.test(p)) writeFileAtomic(p, svg);
    else if (/\.json$/i.test(p)) writeFileAtomic(p, `${JSON.stringify(spec, null, 2)}\n`);
    else {
      const png = svgToPng(svg);
      writeFileAtomic(p, png.png);
      result.pngSize = { width: png.width, height: png.height };
      if (png.warning) result.warnings.push(png.warning);
    }
    result.paths.push(p);
  }
  return result;
}
