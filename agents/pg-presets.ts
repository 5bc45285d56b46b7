/**
 * The named presets of the on-policy agents (types and validation in pg-config.ts):
 * - `classic`: tuned for CartPole-v1 (PPO: the RL Zoo's hyperparams/ppo.yml; A2C: the Zoo's a2c.yml);
 * - `atari`: pixel games (PPO: CleanRL's ppo_atari.py; A2C: SB3 / Mnih et al. 2016);
 * - `cleanrl`: CleanRL ppo.py's defaults on CartPole-v1 (the peer figure of bench-ppo).
 */
import type { MakeAtariOptions } from '../envs/make-atari.js';
import {
  type A2CConfig,
  ON_POLICY_ALGOS,
  ON_POLICY_COMMON_DEFAULTS,
  type OnPolicyAlgo,
  type OnPolicyConfig,
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

export const PPO_PRESETS: Record<PresetKind, PPOConfig> = {
  /** RL Zoo's tuned CartPole-v1 (hyperparams/ppo.yml): 8 × 32 steps, 20 epochs, batch 256, lr 1e-3 linear. */
  classic: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'ppo',
    env: 'CartPole-v1',
    numEnvs: 8,
    numSteps: 32,
    totalSteps: 100_000,
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
    algo: 'ppo',
    env: 'Breakout-v0',
    atari: ATARI_PREPROCESS,
    net: 'nature',
    sharedTorso: true,
    numEnvs: 8,
    numSteps: 128,
    totalSteps: 10_000_000,
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
    logEveryUpdates: 1,
  },
  /** CleanRL ppo.py's defaults on CartPole-v1 (4 × 128 steps, 4 × 4 minibatches, 500k steps): the peer figure. */
  cleanrl: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'ppo',
    env: 'CartPole-v1',
    numEnvs: 4,
    numSteps: 128,
    totalSteps: 500_000,
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
export const PPO_PIXEL_CPU_OVERRIDES: Pick<PPOConfig, 'net' | 'atari' | 'learningRate'> = {
  net: '[c16k4s2,relu:c32k3s2,relu:128,relu]',
  atari: { screenSize: 42 },
  learningRate: 1e-3,
};

export const A2C_PRESETS: Record<PresetKind, A2CConfig> = {
  /** RL Zoo's A2C CartPole-v1 (8 envs, ent 0, otherwise SB3 defaults: 5 steps, lr 7e-4 RMSProp). */
  classic: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'a2c',
    env: 'CartPole-v1',
    numEnvs: 8,
    numSteps: 5,
    totalSteps: 200_000,
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
    logEveryUpdates: 100,
  },
  /** SB3 / Mnih et al. 2016 on Atari: 16 envs × 5 steps, RMSProp 7e-4, ent 0.01, vf 0.25. */
  atari: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'a2c',
    env: 'Breakout-v0',
    atari: ATARI_PREPROCESS,
    net: 'nature',
    sharedTorso: true,
    numEnvs: 16,
    numSteps: 5,
    totalSteps: 10_000_000,
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
    logEveryUpdates: 100,
  },
  cleanrl: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'a2c',
    env: 'CartPole-v1',
    numEnvs: 4,
    numSteps: 5,
    totalSteps: 500_000,
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
    logEveryUpdates: 100,
  },
};

export const REINFORCE_PRESETS: Record<PresetKind, ReinforceConfig> = {
  /** CartPole: 8 episodes per update, Adam 1e-3, no entropy bonus. */
  classic: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'reinforce',
    env: 'CartPole-v1',
    numEnvs: 8,
    episodesPerUpdate: 8,
    totalSteps: 200_000,
    gamma: 0.99,
    learningRate: 1e-3,
    annealLr: false,
    entCoef: 0,
    vfCoef: 0.5,
    maxGradNorm: 0.5,
  },
  atari: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'reinforce',
    env: 'Catch-v0',
    atari: ATARI_PREPROCESS,
    net: 'small',
    sharedTorso: true,
    numEnvs: 8,
    episodesPerUpdate: 8,
    totalSteps: 1_000_000,
    learningRate: 2.5e-4,
    entCoef: 0.01,
  },
  cleanrl: {
    ...ON_POLICY_COMMON_DEFAULTS,
    algo: 'reinforce',
    env: 'CartPole-v1',
    numEnvs: 4,
    episodesPerUpdate: 4,
    totalSteps: 500_000,
    learningRate: 1e-3,
    annealLr: false,
    entCoef: 0,
  },
};

/** The preset of `algo` named `preset`, as a fresh copy the caller may change. */
export function onPolicyPreset(algo: OnPolicyAlgo, preset: PresetKind = 'classic'): OnPolicyConfig {
  const table: Record<OnPolicyAlgo, Record<PresetKind, OnPolicyConfig>> = {
    reinforce: REINFORCE_PRESETS,
    a2c: A2C_PRESETS,
    ppo: PPO_PRESETS,
  };
  const byName = table[algo];
  if (byName === undefined) {
    throw new Error(`unknown on-policy algo '${algo}': use one of ${ON_POLICY_ALGOS.join(', ')}`);
  }
  const config = byName[preset];
  if (config === undefined) {
    throw new Error(`unknown preset '${preset}' for ${algo}: use one of ${Object.keys(byName).join(', ')}`);
  }
  return structuredClone(config);
}
