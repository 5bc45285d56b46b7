/**
 * The hyperparameters of the on-policy agents (REINFORCE, A2C, PPO): one interface per algorithm,
 * a doc comment per field, the shared defaults, validation and the CLI field table (the named
 * presets are in pg-presets.ts). A hyperparameter is defined here and only here; the CLI and the
 * training loop read these objects (CleanRL's `Args` discipline).
 *
 * These are what a run config nests under its algorithm's name (`ppo`, `a2c`, `reinforce`), as
 * a DQN run nests `DqnConfig` under `dqn`; the run's own fields (env, steps, seed, envs, workers,
 * evaluation and checkpoint intervals) are src/train's `RunSettings`, the same for every algorithm.
 */

/** Hyperparameters every on-policy algorithm shares. */
export interface OnPolicyCommonConfig {
  /** Discount factor γ. */
  gamma: number;
  /** Adam or RMSProp step size at the start of training. */
  learningRate: number;
  /** Anneal the learning rate linearly to 0 over the run's steps (CleanRL's `anneal_lr`). */
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
}

/** REINFORCE with a learned value baseline (Williams 1992; Sutton & Barto 2018, §13.4). */
export interface ReinforceConfig extends OnPolicyCommonConfig {
  /** Complete episodes gathered (over all envs) before each gradient step. */
  episodesPerUpdate: number;
}

/** Synchronous advantage actor-critic (A2C; Mnih et al. 2016 without the asynchrony). */
export interface A2CConfig extends OnPolicyCommonConfig {
  /** Steps per env in each rollout (the n of n-step returns). */
  numSteps: number;
  /** GAE λ: 1 gives plain n-step returns (the paper's A3C), < 1 trades variance for bias. */
  gaeLambda: number;
  /** RMSProp decay ρ (0.99 in SB3's A2C). Ignored by Adam. */
  rmspropDecay: number;
}

/** Proximal policy optimisation with the clipped surrogate (Schulman et al. 2017). */
export interface PPOConfig extends OnPolicyCommonConfig {
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

/** The hyperparameters of each on-policy algorithm, by its name (the key a run config nests them under). */
export interface OnPolicyConfigOf {
  reinforce: ReinforceConfig;
  a2c: A2CConfig;
  ppo: PPOConfig;
}

export type OnPolicyAlgo = keyof OnPolicyConfigOf;
export type OnPolicyConfig = OnPolicyConfigOf[OnPolicyAlgo];
export const ON_POLICY_ALGOS: readonly OnPolicyAlgo[] = ['reinforce', 'a2c', 'ppo'];

/** The shared defaults every preset starts from (also fills fields missing from older run configs). */
export const ON_POLICY_COMMON_DEFAULTS: OnPolicyCommonConfig = {
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
};

/** How the CLI parses a field (the same kinds as DQN_FIELDS in dqn-config.ts). */
export type OnPolicyFieldKind = 'int' | 'number' | 'fraction' | 'boolean' | 'string' | 'optimizer';

/** `off`: the help of a boolean's --no- flag. */
type FieldTable = Record<string, { kind: OnPolicyFieldKind; help: string; off?: string }>;

const COMMON_FIELDS: FieldTable = {
  net: { kind: 'string', help: 'torso: nature | small | compact | mlp | a spec like [64,tanh:64,tanh]' },
  sharedTorso: {
    kind: 'boolean',
    help: 'one torso with policy and value heads (else two networks)',
    off: 'separate policy and value networks',
  },
  gamma: { kind: 'fraction', help: 'discount factor γ' },
  learningRate: { kind: 'number', help: 'learning rate' },
  annealLr: {
    kind: 'boolean',
    help: 'anneal the learning rate linearly to 0',
    off: 'a constant learning rate',
  },
  optimizer: { kind: 'optimizer', help: 'adam | rmsprop' },
  optimizerEpsilon: { kind: 'number', help: 'optimizer ε' },
  maxGradNorm: { kind: 'number', help: 'gradient global-norm clip (0 = off)' },
  entCoef: { kind: 'number', help: 'entropy bonus coefficient' },
  vfCoef: { kind: 'number', help: 'value loss coefficient' },
  normalizeAdvantages: {
    kind: 'boolean',
    help: 'normalise advantages to mean 0, std 1',
    off: 'use the advantages as they are',
  },
};

/**
 * Every hyperparameter of each on-policy algorithm (camelCase keys of its config; `--num-steps`
 * sets `numSteps`). A key outside its algorithm's table is refused.
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
    annealClip: {
      kind: 'boolean',
      help: 'anneal the clip range linearly to 0',
      off: 'a constant clip range',
    },
    clipValueLoss: {
      kind: 'boolean',
      help: 'clip the value loss around the old values',
      off: 'an unclipped value loss',
    },
    targetKl: { kind: 'number', help: 'stop an update early above this approximate KL' },
  },
};

function check(ok: boolean, message: string): void {
  if (!ok) throw new Error(`invalid on-policy config: ${message}`);
}

const isPosInt = (n: unknown): boolean => Number.isSafeInteger(n) && (n as number) >= 1;

/**
 * Throws an Error naming the first hyperparameter of `algo` that is unknown or out of range, and
 * what it should be. `numEnvs` (a run setting) sizes PPO's batch, which the minibatches divide.
 */
export function validateOnPolicyConfig(algo: OnPolicyAlgo, c: OnPolicyConfig, numEnvs: number): void {
  check(ON_POLICY_ALGOS.includes(algo), `algo '${algo}' must be one of ${ON_POLICY_ALGOS.join(', ')}`);
  check(typeof c === 'object' && c !== null && !Array.isArray(c), `${algo} must be an object of settings`);
  const fields = ON_POLICY_FIELDS[algo];
  for (const key of Object.keys(c)) {
    check(
      key in fields,
      `unknown ${algo} setting '${key}'; valid settings are: ${Object.keys(fields).join(', ')}`,
    );
  }
  check(typeof c.net === 'string' && c.net !== '', `net must be a torso spec, got ${JSON.stringify(c.net)}`);
  for (const key of ['sharedTorso', 'annealLr', 'normalizeAdvantages'] as const) {
    check(typeof c[key] === 'boolean', `${key} must be true or false, got ${JSON.stringify(c[key])}`);
  }
  check(c.gamma >= 0 && c.gamma <= 1, `gamma must be in [0, 1], got ${c.gamma}`);
  check(c.learningRate > 0, `learningRate must be > 0, got ${c.learningRate}`);
  check(c.optimizer === 'adam' || c.optimizer === 'rmsprop', `optimizer must be adam or rmsprop`);
  check(c.maxGradNorm >= 0, `maxGradNorm must be >= 0 (0 disables clipping), got ${c.maxGradNorm}`);
  check(c.entCoef >= 0 && c.vfCoef >= 0, 'entCoef and vfCoef must be >= 0');
  if (algo === 'reinforce') {
    const r = c as ReinforceConfig;
    check(isPosInt(r.episodesPerUpdate), `episodesPerUpdate must be a positive integer`);
    return;
  }
  const a = c as A2CConfig | PPOConfig;
  check(isPosInt(a.numSteps), `numSteps must be a positive integer, got ${a.numSteps}`);
  check(a.gaeLambda >= 0 && a.gaeLambda <= 1, `gaeLambda must be in [0, 1], got ${a.gaeLambda}`);
  if (algo === 'ppo') {
    const p = c as PPOConfig;
    check(isPosInt(p.updateEpochs), `updateEpochs must be a positive integer`);
    const batch = numEnvs * p.numSteps;
    check(
      isPosInt(p.numMinibatches) && batch % p.numMinibatches === 0,
      `numMinibatches (${p.numMinibatches}) must divide the batch numEnvs × numSteps = ${batch}`,
    );
    check(p.clipCoef > 0, `clipCoef must be > 0, got ${p.clipCoef}`);
    check(p.targetKl === null || p.targetKl > 0, 'targetKl must be null or > 0');
  }
}
