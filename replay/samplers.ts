/**
 * Sampling: which stored transitions go into a batch. Uniform and prioritized samplers share one
 * interface, as in Dopamine's `samplers.py`; the storage tells them when a transition becomes
 * sampleable or stops being so (see transition-store.ts, invariant 5), so they only ever hold
 * valid indices and never need rejection sampling.
 */
import type { Rng } from '../src/util/rng.js';
import { SumTree } from './sum-tree.js';
import type { ValidityListener } from './transition-store.js';

export interface UniformSamplerConfig {
  kind: 'uniform';
}

export interface PrioritizedSamplerConfig {
  kind: 'prioritized';
  /** Priority exponent α: P(i) ∝ p_i^α (0 = uniform). Schaul et al. use 0.6 for proportional. */
  alpha: number;
  /** Importance-sampling exponent β (annealed towards 1 by the caller with `setBeta`). */
  beta: number;
  /** Added to |δ| so that no transition gets priority 0 (must be > 0). */
  epsilon: number;
}

export type SamplerConfig = UniformSamplerConfig | PrioritizedSamplerConfig;

/** The small part of a sampler's state; its big arrays come from {@link Sampler.arrays}. */
export type SamplerState =
  | { kind: 'uniform'; count: number }
  | { kind: 'prioritized'; count: number; maxPriority: number; beta: number };

export interface Sampler extends ValidityListener {
  readonly kind: SamplerConfig['kind'];
  /** Number of sampleable transitions. */
  readonly size: number;
  /** Writes `batchSize` indices and their importance weights (1 for uniform). */
  sample(batchSize: number, rng: Rng, indices: Int32Array, weights: Float32Array): void;
  /** Sets priorities from TD errors (a no-op for uniform, so agents need not know which). */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void;
  getState(): SamplerState;
  /** Restores from a state whose arrays were written into `arrays()` first. */
  setState(state: SamplerState): void;
  /** The live arrays holding the rest of the state (for snapshots; not copies). */
  arrays(): Record<string, Int32Array | Float64Array>;
}

export function createSampler(config: SamplerConfig, capacity: number): Sampler {
  return config.kind === 'uniform' ? new UniformSampler(capacity) : new PrioritizedSampler(config, capacity);
}

/**
 * Uniform over the valid transitions, kept in a dense list with swap-remove: O(1) add, remove
 * and draw, exactly uniform.
 */
export class UniformSampler implements Sampler {
  readonly kind = 'uniform';
  private readonly list: Int32Array;
  /** Position of each index in `list`, -1 when absent. */
  private readonly position: Int32Array;
  private count = 0;

  constructor(capacity: number) {
    this.list = new Int32Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  onValid(index: number): void {
    this.position[index] = this.count;
    this.list[this.count++] = index;
  }

  onInvalid(index: number): void {
    const at = this.position[index];
    const last = this.list[--this.count];
    this.list[at] = last;
    this.position[last] = at;
    this.position[index] = -1;
  }

  sample(batchSize: number, rng: Rng, indices: Int32Array, weights: Float32Array): void {
    for (let b = 0; b < batchSize; b++) {
      indices[b] = this.list[rng.int(this.count)];
      weights[b] = 1;
    }
  }

  updatePriorities(): void {}

  getState(): SamplerState {
    return { kind: 'uniform', count: this.count };
  }

  setState(state: SamplerState): void {
    if (state?.kind !== 'uniform')
      throw new Error(`UniformSampler.setState: got a ${state?.kind} sampler's state`);
    this.count = state.count;
  }

  arrays(): Record<string, Int32Array> {
    return { list: this.list, position: this.position };
  }
}

/**
 * Proportional prioritized replay (Schaul et al. 2016): P(i) = p_i^α / Σ p^α with
 * p_i = |δ_i| + ε, new transitions at the largest priority seen so far, stratified draws (one per
 * equal segment of the total), and weights w_i = (N P(i))^-β divided by the batch's largest
 * (as Dopamine does), so that they only ever scale the loss down.
 */
export class PrioritizedSampler implements Sampler {
  readonly kind = 'prioritized';
  readonly alpha: number;
  readonly epsilon: number;
  private beta: number;
  private readonly tree: SumTree;
  private maxPriority = 1;
  private count = 0;

  constructor(config: PrioritizedSamplerConfig, capacity: number) {
    const { alpha, beta, epsilon } = config;
    if (!(alpha >= 0)) throw new Error(`prioritized replay: alpha must be >= 0, got ${alpha}`);
    if (!(epsilon > 0))
      throw new Error(
        `prioritized replay: epsilon must be > 0 (else a transition can never be drawn again), got ${epsilon}`,
      );
    this.alpha = alpha;
    this.epsilon = epsilon;
    this.beta = 0;
    this.setBeta(beta);
    this.tree = new SumTree(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The current β (the caller anneals it). */
  getBeta(): number {
    return this.beta;
  }

  setBeta(beta: number): void {
    if (!(beta >= 0 && beta <= 1)) throw new Error(`prioritized replay: beta must be in [0, 1], got ${beta}`);
    this.beta = beta;
  }

  /** The sampling probability of `index` now (0 if not sampleable). */
  probability(index: number): number {
    return this.tree.total > 0 ? this.tree.get(index) / this.tree.total : 0;
  }

  onValid(index: number): void {
    this.tree.set(index, this.maxPriority ** this.alpha);
    this.count++;
  }

  onInvalid(index: number): void {
    this.tree.set(index, 0);
    this.count--;
  }

  sample(batchSize: number, rng: Rng, indices: Int32Array, weights: Float32Array): void {
    const total = this.tree.total;
    const segment = total / batchSize;
    let maxWeight = 0;
    for (let b = 0; b < batchSize; b++) {
      const index = this.tree.find((b + rng.float()) * segment);
      const p = this.tree.get(index) / total;
      const w = (this.count * p) ** -this.beta;
      indices[b] = index;
      weights[b] = w;
      if (w > maxWeight) maxWeight = w;
    }
    for (let b = 0; b < batchSize; b++) weights[b] /= maxWeight;
  }

  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    if (indices.length !== tdErrors.length) {
      throw new Error(
        `updatePriorities: ${indices.length} indices but ${tdErrors.length} TD errors; pass one per index`,
      );
    }
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      const delta = tdErrors[i];
      if (!Number.isFinite(delta))
        throw new Error(`updatePriorities: TD error ${i} is ${delta}; check the loss for NaN/Infinity`);
      if (!(index >= 0 && index < this.tree.capacity)) {
        throw new Error(
          `updatePriorities: index ${index} is outside the buffer (0..${this.tree.capacity - 1})`,
        );
      }
      // A transition overwritten since it was sampled has priority 0: leave it out of the tree.
      if (this.tree.get(index) === 0) continue;
      const priority = Math.abs(delta) + this.epsilon;
      if (priority > this.maxPriority) this.maxPriority = priority;
      this.tree.set(index, priority ** this.alpha);
    }
  }

  getState(): SamplerState {
    return { kind: 'prioritized', count: this.count, maxPriority: this.maxPriority, beta: this.beta };
  }

  setState(state: SamplerState): void {
    if (state?.kind !== 'prioritized')
      throw new Error(`PrioritizedSampler.setState: got a ${state?.kind} sampler's state`);
    this.count = state.count;
    this.maxPriority = state.maxPriority;
    this.setBeta(state.beta);
  }

  arrays(): Record<string, Float64Array> {
    return { tree: this.tree.nodes };
  }
}
