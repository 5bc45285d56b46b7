/**
 * Small tensor helpers the agents need, written only with ops that every backend gets right.
 *
 * `tf.gather(q, actions, 1, 1)` (batchDims = 1) returns wrong values on wasm 4.22 (tfjs#8658) and
 * its gradient needs `UnsortedSegmentSum`, which wasm lacks; a one-hot mask is correct everywhere
 * and its gradient is a plain multiply.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Q(s, a) for each row: `q[i, actions[i]]`, shape [B]. Differentiable with respect to `q`.
 * @param q action values, shape [B, A].
 * @param actions one action index per row, in [0, A).
 */
export function selectActions(
  q: tf.Tensor,
  actions: tf.Tensor | Int32Array | readonly number[],
): tf.Tensor1D {
  if (q.rank !== 2) {
    throw new Error(`selectActions: q must have shape [batch, actions], got [${q.shape}]`);
  }
  const [batch, numActions] = q.shape as [number, number];
  return tf.tidy(() => {
    let idx: tf.Tensor;
    if (actions instanceof tf.Tensor) {
      if (actions.rank !== 1 || actions.shape[0] !== batch) {
        throw new Error(`selectActions: actions must have shape [${batch}], got [${actions.shape}]`);
      }
      idx = actions.dtype === 'int32' ? actions : tf.cast(actions, 'int32');
    } else {
      if (actions.length !== batch) {
        throw new Error(`selectActions: got ${actions.length} actions for a batch of ${batch}`);
      }
      for (const a of actions) {
        if (!Number.isInteger(a) || a < 0 || a >= numActions) {
          throw new Error(`selectActions: action ${a} is not an integer in [0, ${numActions})`);
        }
      }
      idx = tf.tensor1d(Int32Array.from(actions), 'int32');
    }
    // int32 then cast: wasm 4.22's OneHot ignores a float32 dtype (fixed in wasm/one-hot.ts too).
    const mask = tf.cast(tf.oneHot(idx as tf.Tensor1D, numActions), 'float32');
    return tf.sum(tf.mul(q, mask), 1) as tf.Tensor1D;
  });
}

/** What {@link clipByGlobalNorm} returns. */
export interface ClippedGradients<T> {
  /** The gradients scaled by `clipNorm / max(globalNorm, clipNorm)`, in the same structure. */
  grads: T;
  /** The global norm before clipping: sqrt of the sum of all squared entries. */
  globalNorm: tf.Scalar;
}

/**
 * Scales a set of gradients so their joint L2 norm is at most `clipNorm`, as TensorFlow's
 * `tf.clip_by_global_norm` (and PyTorch's `clip_grad_norm_`) do; the direction is kept.
 * The caller owns (and disposes) the returned tensors; the inputs are left untouched.
 */
export function clipByGlobalNorm<T extends tf.Tensor[] | tf.NamedTensorMap>(
  grads: T,
  clipNorm: number,
): ClippedGradients<T> {
  if (!(Number.isFinite(clipNorm) && clipNorm > 0)) {
    throw new Error(`clipByGlobalNorm: clipNorm must be a positive number, got ${clipNorm}`);
  }
  const list: tf.Tensor[] = Array.isArray(grads) ? grads : Object.values(grads);
  if (list.length === 0) {
    throw new Error('clipByGlobalNorm: no gradients given');
  }
  return tf.tidy(() => {
    const squares = list.map((g) => tf.sum(tf.square(g)));
    const globalNorm = tf.sqrt(squares.length === 1 ? squares[0] : tf.addN(squares)) as tf.Scalar;
    const scale = tf.div(clipNorm, tf.maximum(globalNorm, clipNorm));
    let out: tf.Tensor[] | tf.NamedTensorMap;
    if (Array.isArray(grads)) {
      out = grads.map((g) => tf.mul(g, scale));
    } else {
      const named: tf.NamedTensorMap = {};
      for (const [k, g] of Object.entries(grads)) named[k] = tf.mul(g, scale);
      out = named;
    }
    return { grads: out as T, globalNorm };
  });
}

/**
 * Huber loss averaged over all entries, as in the DQN Nature paper's error clipping:
 * 0.5·d² where |d| ≤ delta, delta·(|d| − 0.5·delta) elsewhere.
 */
export function huberLoss(predictions: tf.Tensor, targets: tf.Tensor, delta = 1): tf.Scalar {
  return tf.tidy(() => {
    const absDiff = tf.abs(tf.sub(predictions, targets));
    const quadratic = tf.minimum(absDiff, delta);
    const linear = tf.sub(absDiff, quadratic);
    return tf.mean(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear))) as tf.Scalar;
  });
}
