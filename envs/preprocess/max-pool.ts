/**
 * The pixel-wise max of two frames (DQN's φ, step 1): Atari games draw some sprites only on every
 * other frame, so the max of the last two frames of a skip shows everything that was on screen.
 */

/** Writes max(a[i], b[i]) into `out` (which may be `a` or `b`) and returns it. */
export function maxPool(a: Uint8Array, b: Uint8Array, out: Uint8Array): Uint8Array {
  const n = a.length;
  if (b.length !== n || out.length !== n) {
    throw new Error(`maxPool needs three arrays of one length; got ${n}, ${b.length} and ${out.length}`);
  }
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    out[i] = x > y ? x : y;
  }
  return out;
}
