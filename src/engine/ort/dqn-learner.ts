/**
 * DQN on the ort engine: the whole update — online forward, target forward (and the online
 * network's choice of a' for Double DQN), TD targets, Huber or MSE loss weighted by importance
 * weights, backward, global-norm clipping and the optimizer — is one ONNX graph, run once per
 * gradient step. Acting runs a second graph, the online network's forward pass.
 *
 *   inputs  obs, next_obs [B, …], mask [B, A] (one-hot actions), rewards, discounts, weights [B],
 *           lr, c1, c2 (scalars), p_i (online), t_i (target), m_i, v_i (moments)
 *   outputs loss, mean_q, td [B], grad_norm, p_i', m_i', v_i'
 */
import type * as tf from '@tensorflow/tfjs';
import type { Tensor as OrtTensor } from 'onnxruntime-common';
import { GraphBuilder, type Value } from '../graph/builder.js';
import { emitNetwork, type NetPlan, paramInputs, planNetwork } from '../graph/network.js';
import { emitOptimizer, flatStateInputs, optimizerScalars, outputUpdate } from '../graph/optimizers.js';
import { encodeModel } from '../onnx/model-proto.js';
import { compileJsMlp, type JsMlp } from '../tfjs/js-mlp.js';
import type { DqnBatch, DqnLearner, DqnStepResult, DqnStepSpec } from '../types.js';
import { FlatBuffer, TrainState } from './param-store.js';
import type { OrtOptions, OrtRuntime, OrtSession } from './session.js';

type ObsElem = 'uint8' | 'float';

/** Elementwise loss of TD errors x = y − Q(s, a). */
function lossOf(g: GraphBuilder, x: Value, spec: DqnStepSpec): Value {
  if (spec.loss === 'mse') return g.square(x);
  // Huber: ½·min(|x|, δ)² + δ·(|x| − min(|x|, δ)); its gradient is x clipped to ±δ.
  const abs = g.abs(x);
  const quadratic = g.minimum(abs, g.constant(spec.huberDelta));
  return g.add(
    g.mul(g.constant(0.5), g.square(quadratic)),
    g.mul(g.constant(spec.huberDelta), g.sub(abs, quadratic)),
  );
}

/** The train-step graph for batches of `batchSize`. */
export function dqnStepGraph(
  plan: NetPlan,
  numActions: number,
  batchSize: number,
  obsElem: ObsElem,
  spec: DqnStepSpec,
  nchwcBlock = 0,
): Uint8Array {
  const g = new GraphBuilder('dqn_step');
  const conv = { nchwcBlock };
  const B = batchSize;
  const obs = g.input('obs', [B, ...plan.inputShape], obsElem);
  const nextObs = g.input('next_obs', [B, ...plan.inputShape], obsElem);
  const mask = g.input('mask', [B, numActions]);
  const rewards = g.input('rewards', [B]);
  const discounts = g.input('discounts', [B]);
  const weights = g.input('weights', [B]);
  const lr = g.input('lr', []);
  const c1 = g.input('c1', []);
  const c2 = g.input('c2', []);
  const online = paramInputs(g, plan, 'p', true);
  const target = paramInputs(g, plan, 't', false);
  const state = flatStateInputs(g, plan.size);

  // Targets (constants to the loss): y = r + discount · Q_target(s', a').
  const [qNextTarget] = emitNetwork(g, plan, nextObs, target, conv).outputs;
  let next: Value;
  if (spec.doubleDqn) {
    const [qNextOnline] = emitNetwork(g, plan, nextObs, online, conv).outputs;
    const choice = g.argMax(g.raw('Identity', [qNextOnline], qNextOnline.shape), 1);
    next = g.reshape(g.gatherElements(qNextTarget, choice, 1), [B], [B]);
  } else {
    next = g.reduceMax(qNextTarget, 1);
  }
  const y = g.raw('Add', [rewards, g.raw('Mul', [discounts, next], [B])], [B]);

  const [q] = emitNetwork(g, plan, obs, online, conv).outputs;
  const qa = g.sum(g.mul(q, mask), [1]);
  const td = g.sub(y, qa);
  const loss = g.mean(g.mul(weights, lossOf(g, td, spec)));
  const grads = g.gradients(loss, online);
  const update = emitOptimizer(g, spec.optimizer, { lr, c1, c2 }, state, grads);

  g.output(loss, 'loss');
  g.output(g.raw('ReduceMean', [qa], [], 'float', { keepdims: 0 }), 'mean_q');
  g.output(g.raw('Identity', [td], [B]), 'td');
  g.output(update.gradNorm, 'grad_norm');
  outputUpdate(g, update);
  return encodeModel(g.build());
}

/** The forward graph: obs [N, …] → q [N, A]. */
export function forwardGraph(plan: NetPlan, obsElem: ObsElem): Uint8Array {
  const g = new GraphBuilder('q_forward');
  const obs = g.input('obs', ['batch', ...plan.inputShape], obsElem);
  const params = paramInputs(g, plan, 'p', false);
  const { outputs } = emitNetwork(g, plan, obs, params);
  outputs.forEach((o, i) => {
    g.output(o, `out${i}`);
  });
  return encodeModel(g.build());
}

/**
 * Acting on a small dense net runs in plain JS over the current parameters (dense parameters have
 * the same layout in ONNX and tfjs) when `observations × parameters` is at most this: one ORT call
 * costs ~25 µs however small the graph, the JS pass about 1 ns per multiply-add.
 */
const JS_ACTING_MAX_WORK = 40_000;

export class OrtDqnLearner implements DqnLearner {
  readonly paramCount: number;
  private readonly plan: NetPlan;
  private readonly state: TrainState;
  private readonly target: FlatBuffer;
  private readonly forward: OrtSession;
  private readonly obsElem: ObsElem;
  private readonly steps = new Map<number, OrtSession>();
  private readonly scalars = { lr: new Float32Array(1), c1: new Float32Array(1), c2: new Float32Array(1) };
  private readonly scalarTensors: Record<'lr' | 'c1' | 'c2', OrtTensor>;
  private readonly outs = {
    loss: new Float32Array(1),
    meanQ: new Float32Array(1),
    gradNorm: new Float32Array(1),
  };
  private mask = new Float32Array(0);
  private readonly jsMlp: JsMlp | null;
  private jsQ = new Float32Array(0);

  constructor(
    private readonly rt: OrtRuntime,
    private readonly options: OrtOptions,
    model: tf.LayersModel,
    private readonly numActions: number,
    private readonly spec: DqnStepSpec,
    obsElem: ObsElem,
  ) {
    this.plan = planNetwork(model);
    this.paramCount = this.plan.size;
    this.obsElem = obsElem;
    this.state = new TrainState(rt, this.plan);
    this.target = new FlatBuffer(rt, this.plan.params, this.plan.size);
    this.forward = rt.createSession(forwardGraph(this.plan, obsElem), options);
    this.jsMlp = this.paramCount <= JS_ACTING_MAX_WORK ? compileJsMlp(model) : null;
    this.scalarTensors = {
      lr: new rt.Tensor('float32', this.scalars.lr, []),
      c1: new rt.Tensor('float32', this.scalars.c1, []),
      c2: new rt.Tensor('float32', this.scalars.c2, []),
    };
  }

  qValues(obs: Float32Array | Uint8Array, count: number): Float32Array {
    if (this.jsMlp && count * this.paramCount <= JS_ACTING_MAX_WORK) {
      const n = count * this.numActions;
      if (this.jsQ.length < n) this.jsQ = new Float32Array(n);
      return this.jsMlp.run(this.state.cur.params.data, obs, count, this.jsQ).slice(0, n);
    }
    const feeds: Record<string, OrtTensor> = { obs: this.obsTensor(obs, count) };
    this.state.cur.params.tensors.forEach((t, i) => {
      feeds[`p${i}`] = t;
    });
    const out = this.forward.run(feeds, { out0: null });
    return out.out0.data as Float32Array;
  }

  step(batch: DqnBatch, learningRate: number): DqnStepResult {
    const B = batch.batchSize;
    const session = this.stepSession(B);
    this.state.step++;
    const { c1, c2 } = optimizerScalars(this.spec.optimizer, this.state.step);
    this.scalars.lr[0] = learningRate;
    this.scalars.c1[0] = c1;
    this.scalars.c2[0] = c2;
    const td = new Float32Array(B);
    const feeds: Record<string, OrtTensor> = {
      obs: this.obsTensor(batch.obs, B),
      next_obs: this.obsTensor(batch.nextObs, B),
      mask: new this.rt.Tensor('float32', this.actionMask(batch.actions, B), [B, this.numActions]),
      rewards: new this.rt.Tensor('float32', batch.rewards.subarray(0, B), [B]),
      discounts: new this.rt.Tensor('float32', batch.discounts.subarray(0, B), [B]),
      weights: new this.rt.Tensor('float32', batch.weights.subarray(0, B), [B]),
      ...this.scalarTensors,
    };
    const fetches: Record<string, OrtTensor | null> = {
      loss: new this.rt.Tensor('float32', this.outs.loss, []),
      mean_q: new this.rt.Tensor('float32', this.outs.meanQ, []),
      td: new this.rt.Tensor('float32', td, [B]),
      grad_norm: new this.rt.Tensor('float32', this.outs.gradNorm, []),
    };
    this.state.bind(feeds, fetches);
    this.target.tensors.forEach((t, i) => {
      feeds[`t${i}`] = t;
    });
    session.run(feeds, fetches);
    this.state.flip();
    return {
      loss: this.outs.loss[0],
      meanQ: this.outs.meanQ[0],
      tdErrors: td,
      gradNorm: this.outs.gradNorm[0],
    };
  }

  syncTarget(tau: number): void {
    const src = this.state.cur.params.data;
    const dst = this.target.data;
    if (tau === 1) dst.set(src);
    else for (let i = 0; i < dst.length; i++) dst[i] = tau * src[i] + (1 - tau) * dst[i];
  }

  getParams(which: 'online' | 'target'): Float32Array {
    return (which === 'online' ? this.state.cur.params : this.target).toTfjs(this.plan.params);
  }

  setParams(which: 'online' | 'target', flat: Float32Array): void {
    (which === 'online' ? this.state.cur.params : this.target).setFromTfjs(this.plan.params, flat);
  }

  getOptimizerState() {
    return this.state.getOptimizerState();
  }

  setOptimizerState(state: Parameters<TrainState['setOptimizerState']>[0]): void {
    this.state.setOptimizerState(state);
  }

  dispose(): void {
    this.forward.dispose();
    for (const s of this.steps.values()) s.dispose();
    this.steps.clear();
  }

  private stepSession(batchSize: number): OrtSession {
    let s = this.steps.get(batchSize);
    if (!s) {
      s = this.rt.createSession(
        dqnStepGraph(this.plan, this.numActions, batchSize, this.obsElem, this.spec, this.options.nchwcBlock),
        this.options,
      );
      this.steps.set(batchSize, s);
    }
    return s;
  }

  private obsTensor(obs: Float32Array | Uint8Array, count: number): OrtTensor {
    const size = this.plan.inputShape.reduce((a, b) => a * b, 1) * count;
    if (obs.length < size)
      throw new Error(
        `engine: ${obs.length} observation values for ${count} observations of [${this.plan.inputShape}]`,
      );
    const view = obs.length === size ? obs : obs.subarray(0, size);
    if (this.obsElem === 'uint8') {
      const bytes = view instanceof Uint8Array ? view : Uint8Array.from(view);
      return new this.rt.Tensor('uint8', bytes, [count, ...this.plan.inputShape]);
    }
    const floats = view instanceof Float32Array ? view : Float32Array.from(view);
    return new this.rt.Tensor('float32', floats, [count, ...this.plan.inputShape]);
  }

  private actionMask(actions: Int32Array, count: number): Float32Array {
    const n = this.numActions;
    if (this.mask.length !== count * n) this.mask = new Float32Array(count * n);
    this.mask.fill(0);
    for (let i = 0; i < count; i++) this.mask[i * n + actions[i]] = 1;
    return this.mask;
  }
}
