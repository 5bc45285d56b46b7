/**
 * Policy-gradient and actor-critic losses as pure functions of tensors, in the style of rlax:
 * inputs are named by time step (`logPi_t` = log π(a_t|s_t), `adv_t` = Â_t, `return_t` = R_t),
 * all of shape [B] (a flattened batch of steps), and each function returns a scalar to minimise
 * (or, for the diagnostics, to log). Tested against numbers worked out by hand in
 * test/agents/pg-losses.test.ts. Advantages and returns are computed outside (replay/returns.ts)
 * and enter here as constants: no gradient flows through them.
 */
import * as tf from '@tensorflow/tfjs';

function checkSameShape(name: string, tensors: Record<string, tf.Tensor>): void {
  const entries = Object.entries(tensors);
  const [firstName, first] = entries[0];
  if (first.rank !== 1) {
    throw new Error(`${name}: ${firstName} must be a 1-D batch of steps, got shape [${first.shape}]`);
  }
  for (const [k, t] of entries.slice(1)) {
    if (t.rank !== 1 || t.shape[0] !== first.shape[0]) {
      throw new Error(`${name}: ${k} has shape [${t.shape}] but ${firstName} has [${first.shape}]`);
    }
  }
}

/**
 * The vanilla policy-gradient (REINFORCE / A2C) loss: −mean_t(log π(a_t|s_t) · Â_t)
 * (Williams 1992; Mnih et al. 2016, Algorithm S3). Its gradient is the score-function estimator.
 */
export function policyGradientLoss(logPi_t: tf.Tensor, adv_t: tf.Tensor): tf.Scalar {
  checkSameShape('policyGradientLoss', { logPi_t, adv_t });
  return tf.tidy(() => tf.neg(tf.mean(tf.mul(logPi_t, adv_t))) as tf.Scalar);
}

/**
 * PPO's clipped surrogate, as a loss (Schulman et al. 2017, eq. 7, negated):
 *   mean_t max(−Â_t·ρ_t, −Â_t·clip(ρ_t, 1−ε, 1+ε)),   ρ_t = exp(logPi_t − logPiOld_t).
 * The max of the negatives is the min of the surrogates: a pessimistic bound that stops the
 * ratio from being pushed past 1±ε in the direction the advantage favours.
 */
export function ppoClipLoss(
  logPi_t: tf.Tensor,
  logPiOld_t: tf.Tensor,
  adv_t: tf.Tensor,
  clipEpsilon: number,
): tf.Scalar {
  checkSameShape('ppoClipLoss', { logPi_t, logPiOld_t, adv_t });
  if (!(clipEpsilon > 0)) throw new Error(`ppoClipLoss: clipEpsilon must be > 0, got ${clipEpsilon}`);
  return tf.tidy(() => {
    const ratio = tf.exp(tf.sub(logPi_t, logPiOld_t));
    const unclipped = tf.mul(tf.neg(adv_t), ratio);
    const clipped = tf.mul(tf.neg(adv_t), tf.clipByValue(ratio, 1 - clipEpsilon, 1 + clipEpsilon));
    return tf.mean(tf.maximum(unclipped, clipped)) as tf.Scalar;
  });
}

/** The squared-error value loss ½·mean_t (V(s_t) − R_t)², as CleanRL and SB3 (with vf coef) write it. */
export function valueLoss(v_t: tf.Tensor, return_t: tf.Tensor): tf.Scalar {
  checkSameShape('valueLoss', { v_t, return_t });
  return tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(v_t, return_t)))) as tf.Scalar);
}

/**
 * PPO's clipped value loss (OpenAI baselines `ppo2`, CleanRL `clip_vloss`):
 *   ½·mean_t max((V_t − R_t)², (V_old,t + clip(V_t − V_old,t, −ε, ε) − R_t)²).
 * It keeps the new value within ε of the value recorded at acting time, pessimistically.
 */
export function clippedValueLoss(
  v_t: tf.Tensor,
  vOld_t: tf.Tensor,
  return_t: tf.Tensor,
  clipEpsilon: number,
): tf.Scalar {
  checkSameShape('clippedValueLoss', { v_t, vOld_t, return_t });
  if (!(clipEpsilon > 0)) throw new Error(`clippedValueLoss: clipEpsilon must be > 0, got ${clipEpsilon}`);
  return tf.tidy(() => {
    const unclipped = tf.square(tf.sub(v_t, return_t));
    const vClipped = tf.add(vOld_t, tf.clipByValue(tf.sub(v_t, vOld_t), -clipEpsilon, clipEpsilon));
    const clipped = tf.square(tf.sub(vClipped, return_t));
    return tf.mul(0.5, tf.mean(tf.maximum(unclipped, clipped))) as tf.Scalar;
  });
}

/**
 * The approximate KL divergence KL(π_old ‖ π) ≈ mean_t((ρ_t − 1) − log ρ_t), with
 * log ρ_t = logPi_t − logPiOld_t (Schulman's "k3" estimator, CleanRL's `approx_kl`): unbiased
 * and never negative, unlike the naive −mean(log ρ).
 */
export function approxKl(logPi_t: tf.Tensor, logPiOld_t: tf.Tensor): tf.Scalar {
  checkSameShape('approxKl', { logPi_t, logPiOld_t });
  return tf.tidy(() => {
    const logRatio = tf.sub(logPi_t, logPiOld_t);
    return tf.mean(tf.sub(tf.sub(tf.exp(logRatio), 1), logRatio)) as tf.Scalar;
  });
}

/** The fraction of steps whose ratio ρ_t left [1−ε, 1+ε], i.e. where |ρ_t − 1| > ε (CleanRL). */
export function clipFraction(logPi_t: tf.Tensor, logPiOld_t: tf.Tensor, clipEpsilon: number): tf.Scalar {
  checkSameShape('clipFraction', { logPi_t, logPiOld_t });
  return tf.tidy(() => {
    const ratio = tf.exp(tf.sub(logPi_t, logPiOld_t));
    return tf.mean(tf.cast(tf.greater(tf.abs(tf.sub(ratio, 1)), clipEpsilon), 'float32')) as tf.Scalar;
  });
}

/**
 * Advantages shifted to mean 0 and scaled to standard deviation 1 (plus `eps`), the trick of
 * OpenAI baselines and CleanRL. The standard deviation is the unbiased one (n − 1), as
 * PyTorch's `Tensor.std()` computes it; a batch of one is only centred.
 */
export function normalizeAdvantages(adv: Float32Array, eps = 1e-8): Float32Array {
  const n = adv.length;
  const out = new Float32Array(n);
  if (n === 0) return out;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += adv[i];
  mean /= n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += (adv[i] - mean) ** 2;
  const std = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
  for (let i = 0; i < n; i++) out[i] = n > 1 ? (adv[i] - mean) / (std + eps) : adv[i] - mean;
  return out;
}
