/**
 * FaultInjection: makes one env of a vector env fail on purpose, so the fault path (report, truncate,
 * rebuild, restart the worker) can be tested for real, inside a worker thread, rather than mocked.
 *
 * It is part of the recipe (plain data), because a worker builds its envs from the recipe alone.
 * Only the first build of the chosen env fails (generation 0): the rebuilt env runs normally, so a
 * test sees one fault and then recovery, not a restart loop.
 */
import { isMainThread } from 'node:worker_threads';
import type { Env, ResetOptions, ResetResult, RgbFrame, StepResult } from '../../envs/core.js';

export interface FaultInjection {
  /** The env (index in the vector env, 0-based) that fails. */
  envIndex: number;
  /** It fails on this call to `step` (1-based, counted from its build, across episodes). */
  atStep: number;
  /**
   * `throw`: step throws an Error. `exit`: the worker thread calls `process.exit(70)`. `hang`: the
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
  if (!Number.isInteger(fault.atStep) || fault.atStep < 1) {
    throw new Error(`fault.atStep must be an integer >= 1, got ${fault.atStep}`);
  }
  if (fault.mode !== 'throw' && fault.mode !== 'exit' && fault.mode !== 'hang') {
    throw new Error(`fault.mode must be 'throw', 'exit' or 'hang', got ${JSON.stringify(fault.mode)}`);
  }
}

/** Wraps an env so that its `atStep`-th step fails as `mode` says. */
export class FaultyEnv<Obs> implements Env<Obs, number> {
  readonly observationSpace: Env<Obs, number>['observationSpace'];
  readonly actionSpace: Env<Obs, number>['actionSpace'];
  readonly actionMeanings: Env<Obs, number>['actionMeanings'];
  private steps = 0;

  constructor(
    readonly inner: Env<Obs, number>,
    readonly fault: FaultInjection,
  ) {
    this.observationSpace = inner.observationSpace;
    this.actionSpace = inner.actionSpace;
    this.actionMeanings = inner.actionMeanings;
  }

  reset(opts?: ResetOptions): ResetResult<Obs> {
    return this.inner.reset(opts);
  }

  step(action: number): StepResult<Obs> {
    this.steps++;
    if (this.steps === this.fault.atStep) this.fail();
    return this.inner.step(action);
  }

  render(): RgbFrame {
    return this.inner.render();
  }

  close(): void {
    this.inner.close();
  }

  private fail(): void {
    const where = `env ${this.fault.envIndex} at step ${this.steps}`;
    if (this.fault.mode === 'throw') throw new Error(`injected fault: ${where}`);
    if (isMainThread) {
      throw new Error(
        `injected fault mode '${this.fault.mode}' only runs in a worker thread (${where}); use 'throw' with SyncVecEnv`,
      );
    }
    if (this.fault.mode === 'exit') process.exit(70);
    // Blocks this worker thread for good: only Worker.terminate() (the step timeout) ends it.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
}
