/**
 * A seeded, serializable random number generator: the only source of randomness in pixelrl.
 *
 * The bits come from pure-rand's xoroshiro128+ (a well-kept PRNG library); this class adds the
 * draws an RL library needs (floats, integers, normals, Bernoulli) and a plain-JSON state that a
 * checkpoint can save and restore exactly. Pass an `Rng` to whatever needs randomness; there is
 * no global one.
 */

import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** The saved state of an {@link Rng}; plain JSON. */
export interface RngState {
  readonly algorithm: 'xoroshiro128+';
  readonly state: readonly number[];
}

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

export class Rng {
  private gen: JumpableRandomGenerator;

  /** @param seed any integer (it is reduced to 32 bits). */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new Error(`Rng seed must be a finite integer, got ${seed}`);
    }
    // pure-rand's own seeding puts the seed into the state unmixed, and the first draws of small
    // seeds are then all close to 1. Four splitmix32 words give a well-mixed state for every seed.
    const s = Math.trunc(seed) | 0;
    this.gen = xoroshiro128plusFromState(
      [0, 1, 2, 3].map((i) => splitmix32(s + Math.imul(i + 1, 0x9e3779b9)) | 0),
    );
  }

  /** An Rng restored from {@link Rng.getState}. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  getState(): RngState {
    return { algorithm: 'xoroshiro128+', state: [...this.gen.getState()] };
  }

  setState(state: RngState): void {
    if (state?.algorithm !== 'xoroshiro128+' || !Array.isArray(state.state) || state.state.length !== 4) {
      throw new Error(
        `not an Rng state: expected { algorithm: 'xoroshiro128+', state: [4 numbers] }, got ${JSON.stringify(state)}`,
      );
    }
    this.gen = xoroshiro128plusFromState(state.state);
  }

  /** An unsigned 32-bit integer. */
  uint32(): number {
    return this.gen.next() >>> 0;
  }

  /** A float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** A float in [0, 1) with 32 random bits: cheaper, for hot paths such as sticky actions. */
  float32(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** A float in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.float();
  }

  /** An integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!(n >= 1) || n > TWO_POW_32 || !Number.isInteger(n)) {
      throw new Error(`Rng.int(n) needs an integer 1 <= n <= 2^32, got ${n}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /** An integer in [low, high). */
  intRange(low: number, high: number): number {
    return low + this.int(high - low);
  }

  /** true with probability p. */
  bernoulli(p: number): boolean {
    return this.float() < p;
  }

  /** A standard normal draw (Box–Muller; no cached second value, so the state stays 4 numbers). */
  normal(mean = 0, std = 1): number {
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A new, independent Rng seeded from this one (advances this one by one draw). */
  spawn(): Rng {
    return new Rng(this.uint32() | 0);
  }
}

/**
 * `count` well-spread 32-bit seeds derived from one seed (splitmix32 over seed + i), so that
 * env i of a vector env gets the same seed whichever process or thread steps it.
 */
export function deriveSeeds(seed: number, count: number): number[] {
  const seeds: number[] = [];
  for (let i = 0; i < count; i++) seeds.push(splitmix32((seed | 0) + Math.imul(i + 1, 0x9e3779b9)));
  return seeds;
}

/** splitmix32's finalizer: a bijective 32-bit hash. */
export function splitmix32(x: number): number {
  let z = x | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
