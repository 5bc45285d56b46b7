/**
 * The typed configs of the on-policy agents (REINFORCE, A2C, PPO): one interface per algorithm,
 * a doc comment per field, the shared defaults, validation and the CLI field table (the named
 * presets are in pg-presets.ts). A hyperparameter is defined here and only here;
 * the CLI and the training loop read these objects (CleanRL's `Args` discipline).
 *
 * Steps are agent steps summed over all envs (CleanRL's `total_timesteps`, SB3's `n_timesteps`).
 */
import type { MakeAtariOptions } from '../envs/make-atari.js';

/** Fields every on-policy algorithm shares. */
export interface OnPolicyCommonConfig {
  /** Environment id from the registry, e.g. `CartPole-v1` or `Catch-v0`. */
  env: string;
  /** Options passed to the env's `make` (e.g. `{ maxEpisodeSteps: 500 }`). */
  envOptions: Record<string, unknown>;
  /**
   * Pixel games: the makeAtari stack's options (φ, no-op starts, episodic life, reward clipping,
   * frame stack; `{}` for its defaults, see envs/make-atari.ts); `null` for vector envs, which
   * are made by the registry with `envOptions`. Episode returns in the metrics are then the real
   * game's (all lives, unclipped), from the stack's RecordEpisodeStatistics.
   */
  atari: MakeAtariOptions | null;
  /** Seed of everything: env seeds, weight init, action sampling, minibatch shuffles. */
  seed: number;
  /** Total agent steps to train for, summed over envs. */
  totalSteps: number;
  /** Parallel environments stepped in lock-step. */
  numEnvs: number;
  /** Worker threads for the envs: 0 steps them in this thread (SyncVecEnv). */
  workers: number;
  /** Discount factor γ. */
  gamma: number;
  /** Adam or RMSProp step size at the start of training. */
  learningRate: number;
  /** Anneal the learning rate linearly to 0 over `totalSteps` (CleanRL's `anneal_lr`). */
  annealLr: boolean;
  /** The optimiser: `adam` (PPO's) or `rmsprop` (A3C/A2C's in Mnih et al. 2016). */
  optimizer: 'adam' | 'rmsprop';
  /** The optimiser's ε (1e-5 in CleanRL's Adam and SB3's A2C RMSProp; tfjs' own default is 1e-8/1e-10). */
  optimizerEpsilon: number;
  /** Global-norm gradient clip (0 disables it). */
  maxGradNorm: number;
  /** Weight of the entropy bonus in the loss. */
  entCoef: number;
  /** Weight of the value loss in the loss. */
  vfCoef: number;
  /** Torso spec for `buildNetwork` (a preset name `nature` | `small` | `mlp`, or a spec string). */
  net: string;
  /**
   * One torso with policy and value heads (true, Mnih et al. 2016's and CleanRL ppo_atari's
   * choice), or two separate networks with the same torso spec (false, CleanRL ppo.py's and SB3's
   * MLP choice).
   */
  sharedTorso: boolean;
  /** Scale advantages to mean 0, std 1 (per minibatch for PPO, per batch otherwise). */
  normalizeAdvantages: boolean;
  /** Write a `train` metrics line every this many updates. */
  logEveryUpdates: number;
  /** Save a checkpoint every this many steps (0: only at the end). */
  checkpointEverySteps: number;
  /**
   * Evaluate every this many steps (0: only at the end, if `evalEpisodes` > 0): full episodes in
   * a separate env (pixel games: no episodic life, unclipped rewards) with the greedy policy,
   * SB3's `deterministic=True`. Writes an `eval` metrics line.
   */
  evalEverySteps: number;
  /** Episodes per evaluation (0: no evaluation). */
  evalEpisodes: number;
}

/** REINFORCE with a learned value baseline (Williams 1992; Sutton & Barto 2018, §13.4). */
export interface ReinforceConfig extends OnPolicyCommonConfig {
  algo: 'reinforce';
  /** Complete episodes gathered (over all envs) before each gradient step. */
  episodesPerUpdate: number;
}

/** Synchronous advantage actor-critic (A2C; Mnih et al. 2016 without the asynchrony). */
export interface A2CConfig extends OnPolicyCommonConfig {
  algo: 'a2c';
  /** Steps per env in each rollout (the n of n-step returns). */
  numSteps: number;
  /** GAE λ: 1 gives plain n-step returns (the paper's A3C), < 1 trades variance for bias. */
  gaeLambda: number;
  /** RMSProp decay ρ (0.99 in SB3's A2C). Ignored by Adam. */
  rmspropDecay: number;
}

/** Proximal policy optimisation with the clipped surrogate (Schulman et al. 2017). */
export interface PPOConfig extends OnPolicyCommonConfig {
  algo: 'ppo';
  /** Steps per env in each rollout; the batch is numSteps × numEnvs. */
  numSteps: number;
  /** GAE λ (Schulman et al. 2016). */
  gaeLambda: number;
  /** Passes over each rollout. */
  updateEpochs: number;
  /** Minibatches each pass is split into (the minibatch size is batch / numMinibatches). */
  numMinibatches: number;
  /** The clip range ε of the surrogate. */
  clipCoef: number;
  /** Anneal the clip range linearly to 0, as SB3 does with a linear schedule (the Zoo's CartPole). */
  annealClip: boolean;
  /** Clip the value loss around the old values with the same ε (CleanRL's `clip_vloss`). */
  clipValueLoss: boolean;
  /** Stop the epochs of an update early once the approximate KL exceeds this (`null`: never). */
  targetKl: number | null;
}

export type OnPolicyConfig = ReinforceConfig | A2CConfig | PPOConfig;
export type OnPolicyAlgo = OnPolicyConfig['algo'];
export const ON_POLICY_ALGOS: readonly OnPolicyAlgo[] = ['reinforce', 'a2c', 'ppo'];

/** The shared defaults every preset starts from (also fills fields missing from older run configs). */
export const ON_POLICY_COMMON_DEFAULTS: Omit<OnPolicyCommonConfig, 'env'> = {
  envOptions: {},
  atari: null,
  seed: 1,
  totalSteps: 100_000,
  numEnvs: 8,
  workers: 0,
  gamma: 0.99,
  learningRate: 2.5e-4,
  annealLr: true,
  optimizer: 'adam',
  optimizerEpsilon: 1e-5,
  maxGradNorm: 0.5,
  entCoef: 0.01,
  vfCoef: 0.5,
  net: 'mlp',
  sharedTorso: false,
  normalizeAdvantages: true,
  logEveryUpdates: 1,
  checkpointEverySteps: 0,
  evalEverySteps: 0,
  evalEpisodes: 0,
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`invalid on-policy config: ${message}`);
}

const isPosInt = (n: number): boolean => Number.isSafeInteger(n) && n >= 1;

/** Throws an Error naming the first field that is out of range, and what it should be. */
export function validateOnPolicyConfig(c: OnPolicyConfig): void {
  check(ON_POLICY_ALGOS.includes(c.algo), `algo '${c.algo}' must be one of ${ON_POLICY_ALGOS.join(', ')}`);
  check(typeof c.env === 'string' && c.env !== '', 'env must name a registered env, e.g. CartPole-v1');
  check(isPosInt(c.totalSteps), `totalSteps must be a positive integer, got ${c.totalSteps}`);
  check(isPosInt(c.numEnvs), `numEnvs must be a positive integer, got ${c.numEnvs}`);
  check(
    Number.isSafeInteger(c.workers) && c.workers >= 0,
    `workers must be an integer >= 0, got ${c.workers}`,
  );
  check(c.gamma >= 0 && c.gamma <= 1, `gamma must be in [0, 1], got ${c.gamma}`);
  check(c.learningRate > 0, `learningRate must be > 0, got ${c.learningRate}`);
  check(c.optimizer === 'adam' || c.optimizer === 'rmsprop', `optimizer must be adam or rmsprop`);
  check(c.maxGradNorm >= 0, `maxGradNorm must be >= 0 (0 disables clipping), got ${c.maxGradNorm}`);
  check(c.entCoef >= 0 && c.vfCoef >= 0, 'entCoef and vfCoef must be >= 0');
  check(isPosInt(c.logEveryUpdates), `logEveryUpdates must be a positive integer`);
  check(
    Number.isSafeInteger(c.evalEverySteps) &&
      c.evalEverySteps >= 0 &&
      Number.isSafeInteger(c.evalEpisodes) &&
      c.evalEpisodes >= 0,
    'evalEverySteps and evalEpisodes must be integers >= 0',
  );
  if (c.algo === 'reinforce') {
    check(isPosInt(c.episodesPerUpdate), `episodesPerUpdate must be a positive integer`);
    return;
  }
  check(isPosInt(c.numSteps), `numSteps must be a positive integer, got ${c.numSteps}`);
  check(c.gaeLambda >= 0 && c.gaeLambda <= 1, `gaeLambda must be in [0, 1], got ${c.gaeLambda}`);
  if (c.algo === 'ppo') {
    check(isPosInt(c.updateEpochs), `updateEpochs must be a positive integer`);
    const batch = c.numEnvs * c.numSteps;
    check(
      isPosInt(c.numMinibatches) && batch % c.numMinibatches === 0,
      `numMinibatches (${c.numMinibatches}) must divide the batch numEnvs × numSteps = ${batch}`,
    );
    check(c.clipCoef > 0, `clipCoef must be > 0, got ${c.clipCoef}`);
    check(c.targetKl === null || c.targetKl > 0, 'targetKl must be null or > 0');
  }
}

/** How the CLI parses a field (the same kinds as DQN_FIELDS in dqn-config.ts). */
export type OnPolicyFieldKind = 'int' | 'number' | 'fraction' | 'boolean' | 'string' | 'optimizer';

type FieldTable = Record<string, { kind: OnPolicyFieldKind; help: string }>;

const COMMON_FIELDS: FieldTable = {
  net: { kind: 'string', help: 'torso: nature | small | compact | mlp | a spec like [64,tanh:64,tanh]' },
  sharedTorso: { kind: 'boolean', help: 'one torso with policy and value heads (else two networks)' },
  gamma: { kind: 'fraction', help: 'discount factor γ' },
  learningRate: { kind: 'number', help: 'learning rate' },
  annealLr: { kind: 'boolean', help: 'anneal the learning rate linearly to 0' },
  optimizer: { kind: 'optimizer', help: 'adam | rmsprop' },
  optimizerEpsilon: { kind: 'number', help: 'optimizer ε' },
  maxGradNorm: { kind: 'number', help: 'gradient global-norm clip (0 = off)' },
  entCoef: { kind: 'number', help: 'entropy bonus coefficient' },
  vfCoef: { kind: 'number', help: 'value loss coefficient' },
  normalizeAdvantages: { kind: 'boolean', help: 'normalise advantages to mean 0, std 1' },
  logEveryUpdates: { kind: 'int', help: 'updates between train metrics lines' },
  checkpointEverySteps: { kind: 'int', help: 'steps between checkpoints (0 = only at the end)' },
  evalEverySteps: { kind: 'int', help: 'steps between evaluations (0 = only at the end)' },
  evalEpisodes: { kind: 'int', help: 'episodes per evaluation (0 = none)' },
};

/**
 * The hyperparameters of each on-policy algorithm that a CLI flag may set (camelCase keys of the
 * config; `--num-steps` sets `numSteps`). Run-level fields (env, seed, totalSteps, numEnvs,
 * workers, atari) are left to the train command's own flags.
 */
export const ON_POLICY_FIELDS: Readonly<Record<OnPolicyAlgo, FieldTable>> = {
  reinforce: {
    ...COMMON_FIELDS,
    episodesPerUpdate: { kind: 'int', help: 'complete episodes per gradient step' },
  },
  a2c: {
    ...COMMON_FIELDS,
    numSteps: { kind: 'int', help: 'steps per env per rollout (n of n-step returns)' },
    gaeLambda: { kind: 'fraction', help: 'GAE λ (1 = n-step returns)' },
    rmspropDecay: { kind: 'fraction', help: 'RMSProp decay ρ' },
  },
  ppo: {
    ...COMMON_FIELDS,
    numSteps: { kind: 'int', help: 'steps per env per rollout' },
    gaeLambda: { kind: 'fraction', help: 'GAE λ' },
    updateEpochs: { kind: 'int', help: 'passes over each rollout' },
    numMinibatches: { kind: 'int', help: 'minibatches per pass' },
    clipCoef: { kind: 'number', help: 'clip range ε of the surrogate' },
    annealClip: { kind: 'boolean', help: 'anneal the clip range linearly to 0' },
    clipValueLoss: { kind: 'boolean', help: 'clip the value loss around the old values' },
    targetKl: { kind: 'number', help: 'stop an update early above this approximate KL' },
  },
};
