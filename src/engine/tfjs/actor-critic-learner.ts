/**
 * Actor-critic networks on the tfjs engine: the models' own variables, forward passes compiled
 * to plain ops (functional-net.ts), plain-JS forward passes for acting with MLPs, tfjs autodiff
 * and the FlatOptimizer.
 */
import * as tf from '@tensorflow/tfjs';
import type { ActorCriticLearner, HeadGradients, OptimizerSpec, OptimizerState } from '../types.js';
import { FlatOptimizer } from './flat-optimizer.js';
import { compileForward, compileJsForward, type ForwardFn, type JsForward } from './functional-net.js';

export class TfjsActorCriticLearner implements ActorCriticLearner {
  readonly paramCount: number;
  private readonly forwards: ForwardFn[];
  private readonly jsForwards: JsForward[] | null;
  private jsStale = false;
  private readonly optimizer: FlatOptimizer;
  private readonly variables: tf.Variable[];
  private readonly inputShape: number[];
  private readonly obsSize: number;

  constructor(models: readonly tf.LayersModel[], spec: OptimizerSpec) {
    this.inputShape = (models[0].inputs[0].shape as number[]).slice(1);
    this.obsSize = this.inputShape.reduce((a, b) => a * b, 1);
    this.forwards = models.map(compileForward);
    const js = models.map(compileJsForward);
    this.jsForwards = js.every((f) => f !== null) ? (js as JsForward[]) : null;
    this.variables = models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
    this.optimizer = new FlatOptimizer(this.variables, spec);
    this.paramCount = this.optimizer.size;
  }

  outputs(obs: Float32Array | Uint8Array, batch: number): { logits: Float32Array; values: Float32Array } {
    if (obs.length !== batch * this.obsSize) {
      throw new Error(
        `expected ${batch} observations of shape [${this.inputShape}] (${batch * this.obsSize} values), got ${obs.length}`,
      );
    }
    if (this.jsForwards !== null) {
      if (this.jsStale) {
        for (const f of this.jsForwards) f.refresh();
        this.jsStale = false;
      }
      if (this.jsForwards.length === 1) {
        const [logits, values] = this.jsForwards[0].run(obs, batch);
        return { logits, values };
      }
      return { logits: this.jsForwards[0].run(obs, batch)[0], values: this.jsForwards[1].run(obs, batch)[0] };
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
    this.jsStale = true;
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
    this.jsStale = true;
  }

  getOptimizerState(): OptimizerState {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
    this.jsStale = true;
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
