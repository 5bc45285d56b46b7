/**
 * NoopReset: after each reset, plays a random number of NOOPs, drawn uniformly from 1..noopMax
 * (Mnih et al. 2015's "random no-op starts"; SB3's NoopResetEnv), so that a deterministic game does
 * not always start from the same state. Action 0 must be NOOP. If the episode ends during the
 * no-ops, the env is reset again (without the seed) and the no-ops go on.
 *
 * The count comes from this wrapper's own Rng: seeded by the constructor, reseeded by
 * reset({ seed }) with a seed derived from (not equal to) the env's, so the two streams differ.
 */
import { deriveSeeds, Rng, type RngState } from '../../src/util/rng.js';
import type { Env, ResetOptions, ResetResult } from '../core.js';
import { Wrapper, withoutSeed } from './wrapper.js';

const NOOP = 0;

export class NoopReset<Obs> extends Wrapper<Obs, number> {
  /** How many no-ops the last reset played (0 before the first reset). */
  lastNoops = 0;
  private rng: Rng;

  constructor(
    inner: Env<Obs, number>,
    /** The most no-ops after a reset; 0 disables them. */
    readonly noopMax = 30,
    seed = 0,
  ) {
    super(inner);
    if (!Number.isInteger(noopMax) || noopMax < 0) {
      throw new Error(`NoopReset: noopMax must be an integer >= 0, got ${noopMax}`);
    }
    const meaning = inner.actionMeanings?.[NOOP];
    if (meaning !== undefined && meaning !== 'NOOP') {
      throw new Error(`NoopReset needs action 0 to be NOOP, but this env's action 0 is ${meaning}`);
    }
    this.rng = new Rng(noopSeed(seed));
  }

  override reset(opts?: ResetOptions): ResetResult<Obs> {
    if (opts?.seed !== undefined) this.rng = new Rng(noopSeed(opts.seed));
    let result = this.inner.reset(opts);
    const noops = this.noopMax > 0 ? 1 + this.rng.int(this.noopMax) : 0;
    for (let i = 0; i < noops; i++) {
      const s = this.inner.step(NOOP);
      result = { obs: s.obs, info: s.info };
      if (s.terminated || s.truncated) result = this.inner.reset(withoutSeed(opts));
    }
    this.lastNoops = noops;
    return result;
  }

  getState(): { rng: RngState } {
    return { rng: this.rng.getState() };
  }

  setState(state: { rng: RngState }): void {
    this.rng = Rng.fromState(state.rng);
  }
}

function noopSeed(seed: number): number {
  return deriveSeeds(seed, 1)[0];
}
