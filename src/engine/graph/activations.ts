/**
 * The activation functions of the network specs (src/nets/spec.ts) as graph ops with their
 * vector-Jacobian rules, and `activate`, which picks one by name.
 */
import type { Activation } from '../../nets/spec.js';
import type { GraphBuilder, Value } from './builder.js';

export function relu(g: GraphBuilder, x: Value): Value {
  const y = g.raw('Relu', [x], x.shape);
  g.record([x], y, (gy) => [g.mul(gy, g.cast(g.raw('Greater', [y, g.constant(0)], y.shape, 'bool')))]);
  return y;
}

export function tanh(g: GraphBuilder, x: Value): Value {
  const y = g.raw('Tanh', [x], x.shape);
  g.record([x], y, (gy) => [g.mul(gy, g.sub(g.constant(1), g.mul(y, y)))]);
  return y;
}

export function sigmoid(g: GraphBuilder, x: Value): Value {
  const y = g.raw('Sigmoid', [x], x.shape);
  g.record([x], y, (gy) => [g.mul(gy, g.mul(y, g.sub(g.constant(1), y)))]);
  return y;
}

/** ELU with α = 1 (tfjs' and Keras' default): x > 0 ? x : eˣ − 1; its derivative is y + 1 below 0. */
export function elu(g: GraphBuilder, x: Value): Value {
  const y = g.raw('Elu', [x], x.shape, 'float', { alpha: { floats: [1] } });
  g.record([x], y, (gy) => {
    const positive = g.cast(g.raw('Greater', [x, g.constant(0)], x.shape, 'bool'));
    const slope = g.add(
      g.mul(positive, g.constant(1)),
      g.mul(g.sub(g.constant(1), positive), g.add(y, g.constant(1))),
    );
    return [g.mul(gy, slope)];
  });
  return y;
}

export function softplus(g: GraphBuilder, x: Value): Value {
  const y = g.raw('Softplus', [x], x.shape);
  g.record([x], y, (gy) => [g.mul(gy, g.raw('Sigmoid', [x], x.shape))]);
  return y;
}

/** Applies the named activation (`linear` is the identity). */
export function activate(g: GraphBuilder, x: Value, a: Activation): Value {
  switch (a) {
    case 'relu':
      return relu(g, x);
    case 'tanh':
      return tanh(g, x);
    case 'sigmoid':
      return sigmoid(g, x);
    case 'elu':
      return elu(g, x);
    case 'softplus':
      return softplus(g, x);
    case 'linear':
      return x;
  }
}
