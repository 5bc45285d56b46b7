/**
 * Actor-critic networks on the tfjs engine: the models' own variables, forward passes compiled
 * to plain ops (functional-net.ts), plain-JS forward passes over the optimizer's parameters for
 * acting with MLPs (js-mlp.ts), tfjs autodiff and the FlatOptimizer.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActorCriticLearner, HeadGradients, OptimizerSpec, OptimizerState } from '../types.js';
import { FlatOptimizer } from './flat-optimizer.js';
import { compileForward, type ForwardFn } from './functional-net.js';
import { compileJsDense, type JsDense } from './js-mlp.js';

export class TfjsActorCriticLearner implements ActorCriticLearner {
  readonly paramCount: number;
  private readonly forwards: ForwardFn[];
  /** Per model, its JS forward and where its parameters start in the optimizer's; null: tfjs. */
  private readonly jsForwards: { net: JsDense; offset: number }[] | null;
  private readonly optimizer: FlatOptimizer;
  private readonly variables: tf.Variable[];
  private readonly inputShape: number[];
  private readonly obsSize: number;

  constructor(models: readonly tf.LayersModel[], spec: OptimizerSpec) {
    this.inputShape = (models[0].inputs[0].shape as number[]).slice(1);
    this.obsSize = this.inputShape.reduce((a, b) => a * b, 1);
    this.forwards = models.map(compileForward);
    this.variables = models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
    this.optimizer = new FlatOptimizer(this.variables, spec);
    this.paramCount = this.optimizer.size;
    this.jsForwards = jsForwardsOf(models, this.paramCount);
  }

  outputs(obs: Float32Array | Uint8Array, batch: number): { logits: Float32Array; values: Float32Array } {
    if (obs.length !== batch * this.obsSize) {
      throw new Error(
        `expected ${batch} observations of shape [${this.inputShape}] (${batch * this.obsSize} values), got ${obs.length}`,
      );
    }
    if (this.jsForwards !== null) {
      const params = this.optimizer.params;
      const [first, second] = this.jsForwards;
      const logits = new Float32Array(batch * first.net.headUnits[0]);
      const values = new Float32Array(batch);
      if (second === undefined) first.net.run(params, first.offset, obs, batch, [logits, values]);
      else {
        first.net.run(params, first.offset, obs, batch, [logits]);
        second.net.run(params, second.offset, obs, batch, [values]);
      }
      return { logits, values };
    }
    const [logitsT, valuesT] = tf.tidy(() => {
      const out = this.forward(this.obsTensor(obs, batch));
      return [out.logits, out.values];
    });
    try {
      return { logits: logitsT.dataSync() as Float32Array, values: Float32Array.from(valuesT.dataSync()) };
    } finally {
      logitsT.dispose();
      valuesT.dispose();
    }
  }

  /**
   * The forward pass runs under the gradient tape, its logits and values are read back, `head`
   * returns ∂loss/∂outputs, and the tape backpropagates Σ outputs·∂loss/∂outputs, whose gradient
   * with respect to the weights is ∂loss/∂weights (the chain rule).
   */
  stepWithHead<R extends HeadGradients>(
    obs: Float32Array | Uint8Array,
    batch: number,
    head: (logits: Float32Array, values: Float32Array) => R,
    learningRate: number,
  ): { result: R; gradNorm: number } {
    let result: R | null = null;
    const obsT = this.obsTensor(obs, batch);
    const { value, grads } = tf.variableGrads(() => {
      const { logits, values } = this.forward(obsT);
      result = head(logits.dataSync() as Float32Array, values.dataSync() as Float32Array);
      const dLogits = tf.tensor(result.dLogits, logits.shape);
      const dValues = tf.tensor(result.dValues, values.shape);
      return tf.add(tf.sum(tf.mul(logits, dLogits)), tf.sum(tf.mul(values, dValues))) as tf.Scalar;
    }, this.variables);
    value.dispose();
    obsT.dispose();
    const gradNorm = this.optimizer.apply(
      this.variables.map((v) => grads[v.name]),
      learningRate,
    );
    return { result: result as unknown as R, gradNorm };
  }

  getParams(): Float32Array {
    return this.optimizer.params.slice();
  }

  setParams(flat: Float32Array): void {
    if (flat.length !== this.paramCount) {
      throw new Error(`engine: ${flat.length} values for networks of ${this.paramCount} parameters`);
    }
    let offset = 0;
    for (const v of this.variables) {
      const t = tf.tensor(flat.slice(offset, offset + v.size), v.shape, 'float32');
      v.assign(t);
      t.dispose();
      offset += v.size;
    }
    this.optimizer.readParams();
  }

  getOptimizerState(): OptimizerState {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
  }

  dispose(): void {}

  private forward(obs: tf.Tensor): { logits: tf.Tensor2D; values: tf.Tensor1D } {
    return tf.tidy(() => {
      if (this.forwards.length === 1) {
        const [logits, value] = this.forwards[0](obs);
        return { logits: logits as tf.Tensor2D, values: tf.reshape(value, [-1]) as tf.Tensor1D };
      }
      const [logits] = this.forwards[0](obs);
      const [value] = this.forwards[1](obs);
      return { logits: logits as tf.Tensor2D, values: tf.reshape(value, [-1]) as tf.Tensor1D };
    });
  }

  private obsTensor(obs: Float32Array | Uint8Array, batch: number): tf.Tensor {
    const data = obs instanceof Float32Array ? obs : Float32Array.from(obs);
    return tf.tensor(data, [batch, ...this.inputShape], 'float32');
  }
}

/**
 * The JS forwards of dense-only models (each output a head), with each model's offset in the
 * flat parameters (the models' trainable weights in order); null when any model is not dense-only.
 */
function jsForwardsOf(
  models: readonly tf.LayersModel[],
  paramCount: number,
): { net: JsDense; offset: number }[] | null {
  const out: { net: JsDense; offset: number }[] = [];
  let offset = 0;
  for (const model of models) {
    const net = compileJsDense(
      model,
      model.outputs.map((o) => o.sourceLayer.name),
    );
    if (net === null) return null;
    out.push({ net, offset });
    offset += net.paramCount;
  }
  return offset === paramCount ? out : null;
}
