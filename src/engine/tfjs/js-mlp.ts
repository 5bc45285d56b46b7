/**
 * The forward pass of a small dense network (an MLP torso and its heads) in plain JS, over flat
 * parameters, for acting: the one JS forward of the engines. {@link compileJsDense} runs any
 * buildNetwork MLP (the actor-critic's logits and value heads); {@link compileJsMlp} adds the
 * DQN's Q-values (the dueling combination included) on top of it.
 *
 * Why: acting runs the network on one observation per env step. For the MLPs of classic control
 * the arithmetic is ~10k multiply-adds (~10 µs in JS), while a tfjs call (upload, three fused
 * ops, download) costs ~80 µs on wasm: a fifth of CleanRL-style DQN's time went there. The
 * engines keep the parameters in a flat Float32Array anyway (FlatOptimizer, the ort train state),
 * so nothing is downloaded. Used only for networks made of dense layers (no conv, no rescaling);
 * the values equal tfjs' up to float rounding (sums are accumulated in float64).
 *
 * Parameter layout: the model's trainable weights in layer order, kernel ([inputs, units],
 * row-major) then bias for each Dense layer, as tfjs lists `trainableWeights` and as both engines
 * store them.
 */
import type * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, type Activation, LAYER_NAMES } from '../../nets/index.js';

interface DenseLayer {
  inputs: number;
  units: number;
  activation: Activation;
  /** Where its kernel starts in the parameters; its bias (if any) follows the kernel. */
  offset: number;
  bias: boolean;
}

const ACT: Record<Activation, (x: number) => number> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  softplus: (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
};

/** A compiled dense network: a torso chain and heads that each read the torso's last layer. */
export interface JsDense {
  /** Units of each head, in the order asked for. */
  readonly headUnits: readonly number[];
  /** How many parameters it reads (from `offset` on). */
  readonly paramCount: number;
  /**
   * Writes head k's outputs for `count` rows of `obs` into `outs[k]` ([count × units], row-major),
   * reading the parameters at `params[offset..]`.
   */
  run(
    params: Float32Array,
    offset: number,
    obs: ArrayLike<number>,
    count: number,
    outs: (Float32Array | Float64Array)[],
  ): void;
}

/**
 * Compiles a dense-only model into a JS forward pass whose outputs are the layers named `heads`;
 * layers named in `skip` (weightless or frozen combinations the caller does itself) are passed
 * over. Returns null when the model has any other layer or activation (it then acts through tfjs).
 */
export function compileJsDense(
  model: tf.LayersModel,
  heads: readonly string[],
  skip: readonly string[] = [],
): JsDense | null {
  const torso: DenseLayer[] = [];
  const byName = new Map<string, DenseLayer>();
  let offset = 0;
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || skip.includes(layer.name)) continue;
    if (cls !== 'Dense') return null;
    const activation = String(layer.getConfig().activation ?? 'linear') as Activation;
    if (!(ACTIVATIONS as readonly string[]).includes(activation)) return null;
    const [kernel, bias] = layer.getWeights();
    const inputs = kernel.shape[0] as number;
    const units = kernel.shape[1] as number;
    const dense = { inputs, units, activation, offset, bias: bias !== undefined };
    offset += inputs * units + (dense.bias ? units : 0);
    if (heads.includes(layer.name)) byName.set(layer.name, dense);
    else torso.push(dense);
  }
  const headLayers = heads.map((name) => byName.get(name));
  if (headLayers.some((h) => h === undefined)) return null;
  const outLayers = headLayers as DenseLayer[];
  const inputs = torso.length > 0 ? torso[0].inputs : outLayers[0].inputs;
  const width = Math.max(...torso.map((l) => l.units), ...outLayers.map((l) => l.units), 1);
  const bufA = new Float64Array(width);
  const bufB = new Float64Array(width);
  const headOut = new Float64Array(width);
  return {
    headUnits: outLayers.map((l) => l.units),
    paramCount: offset,
    run(params, base, obs, count, outs) {
      for (let n = 0; n < count; n++) {
        let x: ArrayLike<number> = obs;
        let xo = n * inputs;
        let y = bufA;
        for (const l of torso) {
          dense(params, base, l, x, xo, y);
          x = y;
          xo = 0;
          y = y === bufA ? bufB : bufA;
        }
        for (let k = 0; k < outLayers.length; k++) {
          const l = outLayers[k];
          dense(params, base, l, x, xo, headOut);
          const out = outs[k];
          for (let u = 0; u < l.units; u++) out[n * l.units + u] = headOut[u];
        }
      }
    },
  };
}

/** y = act(x·W + b), with W and b at params[base + l.offset..]. */
function dense(
  params: Float32Array,
  base: number,
  l: DenseLayer,
  x: ArrayLike<number>,
  xo: number,
  y: Float64Array,
): void {
  const { inputs, units } = l;
  const kernel = base + l.offset;
  const bias = kernel + inputs * units;
  for (let u = 0; u < units; u++) y[u] = l.bias ? params[bias + u] : 0;
  for (let i = 0; i < inputs; i++) {
    const xi = x[xo + i];
    if (xi === 0) continue;
    const row = kernel + i * units;
    for (let u = 0; u < units; u++) y[u] += xi * params[row + u];
  }
  if (l.activation !== 'linear') {
    const f = ACT[l.activation];
    for (let u = 0; u < units; u++) y[u] = f(y[u]);
  }
}

/** The Q-values of a dense Q-network (plain or dueling), in plain JS over flat parameters. */
export interface JsMlp {
  /** Writes Q(s, ·) for `count` observations into `out` ([count × actions]). */
  run(params: Float32Array, obs: ArrayLike<number>, count: number, out: Float32Array): Float32Array;
  readonly actions: number;
}

/** Compiles a buildNetwork Q-network into {@link JsMlp}, or null when it is not dense-only. */
export function compileJsMlp(model: tf.LayersModel): JsMlp | null {
  const dueling = model.layers.some((l) => l.name === LAYER_NAMES.advantage);
  if (!dueling) {
    const net = compileJsDense(model, [LAYER_NAMES.q]);
    if (net === null) return null;
    const outs: (Float32Array | Float64Array)[] = [];
    return {
      actions: net.headUnits[0],
      run(params, obs, count, out) {
        outs[0] = out;
        net.run(params, 0, obs, count, outs);
        return out;
      },
    };
  }
  // The dueling model's 'value_advantage' (a concatenation) and frozen 'q' are done here.
  const net = compileJsDense(
    model,
    [LAYER_NAMES.value, LAYER_NAMES.advantage],
    [LAYER_NAMES.valueAdvantage, LAYER_NAMES.q],
  );
  if (net === null) return null;
  const actions = net.headUnits[1];
  // Float64, as the streams' sums are, so that Q rounds to float32 once.
  let v = new Float64Array(0);
  let a = new Float64Array(0);
  return {
    actions,
    run(params, obs, count, out) {
      if (v.length < count) [v, a] = [new Float64Array(count), new Float64Array(count * actions)];
      net.run(params, 0, obs, count, [v, a]);
      // Wang et al. 2016, eq. 9: Q = V + A − mean(A).
      for (let n = 0; n < count; n++) {
        let mean = 0;
        for (let k = 0; k < actions; k++) mean += a[n * actions + k];
        mean /= actions;
        for (let k = 0; k < actions; k++) out[n * actions + k] = v[n] + a[n * actions + k] - mean;
      }
      return out;
    },
  };
}
