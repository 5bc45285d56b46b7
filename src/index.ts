/**
 * pixelrl as a library. Environments, replay and vector envs are exported flat (they are what most
 * programs import); the learning side is grouped by folder.
 */
export * from '../envs/index.js';
export * from '../replay/index.js';
export * as backend from './backend/index.js';
export * as nets from './nets/index.js';
export * from './rollout/index.js';
export { deriveSeeds, Rng, type RngState } from './util/rng.js';
export * as viz from './viz/index.js';
