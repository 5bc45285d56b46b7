/**
 * Builds the networks the agents train, as tfjs LayersModels (so weights save and load in the
 * tfjs format with `model.save` / `tf.loadLayersModel`, with no custom classes to register).
 *
 *     input ─ [÷255 if image] ─ conv… ─ [flatten] ─ dense… ("features") ─ head
 *
 * Image inputs are NHWC with uint8 values passed as float32 0..255; the network divides by 255
 * itself (a Rescaling layer), so the replay memory can stay uint8 until the last moment.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../util/rng.js';
import { LAYER_NAMES, type LayerSpec, type NetSpec, parseNetSpec } from './spec.js';

/** The output layer(s) put on top of the torso. */
export type HeadSpec =
  /** Q(s, ·): one linear output per action, shape [B, A]. */
  | { kind: 'q'; actions: number }
  /**
   * Dueling Q (Wang et al. 2016, eq. 9): Q = V + A − mean(A), shape [B, A]. The value and
   * advantage streams share the torso (the paper gives each its own hidden layer; put a wider
   * last torso layer to compensate).
   */
  | { kind: 'dueling'; actions: number }
  /** Policy logits [B, A] and state value [B, 1]: two outputs, in that order. */
  | { kind: 'actor-critic'; actions: number };

export interface BuildOptions {
  /** Seeds the weight initialisers (Glorot uniform, zero biases). Default: `new Rng(0)`. */
  rng?: Rng;
}

function seedFrom(rng: Rng): number {
  return rng.int(2 ** 31 - 1);
}

function checkInputShape(inputShape: readonly number[], spec: NetSpec): 'image' | 'vector' {
  if (!inputShape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new Error(`inputShape must be positive integers, got [${inputShape}]`);
  }
  if (inputShape.length === 3) return 'image';
  if (inputShape.length === 1) {
    if (spec.layers.some((l) => l.kind === 'conv')) {
      throw new Error(`conv layers need an image input [height, width, channels], got [${inputShape}]`);
    }
    return 'vector';
  }
  throw new Error(
    `inputShape must be [height, width, channels] (NHWC image) or [size] (vector), got [${inputShape}]`,
  );
}

function torsoLayer(spec: LayerSpec, name: string, rng: Rng): tf.layers.Layer {
  const common = {
    name,
    activation: spec.activation,
    kernelInitializer: tf.initializers.glorotUniform({ seed: seedFrom(rng) }),
    biasInitializer: 'zeros' as const,
  };
  if (spec.kind === 'dense') {
    return tf.layers.dense({ ...common, units: spec.units });
  }
  return tf.layers.conv2d({
    ...common,
    filters: spec.filters,
    kernelSize: spec.kernel,
    strides: spec.stride,
    padding: spec.padding,
    dataFormat: 'channelsLast',
  });
}

function checkActions(head: HeadSpec): void {
  if (!Number.isSafeInteger(head.actions) || head.actions < 1) {
    throw new Error(`head.actions must be a positive integer, got ${head.actions}`);
  }
}

/**
 * The fixed linear map [V, A₁..Aₙ] ↦ V + Aᵢ − mean(A), as an n+1 × n matrix: row 0 is ones,
 * rows 1..n are I − 1/n. A frozen Dense layer with this kernel keeps the model made of stock
 * layers only (a custom Lambda-like layer would have to be registered before every load).
 */
function duelingMatrix(n: number): tf.Tensor2D {
  const m = new Float32Array((n + 1) * n);
  for (let j = 0; j < n; j++) m[j] = 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m[(i + 1) * n + j] = (i === j ? 1 : 0) - 1 / n;
  }
  return tf.tensor2d(m, [n + 1, n]);
}

function linear(units: number, name: string, rng: Rng): tf.layers.Layer {
  return tf.layers.dense({
    units,
    name,
    activation: 'linear',
    kernelInitializer: tf.initializers.glorotUniform({ seed: seedFrom(rng) }),
  });
}

/**
 * Builds a network.
 * @param spec a spec string (see spec.ts), a preset name (`nature`, `small`, `mlp`), or a parsed spec.
 * @param inputShape `[height, width, channels]` for images (values 0..255), `[size]` for vectors.
 */
export function buildNetwork(
  spec: string | NetSpec,
  inputShape: number[],
  head: HeadSpec,
  options: BuildOptions = {},
): tf.LayersModel {
  const net = typeof spec === 'string' ? parseNetSpec(spec) : spec;
  const kind = checkInputShape(inputShape, net);
  checkActions(head);
  const rng = options.rng ?? new Rng(0);

  const input = tf.input({ shape: inputShape, name: 'observation' });
  let x: tf.SymbolicTensor =
    kind === 'image'
      ? (tf.layers.rescaling({ scale: 1 / 255, name: 'scale' }).apply(input) as tf.SymbolicTensor)
      : input;
  let convIndex = 0;
  let denseIndex = 0;
  net.layers.forEach((layer, i) => {
    if (layer.kind === 'dense' && x.shape.length > 2) {
      x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
    }
    const isLast = i === net.layers.length - 1;
    const name = isLast
      ? LAYER_NAMES.features
      : layer.kind === 'conv'
        ? `conv${++convIndex}`
        : `dense${++denseIndex}`;
    x = torsoLayer(layer, name, rng).apply(x) as tf.SymbolicTensor;
  });
  if (x.shape.length > 2) {
    x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  }

  const n = head.actions;
  switch (head.kind) {
    case 'q': {
      const q = linear(n, LAYER_NAMES.q, rng).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: q, name: 'q_network' });
    }
    case 'dueling': {
      const value = linear(1, LAYER_NAMES.value, rng).apply(x) as tf.SymbolicTensor;
      const advantage = linear(n, LAYER_NAMES.advantage, rng).apply(x) as tf.SymbolicTensor;
      const joined = tf.layers.concatenate({ name: LAYER_NAMES.valueAdvantage }).apply([value, advantage]);
      const kernel = duelingMatrix(n);
      try {
        const combine = tf.layers.dense({
          units: n,
          useBias: false,
          trainable: false,
          weights: [kernel],
          name: LAYER_NAMES.q,
        });
        const q = combine.apply(joined) as tf.SymbolicTensor;
        return tf.model({ inputs: input, outputs: q, name: 'dueling_q_network' });
      } finally {
        kernel.dispose();
      }
    }
    case 'actor-critic': {
      const logits = linear(n, LAYER_NAMES.logits, rng).apply(x) as tf.SymbolicTensor;
      const value = linear(1, LAYER_NAMES.value, rng).apply(x) as tf.SymbolicTensor;
      return tf.model({ inputs: input, outputs: [logits, value], name: 'actor_critic_network' });
    }
    default: {
      const unknown: never = head;
      throw new Error(
        `unknown head kind in ${JSON.stringify(unknown)}: use 'q', 'dueling' or 'actor-critic'`,
      );
    }
  }
}

/**
 * A model sharing `model`'s weights whose outputs are [features, ...head outputs], where
 * features are the last torso layer's activations (for t-SNE maps of hidden states).
 */
export function featureModel(model: tf.LayersModel): tf.LayersModel {
  let features: tf.layers.Layer;
  try {
    features = model.getLayer(LAYER_NAMES.features);
  } catch {
    throw new Error(
      `featureModel: model '${model.name}' has no '${LAYER_NAMES.features}' layer (build it with buildNetwork and a non-empty torso)`,
    );
  }
  const out = features.output as tf.SymbolicTensor;
  const flat = out.shape.length > 2 ? (tf.layers.flatten().apply(out) as tf.SymbolicTensor) : out;
  return tf.model({
    inputs: model.inputs,
    outputs: [flat, ...model.outputs],
    name: `${model.name}_features`,
  });
}
