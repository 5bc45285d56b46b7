/**
 * LapTimer: adds the wall time between consecutive marks to named totals, so a loop reads
 *
 *     lap.start(); act(); lap.lap('forward'); await step(); lap.lap('env'); ...
 *
 * instead of interleaved `performance.now()` pairs.
 */
export class LapTimer<K extends string> {
  private last = performance.now();

  /** `totals[key]` (milliseconds) grows by each lap timed under `key`. */
  constructor(readonly totals: Record<K, number>) {}

  /** Marks now as the start of the next lap (the time since the last mark is not counted). */
  start(): void {
    this.last = performance.now();
  }

  /** Adds the time since the last mark to `totals[key]`, and marks now. */
  lap(key: K): void {
    const now = performance.now();
    this.totals[key] += now - this.last;
    this.last = now;
  }
}
