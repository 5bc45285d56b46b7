/**
 * The records the on-policy agents consume and produce: a flat batch of steps (with advantages
 * and returns already computed) and the statistics of one update, as named fields (never tuples).
 */
import type { Checkpointable } from '../src/util/state-bundle.js';
import type { ActorCritic } from './actor-critic.js';
import type { OnPolicyCommonConfig } from './pg-config.js';

/**
 * `size` steps, flattened (for a rollout of T steps × N envs, step t of env i is row t·N + i).
 * `logProbs` and `values` are what the network said when it acted (PPO's "old" policy and values).
 */
export interface OnPolicyBatch {
  size: number;
  /** Observations, row-major [size, ...obsShape]; uint8 for pixel games, float32 otherwise. */
  obs: Float32Array | Uint8Array;
  actions: Int32Array;
  /** log π_old(a_t|s_t). */
  logProbs: Float32Array;
  /** V_old(s_t). */
  values: Float32Array;
  /** Â_t. */
  advantages: Float32Array;
  /** The value targets R_t (for GAE: Â_t + V_old(s_t)). */
  returns: Float32Array;
}

/** What one update reports (the `train` line of metrics.jsonl adds step, frames, time, sps). */
export interface UpdateStats {
  /** The total loss, averaged over the gradient steps of the update. */
  loss: number;
  policyLoss: number;
  valueLoss: number;
  /** Mean entropy of the policy over the batch, in nats. */
  entropy: number;
  /** Global gradient norm before clipping, averaged over gradient steps. */
  gradNorm: number;
  learningRate: number;
  /** Gradient steps taken. */
  gradientSteps: number;
  /** PPO only: approximate KL(π_old ‖ π), averaged over minibatches. */
  approxKl?: number;
  /** PPO only: the fraction of ratios outside [1 − ε, 1 + ε]. */
  clipFraction?: number;
  /** PPO only: the clip range used. */
  clipRange?: number;
  /** 1 − Var(R − V_old) / Var(R): how much of the returns' variance the value function explains. */
  explainedVariance: number;
}

/**
 * An on-policy agent: the shared networks and one update rule. Its checkpoint state is
 * everything it learns or draws: weights, optimiser moments, its own RNG if any.
 */
export interface OnPolicyAgent extends Checkpointable {
  readonly ac: ActorCritic;
  /** The algorithm's hyperparameters (the loop builds its schedules from them). */
  readonly config: OnPolicyCommonConfig;
  /** Sets the learning rate of the next updates (the loop's schedule; the config's rate until then). */
  setLearningRate(learningRate: number): void;
  /** One update from a batch, at the learning rate (and PPO's clip range) last set. */
  update(batch: OnPolicyBatch): UpdateStats;
}

/** The rows `indices` of a flat batch, copied (a minibatch). */
export function selectRows(batch: OnPolicyBatch, indices: ArrayLike<number>): OnPolicyBatch {
  const n = indices.length;
  const obsSize = batch.obs.length / batch.size;
  const obs = batch.obs instanceof Uint8Array ? new Uint8Array(n * obsSize) : new Float32Array(n * obsSize);
  const pick = <T extends Float32Array | Int32Array>(src: T, dst: T): T => {
    for (let k = 0; k < n; k++) dst[k] = src[indices[k]];
    return dst;
  };
  for (let k = 0; k < n; k++) {
    const row = indices[k];
    if (!(row >= 0 && row < batch.size)) {
      throw new Error(`selectRows: row ${row} is outside the batch of ${batch.size}`);
    }
    obs.set(batch.obs.subarray(row * obsSize, (row + 1) * obsSize), k * obsSize);
  }
  return {
    size: n,
    obs,
    actions: pick(batch.actions, new Int32Array(n)),
    logProbs: pick(batch.logProbs, new Float32Array(n)),
    values: pick(batch.values, new Float32Array(n)),
    advantages: pick(batch.advantages, new Float32Array(n)),
    returns: pick(batch.returns, new Float32Array(n)),
  };
}

/** 1 − Var(y − ŷ)/Var(y) (NaN when Var(y) = 0), as CleanRL and SB3 log it. */
export function explainedVariance(predicted: Float32Array, target: Float32Array): number {
  const n = target.length;
  if (n === 0) return Number.NaN;
  let my = 0;
  let md = 0;
  for (let i = 0; i < n; i++) {
    my += target[i];
    md += target[i] - predicted[i];
  }
  my /= n;
  md /= n;
  let vy = 0;
  let vd = 0;
  for (let i = 0; i < n; i++) {
    vy += (target[i] - my) ** 2;
    vd += (target[i] - predicted[i] - md) ** 2;
  }
  return vy === 0 ? Number.NaN : 1 - vd / vy;
}
