import { describe, expect, it } from 'vitest';
import { deriveSeeds, Rng } from '../../src/util/rng.js';

describe('Rng', () => {
  it('restores its state exactly (round trip through JSON)', () => {
    const rng = new Rng(42);
    for (let i = 0; i < 17; i++) rng.float();
    const saved = JSON.parse(JSON.stringify(rng.getState()));
    const expected = [rng.float(), rng.int(10), rng.normal(), rng.uint32()];
    const restored = Rng.fromState(saved);
    expect([restored.float(), restored.int(10), restored.normal(), restored.uint32()]).toEqual(expected);
  });

  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const draws = (seed: number): number[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 8 }, () => rng.uint32());
    };
    const [a, b, c] = [draws(1), draws(1), draws(2)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws floats in [0, 1) and integers in [0, n) with roughly uniform frequencies', () => {
    const rng = new Rng(3);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) {
      const f = rng.float();
      expect(f >= 0 && f < 1).toBe(true);
      counts[rng.int(6)]++;
    }
    // chi-square with 5 degrees of freedom; 20.5 is the 0.999 quantile.
    const chi2 = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(20.5);
  });

  it('draws normals with mean ≈ 0 and sd ≈ 1', () => {
    const rng = new Rng(5);
    const xs = Array.from({ length: 20_000 }, () => rng.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });

  it('refuses bad seeds, bad ranges and foreign states with a clear message', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/finite integer/);
    expect(() => new Rng(1).int(0)).toThrow(/1 <= n <= 2\^32, got 0/);
    expect(() => Rng.fromState({ algorithm: 'mt19937' } as never)).toThrow(/not an Rng state/);
  });

  it('derives distinct per-env seeds, stable across calls', () => {
    const s = deriveSeeds(123, 16);
    expect(new Set(s).size).toBe(16);
    expect(deriveSeeds(123, 4)).toEqual(s.slice(0, 4));
  });
});

describe('Rng seeding', () => {
  it('mixes small seeds: first draws of seeds 0..399 spread over [0, 1)', () => {
    const firsts = Array.from({ length: 400 }, (_, seed) => new Rng(seed).float());
    const mean = firsts.reduce((a, b) => a + b, 0) / firsts.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    expect(firsts.filter((f) => f > 0.99).length).toBeLessThan(20);
  });
});
