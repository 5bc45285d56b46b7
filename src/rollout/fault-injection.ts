/**
 * FaultInjection: makes one env of a vector env fail on purpose, so the fault path (report, truncate,
 * rebuild, restart the worker) can be tested for real, inside a worker thread, rather than mocked.
 *
 * It is part of the recipe (plain data), because a worker builds its envs from the recipe alone.
 * A recipe may carry several (one per env), e.g. two workers failing in the same step.
 *
 * When: on the env's `atStep`-th step, its `atReset`-th reset (autoresets inside a step count), or
 * when its build number `atBuild` is made (generation 0 is the first build, 1 the rebuild after its
 * first fault: `atBuild: 1` is a worker restart that fails). A step or reset fault is carried by the
 * first `generations` builds (default 1: the rebuilt env runs normally, so a test sees one fault and
 * then recovery; a large value makes every rebuild fail again, until the restarts run out).
 */
import { isMainThread } from 'node:worker_threads';
import type { Env, ResetOptions, ResetResult, RgbFrame, StepResult } from '../../envs/core.js';

export interface FaultInjection {
  /** The env (index in the vector env, 0-based) that fails. */
  envIndex: number;
  /** It fails on this call to `step` (1-based, counted from its build, across episodes). */
  atStep?: number;
  /** It fails on this call to `reset` (1-based, counted from its build; autoresets count). */
  atReset?: number;
  /** Building this generation of the env fails (0: the first build; 1: the rebuild after a fault). */
  atBuild?: number;
  /** Builds (generations 0 .. generations − 1) that carry an `atStep`/`atReset` fault. Default 1. */
  generations?: number;
  /**
   * `throw`: an Error is thrown. `exit`: the worker thread calls `process.exit(70)`. `hang`: the
   * worker thread blocks forever (tests the step timeout). `exit` and `hang` are refused outside a
   * worker thread (they would end or freeze the caller's process).
   */
  mode: 'throw' | 'exit' | 'hang';
}

/** Checks a FaultInjection's fields; throws an Error naming the bad one. */
export function validateFault(fault: FaultInjection): void {
  if (!Number.isInteger(fault.envIndex) || fault.envIndex < 0) {
    throw new Error(`fault.envIndex must be an integer >= 0, got ${fault.envIndex}`);
  }
  const when = (['atStep', 'atReset', 'atBuild'] as const).filter((k) => fault[k] !== undefined);
  if (when.length !== 1) {
    throw new Error(
      `a fault needs exactly one of atStep, atReset, atBuild; got ${when.join(', ') || 'none'}`,
    );
  }
  for (const [key, min] of [
    ['atStep', 1],
    ['atReset', 1],
    ['atBuild', 0],
    ['generations', 1],
  ] as const) {
    const v = fault[key];
    if (v !== undefined && (!Number.isInteger(v) || v < min)) {
      throw new Error(`fault.${key} must be an integer >= ${min}, got ${v}`);
    }
  }
  if (fault.mode !== 'throw' && fault.mode !== 'exit' && fault.mode !== 'hang') {
    throw new Error(`fault.mode must be 'throw', 'exit' or 'hang', got ${JSON.stringify(fault.mode)}`);
  }
}

/** The fault of `faults` for build `generation` of env `envIndex` at `when`, if any. */
export function faultFor(
  faults: FaultInjection | readonly FaultInjection[] | undefined,
  envIndex: number,
  generation: number,
): FaultInjection | undefined {
  const list = faults === undefined ? [] : Array.isArray(faults) ? faults : [faults as FaultInjection];
  return list.find(
    (f) =>
      f.envIndex === envIndex &&
      (f.atBuild !== undefined ? f.atBuild === generation : generation < (f.generations ?? 1)),
  );
}

/** Fails now, as `fault.mode` says (`where` goes into the message). */
export function failAs(fault: FaultInjection, where: string): never {
  if (fault.mode === 'throw') throw new Error(`injected fault: ${where}`);
  if (isMainThread) {
    throw new Error(
      `injected fault mode '${fault.mode}' only runs in a worker thread (${where}); use 'throw' with SyncVecEnv`,
    );
  }
  if (fault.mode === 'exit') process.exit(70);
  // Blocks this worker thread for good: only Worker.terminate() (the step timeout) ends it.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  throw new Error(`injected fault: ${where} (the hang ended)`);
}

/** Wraps an env so that its `atStep`-th step or `atReset`-th reset fails as `mode` says. */
export class FaultyEnv<Obs> implements Env<Obs, number> {
  readonly observationSpace: Env<Obs, number>['observationSpace'];
  readonly actionSpace: Env<Obs, number>['actionSpace'];
  readonly actionMeanings: Env<Obs, number>['actionMeanings'];
  private steps = 0;
  private resets = 0;

  constructor(
    readonly inner: Env<Obs, number>,
    readonly fault: FaultInjection,
  ) {
    this.observationSpace = inner.observationSpace;
    this.actionSpace = inner.actionSpace;
    this.actionMeanings = inner.actionMeanings;
  }

  reset(opts?: ResetOptions): ResetResult<Obs> {
    this.resets++;
    if (this.resets === this.fault.atReset)
      failAs(this.fault, `env ${this.fault.envIndex} at reset ${this.resets}`);
    return this.inner.reset(opts);
  }

  step(action: number): StepResult<Obs> {
    this.steps++;
    if (this.steps === this.fault.atStep)
      failAs(this.fault, `env ${this.fault.envIndex} at step ${this.steps}`);
    return this.inner.step(action);
  }

  render(): RgbFrame {
    return this.inner.render();
  }

  close(): void {
    this.inner.close();
  }
}
