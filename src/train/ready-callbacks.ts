/**
 * Ready-made callbacks, SB3's habits in pixelrl's terms:
 *
 * - {@link EvalCallback}: evaluate every N steps, keep the best agent as a run directory;
 * - {@link CheckpointCallback}: a checkpoint every N steps (the run's own, or agent copies);
 * - {@link StopTrainingOnRewardThreshold}: stop once a mean return reaches a threshold;
 * - {@link ProgressCallback}: a progress bar or lines on stderr.
 *
 * (VideoRecorderCallback is in video-callback.ts.)
 */
import { join } from 'node:path';
import type { BoxEnv, Callback, EndInfo, EvalInfo, HookResult, RunView, StepInfo } from './callbacks.js';
import { crossedInterval } from './callbacks.js';
import type { EvaluationResult } from './evaluate.js';
import { createProgress, type ProgressReporter } from './progress.js';

function positiveInt(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new Error(`${name} must be an integer >= 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

export interface EvalCallbackOptions {
  /** Agent steps between evaluations. */
  everySteps: number;
  /** Episodes per evaluation. Default 5. */
  episodes?: number;
  /** Evaluate on this env (SB3's eval_env); default: a fresh evaluation env of the run's env id. */
  evalEnv?: BoxEnv;
  /**
   * Write the best agent so far here as a run directory (`pixelrl eval <dir>` reads it); none
   * when absent.
   */
  bestModelDir?: string;
  /** Called with each evaluation that beats the best so far; `false` stops training. */
  onNewBest?: (info: EvalInfo) => HookResult;
}

/** Evaluates every `everySteps` steps (and never twice at one step) and keeps the best agent. */
export class EvalCallback implements Callback {
  /** Mean return of the best evaluation so far (-Infinity before the first). */
  bestMeanReturn = Number.NEGATIVE_INFINITY;
  /** Every evaluation of this callback: step and result. */
  readonly evaluations: { step: number; result: EvaluationResult }[] = [];
  private readonly everySteps: number;
  private readonly episodes: number;
  private lastStep = 0;

  constructor(private readonly options: EvalCallbackOptions) {
    this.everySteps = positiveInt('EvalCallback everySteps', options.everySteps);
    this.episodes = positiveInt('EvalCallback episodes', options.episodes ?? 5);
  }

  onTrainingStart(run: RunView): void {
    this.lastStep = run.step;
  }

  async onStep({ run, step }: StepInfo): Promise<boolean> {
    const due = crossedInterval(this.lastStep, step, this.everySteps);
    this.lastStep = step;
    if (!due) return true;
    const result = await run.evaluate(this.episodes, this.options.evalEnv);
    this.evaluations.push({ step, result });
    if (!(result.meanReturn > this.bestMeanReturn)) return true;
    this.bestMeanReturn = result.meanReturn;
    if (this.options.bestModelDir) await run.saveAgent(this.options.bestModelDir);
    return (await this.options.onNewBest?.({ run, step, result })) !== false;
  }
}

export interface CheckpointCallbackOptions {
  /** Agent steps between checkpoints. */
  everySteps: number;
  /**
   * Without it, the run's own checkpoint is saved (what `--resume` continues from). With it, the
   * agent is also written to `<dir>/step-<step>/`, one run directory per checkpoint (SB3's
   * `rl_model_<n>_steps`), each readable by `pixelrl eval`.
   */
  dir?: string;
}

/** Saves a checkpoint every `everySteps` steps. */
export class CheckpointCallback implements Callback {
  /** The agent directories written so far (with `dir`). */
  readonly saved: string[] = [];
  private readonly everySteps: number;
  private lastStep = 0;

  constructor(private readonly options: CheckpointCallbackOptions) {
    this.everySteps = positiveInt('CheckpointCallback everySteps', options.everySteps);
  }

  onTrainingStart(run: RunView): void {
    this.lastStep = run.step;
  }

  async onStep({ run, step }: StepInfo): Promise<void> {
    const due = crossedInterval(this.lastStep, step, this.everySteps);
    this.lastStep = step;
    if (!due) return;
    if (this.options.dir === undefined) {
      await run.checkpoint();
      return;
    }
    const dir = join(this.options.dir, `step-${step}`);
    await run.saveAgent(dir);
    this.saved.push(dir);
  }
}

export interface RewardThresholdOptions {
  /** Stop when the mean return reaches this. */
  threshold: number;
  /**
   * `eval` (default): the mean return of an evaluation (the run's own or an EvalCallback's);
   * `train`: the mean return of the last 100 training episodes, once `minEpisodes` have ended.
   */
  source?: 'eval' | 'train';
  /** With `source: 'train'`: episodes that must have ended first. Default 100. */
  minEpisodes?: number;
}

/** Stops training once the mean return reaches `threshold` (SB3's StopTrainingOnRewardThreshold). */
export class StopTrainingOnRewardThreshold implements Callback {
  /** The step at which the threshold was reached, or null. */
  reachedAtStep: number | null = null;
  private readonly source: 'eval' | 'train';
  private readonly minEpisodes: number;

  constructor(private readonly options: RewardThresholdOptions) {
    if (!Number.isFinite(options.threshold)) {
      throw new Error(`StopTrainingOnRewardThreshold: threshold must be a number, got ${options.threshold}`);
    }
    this.source = options.source ?? 'eval';
    this.minEpisodes = options.minEpisodes ?? 100;
  }

  onEval({ step, result }: EvalInfo): boolean {
    if (this.source !== 'eval' || !(result.meanReturn >= this.options.threshold)) return true;
    this.reachedAtStep ??= step;
    return false;
  }

  onStep({ run, step }: StepInfo): boolean {
    if (this.source !== 'train' || run.episodes < this.minEpisodes) return true;
    if (!(run.meanRecentReturn >= this.options.threshold)) return true;
    this.reachedAtStep ??= step;
    return false;
  }
}

export interface ProgressCallbackOptions {
  /** `bar` on a terminal, `lines` otherwise; `auto` (default) picks by stderr. */
  mode?: 'auto' | 'bar' | 'lines';
  /** Where `lines` go; default stderr. */
  write?: (line: string) => void;
}

/** A progress display (steps, SPS, recent mean return, ETA) for the length of training. */
export class ProgressCallback implements Callback {
  private reporter: ProgressReporter | null = null;
  private start = { step: 0, time: 0 };

  constructor(private readonly options: ProgressCallbackOptions = {}) {}

  onTrainingStart(run: RunView): void {
    this.reporter = createProgress(run.totalSteps, this.options.mode ?? 'auto', this.options.write);
    this.start = { step: run.step, time: performance.now() };
  }

  onStep({ run, step }: StepInfo): void {
    const seconds = (performance.now() - this.start.time) / 1000;
    this.reporter?.update({
      step,
      sps: seconds > 0 ? (step - this.start.step) / seconds : 0,
      epsilon: Number.NaN,
      meanReturn: run.meanRecentReturn,
    });
  }

  onTrainingEnd(_info: EndInfo): void {
    this.reporter?.stop();
  }
}
