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
  // Consecutive frames are mostly identical: compare 4 pixels at a time and copy equal words whole.
  const aligned = n % 4 === 0 && (a.byteOffset | b.byteOffset | out.byteOffset) % 4 === 0;
  if (!aligned) {
    for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? a[i] : b[i];
    return out;
  }
  const a32 = new Uint32Array(a.buffer, a.byteOffset, n / 4);
  const b32 = new Uint32Array(b.buffer, b.byteOffset, n / 4);
  const o32 = new Uint32Array(out.buffer, out.byteOffset, n / 4);
  for (let w = 0; w < a32.length; w++) {
    const x = a32[w];
    if (x === b32[w]) {
      o32[w] = x;
      continue;
    }
    for (let i = w * 4; i < w * 4 + 4; i++) out[i] = a[i] > b[i] ? a[i] : b[i];
  }
  return out;
}
