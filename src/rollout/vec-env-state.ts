/**
 * The call-order rules both vector envs enforce, and their argument checks, in one place:
 *
 *   new ──reset──▶ ready ──stepAsync──▶ pending ──stepWait──▶ ready ...      any ──close──▶ closed
 *
 * A call out of order throws an Error that says which call was expected, instead of silently
 * stepping stale actions or dropping a result.
 */
import type { Discrete } from '../../envs/spaces.js';

type Phase = 'new' | 'ready' | 'pending' | 'waiting' | 'closed';

export class VecEnvState {
  private phase: Phase = 'new';
  private resets = 0;

  constructor(private readonly name: string) {}

  /** Checks that a reset may start; returns true for the vector env's first reset. */
  beginReset(): boolean {
    this.checkOpen('reset');
    if (this.phase === 'pending' || this.phase === 'waiting') {
      throw new Error(`${this.name}: a step is in flight; call stepWait() before reset()`);
    }
    return this.resets === 0;
  }

  /** Ends a reset, or a setState that put the envs in the middle of their episodes: steps may follow. */
  endReset(): void {
    this.resets++;
    this.phase = 'ready';
  }

  beginStep(): void {
    this.checkOpen('stepAsync');
    if (this.phase === 'new') throw new Error(`${this.name}: call reset() before the first step`);
    if (this.phase !== 'ready') {
      throw new Error(`${this.name}: stepAsync() was called twice; call stepWait() in between`);
    }
    this.phase = 'pending';
  }

  beginWait(): void {
    this.checkOpen('stepWait');
    if (this.phase !== 'pending') {
      throw new Error(`${this.name}: stepWait() without a step in flight; call stepAsync(actions) first`);
    }
    this.phase = 'waiting';
  }

  endWait(): void {
    if (this.phase === 'waiting') this.phase = 'ready';
  }

  /**
   * Checks that the envs' state may be read or written by `call` (getState/setState): the vector env
   * is open and no step is in flight, so the envs are between two steps.
   */
  checkIdle(call: string): void {
    this.checkOpen(call);
    if (this.phase === 'pending' || this.phase === 'waiting') {
      throw new Error(`${this.name}: a step is in flight; call stepWait() before ${call}()`);
    }
  }

  /** True once a reset (or a restored state) has started the envs' episodes. */
  get started(): boolean {
    return this.resets > 0;
  }

  /** Marks the vector env closed; returns false if it already was. */
  close(): boolean {
    if (this.phase === 'closed') return false;
    this.phase = 'closed';
    return true;
  }

  get closed(): boolean {
    return this.phase === 'closed';
  }

  private checkOpen(call: string): void {
    if (this.phase === 'closed') throw new Error(`${this.name}: ${call}() after close(); make a new one`);
  }
}

export function checkNumEnvs(numEnvs: number): number {
  if (!Number.isInteger(numEnvs) || numEnvs < 1) {
    throw new Error(`numEnvs must be an integer >= 1, got ${numEnvs}`);
  }
  return numEnvs;
}

/** Throws unless `actions` is an Int32Array of one valid action per env. */
export function checkActions(actions: Int32Array, numEnvs: number, space: Discrete): void {
  if (!(actions instanceof Int32Array) || actions.length !== numEnvs) {
    const got = actions instanceof Int32Array ? `an Int32Array of ${actions.length}` : String(actions);
    throw new Error(`step needs an Int32Array of ${numEnvs} actions (one per env), got ${got}`);
  }
  for (let i = 0; i < numEnvs; i++) {
    if (!space.contains(actions[i])) throw new Error(`action ${actions[i]} of env ${i} is outside ${space}`);
  }
}
