import { describe, expect, it } from 'vitest';
import { PrioritizedSampler, UniformSampler } from '../../replay/samplers.js';
import { SumTree } from '../../replay/sum-tree.js';
import { Rng } from '../../src/util/rng.js';

/** Pearson's chi-square statistic of observed counts against expected probabilities. */
function chiSquare(counts: number[], probabilities: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((sum, c, i) => sum + (c - n * probabilities[i]) ** 2 / (n * probabilities[i]), 0);
}

describe('SumTree', () => {
  it('finds the leaf whose prefix interval holds the value', () => {
    const tree = new SumTree(5);
    [1, 2, 3, 4, 0].forEach((v, i) => {
      tree.set(i, v);
    });
    expect(tree.total).toBe(10);
    expect([0, 0.99, 1, 2.99, 3, 5.99, 6, 9.99].map((u) => tree.find(u))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(tree.find(10)).toBe(3); // clamped: never the empty leaf 4
    tree.set(1, 0.5);
    expect(tree.total).toBe(8.5);
  });
  it('never lands on a zero leaf', () => {
    const tree = new SumTree(8);
    tree.set(5, 2);
    for (const u of [0, 1, 1.999, 2, 3]) expect(tree.find(u)).toBe(5);
  });
  it('refuses negative and non-finite priorities', () => {
    expect(() => new SumTree(4).set(0, Number.NaN)).toThrow(
      'a priority must be a finite number >= 0, got NaN',
    );
  });
});

describe('PrioritizedSampler', () => {
  const config = { kind: 'prioritized', alpha: 0.5, beta: 1, epsilon: 1 } as const;

  it('sets P(i) = (|δ| + ε)^α / Σ, and new transitions at the largest priority', () => {
    const s = new PrioritizedSampler(config, 8);
    for (const i of [2, 5, 7]) s.onValid(i);
    s.updatePriorities([2, 5, 7], [0, -3, 8]); // p = 1, 4, 9 → p^0.5 = 1, 2, 3
    expect([2, 5, 7].map((i) => s.probability(i))).toEqual([1 / 6, 2 / 6, 3 / 6]);
    s.onValid(0); // at max priority 9 → 3
    expect(s.probability(0)).toBeCloseTo(3 / 9);
    s.onInvalid(7);
    expect(s.probability(7)).toBe(0);
    expect(s.size).toBe(3);
  });

  it('draws in proportion to priority (chi-square, 7 degrees of freedom)', () => {
    const s = new PrioritizedSampler({ ...config, alpha: 0.6 }, 16);
    const valid = [0, 1, 3, 4, 8, 9, 12, 15];
    for (const i of valid) s.onValid(i);
    s.updatePriorities(valid, [0.1, 0.5, 1, 2, 3, 5, 8, 13]);
    const p = valid.map((i) => s.probability(i));
    const counts = new Array(valid.length).fill(0);
    const indices = new Int32Array(32);
    const weights = new Float32Array(32);
    const rng = new Rng(7);
    for (let draw = 0; draw < 2000; draw++) {
      s.sample(32, rng, indices, weights);
      for (const i of indices) counts[valid.indexOf(i)]++;
    }
    expect(counts.every((c) => c > 0)).toBe(true);
    expect(chiSquare(counts, p)).toBeLessThan(24.32); // the 0.999 quantile of chi-square(7)
    // and the statistic is not blind: the same counts against uniform probabilities fail it
    expect(
      chiSquare(
        counts,
        p.map(() => 1 / valid.length),
      ),
    ).toBeGreaterThan(1000);
  });

  it('weights w = (N P(i))^-β divided by the batch max', () => {
    const s = new PrioritizedSampler({ ...config, beta: 0.5 }, 4);
    for (const i of [0, 1, 2]) s.onValid(i);
    s.updatePriorities([0, 1, 2], [0, 3, 8]); // P = 1/6, 1/3, 1/2
    const indices = new Int32Array(16);
    const weights = new Float32Array(16);
    s.sample(16, new Rng(3), indices, weights);
    const raw = [0.5, 1, 1.5].map((nP) => nP ** -0.5);
    const max = Math.max(...Array.from(indices, (i) => raw[i]));
    Array.from(indices).forEach((i, b) => {
      expect(weights[b]).toBeCloseTo(raw[i] / max, 6);
    });
    expect(new Set(indices).size).toBe(3);
  });

  it('ignores updates of transitions that were overwritten since sampling, refuses NaN', () => {
    const s = new PrioritizedSampler(config, 4);
    s.onValid(1);
    s.onInvalid(1);
    s.updatePriorities([1], [5]);
    expect(s.probability(1)).toBe(0);
    s.onValid(2);
    expect(() => s.updatePriorities([2], [Number.NaN])).toThrow('TD error 0 is NaN; check the loss');
    expect(() => new PrioritizedSampler({ ...config, epsilon: 0 }, 4)).toThrow('epsilon must be > 0');
  });
});

describe('UniformSampler', () => {
  it('draws only present indices, each about equally often', () => {
    const s = new UniformSampler(10);
    for (const i of [0, 2, 4, 6, 8, 9]) s.onValid(i);
    s.onInvalid(4);
    s.onInvalid(9);
    const counts = new Map<number, number>();
    const indices = new Int32Array(100);
    const weights = new Float32Array(100);
    const rng = new Rng(11);
    for (let draw = 0; draw < 100; draw++) {
      s.sample(100, rng, indices, weights);
      for (const i of indices) counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([0, 2, 6, 8]);
    expect(chiSquare([...counts.values()], [0.25, 0.25, 0.25, 0.25])).toBeLessThan(16.27); // 0.999 quantile, 3 dof
    expect(weights.every((w) => w === 1)).toBe(true);
  });
});
