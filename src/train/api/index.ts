/** The training API (SB3's habits): models, their configs, callbacks, the TensorBoard writer. */
export type {
  BoxEnv,
  Callback,
  CheckpointInfo,
  EndInfo,
  EvalInfo,
  HookResult,
  RunActor,
  RunView,
  StepInfo,
  UpdateInfo,
} from '../callbacks.js';
export type { EvaluationResult } from '../evaluate.js';
export {
  ON_POLICY_RUN_DEFAULTS,
  type OnPolicyRunConfig,
  type OnPolicyRunConfigOf,
  type OnPolicyRunSettings,
  onPolicyPreset,
} from '../on-policy-config.js';
export {
  CheckpointCallback,
  type CheckpointCallbackOptions,
  EvalCallback,
  type EvalCallbackOptions,
  ProgressCallback,
  type ProgressCallbackOptions,
  type RewardThresholdOptions,
  StopTrainingOnRewardThreshold,
} from '../ready-callbacks.js';
export { recordScalars, TfEventsWriter } from '../tfevents.js';
export {
  ALGOS,
  type Algo,
  type DqnRunSettings,
  RUN_DEFAULTS,
  type RunConfig,
  type RunSettings,
} from '../train-config.js';
export { type VideoFormat, VideoRecorderCallback, type VideoRecorderOptions } from '../video-callback.js';
export {
  CPU_PIXEL_OVERRIDES,
  type DqnSettings,
  dqnRunConfig,
  type OnPolicySettings,
  onPolicyRunConfig,
} from './configs.js';
export { DQN, type DqnOptions, type EvaluateOptions } from './dqn.js';
export type { EnvSource } from './env-source.js';
export { load, type Model } from './load.js';
export { A2C, OnPolicyModel, type OnPolicyOptions, PPO, REINFORCE } from './on-policy.js';
export type { LearnOptions, LearnSummary, PredictOptions } from './types.js';
