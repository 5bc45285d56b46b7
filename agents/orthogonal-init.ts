/**
 * Orthogonal weight initialisation (Saxe et al. 2014), as SB3 and CleanRL apply it to their
 * actor-critic networks: hidden layers with gain √2, the policy head with 0.01 (a near-uniform
 * first policy), the value head with 1; biases 0. Andrychowicz et al. 2021 ("What matters in
 * on-policy RL", §3.2) found the small policy-head scale among the choices that matter most.
 *
 * Written by hand (Gram–Schmidt over a seeded normal matrix) rather than with
 * `tf.initializers.orthogonal` because the latter draws from tfjs' own RNG, warns on any
 * matrix over 2,000 entries, and runs a QR on the backend; ours is seeded by our {@link Rng}.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/util/rng.js';

/**
 * A rows × cols matrix (row-major) whose columns are orthonormal when rows ≥ cols, or whose
 * rows are orthonormal otherwise, times `gain`.
 */
export function orthogonalMatrix(rows: number, cols: number, gain: number, rng: Rng): Float32Array {
  const long = Math.max(rows, cols);
  const short = Math.min(rows, cols);
  // `short` orthonormal vectors of length `long`, by modified Gram–Schmidt.
  const v = new Float64Array(short * long);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let k = 0; k < short; k++) {
    const vk = v.subarray(k * long, (k + 1) * long);
    for (let j = 0; j < k; j++) {
      const vj = v.subarray(j * long, (j + 1) * long);
      let dot = 0;
      for (let i = 0; i < long; i++) dot += vk[i] * vj[i];
      for (let i = 0; i < long; i++) vk[i] -= dot * vj[i];
    }
    let norm = 0;
    for (let i = 0; i < long; i++) norm += vk[i] * vk[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < long; i++) vk[i] /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Vectors are columns when rows ≥ cols, rows otherwise.
      out[r * cols + c] = gain * (rows >= cols ? v[c * long + r] : v[r * long + c]);
    }
  }
  return out;
}

/**
 * Re-initialises every Dense and Conv2D layer of `model`: kernels orthogonal (a conv kernel
 * [kh, kw, in, out] as a (kh·kw·in) × out matrix), biases zero. `gainOf(layerName)` picks the gain.
 */
export function orthogonalInit(model: tf.LayersModel, gainOf: (layerName: string) => number, rng: Rng): void {
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls !== 'Dense' && cls !== 'Conv2D') continue;
    if (!layer.trainable) continue;
    const weights = layer.getWeights();
    const shape = weights[0].shape;
    const cols = shape[shape.length - 1];
    const rows = weights[0].size / cols;
    const fresh = [
      tf.tensor(orthogonalMatrix(rows, cols, gainOf(layer.name), rng), shape),
      ...weights.slice(1).map((w) => tf.zerosLike(w)),
    ];
    layer.setWeights(fresh);
    tf.dispose(fresh);
  }
}
