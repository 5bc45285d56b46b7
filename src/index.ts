/**
 * pixelrl as a library. Environments, replay and vector envs are exported flat (they are what most
 * programs import), and so is the training API (`DQN`, `PPO`, `A2C`, `REINFORCE`, `load`, the
 * callbacks); the rest of the learning side is grouped by folder.
 */

export {
  DQN_FIELDS,
  DQN_PRESETS,
  type DqnConfig,
  type DqnPresetName,
} from '../agents/dqn-config.js';
export type {
  A2CConfig,
  OnPolicyAlgo,
  OnPolicyConfig,
  OnPolicyConfigOf,
  PPOConfig,
  ReinforceConfig,
} from '../agents/pg-config.js';
export * from '../envs/index.js';
export { register, unregister } from '../envs/registry.js';
export * from '../replay/index.js';
export * as backend from './backend/index.js';
export * as nets from './nets/index.js';
export * from './rollout/index.js';
export * from './train/api/index.js';
export { deriveSeeds, Rng, type RngState } from './util/rng.js';
export * as viz from './viz/index.js';
