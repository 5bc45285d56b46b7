/**
 * The replay memory: see replay-buffer.ts (off-policy, DQN), returns.ts (returns and advantages,
 * which the on-policy rollout in src/train/on-policy-rollout.ts uses), snapshot.ts (to disk).
 */

export type { StackLayout } from './frame-stacker.js';
export type { FrameArray, FrameDtype } from './frame-store.js';
export { assertMemoryAvailable, formatBytes, type MemoryProbe, systemMemoryProbe } from './memory-check.js';
export {
  type FrameOf,
  type ReplayBatch,
  ReplayBuffer,
  type ReplayBufferConfig,
  type ReplayBufferState,
  replayBytes,
  replayDefaults,
  type TransitionInput,
} from './replay-buffer.js';
export { bootstrapTruncated, discountedReturns, type GaeResult, gae, nStepReturns } from './returns.js';
export {
  PrioritizedSampler,
  type PrioritizedSamplerConfig,
  type Sampler,
  type SamplerConfig,
  type SamplerState,
  UniformSampler,
  type UniformSamplerConfig,
} from './samplers.js';
export {
  type LoadedSnapshot,
  loadReplaySnapshot,
  type SaveSnapshotOptions,
  saveReplaySnapshot,
} from './snapshot.js';
export { SumTree } from './sum-tree.js';
