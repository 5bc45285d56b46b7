import { describe, expect, it } from 'vitest';
import { linearSchedule } from '../../agents/schedules.js';

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
