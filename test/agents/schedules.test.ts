import { describe, expect, it } from 'vitest';
import { annealedSchedule, linearSchedule } from '../../agents/schedules.js';

describe('linearSchedule', () => {
  it('goes from start to end over duration steps, then stays', () => {
    const eps = linearSchedule(1, 0.01, 100_000);
    expect(eps(0)).toBe(1);
    expect(eps(50_000)).toBeCloseTo(0.505, 12);
    expect(eps(100_000)).toBe(0.01);
    expect(eps(5_000_000)).toBe(0.01);
  });

  it('is the end value at once when the duration is 0, and refuses a negative duration', () => {
    expect(linearSchedule(1, 0.05, 0)(0)).toBe(0.05);
    expect(() => linearSchedule(1, 0, -1)).toThrow(/duration must be >= 0/);
  });
});

describe('annealedSchedule', () => {
  it('anneals linearly to 0 over the run when asked, and is constant otherwise', () => {
    const lr = annealedSchedule(2.5e-4, true, 1000);
    expect(lr(0)).toBe(2.5e-4);
    expect(lr(250)).toBeCloseTo(1.875e-4, 15);
    expect(lr(1000)).toBe(0);
    expect(lr(1200)).toBe(0);
    const fixed = annealedSchedule(0.1, false, 1000);
    expect([fixed(0), fixed(999), fixed(5000)]).toEqual([0.1, 0.1, 0.1]);
  });
});
