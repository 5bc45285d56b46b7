/**
 * The two formulas of Ape-X (Horgan et al. 2018, "Distributed Prioritized Experience Replay")
 * that the actors apply, as pure functions:
 *
 *   ε_i = ε^(1 + α·i/(N−1))                 ε = 0.4, α = 7; actor i of N (Section 4.1)
 *   δ_t = G_t^(k) + γ^k·max_a Q(s_{t+k}, a) − Q(s_t, a_t)   the initial priority p_t = |δ_t|,
 *         G_t^(k) = Σ_{j<k} γ^j r_{t+j},    k = n, or fewer steps when the episode ends first
 *         (no bootstrap when it terminated; a truncated episode bootstraps from its last state)
 *
 * The learner's replay builds the same n-step targets at sample time (replay/replay-buffer.ts),
 * so an actor's δ is what the learner's first update of that transition would see with the
 * actor's copy of the weights (Ape-X uses the online network for both terms, as here).
 */

/** Ape-X's base ε and exponent span. */
export const APEX_EPSILON = 0.4;
export const APEX_ALPHA = 7;

/** ε of actor `index` of `numActors` (a single actor gets the base ε, 0.4). */
export function apexEpsilon(index: number, numActors: number): number {
  if (!Number.isInteger(numActors) || numActors < 1)
    throw new Error(`apexEpsilon: numActors must be an integer >= 1, got ${numActors}`);
  if (!Number.isInteger(index) || index < 0 || index >= numActors)
    throw new Error(`apexEpsilon: index must be an integer in 0..${numActors - 1}, got ${index}`);
  if (numActors === 1) return APEX_EPSILON;
  return APEX_EPSILON ** (1 + (APEX_ALPHA * index) / (numActors - 1));
}

/**
 * δ_t of the header for one transition: `rewards_t` holds r_t..r_{t+k−1} (k ≥ 1, as the replay
 * sums them), `qNextMax_tk` is max_a Q(s_{t+k}, ·) (ignored when `terminated`).
 */
export function nStepTdError(
  qTaken_t: number,
  rewards_t: ArrayLike<number>,
  gamma: number,
  terminated: boolean,
  qNextMax_tk: number,
): number {
  const k = rewards_t.length;
  if (k < 1) throw new Error('nStepTdError: needs at least one reward');
  let g = 0;
  let discount = 1;
  for (let j = 0; j < k; j++) {
    g += discount * rewards_t[j];
    discount *= gamma;
  }
  return g + (terminated ? 0 : discount * qNextMax_tk) - qTaken_t;
}
