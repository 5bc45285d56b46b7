/**
 * Returns and advantages as pure functions of arrays, for the policy-gradient and actor-critic
 * agents (and tests with numbers worked out by hand, as rlax does).
 *
 * Layout: a rollout of T steps of N envs is time-major and flat, element t*N + n (N = 1 for a
 * single trajectory). Per step: r_t, the reward; d_t = 1 when the episode ended at step t
 * (terminated OR truncated); V_t = V(s_t). `lastValues[n]` is V(s_T) for env n: the observation
 * after the rollout's last step, used only where that step did not end an episode.
 *
 * Truncation, as in SB3 and CleanRL: a step cut by a time limit ends the episode (d_t = 1), and
 * the value of its final observation is bootstrapped into its reward beforehand with
 * {@link bootstrapTruncated}: r_t + γ V(s_final). A terminated step gets nothing added.
 */

/** What the functions take as flags: 1/0 or true/false per element. */
export type Flags = ArrayLike<number | boolean>;

function checkLengths(name: string, numEnvs: number, lengths: Record<string, number>): number {
  const [first, ...rest] = Object.entries(lengths);
  for (const [key, length] of rest) {
    if (length !== first[1]) {
      throw new Error(
        `${name}: ${key} has ${length} elements but ${first[0]} has ${first[1]}; pass arrays of T*N elements`,
      );
    }
  }
  if (!Number.isInteger(numEnvs) || numEnvs < 1 || first[1] % numEnvs !== 0) {
    throw new Error(`${name}: ${first[1]} elements is not a whole number of steps of ${numEnvs} envs`);
  }
  return first[1];
}

function checkLastValues(name: string, lastValues: ArrayLike<number>, numEnvs: number): void {
  if (lastValues.length !== numEnvs) {
    throw new Error(`${name}: lastValues needs one value per env (${numEnvs}), got ${lastValues.length}`);
  }
}

/**
 * r_t + γ V(s_final) at truncated steps, r_t elsewhere: the SB3/CleanRL way of bootstrapping a
 * time-limit end. `finalValues[i]` is read only where `truncated[i]` (and not terminated).
 */
export function bootstrapTruncated(
  rewards: ArrayLike<number>,
  terminated: Flags,
  truncated: Flags,
  finalValues: ArrayLike<number>,
  gamma: number,
  out = new Float32Array(rewards.length),
): Float32Array {
  checkLengths('bootstrapTruncated', 1, {
    rewards: rewards.length,
    terminated: terminated.length,
    truncated: truncated.length,
    finalValues: finalValues.length,
  });
  for (let i = 0; i < rewards.length; i++) {
    out[i] = truncated[i] && !terminated[i] ? rewards[i] + gamma * finalValues[i] : rewards[i];
  }
  return out;
}

/**
 * Discounted returns G_t = r_t + γ (1 - d_t) G_{t+1}, with G_T = lastValues (0 for complete
 * episodes, as in REINFORCE).
 */
export function discountedReturns(
  rewards: ArrayLike<number>,
  dones: Flags,
  lastValues: ArrayLike<number>,
  gamma: number,
  numEnvs = 1,
  out = new Float32Array(rewards.length),
): Float32Array {
  const length = checkLengths('discountedReturns', numEnvs, { rewards: rewards.length, dones: dones.length });
  checkLastValues('discountedReturns', lastValues, numEnvs);
  for (let n = 0; n < numEnvs; n++) {
    let g_tp1 = lastValues[n];
    for (let i = length - numEnvs + n; i >= 0; i -= numEnvs) {
      g_tp1 = rewards[i] + (dones[i] ? 0 : gamma * g_tp1);
      out[i] = g_tp1;
    }
  }
  return out;
}

/** Advantages and the value targets (advantages + values). */
export interface GaeResult {
  advantages: Float32Array;
  returns: Float32Array;
}

/**
 * Generalized advantage estimation (Schulman et al. 2016, eq. 16):
 *   δ_t = r_t + γ (1 - d_t) V_{t+1} - V_t,   A_t = δ_t + γλ (1 - d_t) A_{t+1},
 * with V_T = lastValues and A_T = 0; returns_t = A_t + V_t. λ = 1 gives G_t - V_t, λ = 0 gives δ_t.
 */
export function gae(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  dones: Flags,
  lastValues: ArrayLike<number>,
  gamma: number,
  lambda: number,
  numEnvs = 1,
  out: GaeResult = {
    advantages: new Float32Array(rewards.length),
    returns: new Float32Array(rewards.length),
  },
): GaeResult {
  const length = checkLengths('gae', numEnvs, {
    rewards: rewards.length,
    values: values.length,
    dones: dones.length,
  });
  checkLastValues('gae', lastValues, numEnvs);
  for (let n = 0; n < numEnvs; n++) {
    let v_tp1 = lastValues[n];
    let a_tp1 = 0;
    for (let i = length - numEnvs + n; i >= 0; i -= numEnvs) {
      const notDone = dones[i] ? 0 : 1;
      const delta = rewards[i] + gamma * notDone * v_tp1 - values[i];
      a_tp1 = delta + gamma * lambda * notDone * a_tp1;
      out.advantages[i] = a_tp1;
      out.returns[i] = a_tp1 + values[i];
      v_tp1 = values[i];
    }
  }
  return out;
}

/**
 * n-step returns G_t = Σ_{j<k} γ^j r_{t+j} + γ^k (1 - d) V_{t+k}, with k = n, or fewer where an
 * episode ends (no bootstrap after it: d = 1) or the rollout ends (bootstrap from lastValues).
 */
export function nStepReturns(
  rewards: ArrayLike<number>,
  values: ArrayLike<number>,
  dones: Flags,
  lastValues: ArrayLike<number>,
  n: number,
  gamma: number,
  numEnvs = 1,
  out = new Float32Array(rewards.length),
): Float32Array {
  const length = checkLengths('nStepReturns', numEnvs, {
    rewards: rewards.length,
    values: values.length,
    dones: dones.length,
  });
  checkLastValues('nStepReturns', lastValues, numEnvs);
  if (!Number.isInteger(n) || n < 1) throw new Error(`nStepReturns: n must be an integer >= 1, got ${n}`);
  const steps = length / numEnvs;
  for (let env = 0; env < numEnvs; env++) {
    for (let t = 0; t < steps; t++) {
      let g = 0;
      let discount = 1;
      let ended = false;
      let k = 0;
      for (; k < n && t + k < steps; k++) {
        const i = (t + k) * numEnvs + env;
        g += discount * rewards[i];
        discount *= gamma;
        if (dones[i]) {
          ended = true;
          break;
        }
      }
      if (!ended) g += discount * (t + k < steps ? values[(t + k) * numEnvs + env] : lastValues[env]);
      out[t * numEnvs + env] = g;
    }
  }
  return out;
}
