/**
 * Actor-critic networks on the ort engine. The on-policy losses (policy-loss-grads.ts) are
 * computed by the agents from the network's outputs, as on the tfjs engine, so a step is two
 * graphs: the forward pass (logits and values, read back), then one graph that recomputes the
 * forward pass, backpropagates the loss's gradient with respect to the outputs (the vector-
 * Jacobian product of Σ logits·∂L/∂logits + Σ values·∂L/∂values) and applies the optimizer.
 *
 *   forward  obs [N, …], p_i → logits [N, A], values [N]
 *   step     obs, d_logits [N, A], d_values [N], lr, c1, c2, p_i, m_i, v_i → grad_norm, p_i', m_i', v_i'
 */
import type * as tf from '@tensorflow/tfjs';
import type { Tensor as OrtTensor } from 'onnxruntime-common';
import { GraphBuilder, type Value } from '../graph/builder.js';
import { emitNetwork, type NetPlan, type ParamInfo, planNetwork } from '../graph/network.js';
import { emitOptimizer, flatStateInputs, optimizerScalars, outputUpdate } from '../graph/optimizers.js';
import { type Dim, encodeModel } from '../onnx/model-proto.js';
import type { ActorCriticLearner, HeadGradients, OptimizerSpec, OptimizerState } from '../types.js';
import { TrainState } from './param-store.js';
import type { OrtOptions, OrtRuntime, OrtSession } from './session.js';

interface Layout {
  plans: NetPlan[];
  /** All parameters, model after model, offsets into one flat vector. */
  params: ParamInfo[];
  size: number;
  inputShape: number[];
  obsElem: 'uint8' | 'float';
}

function layoutOf(models: readonly tf.LayersModel[]): Layout {
  const plans = models.map(planNetwork);
  const params: ParamInfo[] = [];
  let size = 0;
  for (const plan of plans) {
    for (const p of plan.params) params.push({ ...p, offset: p.offset + size });
    size += plan.size;
  }
  const inputShape = plans[0].inputShape;
  return { plans, params, size, inputShape, obsElem: inputShape.length === 3 ? 'uint8' : 'float' };
}

/** Emits logits [N, A] and values [N] for `obs`. */
function emitPolicyValue(
  g: GraphBuilder,
  layout: Layout,
  obs: Value,
  params: readonly Value[],
  nchwcBlock = 0,
): { logits: Value; values: Value } {
  let start = 0;
  const outs = layout.plans.map((plan) => {
    const own = params.slice(start, start + plan.params.length);
    start += plan.params.length;
    return emitNetwork(g, plan, obs, own, { nchwcBlock }).outputs;
  });
  const [logits, value] = outs.length === 1 ? outs[0] : [outs[0][0], outs[1][0]];
  return { logits, values: g.reshape(value, [-1], [obs.shape[0]]) };
}

function paramValues(g: GraphBuilder, layout: Layout, prefix: string, differentiable: boolean): Value[] {
  return layout.params.map((p, i) => g.input(`${prefix}${i}`, p.onnxShape as Dim[], 'float', differentiable));
}

function forwardGraph(layout: Layout): Uint8Array {
  const g = new GraphBuilder('actor_critic_forward');
  const obs = g.input('obs', ['batch', ...layout.inputShape], layout.obsElem);
  const { logits, values } = emitPolicyValue(g, layout, obs, paramValues(g, layout, 'p', false));
  g.output(logits, 'logits');
  g.output(values, 'values');
  return encodeModel(g.build());
}

function stepGraph(layout: Layout, numActions: number, spec: OptimizerSpec, nchwcBlock: number): Uint8Array {
  const g = new GraphBuilder('actor_critic_step');
  const obs = g.input('obs', ['batch', ...layout.inputShape], layout.obsElem);
  const dLogits = g.input('d_logits', ['batch', numActions]);
  const dValues = g.input('d_values', ['batch']);
  const lr = g.input('lr', []);
  const c1 = g.input('c1', []);
  const c2 = g.input('c2', []);
  const params = paramValues(g, layout, 'p', true);
  const state = flatStateInputs(g, layout.size);
  const { logits, values } = emitPolicyValue(g, layout, obs, params, nchwcBlock);
  // ∂/∂θ of Σ logits·dLogits + Σ values·dValues = ∂L/∂θ (the chain rule through the outputs).
  const surrogate = g.add(g.sum(g.mul(logits, dLogits)), g.sum(g.mul(values, dValues)));
  const grads = g.gradients(surrogate, params);
  const update = emitOptimizer(g, spec, { lr, c1, c2 }, state, grads);
  g.output(update.gradNorm, 'grad_norm');
  outputUpdate(g, update);
  return encodeModel(g.build());
}

export class OrtActorCriticLearner implements ActorCriticLearner {
  readonly paramCount: number;
  private readonly layout: Layout;
  private readonly state: TrainState;
  private readonly forward: OrtSession;
  private readonly train: OrtSession;
  private readonly numActions: number;
  private readonly scalars = { lr: new Float32Array(1), c1: new Float32Array(1), c2: new Float32Array(1) };
  private readonly gradNorm = new Float32Array(1);

  constructor(
    private readonly rt: OrtRuntime,
    options: OrtOptions,
    models: readonly tf.LayersModel[],
    private readonly spec: OptimizerSpec,
  ) {
    this.layout = layoutOf(models);
    this.paramCount = this.layout.size;
    const lastHead = this.layout.plans[0].heads[0];
    this.numActions = this.layout.params[lastHead.layer.params[0]].tfjsShape[1];
    this.state = new TrainState(rt, this.layout);
    this.forward = rt.createSession(forwardGraph(this.layout), options);
    this.train = rt.createSession(stepGraph(this.layout, this.numActions, spec, options.nchwcBlock), options);
  }

  outputs(obs: Float32Array | Uint8Array, batch: number): { logits: Float32Array; values: Float32Array } {
    const feeds: Record<string, OrtTensor> = { obs: this.obsTensor(obs, batch) };
    this.state.cur.params.tensors.forEach((t, i) => {
      feeds[`p${i}`] = t;
    });
    const out = this.forward.run(feeds, { logits: null, values: null });
    return { logits: out.logits.data as Float32Array, values: out.values.data as Float32Array };
  }

  stepWithHead<R extends HeadGradients>(
    obs: Float32Array | Uint8Array,
    batch: number,
    head: (logits: Float32Array, values: Float32Array) => R,
    learningRate: number,
  ): { result: R; gradNorm: number } {
    const { logits, values } = this.outputs(obs, batch);
    const result = head(logits, values);
    this.state.step++;
    const { c1, c2 } = optimizerScalars(this.spec, this.state.step);
    this.scalars.lr[0] = learningRate;
    this.scalars.c1[0] = c1;
    this.scalars.c2[0] = c2;
    const T = this.rt.Tensor;
    const feeds: Record<string, OrtTensor> = {
      obs: this.obsTensor(obs, batch),
      d_logits: new T('float32', result.dLogits, [batch, this.numActions]),
      d_values: new T('float32', result.dValues, [batch]),
      lr: new T('float32', this.scalars.lr, []),
      c1: new T('float32', this.scalars.c1, []),
      c2: new T('float32', this.scalars.c2, []),
    };
    const fetches: Record<string, OrtTensor | null> = { grad_norm: new T('float32', this.gradNorm, []) };
    this.state.bind(feeds, fetches);
    this.train.run(feeds, fetches);
    this.state.flip();
    return { result, gradNorm: this.gradNorm[0] };
  }

  getParams(): Float32Array {
    return this.state.cur.params.toTfjs(this.layout.params);
  }

  setParams(flat: Float32Array): void {
    this.state.cur.params.setFromTfjs(this.layout.params, flat);
  }

  getOptimizerState(): OptimizerState {
    return this.state.getOptimizerState();
  }

  setOptimizerState(state: OptimizerState): void {
    this.state.setOptimizerState(state);
  }

  dispose(): void {
    this.forward.dispose();
    this.train.dispose();
  }

  private obsTensor(obs: Float32Array | Uint8Array, batch: number): OrtTensor {
    const size = this.layout.inputShape.reduce((a, b) => a * b, 1) * batch;
    if (obs.length !== size) {
      throw new Error(
        `expected ${batch} observations of shape [${this.layout.inputShape}] (${size} values), got ${obs.length}`,
      );
    }
    const dims = [batch, ...this.layout.inputShape];
    if (this.layout.obsElem === 'uint8') {
      return new this.rt.Tensor('uint8', obs instanceof Uint8Array ? obs : Uint8Array.from(obs), dims);
    }
    return new this.rt.Tensor('float32', obs instanceof Float32Array ? obs : Float32Array.from(obs), dims);
  }
}
