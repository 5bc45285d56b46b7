/**
 * Every hyperparameter of DQN and of its training loop, in one typed config (one config, one
 * place, as CleanRL's `Args`): a run config nests it under `dqn` (src/train/train-config.ts). The
 * CLI builds its flags from {@link DQN_FIELDS} and reads the same object.
 *
 * Two presets:
 * - `atari`: Mnih et al. 2015 as CleanRL's `dqn_atari.py` runs it (buffer 1M, learning starts 80k,
 *   train every 4 steps, target every 1000 steps, ε 1→0.01 over 10% of training, Adam 1e-4, batch 32);
 * - `classic`: the RL Zoo's tuned DQN for CartPole-v1 (50k steps, [256, 256] MLP, lr 2.3e-3,
 *   batch 64, train every 256 steps with 128 gradient steps, target every 10 steps, ε → 0.04 over 16%),
 *   with the learning rate decayed linearly to 0: with a constant rate the policy often collapsed
 *   in the last 10k steps (seed 0: greedy 500 at 40k, 106 at 50k).
 */

/** The optimizers DQN can train with. */
export const OPTIMIZERS = ['adam', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** The TD losses DQN can train with. */
export const LOSSES = ['huber', 'mse'] as const;
export type LossName = (typeof LOSSES)[number];

export interface DqnConfig {
  /** Torso of the Q-network: a preset (`nature`, `small`, `mlp`) or a spec string such as `[256,relu:256,relu]`. */
  net: string;
  /** Dueling head (Wang et al. 2016): Q = V + A − mean(A). */
  dueling: boolean;
  /** Double DQN (van Hasselt et al. 2016): the online net picks a', the target net values it. */
  doubleDqn: boolean;
  /** Discount factor γ. */
  gamma: number;
  /** n of the n-step return (1 = the paper's one-step target). */
  nStep: number;
  /** Optimizer: `adam` (CleanRL, SB3) or `rmsprop` (the Nature paper's centred RMSProp). */
  optimizer: OptimizerName;
  /** Learning rate (at step 0 when `annealLr` is on). */
  learningRate: number;
  /** Anneal the learning rate linearly to 0 over training (SB3's `lin_` schedules): steadies the final policy. */
  annealLr: boolean;
  /** ε of Adam, or of RMSProp (the denominator's fuzz). */
  optimizerEpsilon: number;
  /** Clip the gradients' global L2 norm to this; 0 turns clipping off. */
  maxGradNorm: number;
  /** TD loss: `huber` (the Nature paper's error clipping, SB3's default) or `mse` (CleanRL's dqn.py). */
  loss: LossName;
  /** Huber loss δ: quadratic within ±δ, linear outside (the paper's error clipping at 1). */
  huberDelta: number;
  /** Transitions drawn per gradient step. */
  batchSize: number;
  /** Replay capacity, in transitions summed over envs. */
  bufferSize: number;
  /** Agent steps (summed over envs) of random-policy data before the first update. */
  learningStarts: number;
  /** Agent steps (summed over envs) between two updates. */
  trainFrequency: number;
  /** Gradient steps per update. */
  gradientSteps: number;
  /** Agent steps (summed over envs) between two target-network updates. */
  targetUpdateInterval: number;
  /** Target update weight: 1 copies the online net (hard sync), τ < 1 is Polyak averaging. */
  tau: number;
  /** ε at step 0 of the linear exploration schedule. */
  epsilonStart: number;
  /** ε at the end of the schedule and after it. */
  epsilonEnd: number;
  /** Fraction of the training steps over which ε goes from start to end. */
  explorationFraction: number;
  /** Prioritized replay (Schaul et al. 2016, proportional variant); false is uniform. */
  prioritized: boolean;
  /** Priority exponent α of prioritized replay. */
  priorityAlpha: number;
  /** Importance-sampling exponent β at step 0; it is annealed linearly to 1 over training. */
  priorityBeta: number;
  /** Added to |δ| for priorities, so none is zero. */
  priorityEpsilon: number;
  /** Frames per agent observation: the agent keeps each env's last `historyLength` frames (4 for Atari, 1 for vectors). */
  historyLength: number;
  /** Clip rewards to their sign {−1, 0, +1} for learning (the paper's choice; logs keep raw returns). */
  clipRewards: boolean;
}

/** Nature DQN with CleanRL's `dqn_atari.py` values. */
export const ATARI_PRESET: DqnConfig = {
  net: 'nature',
  dueling: false,
  doubleDqn: false,
  gamma: 0.99,
  nStep: 1,
  optimizer: 'adam',
  learningRate: 1e-4,
  annealLr: false,
  optimizerEpsilon: 1e-8,
  maxGradNorm: 10,
  loss: 'huber',
  huberDelta: 1,
  batchSize: 32,
  bufferSize: 1_000_000,
  learningStarts: 80_000,
  trainFrequency: 4,
  gradientSteps: 1,
  targetUpdateInterval: 1000,
  tau: 1,
  epsilonStart: 1,
  epsilonEnd: 0.01,
  explorationFraction: 0.1,
  prioritized: false,
  priorityAlpha: 0.6,
  priorityBeta: 0.4,
  priorityEpsilon: 1e-6,
  historyLength: 4,
  clipRewards: true,
};

/**
 * The RL Zoo's tuned CartPole-v1 DQN (hyperparams/dqn.yml), plus learning-rate decay and Double DQN
 * targets. Both steady the final policy: over 3 seeds × 50k steps, 100 greedy episodes of the final
 * agent scored 142 / 500 / 500 with the decay alone and 500 / 500 / 479 with Double DQN as well
 * (scripts/learn-cartpole-dqn.ts).
 */
export const CLASSIC_PRESET: DqnConfig = {
  net: '[256,relu:256,relu]',
  dueling: false,
  doubleDqn: true,
  gamma: 0.99,
  nStep: 1,
  optimizer: 'adam',
  learningRate: 2.3e-3,
  annealLr: true,
  optimizerEpsilon: 1e-8,
  maxGradNorm: 10,
  loss: 'huber',
  huberDelta: 1,
  batchSize: 64,
  bufferSize: 100_000,
  learningStarts: 1000,
  trainFrequency: 256,
  gradientSteps: 128,
  targetUpdateInterval: 10,
  tau: 1,
  epsilonStart: 1,
  epsilonEnd: 0.04,
  explorationFraction: 0.16,
  prioritized: false,
  priorityAlpha: 0.6,
  priorityBeta: 0.4,
  priorityEpsilon: 1e-6,
  historyLength: 1,
  clipRewards: false,
};

export const DQN_PRESETS = { atari: ATARI_PRESET, classic: CLASSIC_PRESET } as const;
export type DqnPresetName = keyof typeof DQN_PRESETS;

/** How the CLI reads each field: its kind decides the flag and the check. */
export type FieldKind = 'string' | 'boolean' | 'int' | 'number' | 'fraction' | 'optimizer' | 'loss';

/** How the CLI shows a field: its kind, a one-line help, and for a boolean its --no- flag's help. */
export interface FieldInfo {
  kind: FieldKind;
  help: string;
  off?: string;
}

/** Every field of {@link DqnConfig} with its kind and a one-line help (the CLI's flags). */
export const DQN_FIELDS: Readonly<Record<keyof DqnConfig, FieldInfo>> = {
  net: {
    kind: 'string',
    help: 'Q-network torso: nature | small | compact | mlp | a spec like [256,relu:256,relu]',
  },
  dueling: { kind: 'boolean', help: 'dueling head', off: 'plain (non-dueling) head' },
  doubleDqn: {
    kind: 'boolean',
    help: 'Double DQN targets',
    off: 'plain DQN targets (max over the target network)',
  },
  gamma: { kind: 'fraction', help: 'discount factor γ' },
  nStep: { kind: 'int', help: 'n-step return' },
  optimizer: { kind: 'optimizer', help: 'adam | rmsprop' },
  learningRate: { kind: 'number', help: 'learning rate' },
  annealLr: {
    kind: 'boolean',
    help: 'anneal the learning rate linearly to 0',
    off: 'a constant learning rate',
  },
  optimizerEpsilon: { kind: 'number', help: 'optimizer ε' },
  maxGradNorm: { kind: 'number', help: 'gradient global-norm clip (0 = off)' },
  loss: { kind: 'loss', help: 'TD loss: huber | mse' },
  huberDelta: { kind: 'number', help: 'Huber loss δ' },
  batchSize: { kind: 'int', help: 'batch size' },
  bufferSize: { kind: 'int', help: 'replay capacity (transitions)' },
  learningStarts: { kind: 'int', help: 'steps before the first update' },
  trainFrequency: { kind: 'int', help: 'steps between updates' },
  gradientSteps: { kind: 'int', help: 'gradient steps per update' },
  targetUpdateInterval: { kind: 'int', help: 'steps between target-network updates' },
  tau: { kind: 'fraction', help: 'target update weight (1 = hard sync)' },
  epsilonStart: { kind: 'fraction', help: 'initial ε' },
  epsilonEnd: { kind: 'fraction', help: 'final ε' },
  explorationFraction: { kind: 'fraction', help: 'fraction of training over which ε decays' },
  prioritized: { kind: 'boolean', help: 'prioritized replay', off: 'uniform replay sampling' },
  priorityAlpha: { kind: 'number', help: 'prioritized replay α' },
  priorityBeta: { kind: 'fraction', help: 'prioritized replay initial β' },
  priorityEpsilon: { kind: 'number', help: 'prioritized replay ε' },
  historyLength: { kind: 'int', help: 'frames per observation' },
  clipRewards: {
    kind: 'boolean',
    help: 'clip rewards to their sign for learning',
    off: 'learn from the raw rewards',
  },
};

/**
 * Checks every field (and refuses unknown ones) and returns a complete config; the error says
 * which field is wrong and what it should be.
 */
export function validateDqnConfig(input: Record<string, unknown>): DqnConfig {
  // Runs saved before the loss became a setting trained with Huber.
  const config: Record<string, unknown> = { loss: 'huber', ...input };
  for (const key of Object.keys(config)) {
    if (!(key in DQN_FIELDS)) {
      throw new Error(
        `unknown DQN setting '${key}'; valid settings are: ${Object.keys(DQN_FIELDS).join(', ')}`,
      );
    }
  }
  for (const [key, field] of Object.entries(DQN_FIELDS)) {
    const v = config[key];
    const bad = (what: string) => new Error(`DQN setting ${key} must be ${what}, got ${JSON.stringify(v)}`);
    switch (field.kind) {
      case 'string':
        if (typeof v !== 'string' || v === '') throw bad('a non-empty string');
        break;
      case 'boolean':
        if (typeof v !== 'boolean') throw bad('true or false');
        break;
      case 'int':
        if (!Number.isSafeInteger(v) || (v as number) < (key === 'learningStarts' ? 0 : 1)) {
          throw bad(key === 'learningStarts' ? 'an integer >= 0' : 'an integer >= 1');
        }
        break;
      case 'number':
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw bad('a finite number >= 0');
        break;
      case 'fraction':
        if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw bad('a number in [0, 1]');
        break;
      case 'optimizer':
        if (!(OPTIMIZERS as readonly unknown[]).includes(v)) throw bad(OPTIMIZERS.join(' or '));
        break;
      case 'loss':
        if (!(LOSSES as readonly unknown[]).includes(v)) throw bad(LOSSES.join(' or '));
        break;
    }
  }
  const c = config as unknown as DqnConfig;
  if (!(c.learningRate > 0)) throw new Error(`DQN setting learningRate must be > 0, got ${c.learningRate}`);
  if (!(c.tau > 0)) throw new Error(`DQN setting tau must be in (0, 1], got ${c.tau}`);
  if (!(c.huberDelta > 0)) throw new Error(`DQN setting huberDelta must be > 0, got ${c.huberDelta}`);
  return { ...c };
}
