import { describe, expect, it } from 'vitest';
import { bandAcrossRuns, defaultWindow, rollingMean, stepAt } from '../../src/viz/curves.js';

describe('rollingMean', () => {
  it('averages the last `window` values (fewer at the start)', () => {
    expect([...rollingMean([2, 4, 6, 8, 10], 2)]).toEqual([2, 3, 5, 7, 9]);
    expect([...rollingMean([3, 0, 3, 6], 3)]).toEqual([3, 1.5, 2, 3]);
    expect(() => rollingMean([1], 0)).toThrow(/window/);
  });

  it('defaults to a tenth of the episodes, within 1..100', () => {
    expect([defaultWindow(3), defaultWindow(300), defaultWindow(5000)]).toEqual([1, 30, 100]);
  });
});

describe('stepAt', () => {
  it('holds the last value at or before each x, NaN before the first', () => {
    expect([...stepAt([1, 3], [10, 30], [0, 1, 2, 3, 9])]).toEqual([Number.NaN, 10, 10, 30, 30]);
  });
});

describe('bandAcrossRuns', () => {
  it('gives mean, min and max over the x range all runs cover', () => {
    const b = bandAcrossRuns(
      [
        { xs: [0, 10, 20], ys: [0, 2, 4] },
        { xs: [5, 15, 30], ys: [6, 8, 10] },
      ],
      3,
    );
    // The common range is [5, 20]: at 5 the runs hold 0 and 6, at 12.5 2 and 6, at 20 4 and 8.
    expect([...b.xs]).toEqual([5, 12.5, 20]);
    expect([...b.mean]).toEqual([3, 4, 6]);
    expect([...b.min]).toEqual([0, 2, 4]);
    expect([...b.max]).toEqual([6, 6, 8]);
  });

  it('refuses runs that do not overlap', () => {
    expect(() =>
      bandAcrossRuns([
        { xs: [0, 1], ys: [0, 0] },
        { xs: [2, 3], ys: [0, 0] },
      ]),
    ).toThrow(/do not overlap/);
  });
});
