/**
 * The optimizers, as graph nodes after the backward pass: global-norm clipping, then Adam
 * (Kingma & Ba 2015, in PyTorch's and tfjs' form: ε outside the square root) or centred RMSProp
 * (TensorFlow's form: ε inside the square root, the Nature paper's optimizer). The step-dependent
 * scalars (learning rate, Adam's bias corrections 1 − βᵗ) are graph inputs, so a schedule or a
 * resumed step count needs no rebuild.
 */
import type { OptimizerSpec } from '../types.js';
import type { GraphBuilder, Value } from './builder.js';

export type { OptimizerSpec };

/** The step's scalar inputs: `lr`, and for Adam `c1` = 1 − β1ᵗ and `c2` = 1 − β2ᵗ. */
export interface OptimizerScalars {
  lr: Value;
  c1: Value;
  c2: Value;
}

/**
 * Parameters and moments as one flat vector each (graph inputs `p_flat`, `m_flat`, `v_flat`,
 * in the order of the parameters' offsets): the update is one elementwise chain over the whole
 * network instead of one per tensor, so a small network's step has ~70 fewer nodes to run.
 */
export interface FlatState {
  params: Value;
  first: Value;
  second: Value;
}

export interface OptimizerUpdate extends FlatState {
  /** The gradients' global norm before clipping. */
  gradNorm: Value;
}

/** The flat inputs of a network of `size` parameters. */
export function flatStateInputs(g: GraphBuilder, size: number): FlatState {
  return {
    params: g.input('p_flat', [size]),
    first: g.input('m_flat', [size]),
    second: g.input('v_flat', [size]),
  };
}

/** The per-tensor gradients as one vector (same order as the flat parameters). */
function flatGradient(g: GraphBuilder, grads: readonly Value[], size: number): Value {
  const flat = grads.map((x) =>
    g.raw('Reshape', [x, g.int64s([-1])], [x.shape.reduce<number>((p, d) => p * Number(d), 1)]),
  );
  const total = flat.reduce((n, x) => n + Number(x.shape[0]), 0);
  if (total !== size) throw new Error(`optimizer: gradients of ${total} values for ${size} parameters`);
  return flat.length === 1 ? flat[0] : g.raw('Concat', flat, [size], 'float', { axis: 0 });
}

/** The optimizer update (p, m, v → p′, m′, v′) of the flat state, from the per-tensor gradients. */
export function emitOptimizer(
  g: GraphBuilder,
  spec: OptimizerSpec,
  scalars: OptimizerScalars,
  state: FlatState,
  grads: readonly Value[],
): OptimizerUpdate {
  const size = Number(state.params.shape[0]);
  const k = (v: number) => g.constant(v);
  const op = (name: string, a: Value, b: Value) =>
    g.raw(name, [a, b], a.shape.length >= b.shape.length ? a.shape : b.shape);
  const unclipped = flatGradient(g, grads, size);
  const gradNorm = g.raw('Sqrt', [g.raw('ReduceSumSquare', [unclipped], [], 'float', { keepdims: 0 })], []);
  let gi = unclipped;
  if (spec.maxGradNorm > 0) {
    const scale = g.raw('Min', [k(1), g.raw('Div', [k(spec.maxGradNorm), gradNorm], [])], []);
    gi = op('Mul', unclipped, scale);
  }
  const { params: p, first: m, second: v } = state;
  if (spec.kind === 'adam') {
    const b1 = spec.beta1 ?? 0.9;
    const b2 = spec.beta2 ?? 0.999;
    const m2 = op('Add', op('Mul', m, k(b1)), op('Mul', gi, k(1 - b1)));
    const v2 = op('Add', op('Mul', v, k(b2)), op('Mul', op('Mul', gi, gi), k(1 - b2)));
    // m̂ / (√v̂ + ε) with m̂ = m/c1, v̂ = v/c2, as (m / (√v + ε√c2)) · √c2/c1: the same value
    // with the bias corrections folded into two scalars (two fewer passes over the parameters).
    const rootC2 = g.raw('Sqrt', [scalars.c2], []);
    const stepSize = op('Div', op('Mul', scalars.lr, rootC2), scalars.c1);
    const epsilon = op('Mul', k(spec.epsilon), rootC2);
    const direction = op('Div', m2, op('Add', g.raw('Sqrt', [v2], v2.shape), epsilon));
    return { params: op('Sub', p, op('Mul', direction, stepSize)), first: m2, second: v2, gradNorm };
  }
  const rho = spec.decay ?? 0.95;
  const v2 = op('Add', op('Mul', v, k(rho)), op('Mul', op('Mul', gi, gi), k(1 - rho)));
  const m2 = op('Add', op('Mul', m, k(rho)), op('Mul', gi, k(1 - rho)));
  const denom = g.raw('Sqrt', [op('Add', op('Sub', v2, op('Mul', m2, m2)), k(spec.epsilon))], v2.shape);
  return {
    params: op('Sub', p, op('Div', op('Mul', gi, scalars.lr), denom)),
    first: m2,
    second: v2,
    gradNorm,
  };
}

/** The scalar inputs of a step, as numbers: Adam's bias corrections for step `t` (1-based). */
export function optimizerScalars(spec: OptimizerSpec, t: number): { c1: number; c2: number } {
  if (spec.kind !== 'adam') return { c1: 1, c2: 1 };
  return { c1: 1 - (spec.beta1 ?? 0.9) ** t, c2: 1 - (spec.beta2 ?? 0.999) ** t };
}

/** Makes the update graph outputs `p_out`, `m_out`, `v_out` (what TrainState binds). */
export function outputUpdate(g: GraphBuilder, update: OptimizerUpdate): void {
  g.output(update.params, 'p_out');
  g.output(update.first, 'm_out');
  g.output(update.second, 'v_out');
}
