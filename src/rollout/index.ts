/** Vector envs: N copies of an env stepped as a batch, in the calling thread or on worker threads. */
export {
  type BuildContext,
  buildEnv,
  checkRecipe,
  type EnvRecipe,
  generationSeed,
  type RecipeShape,
  recipeShape,
} from './env-recipe.js';
export type { FaultInjection } from './fault-injection.js';
export { SyncVecEnv, type SyncVecEnvArgs, type SyncVecEnvState } from './sync-vec-env.js';
export { ThreadedVecEnv, type ThreadedVecEnvArgs } from './threaded-vec-env.js';
export type {
  FaultListener,
  VecEnv,
  VecEnvFault,
  VecInfo,
  VecResetOptions,
  VecResetResult,
  VecStepResult,
} from './vec-env.js';
