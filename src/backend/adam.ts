/**
 * Adam with the same maths, state layout and checkpoint format as tfjs' AdamOptimizer, but with
 * the update of each small variable fused into one kernel on wasm (wasm/adam-update.ts); large
 * variables and other backends run the same update as tfjs, op by op. Use {@link adam} where
 * `tf.train.adam` would go.
 *
 * Why a size threshold: tfjs' ~13 ops per variable each cost a kernel dispatch (~10 µs here)
 * plus a SIMD pass; the fused JS loop costs ~5 ns per element. Measured on a 3136x512 weight,
 * the ops took 6.5 ms and the loop 8.5 ms, while on the MinAtar-sized net (all variables small)
 * fusing cut a step from 3.2 to 2.8 ms. Below ~2^17 elements the dispatches dominate.
 *
 * Written by hand rather than by subclassing tf.AdamOptimizer because that class keeps its
 * moments in private fields.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from './wasm/adam-update.js';

/** What tfjs optimizers take and give as weights (not exported by @tensorflow/tfjs). */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Variables up to this many elements take the fused kernel on wasm. */
export const FUSED_ADAM_MAX_SIZE = 1 << 17;

interface Slot {
  originalName: string;
  variable: tf.Variable;
}

export class FusedAdamOptimizer extends tf.Optimizer {
  /** The same name as tfjs' Adam: the config and weights are interchangeable with it. */
  static get className(): string {
    return 'Adam';
  }

  private firstMoments: Slot[] = [];
  private secondMoments: Slot[] = [];

  constructor(
    /** Step size α. */
    readonly learningRate: number,
    /** Decay of the first-moment average. */
    readonly beta1 = 0.9,
    /** Decay of the second-moment average. */
    readonly beta2 = 0.999,
    /** Added to √v̂; tfjs' default is the backend's epsilon (1e-7 for float32). */
    readonly epsilon = 1e-7,
  ) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const named: NamedTensor[] = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    // Bias corrections 1 − βᵗ for t = iterations + 1, as tfjs' accBeta variables hold them.
    const t = this.iterations + 1;
    const attrs: AdamUpdateAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 - this.beta1 ** t,
      correction2: 1 - this.beta2 ** t,
    };
    const fused = tf.getBackend() === 'wasm' && tf.getKernel(ADAM_UPDATE_KERNEL, 'wasm') !== undefined;
    tf.tidy(() => {
      named.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name];
        if (value === undefined) throw new Error(`Adam: no variable named '${name}'`);
        if (this.firstMoments[i] === undefined) {
          this.firstMoments[i] = {
            originalName: `${name}/m`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
          this.secondMoments[i] = {
            originalName: `${name}/v`,
            variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
          };
        }
        if (gradient == null) return;
        const m = this.firstMoments[i].variable;
        const v = this.secondMoments[i].variable;
        let next: tf.Tensor[];
        if (fused && value.size <= FUSED_ADAM_MAX_SIZE) {
          next = tf
            .engine()
            .runKernel(ADAM_UPDATE_KERNEL, { value, m, v, gradient }, { ...attrs }) as tf.Tensor[];
        } else {
          const newM = tf.add(tf.mul(m, this.beta1), tf.mul(gradient, 1 - this.beta1));
          const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2));
          const step = tf.div(
            tf.div(newM, attrs.correction1),
            tf.add(tf.sqrt(tf.div(newV, attrs.correction2)), this.epsilon),
          );
          next = [tf.add(tf.mul(step, -this.learningRate), value), newM, newV];
        }
        value.assign(next[0]);
        m.assign(next[1]);
        v.assign(next[2]);
      });
    });
    this.incrementIterations();
  }

  override dispose(): void {
    tf.dispose([...this.firstMoments, ...this.secondMoments].map((s) => s.variable));
    this.firstMoments = [];
    this.secondMoments = [];
  }

  /** [iterations, every m, every v], in tfjs Adam's order and names. */
  override async getWeights(): Promise<NamedTensor[]> {
    const slots = [...this.firstMoments, ...this.secondMoments];
    return [await this.saveIterations(), ...slots.map((s) => ({ name: s.originalName, tensor: s.variable }))];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const values = await this.extractIterations(weightValues);
    if (values.length % 2 !== 0) {
      throw new Error(
        `Adam.setWeights: expected as many m as v tensors, got ${values.length} tensors in all`,
      );
    }
    this.dispose();
    const half = values.length / 2;
    const toSlot = (w: NamedTensor): Slot => ({ originalName: w.name, variable: w.tensor.variable(false) });
    this.firstMoments = values.slice(0, half).map(toSlot);
    this.secondMoments = values.slice(half).map(toSlot);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** Drop-in for `tf.train.adam`, fused on wasm. */
export function adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}
