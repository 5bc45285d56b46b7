/**
 * col2im for NHWC convolutions with dilation 1, over flat Float32Arrays (here, the wasm heap
 * itself, so no copies cross the JS/wasm boundary), and the conv geometry the kernels share.
 *
 * Layout: the col matrix has one row per output pixel m = (n, oy, ox) and one column per filter
 * tap k = (ky, kx, c), i.e. shape [N·OH·OW, KH·KW·C], row-major. That is the order of tfjs'
 * filter [KH, KW, C, F] flattened to [K, F], so the input gradient is
 *   dcol = dy₂d · W₂dᵀ,   dx = col2im(dcol).
 * Rows of a patch are contiguous runs of KW·C values in x, which keeps the inner loop simple.
 */

/** The shape facts of one conv2d, all in pixels / elements. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** Zero rows added above the input ('same' padding); 0 for 'valid'. */
  padTop: number;
  /** Zero columns added left of the input; 0 for 'valid'. */
  padLeft: number;
}

/** Rows × columns of the col matrix. */
export function colShape(g: ConvGeometry): [number, number] {
  return [g.batch * g.outHeight * g.outWidth, g.filterHeight * g.filterWidth * g.inChannels];
}

/**
 * Adds every entry of `col` back onto the input pixel its tap reads (the adjoint of im2col).
 * `dx` must hold zeros (or a value to accumulate onto) beforehand.
 */
export function col2im(
  col: Float32Array,
  colOff: number,
  dx: Float32Array,
  dxOff: number,
  g: ConvGeometry,
): void {
  const { inHeight: h, inWidth: w, inChannels: c, filterHeight: kh, filterWidth: kw } = g;
  const rowLen = kw * c;
  const imageSize = h * w * c;
  let src = colOff;
  for (let n = 0; n < g.batch; n++) {
    const xImage = dxOff + n * imageSize;
    for (let oy = 0; oy < g.outHeight; oy++) {
      const iy0 = oy * g.strideHeight - g.padTop;
      for (let ox = 0; ox < g.outWidth; ox++) {
        const ix0 = ox * g.strideWidth - g.padLeft;
        const inside = ix0 >= 0 && ix0 + kw <= w;
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          if (iy < 0 || iy >= h) {
            src += rowLen;
            continue;
          }
          const xRow = xImage + iy * w * c;
          if (inside) {
            let dst = xRow + ix0 * c;
            for (let j = 0; j < rowLen; j++) dx[dst++] += col[src++];
            continue;
          }
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx;
            if (ix < 0 || ix >= w) {
              src += c;
            } else {
              let dst = xRow + ix * c;
              for (let j = 0; j < c; j++) dx[dst++] += col[src++];
            }
          }
        }
      }
    }
  }
}
