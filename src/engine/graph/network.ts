/**
 * A network made by `buildNetwork` (src/nets/build.ts), read once into a plan and emitted into an
 * ONNX graph. The plan lists the trainable parameters in the order the tfjs engine keeps them
 * (torso layers, then the heads: Q, or value then advantage, or the model's outputs), so flat
 * parameter and optimizer-moment vectors mean the same thing on both engines.
 *
 *     obs NHWC ─ Cast ─ ×scale ─ Transpose→NCHW ─ Conv… ─ Transpose→NHWC ─ Flatten ─ Gemm… ─ heads
 *
 * Conv kernels are stored HWIO by tfjs and OIHW by ONNX: `toOnnxLayout` / `toTfjsLayout` convert
 * one parameter. Flattening goes back through NHWC so dense kernels keep tfjs' row order.
 */

import type * as tf from '@tensorflow/tfjs';
import { ACTIVATIONS, type Activation, LAYER_NAMES } from '../../nets/spec.js';
import type { Dim } from '../onnx/model-proto.js';
import { activate } from './activations.js';
import type { GraphBuilder, Value } from './builder.js';
import { conv2d, dense } from './layers.js';

export interface ParamInfo {
  /** `<layer>/<kernel|bias>`. */
  name: string;
  /** Shape as tfjs stores it. */
  tfjsShape: number[];
  /** Shape inside the ONNX graph (OIHW for conv kernels). */
  onnxShape: number[];
  size: number;
  /** Offset into the flat parameter vector. */
  offset: number;
  convKernel: boolean;
}

type LayerPlan =
  | { kind: 'scale'; scale: number; offset: number }
  | { kind: 'flatten' }
  | {
      kind: 'conv';
      kernel: number;
      stride: number;
      padding: 'valid' | 'same';
      activation: Activation;
      params: number[];
    }
  | { kind: 'dense'; activation: Activation; params: number[] };

export interface NetPlan {
  inputShape: number[];
  torso: LayerPlan[];
  /** Dense head layers, in parameter order. */
  heads: { name: string; layer: LayerPlan & { kind: 'dense' } }[];
  /** How heads become outputs: `dueling` = V + A − mean(A); `each` = one output per head. */
  combine: 'dueling' | 'each';
  params: ParamInfo[];
  /** Total parameter count. */
  size: number;
}

const HEAD_NAMES: readonly string[] = [
  LAYER_NAMES.q,
  LAYER_NAMES.value,
  LAYER_NAMES.advantage,
  LAYER_NAMES.logits,
];

function activationOf(layer: tf.layers.Layer): Activation {
  const a = (layer.getConfig() as { activation?: string }).activation ?? 'linear';
  if (!(ACTIVATIONS as readonly string[]).includes(a)) {
    throw new Error(
      `engine: layer '${layer.name}' has activation '${a}', which the ort engine does not build`,
    );
  }
  return a as Activation;
}

/** Reads the layers of one or more buildNetwork models (several: separate actor and critic). */
export function planNetwork(model: tf.LayersModel): NetPlan {
  const inputShape = (model.inputs[0].shape as number[]).slice(1);
  const params: ParamInfo[] = [];
  let offset = 0;
  const addParams = (layer: tf.layers.Layer, conv: boolean): number[] =>
    layer.trainableWeights.map((w) => {
      const tfjsShape = [...w.shape] as number[];
      const isKernel = conv && tfjsShape.length === 4;
      const onnxShape = isKernel ? [tfjsShape[3], tfjsShape[2], tfjsShape[0], tfjsShape[1]] : tfjsShape;
      const size = tfjsShape.reduce((a, b) => a * b, 1);
      params.push({
        name: `${layer.name}/${w.originalName.split('/').pop()}`,
        tfjsShape,
        onnxShape,
        size,
        offset,
        convKernel: isKernel,
      });
      offset += size;
      return params.length - 1;
    });
  const torso: LayerPlan[] = [];
  const headLayers: tf.layers.Layer[] = [];
  const outputNames = model.outputs.map((o) => o.sourceLayer.name);
  const isDueling = model.layers.some((l) => l.name === LAYER_NAMES.advantage);
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer' || cls === 'Concatenate') continue;
    if (
      isDueling
        ? layer.name === LAYER_NAMES.value || layer.name === LAYER_NAMES.advantage
        : outputNames.includes(layer.name) && HEAD_NAMES.includes(layer.name)
    ) {
      headLayers.push(layer);
      continue;
    }
    if (isDueling && layer.name === LAYER_NAMES.q) continue; // the frozen combination, done by `combine`
    if (cls === 'Rescaling') {
      const c = layer.getConfig() as { scale: number; offset?: number };
      torso.push({ kind: 'scale', scale: c.scale, offset: c.offset ?? 0 });
    } else if (cls === 'Flatten') {
      torso.push({ kind: 'flatten' });
    } else if (cls === 'Conv2D') {
      const c = layer.getConfig() as {
        kernelSize: number[];
        strides: number[];
        padding: string;
        dataFormat?: string;
        dilationRate?: number[] | number;
      };
      if (c.kernelSize[0] !== c.kernelSize[1] || c.strides[0] !== c.strides[1]) {
        throw new Error(`engine: conv layer '${layer.name}' must have a square kernel and equal strides`);
      }
      torso.push({
        kind: 'conv',
        kernel: c.kernelSize[0],
        stride: c.strides[0],
        padding: c.padding === 'same' ? 'same' : 'valid',
        activation: activationOf(layer),
        params: addParams(layer, true),
      });
    } else if (cls === 'Dense') {
      torso.push({ kind: 'dense', activation: activationOf(layer), params: addParams(layer, false) });
    } else {
      throw new Error(`engine: layer '${layer.name}' (${cls}) is not one the ort engine builds`);
    }
  }
  const order = isDueling ? [LAYER_NAMES.value, LAYER_NAMES.advantage] : outputNames;
  const heads = order.map((name) => {
    const layer = headLayers.find((l) => l.name === name);
    if (!layer) throw new Error(`engine: model '${model.name}' has no head layer '${name}'`);
    return {
      name,
      layer: { kind: 'dense' as const, activation: activationOf(layer), params: addParams(layer, false) },
    };
  });
  return { inputShape, torso, heads, combine: isDueling ? 'dueling' : 'each', params, size: offset };
}

/** Same-padding as tfjs/TensorFlow: total = max((⌈n/s⌉ − 1)·s + k − n, 0), the extra pixel at the end. */
function samePads(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export interface EmittedNetwork {
  /** One value per output: [Q] (q, dueling) or [logits, value] ([N, 1]). */
  outputs: Value[];
  /** The last torso layer's activations, flattened. */
  features: Value;
}

/**
 * Emits the network on `obs` ([N, ...inputShape], uint8 or float) with parameter values
 * `params` (ONNX layout, in plan order). `nchwcBlock` puts the convs on ORT's blocked CPU
 * kernels (layers.ts, nchwc.ts).
 */
export function emitNetwork(
  g: GraphBuilder,
  plan: NetPlan,
  obs: Value,
  params: readonly Value[],
  options: { nchwcBlock?: number } = {},
): EmittedNetwork {
  // Images: transpose while still uint8 (a quarter of the bytes), and fold the ×1/255 scale
  // into the first conv's kernel (conv(x·s, W) = conv(x, s·W): a kernel-sized Mul, not an
  // image-sized one).
  const image = plan.inputShape.length === 3;
  let x = obs;
  let nchw = false;
  let pendingScale: { scale: number; offset: number } | null = null;
  if (image && plan.torso.some((l) => l.kind === 'conv')) {
    x = g.transpose(x, [0, 3, 1, 2]);
    nchw = true;
  }
  if (x.elem !== 'float') x = g.cast(x);
  const toNhwc = () => {
    if (nchw) {
      x = g.transpose(x, [0, 2, 3, 1]);
      nchw = false;
    }
  };
  for (const layer of plan.torso) {
    if (layer.kind === 'scale') {
      const next = plan.torso[plan.torso.indexOf(layer) + 1];
      if (next?.kind === 'conv' && layer.offset === 0) pendingScale = layer;
      else {
        x = g.mul(x, g.constant(layer.scale));
        if (layer.offset !== 0) x = g.add(x, g.constant(layer.offset));
      }
    } else if (layer.kind === 'flatten') {
      toNhwc();
      x = g.flatten(x);
    } else if (layer.kind === 'conv') {
      if (!nchw) {
        x = g.transpose(x, [0, 3, 1, 2]);
        nchw = true;
      }
      const [H, W] = [x.shape[2], x.shape[3]] as number[];
      const pads: [number, number, number, number] =
        layer.padding === 'same'
          ? (() => {
              const [t, b] = samePads(H, layer.kernel, layer.stride);
              const [l, r] = samePads(W, layer.kernel, layer.stride);
              return [t, l, b, r];
            })()
          : [0, 0, 0, 0];
      let [w, b] = layer.params.map((i) => params[i]);
      if (pendingScale) {
        w = g.mul(w, g.constant(pendingScale.scale));
        pendingScale = null;
      }
      x = activate(
        g,
        conv2d(g, x, w, b ?? null, { stride: layer.stride, pads, nchwcBlock: options.nchwcBlock }),
        layer.activation,
      );
    } else {
      if (x.shape.length > 2) {
        toNhwc();
        x = g.flatten(x);
      }
      const [w, b] = layer.params.map((i) => params[i]);
      x = activate(g, dense(g, x, w, b ?? null), layer.activation);
    }
  }
  if (x.shape.length > 2) {
    toNhwc();
    x = g.flatten(x);
  }
  const features = x;
  const heads = plan.heads.map(({ layer }) => {
    const [w, b] = layer.params.map((i) => params[i]);
    return activate(g, dense(g, features, w, b ?? null), layer.activation);
  });
  if (plan.combine === 'dueling') {
    const [v, a] = heads;
    // Wang et al. 2016, eq. 9: Q = V + A − mean_a(A).
    return { outputs: [g.add(v, g.sub(a, g.mean(a, [1], true)))], features };
  }
  return { outputs: heads, features };
}

/** The graph inputs for a plan's parameters, named `<prefix><i>`. */
export function paramInputs(
  g: GraphBuilder,
  plan: NetPlan,
  prefix: string,
  differentiable: boolean,
): Value[] {
  return plan.params.map((p, i) => g.input(`${prefix}${i}`, p.onnxShape as Dim[], 'float', differentiable));
}

/**
 * Copies one parameter between tfjs layout (HWIO for conv kernels) and ONNX layout (OIHW);
 * other parameters are the same in both.
 */
function convertLayout(p: ParamInfo, src: Float32Array, dst: Float32Array, toOnnx: boolean): void {
  if (!p.convKernel) {
    dst.set(src);
    return;
  }
  const [kh, kw, C, M] = p.tfjsShape;
  for (let h = 0; h < kh; h++)
    for (let w = 0; w < kw; w++)
      for (let c = 0; c < C; c++)
        for (let m = 0; m < M; m++) {
          const hwio = ((h * kw + w) * C + c) * M + m;
          const oihw = ((m * C + c) * kh + h) * kw + w;
          if (toOnnx) dst[oihw] = src[hwio];
          else dst[hwio] = src[oihw];
        }
}

/** Copies one parameter from tfjs layout into ONNX layout. */
export function toOnnxLayout(p: ParamInfo, src: Float32Array, dst: Float32Array): void {
  convertLayout(p, src, dst, true);
}

/** The inverse of {@link toOnnxLayout}. */
export function toTfjsLayout(p: ParamInfo, src: Float32Array, dst: Float32Array): void {
  convertLayout(p, src, dst, false);
}
