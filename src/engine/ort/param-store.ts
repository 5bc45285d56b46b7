/**
 * Flat parameter and moment buffers for the ort engine, in ONNX layout, with one ORT tensor per
 * parameter viewing each buffer. Train steps read one set and write the other (ping-pong), so a
 * step allocates nothing: `flip()` makes the written set current.
 */
import type { Tensor as OrtTensor } from 'onnxruntime-common';
import { type NetPlan, type ParamInfo, toOnnxLayout, toTfjsLayout } from '../graph/network.js';
import type { OptimizerState } from '../types.js';
import type { OrtRuntime } from './session.js';

/** One flat buffer, as one ORT tensor and as per-parameter tensor views. */
export class FlatBuffer {
  readonly data: Float32Array;
  readonly whole: OrtTensor;
  readonly tensors: OrtTensor[];

  constructor(rt: OrtRuntime, params: readonly ParamInfo[], size: number) {
    let end = 0;
    for (const p of params) {
      if (p.offset !== end) throw new Error(`engine: parameter offsets are not contiguous at ${p.offset}`);
      end += p.size;
    }
    if (end !== size) throw new Error(`engine: parameters of ${end} values in a buffer of ${size}`);
    this.data = new Float32Array(size);
    this.whole = new rt.Tensor('float32', this.data, [size]);
    this.tensors = params.map(
      (p) => new rt.Tensor('float32', this.data.subarray(p.offset, p.offset + p.size), p.onnxShape),
    );
  }

  /** Fills from a flat tfjs-layout vector. */
  setFromTfjs(params: readonly ParamInfo[], flat: Float32Array): void {
    checkSize(flat, this.data.length);
    for (const p of params)
      toOnnxLayout(
        p,
        flat.subarray(p.offset, p.offset + p.size),
        this.data.subarray(p.offset, p.offset + p.size),
      );
  }

  /** A flat tfjs-layout copy. */
  toTfjs(params: readonly ParamInfo[]): Float32Array {
    const out = new Float32Array(this.data.length);
    for (const p of params)
      toTfjsLayout(
        p,
        this.data.subarray(p.offset, p.offset + p.size),
        out.subarray(p.offset, p.offset + p.size),
      );
    return out;
  }
}

function checkSize(flat: Float32Array, size: number): void {
  if (flat.length !== size) {
    throw new Error(
      `engine: ${flat.length} values for a network of ${size} parameters (the state belongs to a different network)`,
    );
  }
}

/** Parameters and optimizer moments, two sets each. */
export class TrainState {
  readonly params: [FlatBuffer, FlatBuffer];
  readonly first: [FlatBuffer, FlatBuffer];
  readonly second: [FlatBuffer, FlatBuffer];
  /** Index of the current set. */
  current = 0;
  /** Optimizer steps taken. */
  step = 0;

  constructor(
    rt: OrtRuntime,
    readonly plan: Pick<NetPlan, 'params' | 'size'>,
  ) {
    const make = (): [FlatBuffer, FlatBuffer] => [
      new FlatBuffer(rt, plan.params, plan.size),
      new FlatBuffer(rt, plan.params, plan.size),
    ];
    this.params = make();
    this.first = make();
    this.second = make();
  }

  get cur(): { params: FlatBuffer; first: FlatBuffer; second: FlatBuffer } {
    const i = this.current;
    return { params: this.params[i], first: this.first[i], second: this.second[i] };
  }

  get next(): { params: FlatBuffer; first: FlatBuffer; second: FlatBuffer } {
    const i = 1 - this.current;
    return { params: this.params[i], first: this.first[i], second: this.second[i] };
  }

  flip(): void {
    this.current = 1 - this.current;
  }

  /**
   * Feeds the current set (parameters as `p<i>` views for the forward pass and as `p_flat`;
   * moments as `m_flat`, `v_flat`) and fetches the update into the other set.
   */
  bind(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor | null>): void {
    const { cur, next } = this;
    cur.params.tensors.forEach((t, i) => {
      feeds[`p${i}`] = t;
    });
    feeds.p_flat = cur.params.whole;
    feeds.m_flat = cur.first.whole;
    feeds.v_flat = cur.second.whole;
    fetches.p_out = next.params.whole;
    fetches.m_out = next.first.whole;
    fetches.v_out = next.second.whole;
  }

  getOptimizerState(): OptimizerState {
    const { first, second } = this.cur;
    return {
      step: this.step,
      first: first.toTfjs(this.plan.params),
      second: second.toTfjs(this.plan.params),
    };
  }

  setOptimizerState(state: OptimizerState): void {
    if (!Number.isSafeInteger(state.step) || state.step < 0)
      throw new Error(`engine: optimizer step ${state.step} is not a count`);
    this.cur.first.setFromTfjs(this.plan.params, state.first);
    this.cur.second.setFromTfjs(this.plan.params, state.second);
    this.step = state.step;
  }
}
