/** The shapes the training API's methods take and return (src/train/api/). */
import type { Engine } from '../../engine/select.js';
import type { Callback } from '../callbacks.js';
import type { RolloutOptions } from '../dqn-loop.js';

/** What `learn` takes. */
export interface LearnOptions {
  /**
   * Agent steps to train for (summed over envs); default: the config's budget. A second `learn`
   * continues the run from its checkpoint for this many more steps.
   */
  steps?: number;
  /** Training callbacks; one returning false stops training (with a checkpoint). */
  callbacks?: readonly Callback[];
  /** Aborting it stops training gracefully: the loop finishes its step, saves and returns. */
  signal?: AbortSignal;
  /** Progress display on stderr; default `off` (the CLI passes its --progress). */
  progress?: 'auto' | 'bar' | 'lines' | 'off';
  /** The training engine (src/engine/select.ts); default: tfjs on the current backend. */
  engine?: Engine;
  /** Status lines (run directory, checkpoints, stop). Default: none. */
  log?: (line: string) => void;
  /** DQN: the envs' worker threads (restarts allowed; a test's fault injection). */
  rollout?: RolloutOptions;
}

/** What `learn` returns. */
export interface LearnSummary {
  runDir: string;
  /** Agent steps done in total (this and earlier `learn` calls). */
  steps: number;
  episodes: number;
  /** Mean return of the last 100 training episodes (NaN before the first). */
  meanRecentReturn: number;
  /** The last evaluation of the run's own schedule, if any ran. */
  lastEval: { meanReturn: number; stdReturn: number } | null;
  /** Training stopped before its budget: a callback returned false, or the signal was aborted. */
  stopped: boolean;
  /** Seconds of training, this and earlier calls. */
  seconds: number;
}

export interface PredictOptions {
  /**
   * Greedy actions (default true). False: DQN acts ε-greedily with the run's evaluation ε; the
   * on-policy algorithms sample from π(·|s).
   */
  deterministic?: boolean;
}
