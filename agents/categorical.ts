/**
 * The categorical (softmax) policy over discrete actions, given unnormalised logits.
 *
 * Two halves, for two places:
 * - tensor functions (`logProbOf`, `entropy`), differentiable, used inside the losses;
 * - plain-array functions (`sampleActions`), used when acting: the logits of one batch of envs
 *   are read back once and sampled in JS with our seeded {@link Rng}, so a run is reproducible
 *   on every backend (`tf.multinomial` has its own seed handling and differs between backends).
 *
 * Log-softmax is computed as `z − max(z) − log Σ exp(z − max(z))` everywhere, so very large or
 * very negative logits give finite log-probabilities.
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../src/util/rng.js';

/** log π(a|s) for every action: shape [B, A]. */
export function logSoftmax(logits: tf.Tensor): tf.Tensor2D {
  if (logits.rank !== 2) {
    throw new Error(`logSoftmax: logits must have shape [batch, actions], got [${logits.shape}]`);
  }
  return tf.logSoftmax(logits) as tf.Tensor2D;
}

/**
 * log π(a_t|s_t) of the given actions: shape [B]. Differentiable with respect to `logits`.
 * A one-hot mask rather than `tf.gather` (wasm 4.22's GatherV2 with batchDims = 1 has a wrong gradient). The mask is made as int32 and
 * cast: stock wasm 4.22's `tf.oneHot(..., 'float32')` writes the int32 bit pattern of 1 into
 * float32 slots (1.4e-45), silently zeroing every selected value (src/backend/wasm patches it;
 * this form is right with or without the patch).
 * @param logits shape [B, A].
 * @param actions one action index per row, int32.
 */
export function logProbOf(logits: tf.Tensor, actions: tf.Tensor1D): tf.Tensor1D {
  if (logits.rank !== 2 || actions.rank !== 1 || actions.shape[0] !== logits.shape[0]) {
    throw new Error(
      `logProbOf: need logits [batch, actions] and actions [batch], got [${logits.shape}] and [${actions.shape}]`,
    );
  }
  return tf.tidy(() => {
    const idx = actions.dtype === 'int32' ? actions : tf.cast(actions, 'int32');
    const mask = tf.cast(tf.oneHot(idx, logits.shape[1] as number), 'float32');
    return tf.sum(tf.mul(logSoftmax(logits), mask), 1) as tf.Tensor1D;
  });
}

/** Entropy H(π(·|s)) = −Σ_a π(a|s) log π(a|s), in nats, per row: shape [B]. */
export function entropy(logits: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = logSoftmax(logits);
    return tf.neg(tf.sum(tf.mul(tf.exp(logp), logp), 1)) as tf.Tensor1D;
  });
}

/** What {@link sampleActions} returns: the actions and their log-probabilities. */
export interface SampledActions {
  /** One action per row, in [0, A). */
  actions: Int32Array;
  /** log π(a|s) of each sampled action, as the network saw it when acting (PPO's "old" log-prob). */
  logProbs: Float32Array;
}

/**
 * Samples one action per row from softmax(logits), by inverting the CDF with one uniform draw
 * per row. `greedy` takes the arg-max instead (evaluation), still reporting its log-probability.
 * @param logits row-major [batch, numActions].
 */
export function sampleActions(
  logits: Float32Array,
  numActions: number,
  rng: Rng,
  greedy = false,
): SampledActions {
  if (!Number.isInteger(numActions) || numActions < 1 || logits.length % numActions !== 0) {
    throw new Error(`sampleActions: ${logits.length} logits do not split into rows of ${numActions} actions`);
  }
  const batch = logits.length / numActions;
  const actions = new Int32Array(batch);
  const logProbs = new Float32Array(batch);
  for (let b = 0; b < batch; b++) {
    const off = b * numActions;
    let max = Number.NEGATIVE_INFINITY;
    let argmax = 0;
    for (let a = 0; a < numActions; a++) {
      const z = logits[off + a];
      if (Number.isNaN(z)) {
        throw new Error(`sampleActions: logit ${a} of row ${b} is NaN (the network diverged?)`);
      }
      if (z > max) {
        max = z;
        argmax = a;
      }
    }
    let sum = 0;
    for (let a = 0; a < numActions; a++) sum += Math.exp(logits[off + a] - max);
    const logSum = Math.log(sum);
    let chosen = argmax;
    if (!greedy) {
      // Inverse CDF; the last action absorbs any rounding left over (u·sum may exceed the running sum).
      const u = rng.float() * sum;
      let acc = 0;
      chosen = numActions - 1;
      for (let a = 0; a < numActions; a++) {
        acc += Math.exp(logits[off + a] - max);
        if (u < acc) {
          chosen = a;
          break;
        }
      }
    }
    actions[b] = chosen;
    logProbs[b] = logits[off + chosen] - max - logSum;
  }
  return { actions, logProbs };
}
