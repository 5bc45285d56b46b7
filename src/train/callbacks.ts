/**
 * Training callbacks, as Stable-Baselines3 has them: objects whose hooks the training loops call
 * at fixed points, for DQN and the on-policy algorithms alike.
 *
 *   onTrainingStart(run)                    once, before the first step
 *   onStep(info)        → false stops       after every loop iteration (DQN: one step of each env;
 *                                           on-policy: one rollout and its update)
 *   onUpdate(info)      → false stops       after an iteration that made gradient steps (SB3's
 *                                           on_rollout_end for the on-policy algos)
 *   onEval(info)        → false stops       after every evaluation (the run's own, or one a callback asked for)
 *   onCheckpoint(info)  → false stops       after every checkpoint of the run
 *   onTrainingEnd(info)                     once, after the final checkpoint
 *
 * A hook that returns (or resolves to) `false` stops training as Ctrl-C does: the loop finishes
 * its iteration, saves a checkpoint and returns `stopped: true`. Any other value continues. Hooks
 * may be async; the loop waits for them.
 */
import type { Env } from '../../envs/core.js';
import type { BoxArray } from '../../envs/spaces.js';
import type { Rng } from '../util/rng.js';
import type { EvaluationResult } from './evaluate.js';

export type BoxEnv = Env<BoxArray, number>;

/** What a hook may return: `false` stops training. */
// biome-ignore lint/suspicious/noConfusingVoidType: an async hook that returns nothing is a Promise<void>
export type HookResult = boolean | undefined | void | Promise<boolean | undefined | void>;

/** A greedy (or ε-greedy) actor over stacked observations, as the evaluation uses it. */
export interface RunActor {
  /** Env observations per network input: the caller stacks the last `historyLength` of them. */
  readonly historyLength: number;
  /** ε of the run's evaluation policy (0 for the on-policy algos: greedy). */
  readonly evalEpsilon: number;
  act(obs: Float32Array, count: number, epsilon: number, rng: Rng, out: Int32Array): Int32Array;
}

/** The run in progress, as callbacks see it and act on it. */
export interface RunView {
  readonly algo: string;
  readonly runDir: string;
  /** The step budget of the run. */
  readonly totalSteps: number;
  /** Agent steps so far, summed over envs. */
  readonly step: number;
  readonly episodes: number;
  /** Mean return of the last 100 training episodes (NaN before the first). */
  readonly meanRecentReturn: number;
  /** The current agent's policy, for playing episodes (video recording). */
  readonly actor: RunActor;
  /** An evaluation env of the run's kind (whole games, raw rewards). */
  makeEvalEnv(seed: number): BoxEnv;
  /**
   * Evaluates the current agent with the run's evaluation policy on `env` (default: a fresh
   * evaluation env), with its own RNG: training's random streams are untouched. Logs an `eval`
   * record and calls every callback's onEval.
   */
  evaluate(episodes: number, env?: BoxEnv): Promise<EvaluationResult>;
  /**
   * Writes the current agent as a run directory of its own (config.json and a checkpoint with the
   * agent only, as `best/` is): `pixelrl eval | play | tsne <dir>` read it.
   */
  saveAgent(dir: string): Promise<void>;
  /** Saves a checkpoint of the whole run now (what `--resume` continues from). */
  checkpoint(): Promise<void>;
}

export interface StepInfo {
  run: RunView;
  step: number;
}

export interface UpdateInfo {
  run: RunView;
  step: number;
  /** Gradient updates so far. */
  updates: number;
  /** The update's loss (DQN: the last gradient step's). */
  loss: number;
  /** The update's other statistics (on-policy: entropy, approxKl, …; DQN: meanQ). */
  stats: Readonly<Record<string, number | undefined>>;
}

export interface EvalInfo {
  run: RunView;
  step: number;
  result: EvaluationResult;
}

export interface CheckpointInfo {
  run: RunView;
  step: number;
  /** The run directory the checkpoint was written into. */
  runDir: string;
}

export interface EndInfo {
  run: RunView;
  step: number;
  /** Training stopped before its budget (a callback, the signal, Ctrl-C). */
  stopped: boolean;
}

/** A training callback: any subset of the hooks. */
export interface Callback {
  onTrainingStart?(run: RunView): void | Promise<void>;
  onStep?(info: StepInfo): HookResult;
  onUpdate?(info: UpdateInfo): HookResult;
  onEval?(info: EvalInfo): HookResult;
  onCheckpoint?(info: CheckpointInfo): HookResult;
  onTrainingEnd?(info: EndInfo): void | Promise<void>;
}

/**
 * Calls a list of callbacks in order and remembers whether one asked to stop; the loops hold one
 * and check `stopRequested` after each iteration.
 */
export class CallbackList {
  stopRequested = false;
  private view: RunView | null = null;

  constructor(private readonly callbacks: readonly Callback[] = []) {}

  /** The run view (set by `start`). */
  get run(): RunView {
    if (!this.view) throw new Error('CallbackList: the run has not started');
    return this.view;
  }

  async start(view: RunView): Promise<void> {
    this.view = view;
    for (const c of this.callbacks) await c.onTrainingStart?.(view);
  }

  async step(step: number): Promise<void> {
    await this.each((c) => c.onStep?.({ run: this.run, step }));
  }

  async update(info: Omit<UpdateInfo, 'run'>): Promise<void> {
    await this.each((c) => c.onUpdate?.({ run: this.run, ...info }));
  }

  async eval(step: number, result: EvaluationResult): Promise<void> {
    await this.each((c) => c.onEval?.({ run: this.run, step, result }));
  }

  async checkpoint(step: number): Promise<void> {
    await this.each((c) => c.onCheckpoint?.({ run: this.run, step, runDir: this.run.runDir }));
  }

  async end(step: number, stopped: boolean): Promise<void> {
    for (const c of this.callbacks) await c.onTrainingEnd?.({ run: this.run, step, stopped });
  }

  private async each(call: (c: Callback) => HookResult): Promise<void> {
    for (const c of this.callbacks) {
      if ((await call(c)) === false) this.stopRequested = true;
    }
  }
}

/** True when `step` crossed a multiple of `interval` since `before` (interval 0: never). */
export function crossedInterval(before: number, step: number, interval: number): boolean {
  return interval > 0 && Math.floor(step / interval) > Math.floor(before / interval);
}
