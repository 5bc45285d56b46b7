/**
 * What an engine offers the agents: learners that own a network's parameters and optimizer
 * moments as flat arrays and run forward passes and whole train steps on them.
 *
 * Parameters and moments cross this interface in tfjs layout (the order of the tfjs engine's
 * variables, conv kernels HWIO), so checkpoints are the same on every engine and a run moves
 * between engines.
 */

export const ENGINE_NAMES = ['ort', 'tfjs'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The optimizer of a learner (the learning rate is passed with each step). */
export interface OptimizerSpec {
  kind: 'adam' | 'rmsprop';
  /** ε of the denominator. */
  epsilon: number;
  /** Clip the gradients' global L2 norm to this before the update; 0 = no clipping. */
  maxGradNorm: number;
  /** Adam's β1 (default 0.9). */
  beta1?: number;
  /** Adam's β2 (default 0.999). */
  beta2?: number;
  /** RMSProp's decay ρ (default 0.95). */
  decay?: number;
}

/** Optimizer state in tfjs layout: the step count and two moment vectors over all parameters. */
export interface OptimizerState {
  step: number;
  first: Float32Array;
  second: Float32Array;
}

/** What one DQN train step reads: a replay batch (rewards n-step summed, discounts γⁿ or 0). */
export interface DqnBatch {
  batchSize: number;
  obs: Uint8Array | Float32Array;
  nextObs: Uint8Array | Float32Array;
  actions: Int32Array;
  rewards: Float32Array;
  discounts: Float32Array;
  /** Importance-sampling weights (ones for uniform replay). */
  weights: Float32Array;
}

/** What one DQN train step reports. */
export interface DqnStepResult {
  /** Mean (weighted) loss of the step. */
  loss: number;
  /** Mean Q(s, a) over the batch. */
  meanQ: number;
  /** δ = y − Q(s, a) per transition (for priorities). */
  tdErrors: Float32Array;
  /** Global gradient norm before clipping. */
  gradNorm: number;
}

export interface DqnStepSpec {
  doubleDqn: boolean;
  /** `huber` (the Nature paper's error clipping at δ) or `mse` (CleanRL's dqn.py). */
  loss: 'huber' | 'mse';
  huberDelta: number;
  optimizer: OptimizerSpec;
}

/** An online and a target Q-network with the online network's optimizer. */
export interface DqnLearner {
  readonly paramCount: number;
  /** Q(s, ·) of the online network: [count × actions], row-major. */
  qValues(obs: Float32Array | Uint8Array, count: number): Float32Array;
  step(batch: DqnBatch, learningRate: number): DqnStepResult;
  /** θ' ← τθ + (1 − τ)θ'. */
  syncTarget(tau: number): void;
  /** Flat parameters in tfjs layout. */
  getParams(which: 'online' | 'target'): Float32Array;
  setParams(which: 'online' | 'target', flat: Float32Array): void;
  getOptimizerState(): OptimizerState;
  setOptimizerState(state: OptimizerState): void;
  dispose(): void;
}

/** The derivative of a loss with respect to the policy's outputs, computed by the caller. */
export interface HeadGradients {
  dLogits: Float32Array;
  dValues: Float32Array;
}

/** A policy (logits) and value network, one model with two heads or two models. */
export interface ActorCriticLearner {
  readonly paramCount: number;
  /** Logits [batch × actions] and values [batch]. */
  outputs(obs: Float32Array | Uint8Array, batch: number): { logits: Float32Array; values: Float32Array };
  /**
   * One gradient step: the outputs for `obs`, `head(logits, values)` returns the loss's gradient
   * with respect to them, and the step backpropagates it and applies the optimizer.
   */
  stepWithHead<R extends HeadGradients>(
    obs: Float32Array | Uint8Array,
    batch: number,
    head: (logits: Float32Array, values: Float32Array) => R,
    learningRate: number,
  ): { result: R; gradNorm: number };
  getParams(): Float32Array;
  setParams(flat: Float32Array): void;
  getOptimizerState(): OptimizerState;
  setOptimizerState(state: OptimizerState): void;
  dispose(): void;
}
