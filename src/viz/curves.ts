/**
 * The arithmetic behind a reward curve, as pure functions: smoothing one run's episode returns,
 * and summarizing several runs (seeds) by their mean and min–max band on a common x grid.
 */

/**
 * Trailing rolling mean: out[i] is the mean of ys[i-window+1 .. i] (fewer at the start). This is
 * the "mean return over the last 100 episodes" that DQN papers and Stable-Baselines report, which
 * is why it is used here rather than an exponential moving average.
 */
export function rollingMean(ys: ArrayLike<number>, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1)
    throw new Error(`smoothing window must be a positive integer, got ${window}`);
  const out = new Float64Array(ys.length);
  let sum = 0;
  for (let i = 0; i < ys.length; i++) {
    sum += ys[i];
    if (i >= window) sum -= ys[i - window];
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

/** The default window: a tenth of the episodes, between 1 and 100. */
export function defaultWindow(episodes: number): number {
  return Math.max(1, Math.min(100, Math.round(episodes / 10)));
}

/**
 * Step interpolation of (xs, ys) at `at`: the y of the last point with x <= at, NaN before the
 * first point. `xs` must be ascending.
 */
export function stepAt(xs: ArrayLike<number>, ys: ArrayLike<number>, at: ArrayLike<number>): Float64Array {
  const out = new Float64Array(at.length);
  let j = -1;
  for (let i = 0; i < at.length; i++) {
    while (j + 1 < xs.length && xs[j + 1] <= at[i]) j++;
    out[i] = j < 0 ? Number.NaN : ys[j];
  }
  return out;
}

export interface Series {
  /** Ascending x values. */
  xs: ArrayLike<number>;
  /** The value at each x. */
  ys: ArrayLike<number>;
}

/** Summary of several series on a shared grid. */
export interface Band {
  /** The grid. */
  xs: Float64Array;
  /** Mean, minimum and maximum over the series at each grid point. */
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
}

/**
 * Mean and min–max of several series on `points` evenly spaced xs spanning the range every
 * series covers (from the latest first x to the earliest last x), so that each grid point
 * summarizes all runs. Throws if the series do not overlap.
 */
export function bandAcrossRuns(series: readonly Series[], points = 200): Band {
  if (series.length === 0) throw new Error('bandAcrossRuns: no series');
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (const s of series) {
    if (s.xs.length === 0) throw new Error('bandAcrossRuns: a series has no points');
    lo = Math.max(lo, s.xs[0]);
    hi = Math.min(hi, s.xs[s.xs.length - 1]);
  }
  if (hi < lo) {
    throw new Error(`bandAcrossRuns: the runs do not overlap on x (latest start ${lo} > earliest end ${hi})`);
  }
  const n = hi === lo ? 1 : points;
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1);
  const mean = new Float64Array(n);
  const min = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
  for (const s of series) {
    const v = stepAt(s.xs, s.ys, xs);
    for (let i = 0; i < n; i++) {
      mean[i] += v[i] / series.length;
      min[i] = Math.min(min[i], v[i]);
      max[i] = Math.max(max[i], v[i]);
    }
  }
  return { xs, mean, min, max };
}
