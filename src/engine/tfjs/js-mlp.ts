/**
 * Q-values of a small dense network computed in plain JS from the optimizer's own copy of the
 * parameters, for acting.
 *
 * Why: acting runs the network on one observation per env step. For the MLPs of classic control
 * the arithmetic is ~10k multiply-adds (~10 µs in JS), while a tfjs call (upload, three fused
 * ops, download) costs ~80 µs on wasm: a fifth of CleanRL-style DQN's time went there. The
 * FlatOptimizer keeps the parameters in a Float32Array anyway, so nothing is downloaded. Used
 * only for networks made of dense layers (no conv, no rescaling); the values equal tfjs' up to
 * float rounding (sums are accumulated in float64).
 */
import type * as tf from '@tensorflow/tfjs';

type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'softplus';

interface DenseLayer {
  inputs: number;
  units: number;
  activation: Activation;
}

const ACT: Record<Activation, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  softplus: (x) => Math.log1p(Math.exp(x)),
};

/**
 * A JS forward pass over flat parameters laid out as the network's trainable variables (kernel,
 * bias per layer, in order), or null when the model is not a plain dense Q-network.
 */
export interface JsMlp {
  /** Writes Q(s, ·) for `count` observations into `out` ([count × actions]). */
  run(params: Float32Array, obs: ArrayLike<number>, count: number, out: Float32Array): Float32Array;
  readonly actions: number;
}

export function compileJsMlp(model: tf.LayersModel): JsMlp | null {
  const torso: DenseLayer[] = [];
  let value: DenseLayer | null = null;
  let advantage: DenseLayer | null = null;
  let head: DenseLayer | null = null;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || layer.name === 'value_advantage' || (layer.name === 'q' && !layer.trainable))
      continue;
    if (cls !== 'Dense') return null;
    const [kernel] = layer.getWeights();
    const activation = String(layer.getConfig().activation ?? 'linear') as Activation;
    if (!(activation in ACT)) return null;
    const dense = { inputs: kernel.shape[0] as number, units: kernel.shape[1] as number, activation };
    if (layer.name === 'value') value = dense;
    else if (layer.name === 'advantage') advantage = dense;
    else if (layer.name === 'q') head = dense;
    else torso.push(dense);
  }
  const dueling = value !== null && advantage !== null;
  if (!dueling && head === null) return null;
  const actions = dueling ? (advantage as DenseLayer).units : (head as DenseLayer).units;
  const width = Math.max(...torso.map((l) => l.units), actions, 1);
  const bufA = new Float64Array(width);
  const bufB = new Float64Array(width);

  /** y = act(x·W + b) with W at params[offset..] (row-major [inputs, units]), b right after. */
  const dense = (
    params: Float32Array,
    offset: number,
    l: DenseLayer,
    x: ArrayLike<number>,
    xo: number,
    y: Float64Array,
  ) => {
    const { inputs, units } = l;
    const bias = offset + inputs * units;
    for (let u = 0; u < units; u++) y[u] = params[bias + u];
    for (let i = 0; i < inputs; i++) {
      const xi = x[xo + i];
      if (xi === 0) continue;
      const row = offset + i * units;
      for (let u = 0; u < units; u++) y[u] += xi * params[row + u];
    }
    const f = ACT[l.activation];
    if (l.activation !== 'linear') for (let u = 0; u < units; u++) y[u] = f(y[u]);
    return bias + units;
  };

  return {
    actions,
    run(params, obs, count, out) {
      const inputs = torso.length > 0 ? torso[0].inputs : ((dueling ? value : head) as DenseLayer).inputs;
      for (let n = 0; n < count; n++) {
        let offset = 0;
        let x: ArrayLike<number> = obs;
        let xo = n * inputs;
        let y = bufA;
        for (const l of torso) {
          offset = dense(params, offset, l, x, xo, y);
          x = y;
          xo = 0;
          y = y === bufA ? bufB : bufA;
        }
        if (!dueling) {
          dense(params, offset, head as DenseLayer, x, xo, y);
          for (let a = 0; a < actions; a++) out[n * actions + a] = y[a];
          continue;
        }
        // Wang et al. 2016, eq. 9: Q = V + A − mean(A); V then A, as the variables are ordered.
        const afterValue = dense(params, offset, value as DenseLayer, x, xo, y);
        const v = y[0];
        dense(params, afterValue, advantage as DenseLayer, x, xo, y);
        let mean = 0;
        for (let a = 0; a < actions; a++) mean += y[a];
        mean /= actions;
        for (let a = 0; a < actions; a++) out[n * actions + a] = v + y[a] - mean;
      }
      return out;
    },
  };
}
