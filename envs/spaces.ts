/**
 * Spaces as in Gymnasium: `Discrete(n)` for actions, `Box(low, high, shape, dtype)` for
 * observations. Each can `sample(rng)` and say whether it `contains(x)`.
 */
import type { Rng } from '../src/util/rng.js';

export type BoxDtype = 'uint8' | 'float32' | 'float64';
export type BoxArray = Uint8Array | Float32Array | Float64Array;

export interface Space<T> {
  readonly kind: string;
  sample(rng: Rng): T;
  contains(x: unknown): boolean;
  /** A short description, e.g. `Discrete(4)` or `Box(0, 255, [84,84,4], uint8)`. */
  toString(): string;
}

export class Discrete implements Space<number> {
  readonly kind = 'discrete';
  constructor(
    /** Number of actions: the space is {start, …, start + n − 1}. */
    readonly n: number,
    readonly start = 0,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`Discrete(n) needs an integer n >= 1, got ${n}`);
  }

  sample(rng: Rng): number {
    return this.start + rng.int(this.n);
  }

  contains(x: unknown): boolean {
    return typeof x === 'number' && Number.isInteger(x) && x >= this.start && x < this.start + this.n;
  }

  toString(): string {
    return this.start === 0 ? `Discrete(${this.n})` : `Discrete(${this.n}, start=${this.start})`;
  }
}

/** The typed array that holds a Box of each dtype. */
export type ArrayOf<D extends BoxDtype> = D extends 'uint8'
  ? Uint8Array
  : D extends 'float32'
    ? Float32Array
    : Float64Array;

export class Box<D extends BoxDtype = BoxDtype> implements Space<ArrayOf<D>> {
  readonly kind = 'box';
  readonly size: number;
  readonly low: Float64Array;
  readonly high: Float64Array;

  constructor(
    low: number | ArrayLike<number>,
    high: number | ArrayLike<number>,
    readonly shape: readonly number[],
    readonly dtype: D,
  ) {
    if (shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(`Box shape must be positive integers, got [${shape.join(', ')}]`);
    }
    this.size = shape.reduce((a, b) => a * b, 1);
    this.low = broadcast(low, this.size, 'low');
    this.high = broadcast(high, this.size, 'high');
    for (let i = 0; i < this.size; i++) {
      if (this.low[i] > this.high[i])
        throw new Error(`Box low[${i}] = ${this.low[i]} > high[${i}] = ${this.high[i]}`);
    }
  }

  /** A new zero-filled array of this space's dtype and size. */
  zeros(): ArrayOf<D> {
    return makeArray(this.dtype, this.size) as ArrayOf<D>;
  }

  sample(rng: Rng): ArrayOf<D> {
    const out = this.zeros();
    for (let i = 0; i < this.size; i++) {
      // Unbounded dimensions sample from a standard normal, as Gymnasium does.
      const lo = this.low[i];
      const hi = this.high[i];
      let v: number;
      if (Number.isFinite(lo) && Number.isFinite(hi)) {
        v = this.dtype === 'uint8' ? lo + rng.int(hi - lo + 1) : rng.uniform(lo, hi);
      } else {
        v = rng.normal();
        if (Number.isFinite(lo)) v = lo + Math.abs(v);
        if (Number.isFinite(hi)) v = hi - Math.abs(v);
      }
      out[i] = v;
    }
    return out;
  }

  contains(x: unknown): boolean {
    if (!isDtype(x, this.dtype) || x.length !== this.size) return false;
    for (let i = 0; i < this.size; i++) {
      const v = x[i];
      if (!(v >= this.low[i] && v <= this.high[i])) return false;
    }
    return true;
  }

  toString(): string {
    const lo = uniformOrList(this.low);
    const hi = uniformOrList(this.high);
    return `Box(${lo}, ${hi}, [${this.shape.join(',')}], ${this.dtype})`;
  }
}

export function makeArray(dtype: BoxDtype, size: number): BoxArray {
  switch (dtype) {
    case 'uint8':
      return new Uint8Array(size);
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
  }
}

function isDtype(x: unknown, dtype: BoxDtype): x is BoxArray {
  switch (dtype) {
    case 'uint8':
      return x instanceof Uint8Array;
    case 'float32':
      return x instanceof Float32Array;
    case 'float64':
      return x instanceof Float64Array;
  }
}

function broadcast(v: number | ArrayLike<number>, size: number, what: string): Float64Array {
  if (typeof v === 'number') return new Float64Array(size).fill(v);
  if (v.length !== size) throw new Error(`Box ${what} has ${v.length} values but the shape holds ${size}`);
  return Float64Array.from(v);
}

function uniformOrList(a: Float64Array): string {
  return a.every((v) => v === a[0]) ? String(a[0]) : `[${Array.from(a).join(',')}]`;
}
