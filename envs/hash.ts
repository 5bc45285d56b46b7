/** FNV-1a (32-bit) over bytes, as 8 hex digits: a cheap fingerprint for determinism checks. */
export function hashBytes(bytes: Uint8Array, seed = 0x811c9dc5): string {
  let h = seed >>> 0;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}
