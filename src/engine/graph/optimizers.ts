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

export interface OptimizerUpdate {
  params: Value[];
  first: Value[];
  second: Value[];
  /** The gradients' global norm before clipping. */
  gradNorm: Value;
}

/** ‖g‖₂ over all gradients together. */
export function globalNorm(g: GraphBuilder, grads: readonly Value[]): Value {
  const squares = grads.map((x) =>
    g.raw('ReduceSumSquare', [x], [], 'float', { keepdims: 0, axes: x.shape.map((_, i) => i) }),
  );
  const total = squares.reduce((a, b) => g.raw('Add', [a, b], []));
  return g.raw('Sqrt', [total], []);
}

/** The optimizer update of every parameter (p, m, v → p′, m′, v′). */
export function emitOptimizer(
  g: GraphBuilder,
  spec: OptimizerSpec,
  scalars: OptimizerScalars,
  params: readonly Value[],
  grads: readonly Value[],
  first: readonly Value[],
  second: readonly Value[],
): OptimizerUpdate {
  const gradNorm = globalNorm(g, grads);
  const k = (v: number) => g.constant(v);
  const op = (name: string, a: Value, b: Value) =>
    g.raw(name, [a, b], a.shape.length >= b.shape.length ? a.shape : b.shape);
  let clipped = grads;
  if (spec.maxGradNorm > 0) {
    const scale = g.raw('Min', [k(1), g.raw('Div', [k(spec.maxGradNorm), gradNorm], [])], []);
    clipped = grads.map((x) => op('Mul', x, scale));
  }
  const out: OptimizerUpdate = { params: [], first: [], second: [], gradNorm };
  clipped.forEach((gi, i) => {
    const p = params[i];
    const m = first[i];
    const v = second[i];
    if (spec.kind === 'adam') {
      const b1 = spec.beta1 ?? 0.9;
      const b2 = spec.beta2 ?? 0.999;
      const m2 = op('Add', op('Mul', m, k(b1)), op('Mul', gi, k(1 - b1)));
      const v2 = op('Add', op('Mul', v, k(b2)), op('Mul', op('Mul', gi, gi), k(1 - b2)));
      const mHat = op('Div', m2, scalars.c1);
      const denom = op('Add', g.raw('Sqrt', [op('Div', v2, scalars.c2)], v2.shape), k(spec.epsilon));
      out.params.push(op('Sub', p, op('Div', op('Mul', mHat, scalars.lr), denom)));
      out.first.push(m2);
      out.second.push(v2);
    } else {
      const rho = spec.decay ?? 0.95;
      const v2 = op('Add', op('Mul', v, k(rho)), op('Mul', op('Mul', gi, gi), k(1 - rho)));
      const m2 = op('Add', op('Mul', m, k(rho)), op('Mul', gi, k(1 - rho)));
      const denom = g.raw('Sqrt', [op('Add', op('Sub', v2, op('Mul', m2, m2)), k(spec.epsilon))], v2.shape);
      out.params.push(op('Sub', p, op('Div', op('Mul', gi, scalars.lr), denom)));
      out.first.push(m2);
      out.second.push(v2);
    }
  });
  return out;
}

/** The scalar inputs of a step, as numbers: Adam's bias corrections for step `t` (1-based). */
export function optimizerScalars(spec: OptimizerSpec, t: number): { c1: number; c2: number } {
  if (spec.kind !== 'adam') return { c1: 1, c2: 1 };
  return { c1: 1 - (spec.beta1 ?? 0.9) ** t, c2: 1 - (spec.beta2 ?? 0.999) ** t };
}

/** Makes the update graph outputs `p<i>_out`, `m<i>_out`, `v<i>_out` (what TrainState binds). */
export function outputUpdate(g: GraphBuilder, update: OptimizerUpdate): void {
  update.params.forEach((v, i) => {
    g.output(v, `p${i}_out`);
  });
  update.first.forEach((v, i) => {
    g.output(v, `m${i}_out`);
  });
  update.second.forEach((v, i) => {
    g.output(v, `v${i}_out`);
  });
}
