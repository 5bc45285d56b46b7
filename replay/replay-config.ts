/**
 * The configuration of the replay memory, the records it takes and returns, and its size in
 * bytes (so that the memory check can run before anything is allocated).
 */

import type { StateArray } from '../src/util/state-bundle.js';
import type { StackLayout } from './frame-stacker.js';
import { type FrameDtype, FrameStore } from './frame-store.js';
import type { SamplerConfig, SamplerState } from './samplers.js';
import { TransitionStore, type TransitionStoreState } from './transition-store.js';

/** The frame array type of a dtype. */
export type FrameOf<D extends FrameDtype> = D extends 'uint8' ? Uint8Array : Float32Array;

export interface ReplayBufferConfig<D extends FrameDtype = FrameDtype> {
  /** Slots over all envs (a transition takes one; an episode end takes one more for s'). */
  capacity: number;
  /** Envs of the vector env feeding the buffer; each gets capacity / numEnvs slots. */
  numEnvs: number;
  /** Shape of one frame: [84, 84] for Atari, [4] for CartPole. */
  frameShape: readonly number[];
  /** Element type of a frame. */
  frameDtype: D;
  /** Frames per stacked observation (4 for Atari, 1 for vector observations). */
  historyLength: number;
  /** n of the n-step return (1 = one-step DQN). */
  nStep: number;
  /** Discount factor γ used for n-step rewards and `discounts`. */
  gamma: number;
  /** How transitions are drawn. */
  sampler: SamplerConfig;
  /** Where the history axis goes in sampled observations. */
  layout: StackLayout;
  /** Check that each step's `frame` equals the previous step's `nextFrame`, when given. */
  checkContinuity: boolean;
  /** Target bytes per storage chunk (one ArrayBuffer is limited to 4 GiB in Node 20). */
  chunkBytes: number;
}

/** Defaults for Atari DQN (Mnih et al. 2015): 1M transitions, 84x84 uint8 frames, history 4. */
export const replayDefaults: ReplayBufferConfig<'uint8'> = {
  capacity: 1_000_000,
  numEnvs: 1,
  frameShape: [84, 84],
  frameDtype: 'uint8',
  historyLength: 4,
  nStep: 1,
  gamma: 0.99,
  sampler: { kind: 'uniform' },
  layout: 'channels-last',
  checkContinuity: true,
  chunkBytes: 256 * 1024 * 1024,
};

/** One step of one env, as the training loop has it. */
export interface TransitionInput<F> {
  /** Newest frame of s_t. */
  frame: F;
  action: number;
  reward: number;
  /** The MDP ended: no bootstrap from s_{t+1}. */
  terminated: boolean;
  /** A time limit (or other outside reason) ended the episode: bootstrap from s_{t+1}. */
  truncated: boolean;
  /** Newest frame of s_{t+1}; required when terminated or truncated. */
  nextFrame?: F;
}

/**
 * A sampled batch. `sample` returns the same object (same arrays) on every call with the same
 * batch size: copy what you keep.
 */
export interface ReplayBatch<F> {
  readonly batchSize: number;
  /** Stacked s_t, [batch, ...frameShape, history] channels-last or [batch, history, ...frameShape]. */
  readonly obs: F;
  readonly actions: Int32Array;
  /** n-step discounted reward sum Σ_{j<k} γ^j r_{t+j}, cut at the episode end. */
  readonly rewards: Float32Array;
  /** Stacked s_{t+k}, same layout as `obs`. */
  readonly nextObs: F;
  /** 1 when the episode terminated within the k steps (no bootstrap), else 0. */
  readonly dones: Float32Array;
  /** γ^k, or 0 when terminated. */
  readonly discounts: Float32Array;
  /** Importance-sampling weights (1 for uniform). */
  readonly weights: Float32Array;
  /** Buffer indices, to pass back to `updatePriorities`. */
  readonly indices: Int32Array;
  /** Shape of `obs` and `nextObs`. */
  readonly obsShape: readonly number[];
}

/** Everything a checkpoint needs; `arrays` are the live arrays (write them out, do not keep them). */
export interface ReplayBufferState {
  config: ReplayBufferConfig;
  store: TransitionStoreState;
  sampler: SamplerState;
  arrays: Record<string, StateArray>;
}

/** Bytes a buffer with this config allocates (frames, per-slot fields, sampler). */
export function replayBytes(config: ReplayBufferConfig): number {
  const frameSize = config.frameShape.reduce((a, b) => a * b, 1);
  const slots = Math.floor(config.capacity / config.numEnvs) * config.numEnvs;
  let samplerBytes = 8 * slots;
  if (config.sampler.kind === 'prioritized') {
    let size = 1;
    while (size < slots) size *= 2;
    samplerBytes = 16 * size;
  }
  return (
    FrameStore.bytesFor(slots, frameSize, config.frameDtype) +
    TransitionStore.bytesPerSlotBesidesFrame * slots +
    samplerBytes
  );
}

/** Throws on a config that cannot work, saying which field and why. */
export function validateConfig(c: ReplayBufferConfig): void {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`ReplayBuffer: ${name} must be a positive integer, got ${v}`);
  };
  positiveInt('numEnvs', c.numEnvs);
  positiveInt('historyLength', c.historyLength);
  positiveInt('nStep', c.nStep);
  if (!Array.isArray(c.frameShape) || c.frameShape.length === 0) {
    throw new Error(
      `ReplayBuffer: frameShape must be a non-empty array such as [84, 84], got ${JSON.stringify(c.frameShape)}`,
    );
  }
  for (const d of c.frameShape) positiveInt('each frameShape dimension', d);
  if (c.frameDtype !== 'uint8' && c.frameDtype !== 'float32') {
    throw new Error(`ReplayBuffer: frameDtype must be 'uint8' or 'float32', got ${c.frameDtype}`);
  }
  if (c.layout !== 'channels-last' && c.layout !== 'channels-first') {
    throw new Error(`ReplayBuffer: layout must be 'channels-last' or 'channels-first', got ${c.layout}`);
  }
  const sampler = c.sampler;
  if (sampler?.kind === 'prioritized') {
    // Checked here as well as in the sampler so that a typo fails before gigabytes are allocated.
    const { alpha, beta, epsilon } = sampler;
    if (!(alpha >= 0) || !(beta >= 0 && beta <= 1) || !(epsilon > 0)) {
      throw new Error(
        `ReplayBuffer: prioritized sampler needs alpha >= 0, beta in [0, 1], epsilon > 0; got ${JSON.stringify(sampler)}`,
      );
    }
  } else if (sampler?.kind !== 'uniform') {
    throw new Error(
      `ReplayBuffer: sampler must be { kind: 'uniform' } or { kind: 'prioritized', ... }, got ${JSON.stringify(sampler)}`,
    );
  }
  if (!(c.gamma >= 0 && c.gamma <= 1))
    throw new Error(`ReplayBuffer: gamma must be in [0, 1], got ${c.gamma}`);
  const perEnv = Math.floor(c.capacity / c.numEnvs);
  const least = c.historyLength + c.nStep + 1;
  if (!Number.isInteger(c.capacity) || perEnv < least) {
    throw new Error(
      `ReplayBuffer: capacity ${c.capacity} gives ${perEnv} slots per env for ${c.numEnvs} envs; each env needs at ` +
        `least historyLength + nStep + 1 = ${least}. Raise capacity or lower numEnvs`,
    );
  }
}
