/** Ape-X's actor ε and n-step initial priorities against values worked out by hand. */
import { describe, expect, it } from 'vitest';
import { apexEpsilon, nStepTdError } from '../../src/distributed/apex.js';

describe('apexEpsilon', () => {
  it('spans 0.4 … 0.4^8 over N actors', () => {
    // N = 8: ε_i = 0.4^(1 + i)
    expect(apexEpsilon(0, 8)).toBeCloseTo(0.4, 12);
    expect(apexEpsilon(1, 8)).toBeCloseTo(0.16, 12);
    expect(apexEpsilon(7, 8)).toBeCloseTo(0.00065536, 12);
    // N = 3: ε_1 = 0.4^4.5 = 0.016190…
    expect(apexEpsilon(1, 3)).toBeCloseTo(0.0161909, 6);
    expect(apexEpsilon(0, 1)).toBe(0.4);
  });

  it('refuses an index outside the actors', () => {
    expect(() => apexEpsilon(2, 2)).toThrow(/index must be an integer in 0..1/);
    expect(() => apexEpsilon(0, 0)).toThrow(/numActors/);
  });
});

describe('nStepTdError', () => {
  it('sums discounted rewards, bootstraps γ^k max Q, subtracts Q(s,a)', () => {
    // 1 + 0.9·0 + 0.81·2 + 0.729·5 − 3 = 1 + 1.62 + 3.645 − 3 = 3.265
    expect(nStepTdError(3, [1, 0, 2], 0.9, false, 5)).toBeCloseTo(3.265, 10);
    // terminated: no bootstrap: 1 + 0.5·1 − 0.25 = 1.25
    expect(nStepTdError(0.25, [1, 1], 0.5, true, 100)).toBeCloseTo(1.25, 10);
    expect(() => nStepTdError(0, [], 0.9, false, 0)).toThrow(/at least one reward/);
  });
});
