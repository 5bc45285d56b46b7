/**
 * The named presets of the on-policy agents (types and validation in pg-config.ts):
 * - `classic`: tuned for CartPole-v1 (PPO: the RL Zoo's hyperparams/ppo.yml; A2C: the Zoo's a2c.yml);
 * - `atari`: pixel games (PPO: CleanRL's ppo_atari.py; A2C: SB3 / Mnih et al. 2016);
 * - `cleanrl`: CleanRL ppo.py's defaults on CartPole-v1 (the peer figure of bench-ppo).
 *
 * A preset is the algorithm's hyperparameters (`PPO_PRESETS`, …) and the few run settings tuned
 * with them (`PRESET_RUNS`: envs, steps, the env and its preprocessing); src/train's
 * `onPolicyPreset` puts the two together into a run config.
 */
import type { MakeAtariOptions } from '../envs/make-atari.js';
import {
  type A2CConfig,
  ON_POLICY_COMMON_DEFAULTS,
  type OnPolicyAlgo,
  type OnPolicyConfigOf,
  type PPOConfig,
  type ReinforceConfig,
} from './pg-config.js';

/**
 * makeAtari's defaults (ALE v5 sticky actions 0.25, φ 84x84 gray, 30 no-ops, episodic life, fire
 * reset, reward clipping, stack of 4): CleanRL's ppo_atari.py wrappers, on v5-style envs.
 */
export const ATARI_PREPROCESS: MakeAtariOptions = {};

/** The presets each algorithm offers; `classic` is for CartPole-like envs, `atari` for pixel games. */
export type PresetKind = 'classic' | 'atari' | 'cleanrl';

/** The run settings a preset was tuned with. */
export interface PresetRun {
  /** The env it was tuned on. */
  env: string;
  /** Envs stepped together (PPO's batch is numEnvs × numSteps). */
  numEnvs: number;
  /** Agent steps, summed over envs. */
  steps: number;
  /** makeAtari's options for a pixel preset; null for vector envs. */
  atari: MakeAtariOptions | null;
  /** Updates between `train` metrics lines. */
  logEveryUpdates: number;
}

export const PPO_PRESETS: Record<PresetKind, PPOConfig> = {
  /** RL Zoo's tuned CartPole-v1 (hyperparams/ppo.yml): 8 × 32 steps, 20 epochs, batch 256, lr 1e-3 linear. */
  classic: {
    ...ON_POLICY_COMMON_DEFAULTS,
    numSteps: 32,
    gamma: 0.98,
    gaeLambda: 0.8,
    learningRate: 1e-3,
    annealLr: true,
    updateEpochs: 20,
    numMinibatches: 1,
    clipCoef: 0.2,
    annealClip: true,
    clipValueLoss: false,
    entCoef: 0,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    targetKl: null,
  },
  /** CleanRL ppo_atari.py: 8 × 128 steps, lr 2.5e-4 annealed, 4 × 4 minibatches, clip 0.1. */
  atari: {
    ...ON_POLICY_COMMON_DEFAULTS,
    net: 'nature',
    sharedTorso: true,
    numSteps: 128,
    gamma: 0.99,
    gaeLambda: 0.95,
    learningRate: 2.5e-4,
    updateEpochs: 4,
    numMinibatches: 4,
    clipCoef: 0.1,
    annealClip: false,
    clipValueLoss: true,
    entCoef: 0.01,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    targetKl: null,
  },
  /** CleanRL ppo.py's defaults on CartPole-v1 (4 × 128 steps, 4 × 4 minibatches, 500k steps): the peer figure. */
  cleanrl: {
    ...ON_POLICY_COMMON_DEFAULTS,
    numSteps: 128,
    gamma: 0.99,
    gaeLambda: 0.95,
    learningRate: 2.5e-4,
    updateEpochs: 4,
    numMinibatches: 4,
    clipCoef: 0.2,
    annealClip: false,
    clipValueLoss: true,
    entCoef: 0.01,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    targetKl: null,
  },
};

/**
 * Overrides of the PPO `atari` preset that make a pixel game trainable on a CPU in minutes rather
 * than days (the acceptance run on Catch-v0 used them): a 42x42 φ, a small conv torso
 * (16 4x4/2, 32 3x3/2, fc 128; ~10x cheaper than `small` at 84x84) and a 4x larger step size
 * for budgets of 10^5 steps instead of CleanRL's 10^7.
 */
export const PPO_PIXEL_CPU_OVERRIDES: {
  atari: MakeAtariOptions;
  ppo: Pick<PPOConfig, 'net' | 'learningRate'>;
} = {
  atari: { screenSize: 42 },
  ppo: { net: '[c16k4s2,relu:c32k3s2,relu:128,relu]', learningRate: 1e-3 },
};

export const A2C_PRESETS: Record<PresetKind, A2CConfig> = {
  /** RL Zoo's A2C CartPole-v1 (8 envs, ent 0, otherwise SB3 defaults: 5 steps, lr 7e-4 RMSProp). */
  classic: {
    ...ON_POLICY_COMMON_DEFAULTS,
    numSteps: 5,
    gamma: 0.99,
    gaeLambda: 1,
    learningRate: 7e-4,
    annealLr: false,
    optimizer: 'rmsprop',
    rmspropDecay: 0.99,
    entCoef: 0,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    normalizeAdvantages: false,
  },
  /** SB3 / Mnih et al. 2016 on Atari: 16 envs × 5 steps, RMSProp 7e-4, ent 0.01, vf 0.25. */
  atari: {
    ...ON_POLICY_COMMON_DEFAULTS,
    net: 'nature',
    sharedTorso: true,
    numSteps: 5,
    gamma: 0.99,
    gaeLambda: 1,
    learningRate: 7e-4,
    annealLr: false,
    optimizer: 'rmsprop',
    rmspropDecay: 0.99,
    entCoef: 0.01,
    vfCoef: 0.25,
    maxGradNorm: 0.5,
    normalizeAdvantages: false,
  },
  cleanrl: {
    ...ON_POLICY_COMMON_DEFAULTS,
    numSteps: 5,
    gamma: 0.99,
    gaeLambda: 1,
    learningRate: 7e-4,
    annealLr: true,
    optimizer: 'rmsprop',
    rmspropDecay: 0.99,
    entCoef: 0.01,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
    normalizeAdvantages: false,
  },
};

export const REINFORCE_PRESETS: Record<PresetKind, ReinforceConfig> = {
  /** CartPole: 8 episodes per update, Adam 1e-3, no entropy bonus. */
  classic: {
    ...ON_POLICY_COMMON_DEFAULTS,
    episodesPerUpdate: 8,
    gamma: 0.99,
    learningRate: 1e-3,
    annealLr: false,
    entCoef: 0,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
  },
  atari: {
    ...ON_POLICY_COMMON_DEFAULTS,
    net: 'small',
    sharedTorso: true,
    episodesPerUpdate: 8,
    learningRate: 2.5e-4,
    entCoef: 0.01,
  },
  cleanrl: {
    ...ON_POLICY_COMMON_DEFAULTS,
    episodesPerUpdate: 4,
    learningRate: 1e-3,
    annealLr: false,
    entCoef: 0,
  },
};

/** Each algorithm's presets, by name. */
export const ON_POLICY_PRESETS: { readonly [A in OnPolicyAlgo]: Record<PresetKind, OnPolicyConfigOf[A]> } = {
  reinforce: REINFORCE_PRESETS,
  a2c: A2C_PRESETS,
  ppo: PPO_PRESETS,
};

const run = (env: string, numEnvs: number, steps: number, logEveryUpdates = 1): PresetRun => ({
  env,
  numEnvs,
  steps,
  atari: null,
  logEveryUpdates,
});
const pixel = (env: string, numEnvs: number, steps: number, logEveryUpdates = 1): PresetRun => ({
  ...run(env, numEnvs, steps, logEveryUpdates),
  atari: ATARI_PREPROCESS,
});

/** The run settings of each preset (see {@link PresetRun}). */
export const PRESET_RUNS: Readonly<Record<OnPolicyAlgo, Record<PresetKind, PresetRun>>> = {
  ppo: {
    classic: run('CartPole-v1', 8, 100_000),
    atari: pixel('Breakout-v0', 8, 10_000_000),
    cleanrl: run('CartPole-v1', 4, 500_000),
  },
  a2c: {
    classic: run('CartPole-v1', 8, 200_000, 100),
    atari: pixel('Breakout-v0', 16, 10_000_000, 100),
    cleanrl: run('CartPole-v1', 4, 500_000, 100),
  },
  reinforce: {
    classic: run('CartPole-v1', 8, 200_000),
    atari: pixel('Catch-v0', 8, 1_000_000),
    cleanrl: run('CartPole-v1', 4, 500_000),
  },
};
