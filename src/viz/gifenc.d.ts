/**
 * Types for the parts of gifenc 1.0.3 pixelrl uses (the package ships none), as its CommonJS
 * build (module.exports) has them.
 */
declare module 'gifenc' {
  export type Palette = number[][];
  export type ColorFormat = 'rgb565' | 'rgb444' | 'rgba4444';
  export interface GifStream {
    reset(): void;
    bytesView(): Uint8Array;
  }
  export interface FrameOptions {
    palette?: Palette;
    /** Frame delay in milliseconds (stored in hundredths of a second). */
    delay?: number;
    /** 0 = loop forever, -1 = play once. */
    repeat?: number;
    dispose?: number;
  }
  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, opts?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
    readonly stream: GifStream;
  }
  function GIFEncoder(opts?: { auto?: boolean; initialCapacity?: number }): Encoder;
  function quantize(
    rgba: Uint8Array | Uint8ClampedArray,
    maxColors: number,
    opts?: { format?: ColorFormat },
  ): Palette;
  function applyPalette(
    rgba: Uint8Array | Uint8ClampedArray,
    palette: Palette,
    format?: ColorFormat,
  ): Uint8Array;
  const gifenc: {
    GIFEncoder: typeof GIFEncoder;
    quantize: typeof quantize;
    applyPalette: typeof applyPalette;
  };
  export default gifenc;
}
