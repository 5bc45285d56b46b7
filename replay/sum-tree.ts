/**
 * A sum tree over `capacity` non-negative leaves: set a leaf and find the leaf where a prefix sum
 * falls, both in O(log n). The sampler of prioritized replay (Schaul et al. 2016, Appendix B.2.1).
 *
 * Layout: a complete binary tree in one Float64Array, root at 1, children of i at 2i and 2i+1,
 * leaf j at `size + j` (size = capacity rounded up to a power of two). A parent is recomputed
 * from its two children on every set, never adjusted by a delta, so rounding errors do not pile
 * up over millions of updates.
 */
export class SumTree {
  readonly capacity: number;
  /** Leaves rounded up to a power of two. */
  readonly size: number;
  /** nodes[1] is the total; nodes[size + j] is leaf j. Exposed for snapshots. */
  readonly nodes: Float64Array;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`SumTree: capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    let size = 1;
    while (size < capacity) size *= 2;
    this.size = size;
    this.nodes = new Float64Array(2 * size);
  }

  get total(): number {
    return this.nodes[1];
  }

  get(leaf: number): number {
    return this.nodes[this.size + leaf];
  }

  set(leaf: number, value: number): void {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new Error(`SumTree.set: a priority must be a finite number >= 0, got ${value} for leaf ${leaf}`);
    }
    const nodes = this.nodes;
    let i = this.size + leaf;
    nodes[i] = value;
    i >>= 1;
    while (i >= 1) {
      nodes[i] = nodes[2 * i] + nodes[2 * i + 1];
      i >>= 1;
    }
  }

  /**
   * The leaf j whose interval [sum of leaves < j, that + leaf j) holds `prefix`; `prefix` is
   * clamped into [0, total). Never returns a zero leaf while the total is positive.
   */
  find(prefix: number): number {
    const nodes = this.nodes;
    let u = prefix < 0 ? 0 : prefix;
    let i = 1;
    while (i < this.size) {
      const left = nodes[2 * i];
      // Go right when u is past the left subtree, or when the left subtree is empty (rounding
      // at the top end can leave u >= total).
      if (u < left || nodes[2 * i + 1] <= 0) {
        i = 2 * i;
      } else {
        u -= left;
        i = 2 * i + 1;
      }
    }
    return i - this.size;
  }

  /** Recomputes every parent from the leaves (after the leaves were restored from a snapshot). */
  rebuild(): void {
    for (let i = this.size - 1; i >= 1; i--) this.nodes[i] = this.nodes[2 * i] + this.nodes[2 * i + 1];
  }
}
