/**
 * TEMPORARY: stands in for `gae` from replay/returns.ts (the replay dev's, not landed yet) so the
 * on-policy loop can run; delete this file and import theirs once it lands.
 */

export interface GaeArgs {
  /** r_t, row t·N + i. */
  rewards: Float32Array;
  /** V(s_t), row t·N + i. */
  values: Float32Array;
  /** 1 where the episode ended after step t. */
  dones: Uint8Array;
  /** V(s_T) of the observation after the last step, one per env. */
  lastValues: Float32Array;
  numEnvs: number;
  gamma: number;
  lambda: number;
}

/** Â_t = δ_t + γλ(1 − done_t)Â_{t+1}, δ_t = r_t + γ(1 − done_t)V_{t+1} − V_t (Schulman et al. 2016). */
export function gae(a: GaeArgs): Float32Array {
  const n = a.numEnvs;
  const steps = a.rewards.length / n;
  const adv = new Float32Array(a.rewards.length);
  for (let i = 0; i < n; i++) {
    let next = 0;
    for (let t = steps - 1; t >= 0; t--) {
      const k = t * n + i;
      const notDone = 1 - a.dones[k];
      const nextValue = t === steps - 1 ? a.lastValues[i] : a.values[k + n];
      const delta = a.rewards[k] + a.gamma * notDone * nextValue - a.values[k];
      next = delta + a.gamma * a.lambda * notDone * next;
      adv[k] = next;
    }
  }
  return adv;
}
