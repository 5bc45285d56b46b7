/**
 * DQN on the tfjs engine: the online and target models' own variables, trained through
 * fused-forward.ts's forward pass, tfjs autodiff and the FlatOptimizer (the engine's optimizer).
 * Small dense networks act in plain JS over the optimizer's parameters (js-mlp.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { DqnBatch, DqnLearner, DqnStepResult, DqnStepSpec, OptimizerState } from '../types.js';
import { FlatOptimizer } from './flat-optimizer.js';
import { type FusedForward, fusedForward } from './fused-forward.js';
import { compileJsMlp, type JsMlp } from './js-mlp.js';
import {
  doubleQLearningTarget,
  polyakUpdate,
  qLearningTarget,
  weightedHuberLoss,
  weightedSquaredLoss,
} from './value-losses.js';

/** Dense networks up to this many parameters act in plain JS (js-mlp.ts); larger ones in tfjs. */
const JS_ACTING_MAX_PARAMS = 100_000;

export class TfjsDqnLearner implements DqnLearner {
  readonly paramCount: number;
  private readonly onlineForward: FusedForward;
  private readonly targetForward: FusedForward;
  private readonly optimizer: FlatOptimizer;
  private readonly jsMlp: JsMlp | null;
  private readonly inputShape: number[];
  private jsQ = new Float32Array(0);
  private mask = new Float32Array(0);

  constructor(
    online: tf.LayersModel,
    target: tf.LayersModel,
    private readonly numActions: number,
    private readonly spec: DqnStepSpec,
  ) {
    this.inputShape = (online.inputs[0].shape as number[]).slice(1);
    this.onlineForward = fusedForward(online);
    this.targetForward = fusedForward(target);
    this.optimizer = new FlatOptimizer(this.onlineForward.variables, spec.optimizer);
    this.paramCount = this.optimizer.size;
    this.jsMlp = this.optimizer.size <= JS_ACTING_MAX_PARAMS ? compileJsMlp(online) : null;
  }

  qValues(obs: Float32Array | Uint8Array, count: number): Float32Array {
    if (this.jsMlp) {
      if (this.jsQ.length < count * this.numActions) this.jsQ = new Float32Array(count * this.numActions);
      return this.jsMlp.run(this.optimizer.params, obs, count, this.jsQ).subarray(0, count * this.numActions);
    }
    const q = tf.tidy(() => this.onlineForward(this.toTensor(obs, count)));
    const values = q.dataSync() as Float32Array;
    q.dispose();
    return values;
  }

  step(batch: DqnBatch, learningRate: number): DqnStepResult {
    const B = batch.batchSize;
    const spec = this.spec;
    const target = tf.tidy(() => {
      const next = this.toTensor(batch.nextObs, B);
      const r = tf.tensor1d(batch.rewards.subarray(0, B));
      const discount = tf.tensor1d(batch.discounts.subarray(0, B));
      const qNextTarget = this.targetForward(next);
      return spec.doubleDqn
        ? doubleQLearningTarget(r, discount, qNextTarget, this.onlineForward(next))
        : qLearningTarget(r, discount, qNextTarget);
    });
    let qa: tf.Tensor1D | null = null;
    const { value, grads } = tf.tidy(() => {
      const obs = this.toTensor(batch.obs, B);
      const mask = tf.tensor2d(this.actionMask(batch.actions, B), [B, this.numActions]);
      const weights = tf.tensor1d(batch.weights.subarray(0, B));
      return tf.variableGrads(() => {
        const q = this.onlineForward(obs);
        qa = tf.keep(tf.sum(tf.mul(q, mask), 1) as tf.Tensor1D);
        return spec.loss === 'mse'
          ? weightedSquaredLoss(qa, target, weights)
          : weightedHuberLoss(qa, target, weights, spec.huberDelta);
      }, this.onlineForward.variables);
    });
    const gradNorm = this.optimizer.apply(
      this.onlineForward.variables.map((v) => grads[v.name]),
      learningRate,
    );
    const q = qa as unknown as tf.Tensor1D;
    // One download for all three: [loss, mean Q, δ_1..δ_B].
    const stats = tf.tidy(() =>
      tf.concat([tf.reshape(value, [1]), tf.reshape(tf.mean(q), [1]), tf.sub(target, q)]),
    );
    const values = stats.dataSync() as Float32Array;
    tf.dispose([stats, value, q, target]);
    return { loss: values[0], meanQ: values[1], tdErrors: values.slice(2), gradNorm };
  }

  syncTarget(tau: number): void {
    polyakUpdate(this.targetForward.variables, this.onlineForward.variables, tau);
  }

  getParams(which: 'online' | 'target'): Float32Array {
    if (which === 'online') return this.optimizer.params.slice();
    const out = new Float32Array(this.paramCount);
    let offset = 0;
    for (const v of this.targetForward.variables) {
      out.set(v.dataSync() as Float32Array, offset);
      offset += v.size;
    }
    return out;
  }

  setParams(which: 'online' | 'target', flat: Float32Array): void {
    if (flat.length !== this.paramCount) {
      throw new Error(`engine: ${flat.length} values for a network of ${this.paramCount} parameters`);
    }
    const vars = which === 'online' ? this.onlineForward.variables : this.targetForward.variables;
    let offset = 0;
    for (const v of vars) {
      const t = tf.tensor(flat.slice(offset, offset + v.size), v.shape, 'float32');
      v.assign(t);
      t.dispose();
      offset += v.size;
    }
    if (which === 'online') this.optimizer.readParams();
  }

  getOptimizerState(): OptimizerState {
    return this.optimizer.getState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.optimizer.setState(state);
  }

  dispose(): void {}

  private actionMask(actions: Int32Array, count: number): Float32Array {
    const n = this.numActions;
    if (this.mask.length !== count * n) this.mask = new Float32Array(count * n);
    this.mask.fill(0);
    for (let i = 0; i < count; i++) this.mask[i * n + actions[i]] = 1;
    return this.mask;
  }

  private toTensor(obs: Float32Array | Uint8Array, count: number): tf.Tensor {
    const size = count * this.inputShape.reduce((a, b) => a * b, 1);
    const data = obs.length === size ? obs : obs.subarray(0, size);
    return tf.tensor(data instanceof Float32Array ? data : Float32Array.from(data), [
      count,
      ...this.inputShape,
    ]);
  }
}
