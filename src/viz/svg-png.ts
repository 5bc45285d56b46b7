/**
 * SVG → PNG with resvg, with a font that exists. resvg only draws text in fonts it has loaded
 * and maps the generic `sans-serif` to Arial by default, which many Linux machines lack (text then
 * silently disappears), so the sans-serif family is set to one the system really has, found
 * through @napi-rs/canvas's font list.
 */
import { GlobalFonts } from '@napi-rs/canvas';
import { Resvg } from '@resvg/resvg-js';

/** Families tried in order for text in figures; the first one installed is used. */
export const PREFERRED_FONTS = [
  'DejaVu Sans',
  'Liberation Sans',
  'Arial',
  'Helvetica',
  'Noto Sans',
  'FreeSans',
  'Verdana',
];

/** The font-family list figures use (CSS syntax), good in browsers too. */
export const FONT_STACK = `${PREFERRED_FONTS.slice(0, 4)
  .map((f) => `'${f}'`)
  .join(', ')}, sans-serif`;

/** The first preferred sans-serif family installed, else any installed family, else null. */
export function installedSansFamily(): string | null {
  const families = GlobalFonts.families.map((f) => f.family);
  for (const f of PREFERRED_FONTS) if (families.includes(f)) return f;
  return families.find((f) => /sans/i.test(f)) ?? families[0] ?? null;
}

/**
 * null when a font for figure text is installed; otherwise what to tell the user. Without any
 * font, resvg and the canvas both draw no text at all (neither ships a font, nor does pixelrl:
 * every desktop OS has one, and a bare container gets one with `apt install fonts-dejavu-core`).
 */
export function fontWarning(): string | null {
  return installedSansFamily()
    ? null
    : 'no fonts found on this system, so PNG figures will have no text; install one ' +
        '(e.g. apt install fonts-dejavu-core) or write SVG, which the viewer renders with its own fonts';
}

export interface PngResult {
  /** The encoded PNG. */
  png: Buffer;
  /** Its size in pixels. */
  width: number;
  height: number;
  /** Set when no font was found: the PNG then has no text. */
  warning?: string;
}

/** Renders `svg` to PNG at `scale` times its size, on a white background. */
export function svgToPng(svg: string, scale = 2): PngResult {
  const family = installedSansFamily();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: family
      ? { loadSystemFonts: true, defaultFontFamily: family, sansSerifFamily: family }
      : { loadSystemFonts: true },
  });
  const image = resvg.render();
  const out: PngResult = { png: image.asPng(), width: image.width, height: image.height };
  const warning = fontWarning();
  if (warning) out.warning = warning;
  return out;
}
