/**
 * pixelrl's Conv2DBackpropFilter (registered for wasm and cpu) against a plain triple loop
 * written from the definition, so the reference shares no code with any backend.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { Rng } from '../../src/util/rng.js';

/** dW[ky, kx, c, f] = Σ x[n, oy·s + ky − top, ox·s + kx − left, c] · dy[n, oy, ox, f]. */
function referenceFilterGrad(
  x: Float32Array,
  xShape: number[],
  dy: Float32Array,
  dyShape: number[],
  k: number,
  stride: number,
  top: number,
  left: number,
): Float64Array {
  const [n, h, w, c] = xShape;
  const [, oh, ow, f] = dyShape;
  const dw = new Float64Array(k * k * c * f);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        for (let ky = 0; ky < k; ky++) {
          const iy = oy * stride + ky - top;
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = ox * stride + kx - left;
            if (ix < 0 || ix >= w) continue;
            for (let ci = 0; ci < c; ci++) {
              const xv = x[((b * h + iy) * w + ix) * c + ci];
              for (let fi = 0; fi < f; fi++) {
                dw[((ky * k + kx) * c + ci) * f + fi] += xv * dy[((b * oh + oy) * ow + ox) * f + fi];
              }
            }
          }
        }
      }
    }
  }
  return dw;
}

describe.each(['wasm', 'cpu'] as const)('Conv2DBackpropFilter on %s', (backend) => {
  it('matches the definition on random shapes, strides 1-4, valid and same, batch 1-64', async () => {
    await initBackend({ backend });
    const rng = new Rng(31);
    for (let trial = 0; trial < 16; trial++) {
      const stride = 1 + (trial % 4);
      const padding = trial % 3 === 0 ? 'same' : 'valid';
      const k = rng.intRange(1, 6);
      const xShape = [
        [1, 3, 16, 64][trial % 4],
        rng.intRange(k, k + 8),
        rng.intRange(k, k + 8),
        rng.intRange(1, 4),
      ];
      const f = rng.intRange(1, 5);
      const info = tf.backend_util.computeConv2DInfo(
        xShape as [number, number, number, number],
        [k, k, xShape[3], f],
        stride,
        1,
        padding,
      );
      const dyShape = [xShape[0], info.outHeight, info.outWidth, f];
      const xv = Float32Array.from({ length: xShape.reduce((a, b) => a * b) }, () => rng.normal());
      const dyv = Float32Array.from({ length: dyShape.reduce((a, b) => a * b) }, () => rng.normal());
      const got = tf.tidy(() => {
        const x = tf.tensor4d(xv, xShape as [number, number, number, number]);
        const dy = tf.tensor4d(dyv, dyShape as [number, number, number, number]);
        const grad = tf.grad((w: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, stride, padding), dy)),
        );
        return grad(tf.zeros([k, k, xShape[3], f]));
      });
      const want = referenceFilterGrad(
        xv,
        xShape,
        dyv,
        dyShape,
        k,
        stride,
        info.padInfo.top,
        info.padInfo.left,
      );
      const data = got.dataSync();
      got.dispose();
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(data[i] - want[i]));
        scale = Math.max(scale, Math.abs(want[i]));
      }
      expect(worst, `x[${xShape}] k${k} s${stride} ${padding}`).toBeLessThanOrEqual(1e-4 * (1 + scale));
    }
  });
});
