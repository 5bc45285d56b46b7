/** PNG figures must show their text: resvg and the canvas only draw text in fonts they find. */
import { describe, expect, it } from 'vitest';
import { sceneToPng } from '../../src/viz/scene.js';
import { fontWarning, installedSansFamily, svgToPng } from '../../src/viz/svg-png.js';

const hasFont = installedSansFamily() !== null;

/** Two renders differ: the same encoder gives identical bytes for identical pixels. */
function differs(a: Buffer, b: Buffer): boolean {
  return a.length !== b.length || !a.equals(b);
}

describe('text in PNG figures', () => {
  it.runIf(hasFont)('resvg draws SVG text in the installed font (sans-serif included)', () => {
    const svg = (text: string) =>
      `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><text x="10" y="28" font-size="20" ` +
      `font-family="sans-serif">${text}</text></svg>`;
    expect(differs(svgToPng(svg('episode return')).png, svgToPng(svg('')).png)).toBe(true);
    expect(fontWarning()).toBeNull();
  });

  it.runIf(hasFont)('the canvas draws scene text', () => {
    const scene = (text: string) => ({
      width: 200,
      height: 40,
      background: 'white',
      shapes: [{ kind: 'text' as const, x: 10, y: 28, text, size: 20 }],
    });
    expect(differs(sceneToPng(scene('V(s)')), sceneToPng(scene('')))).toBe(true);
  });

  it.runIf(!hasFont)('without fonts, says what to install', () => {
    expect(fontWarning()).toMatch(/no fonts found.*fonts-dejavu-core/);
  });
});
