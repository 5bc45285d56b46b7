/**
 * On-policy rollout storage for policy-gradient and actor-critic agents (A2C, PPO): T steps of N
 * envs, time-major (element t*N + n), filled one vector-env step at a time, then `finish`ed with
 * the value of the observation after the last step, which computes GAE advantages and returns
 * (returns.ts).
 *
 * Truncation (a time limit) as in SB3: the value of the truncated episode's final observation,
 * V(s_final), is bootstrapped into that step's reward (r + γ V(s_final)) when the step is added,
 * and the step then counts as an episode end like a terminal one.
 */
import type { Rng } from '../src/util/rng.js';
import { allocFrames, type FrameArray, type FrameDtype } from './frame-store.js';
import { gae } from './returns.js';

export interface RolloutBufferConfig<D extends FrameDtype = FrameDtype> {
  /** Steps per env per rollout (T). */
  numSteps: number;
  /** Envs of the vector env (N). */
  numEnvs: number;
  /** Shape of one observation as the policy sees it, e.g. [84, 84, 4] or [4]. */
  obsShape: readonly number[];
  /** Element type of observations. */
  obsDtype: D;
  /** Discount factor γ. */
  gamma: number;
  /** GAE λ (1 = Monte Carlo returns minus values, 0 = one-step TD errors). */
  lambda: number;
}

type ObsOf<D extends FrameDtype> = D extends 'uint8' ? Uint8Array : Float32Array;

/** One step of all N envs. */
export interface RolloutStep<D extends FrameDtype> {
  /** The observations the actions were chosen from, N * obsSize elements. */
  obs: ObsOf<D>;
  actions: ArrayLike<number>;
  rewards: ArrayLike<number>;
  /** V(s_t) per env. */
  values: ArrayLike<number>;
  /** log π(a_t | s_t) per env. */
  logProbs: ArrayLike<number>;
  terminated: ArrayLike<number | boolean>;
  truncated: ArrayLike<number | boolean>;
  /** V(final observation) per env, read where truncated and not terminated; required then. */
  finalValues?: ArrayLike<number>;
}

/** A minibatch; `gather` returns the same object for the same size (copy what you keep). */
export interface RolloutBatch<F> {
  readonly size: number;
  readonly obs: F;
  readonly actions: Int32Array;
  readonly logProbs: Float32Array;
  readonly values: Float32Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
}

export interface RolloutBufferState {
  config: RolloutBufferConfig;
  step: number;
  finished: boolean;
  arrays: Record<string, FrameArray | Int32Array | Float32Array>;
}

export class RolloutBuffer<D extends FrameDtype = FrameDtype> {
  readonly config: RolloutBufferConfig<D>;
  readonly obsSize: number;
  readonly obs: ObsOf<D>;
  readonly actions: Int32Array;
  /** Rewards, with γ V(s_final) added at truncated steps. */
  readonly rewards: Float32Array;
  readonly values: Float32Array;
  readonly logProbs: Float32Array;
  /** 1 where the episode ended at this step (terminated or truncated). */
  readonly dones: Uint8Array;
  readonly advantages: Float32Array;
  readonly returns: Float32Array;
  private step = 0;
  private finished = false;
  private batch: RolloutBatch<ObsOf<D>> | null = null;
  private readonly order: Int32Array;

  constructor(config: RolloutBufferConfig<D>) {
    const { numSteps, numEnvs, obsShape, gamma, lambda } = config;
    for (const [name, v] of Object.entries({ numSteps, numEnvs })) {
      if (!Number.isInteger(v) || v < 1)
        throw new Error(`RolloutBuffer: ${name} must be a positive integer, got ${v}`);
    }
    if (!(gamma >= 0 && gamma <= 1) || !(lambda >= 0 && lambda <= 1)) {
      throw new Error(`RolloutBuffer: gamma and lambda must be in [0, 1], got ${gamma} and ${lambda}`);
    }
    this.config = config;
    this.obsSize = obsShape.reduce((a, b) => a * b, 1);
    const size = numSteps * numEnvs;
    this.obs = allocFrames(config.obsDtype, size * this.obsSize) as ObsOf<D>;
    this.actions = new Int32Array(size);
    this.rewards = new Float32Array(size);
    this.values = new Float32Array(size);
    this.logProbs = new Float32Array(size);
    this.dones = new Uint8Array(size);
    this.advantages = new Float32Array(size);
    this.returns = new Float32Array(size);
    this.order = Int32Array.from({ length: size }, (_, i) => i);
  }

  /** Steps added so far (0..T). */
  get length(): number {
    return this.step;
  }

  get full(): boolean {
    return this.step === this.config.numSteps;
  }

  add(s: RolloutStep<D>): void {
    const { numEnvs, gamma, obsDtype } = this.config;
    if (this.full)
      throw new Error(
        `RolloutBuffer.add: the rollout is full (${this.step} steps); call finish() and reset()`,
      );
    const type = obsDtype === 'uint8' ? Uint8Array : Float32Array;
    if (!(s.obs instanceof type) || s.obs.length !== numEnvs * this.obsSize) {
      throw new Error(
        `RolloutBuffer.add: obs must be a ${type.name} of ${numEnvs} envs x ${this.obsSize} elements, got ${describe(s.obs)}`,
      );
    }
    for (const name of ['actions', 'rewards', 'values', 'logProbs', 'terminated', 'truncated'] as const) {
      if (s[name]?.length !== numEnvs) {
        throw new Error(
          `RolloutBuffer.add: ${name} must have one entry per env (${numEnvs}), got ${describe(s[name])}`,
        );
      }
    }
    const base = this.step * numEnvs;
    this.obs.set(s.obs, base * this.obsSize);
    for (let n = 0; n < numEnvs; n++) {
      const i = base + n;
      const truncatedOnly = Boolean(s.truncated[n]) && !s.terminated[n];
      let reward = s.rewards[n];
      if (truncatedOnly) {
        const v = s.finalValues?.[n];
        if (v === undefined || !Number.isFinite(v)) {
          throw new Error(
            `RolloutBuffer.add: env ${n} was truncated; pass finalValues[${n}] = V(final observation), got ${v}`,
          );
        }
        reward += gamma * v;
      }
      this.actions[i] = s.actions[n];
      this.rewards[i] = reward;
      this.values[i] = s.values[n];
      this.logProbs[i] = s.logProbs[n];
      this.dones[i] = s.terminated[n] || s.truncated[n] ? 1 : 0;
    }
    this.step++;
  }

  /** Computes advantages and returns; `lastValues[n]` = V(observation after the last step) of env n. */
  finish(lastValues: ArrayLike<number>): void {
    if (!this.full)
      throw new Error(`RolloutBuffer.finish: only ${this.step} of ${this.config.numSteps} steps were added`);
    const { gamma, lambda, numEnvs } = this.config;
    gae(this.rewards, this.values, this.dones, lastValues, gamma, lambda, numEnvs, {
      advantages: this.advantages,
      returns: this.returns,
    });
    this.finished = true;
  }

  /** Empties the buffer for the next rollout (the arrays are reused). */
  reset(): void {
    this.step = 0;
    this.finished = false;
  }

  /** All T*N indices in a random order (the same array, reshuffled, each call): slice it into minibatches. */
  shuffledIndices(rng: Rng): Int32Array {
    return rng.shuffle(this.order);
  }

  /** The minibatch of `indices` (e.g. a slice of `shuffledIndices`), in a reused object. */
  gather(indices: ArrayLike<number>): RolloutBatch<ObsOf<D>> {
    if (!this.finished)
      throw new Error('RolloutBuffer.gather: call finish(lastValues) first, so that advantages exist');
    const size = indices.length;
    if (this.batch?.size !== size) {
      this.batch = {
        size,
        obs: allocFrames(this.config.obsDtype, size * this.obsSize) as ObsOf<D>,
        actions: new Int32Array(size),
        logProbs: new Float32Array(size),
        values: new Float32Array(size),
        advantages: new Float32Array(size),
        returns: new Float32Array(size),
      };
    }
    const b = this.batch;
    const f = this.obsSize;
    for (let k = 0; k < size; k++) {
      const i = indices[k];
      b.obs.set(this.obs.subarray(i * f, (i + 1) * f), k * f);
      b.actions[k] = this.actions[i];
      b.logProbs[k] = this.logProbs[i];
      b.values[k] = this.values[i];
      b.advantages[k] = this.advantages[i];
      b.returns[k] = this.returns[i];
    }
    return b;
  }

  /** The state for a checkpoint; `arrays` are the live arrays (write them out, do not keep them). */
  getState(): RolloutBufferState {
    const { obs, actions, rewards, values, logProbs, dones, advantages, returns, order } = this;
    return {
      config: structuredClone(this.config) as RolloutBufferConfig,
      step: this.step,
      finished: this.finished,
      arrays: { obs, actions, rewards, values, logProbs, dones, advantages, returns, order },
    };
  }

  setState(state: RolloutBufferState): void {
    if (JSON.stringify(state.config) !== JSON.stringify(this.config)) {
      throw new Error(
        `RolloutBuffer.setState: the state is of a different buffer (${JSON.stringify(state.config)})`,
      );
    }
    for (const [name, target] of Object.entries(this.getState().arrays)) {
      const source = state.arrays[name];
      if (source?.length !== target.length || source.constructor !== target.constructor) {
        throw new Error(`RolloutBuffer.setState: array "${name}" is missing or of the wrong type or length`);
      }
      if (source !== target) target.set(source as never);
    }
    this.step = state.step;
    this.finished = state.finished;
  }
}

function describe(x: unknown): string {
  return ArrayBuffer.isView(x) || Array.isArray(x)
    ? `${x.constructor.name} of length ${(x as ArrayLike<unknown>).length}`
    : String(x);
}
