/**
 * TD targets and losses of value-based agents, as pure functions of tensors (rlax style: named by
 * time step, `q_tm1` = Q(s_{t-1}, ·) of the state the action was taken in, `q_t` = values at the
 * next state, `r_t` the (n-step) reward, `discount_t` = γ^n or 0 at a terminal).
 *
 * Targets are computed outside the gradient tape (they are constants to the loss), so none of
 * these needs a stop-gradient. Every function returns a new tensor and leaks nothing: callers
 * own the result.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * One-hot mask of each row's argmax, shape [B, A]: gathers without `tf.gather` (wasm 4.22's
 * GatherV2 with batchDims = 1 has a wrong gradient). Made as int32 and cast: `tf.oneHot(…, 'float32')` on wasm 4.22 writes
 * integer bit patterns into the float buffer (1 reads as 1.4e-45).
 */
function argmaxMask(q: tf.Tensor): tf.Tensor {
  return tf.cast(tf.oneHot(tf.argMax(q, 1) as tf.Tensor1D, q.shape[1] as number), 'float32');
}

/**
 * Q-learning target (Mnih et al. 2015, eq. 3): y = r_t + discount_t · max_a q_t[a].
 * @param q_t target-network values at s_t, [B, A].
 */
export function qLearningTarget(r_t: tf.Tensor1D, discount_t: tf.Tensor1D, q_t: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.add(r_t, tf.mul(discount_t, tf.max(q_t, 1))) as tf.Tensor1D);
}

/**
 * Double Q-learning target (van Hasselt et al. 2016, eq. 4): the online net selects,
 * the target net evaluates: y = r_t + discount_t · q_t_value[argmax_a q_t_selector[a]].
 * @param q_t_value target-network values at s_t, [B, A].
 * @param q_t_selector online-network values at s_t, [B, A].
 */
export function doubleQLearningTarget(
  r_t: tf.Tensor1D,
  discount_t: tf.Tensor1D,
  q_t_value: tf.Tensor2D,
  q_t_selector: tf.Tensor2D,
): tf.Tensor1D {
  return tf.tidy(() => {
    const chosen = tf.sum(tf.mul(q_t_value, argmaxMask(q_t_selector)), 1);
    return tf.add(r_t, tf.mul(discount_t, chosen)) as tf.Tensor1D;
  });
}

/**
 * Elementwise Huber loss of TD errors: ½x² for |x| ≤ δ, δ(|x| − ½δ) beyond; its gradient is the
 * TD error clipped to [−δ, δ] (the Nature paper's error clipping).
 */
export function huber(x: tf.Tensor, delta: number): tf.Tensor {
  return tf.tidy(() => {
    const abs = tf.abs(x);
    const quadratic = tf.minimum(abs, delta);
    const linear = tf.sub(abs, quadratic);
    return tf.add(tf.mul(0.5, tf.square(quadratic)), tf.mul(delta, linear));
  });
}

/**
 * The DQN loss: mean over the batch of w_i · huber(y_i − q_tm1_a_i). `weights` are the
 * importance-sampling weights of prioritized replay (all ones for uniform replay).
 * @param q_tm1_a online Q(s_{t−1}, a_{t−1}), [B] (inside the gradient tape).
 * @param target y, [B] (a constant).
 */
export function weightedHuberLoss(
  q_tm1_a: tf.Tensor1D,
  target: tf.Tensor1D,
  weights: tf.Tensor1D,
  delta: number,
): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.mul(weights, huber(tf.sub(target, q_tm1_a), delta))) as tf.Scalar);
}

/** The same with squared errors (CleanRL dqn.py's MSE): mean over the batch of w_i · (y_i − q_i)². */
export function weightedSquaredLoss(
  q_tm1_a: tf.Tensor1D,
  target: tf.Tensor1D,
  weights: tf.Tensor1D,
): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.mul(weights, tf.square(tf.sub(target, q_tm1_a)))) as tf.Scalar);
}

/** TD errors δ = y − Q(s, a) as plain numbers (for priorities and logs). */
export function tdErrors(q_tm1_a: tf.Tensor1D, target: tf.Tensor1D): Float32Array {
  return tf.tidy(() => tf.sub(target, q_tm1_a).dataSync() as Float32Array).slice();
}

/**
 * Polyak update of target parameters: θ' ← τθ + (1 − τ)θ'. τ = 1 is the hard copy of the Nature
 * paper. Writes into `target` in place.
 */
export function polyakUpdate(
  target: readonly tf.Variable[],
  online: readonly tf.Tensor[],
  tau: number,
): void {
  if (target.length !== online.length) {
    throw new Error(`polyakUpdate: ${target.length} target tensors for ${online.length} online tensors`);
  }
  tf.tidy(() => {
    target.forEach((t, i) => {
      t.assign(tau === 1 ? online[i] : tf.add(tf.mul(tau, online[i]), tf.mul(1 - tau, t)));
    });
  });
}
