/** Which states get a thumbnail in the value figures, and the frame lookup they share. */
import type { RgbFrame } from '../../envs/core.js';

/** The frame of point i: an array, or a function for callers that fetch frames lazily. */
export type FrameLookup = readonly (RgbFrame | undefined)[] | ((index: number) => RgbFrame | undefined);

export function frameAt(frames: FrameLookup | undefined, i: number): RgbFrame | undefined {
  if (!frames) return undefined;
  return typeof frames === 'function' ? frames(i) : frames[i];
}

/**
 * `k` points spread over the value range: the lowest V, the highest V, and points at evenly
 * spaced quantiles in between (the median among them for odd k), with no index twice.
 */
export function chooseByValue(values: ArrayLike<number>, k: number): number[] {
  const order = Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const chosen: number[] = [];
  const count = Math.min(k, order.length);
  for (let j = 0; j < count; j++) {
    const q = count === 1 ? 1 : j / (count - 1);
    let pos = Math.round(q * (order.length - 1));
    // Nudge to the nearest unused rank so small inputs still give `count` distinct points.
    while (chosen.includes(order[pos]) && pos < order.length - 1) pos++;
    while (chosen.includes(order[pos]) && pos > 0) pos--;
    if (!chosen.includes(order[pos])) chosen.push(order[pos]);
  }
  return chosen;
}
