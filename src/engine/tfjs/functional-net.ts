/**
 * A faster forward pass for the networks buildNetwork makes: the same weights (the model's own
 * variables, so gradients and checkpoints are unchanged), applied with tfjs' fused ops (product,
 * bias and activation in one kernel), for models with one or several heads (the shared-torso
 * actor-critic's logits and value). fused-forward.ts builds the DQN's Q-networks on it.
 *
 * Why: `LayersModel.apply` walks the layer graph through tfjs-layers' symbolic executor on every
 * call, which costs more than the arithmetic for the small batches of acting and of minibatch
 * updates (measured here: ~1.5× on a 64-64 MLP training step, more when acting). The on-policy
 * agents call the network thousands of times per second, so they skip that walk.
 *
 * Supported layers are exactly those buildNetwork emits for torsos and actor-critic / q heads:
 * Rescaling, Conv2D (channels-last), Flatten, Dense. Anything else is refused at compile time,
 * so a change in the builder shows up as an error, not a silently different network.
 */
import * as tf from '@tensorflow/tfjs';

type Step =
  | { kind: 'scale'; scale: number }
  | { kind: 'flatten' }
  | { kind: 'dense'; kernel: tf.Tensor2D; bias: tf.Tensor1D | null; activation: string }
  | {
      kind: 'conv';
      kernel: tf.Tensor4D;
      bias: tf.Tensor1D | null;
      activation: string;
      strides: [number, number];
      padding: 'valid' | 'same';
    };

/** The forward function: one output tensor per model output, in the model's output order. */
export type ForwardFn = (x: tf.Tensor) => tf.Tensor[];

/** Activations tfjs' fused matMul/conv2d apply inside the kernel; others (tanh, softplus) follow it. */
type FusedActivation = 'linear' | 'relu' | 'elu' | 'sigmoid';
const fusable = (a: string): boolean => a === 'linear' || a === 'relu' || a === 'elu' || a === 'sigmoid';
/** The activation the fused kernel applies: the layer's own if it can, else none. */
const inKernel = (a: string): FusedActivation => (fusable(a) ? (a as FusedActivation) : 'linear');
/** The fused kernel's output `z`, with the layer's activation applied if the kernel could not. */
const afterKernel = (z: tf.Tensor, a: string): tf.Tensor => (fusable(a) ? z : activate(z, a));

function activate(x: tf.Tensor, activation: string): tf.Tensor {
  switch (activation) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'elu':
      return tf.elu(x);
    case 'softplus':
      return tf.softplus(x);
    default:
      throw new Error(`functional-net: unsupported activation '${activation}'`);
  }
}

function stepOf(layer: tf.layers.Layer): Step {
  const cls = layer.getClassName();
  const config = layer.getConfig() as Record<string, unknown>;
  const weights = layer.weights.map((w) => w.read());
  const bias = (weights[1] as tf.Tensor1D | undefined) ?? null;
  const activation = String(config.activation ?? 'linear');
  switch (cls) {
    case 'Rescaling':
      if (Number(config.offset ?? 0) !== 0) throw new Error('functional-net: Rescaling with an offset');
      return { kind: 'scale', scale: Number(config.scale) };
    case 'Flatten':
      return { kind: 'flatten' };
    case 'Dense':
      return { kind: 'dense', kernel: weights[0] as tf.Tensor2D, bias, activation };
    case 'Conv2D': {
      if (config.dataFormat !== 'channelsLast')
        throw new Error('functional-net: Conv2D must be channels-last');
      const strides = config.strides as number[];
      const rate = config.dilationRate as number[] | number | undefined;
      if (rate !== undefined && [rate].flat().some((r) => r !== 1)) {
        throw new Error('functional-net: dilated Conv2D is not supported');
      }
      return {
        kind: 'conv',
        kernel: weights[0] as tf.Tensor4D,
        bias,
        activation,
        strides: [strides[0], strides[1]],
        padding: config.padding === 'same' ? 'same' : 'valid',
      };
    }
    default:
      throw new Error(`functional-net: layer '${layer.name}' of class ${cls} is not supported`);
  }
}

function run(steps: readonly Step[], x: tf.Tensor): tf.Tensor {
  let h = x;
  for (const s of steps) {
    switch (s.kind) {
      case 'scale':
        h = tf.mul(h, s.scale);
        break;
      case 'flatten':
        h = tf.reshape(h, [h.shape[0] as number, -1]);
        break;
      case 'dense':
        h = afterKernel(
          tf.fused.matMul({
            a: h as tf.Tensor2D,
            b: s.kernel,
            bias: s.bias ?? undefined,
            activation: inKernel(s.activation),
          }),
          s.activation,
        );
        break;
      case 'conv':
        h = afterKernel(
          tf.fused.conv2d({
            x: h as tf.Tensor4D,
            filter: s.kernel,
            strides: s.strides,
            pad: s.padding,
            bias: s.bias ?? undefined,
            activation: inKernel(s.activation),
          }),
          s.activation,
        );
        break;
    }
  }
  return h;
}

/**
 * Compiles a chain of layers (a torso, or a head) into one function, skipping input layers.
 * Like the ops it calls, the function must run inside `tf.tidy` or a gradient.
 */
export function compileChain(layers: readonly tf.layers.Layer[]): (x: tf.Tensor) => tf.Tensor {
  const steps = layers.filter((l) => l.getClassName() !== 'InputLayer').map(stepOf);
  return (x) => run(steps, x);
}

/**
 * Compiles a buildNetwork model into a forward function over its variables. The model must be a
 * chain (input → layers → features) with one or more heads reading the last torso layer.
 * The returned function must be called inside `tf.tidy` (or a gradient), like any tfjs op.
 */
export function compileForward(model: tf.LayersModel): ForwardFn {
  const outputNames = model.outputs.map((o) => o.sourceLayer.name);
  const torso: Step[] = [];
  const heads = new Map<string, Step>();
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (outputNames.includes(layer.name)) {
      heads.set(layer.name, stepOf(layer));
    } else {
      torso.push(stepOf(layer));
    }
  }
  const headSteps = outputNames.map((name) => {
    const step = heads.get(name);
    if (step === undefined) throw new Error(`functional-net: output layer '${name}' not found`);
    return step;
  });
  return (x) => {
    const features = run(torso, x);
    return headSteps.map((h) => run([h], features));
  };
}
