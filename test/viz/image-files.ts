/** Test helpers that read image files' headers by hand, independently of the code under test. */

/** Width and height from a PNG's IHDR chunk (bytes 16..23). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const sig = [137, 80, 78, 71, 13, 10, 26, 10];
  if (!sig.every((b, i) => bytes[i] === b)) throw new Error('not a PNG');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR')
    throw new Error('IHDR is not the first chunk');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The chunk types of a PNG, in order. */
export function pngChunks(bytes: Uint8Array): string[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const types: string[] = [];
  for (let p = 8; p < bytes.length; ) {
    const len = view.getUint32(p);
    types.push(String.fromCharCode(...bytes.subarray(p + 4, p + 8)));
    p += 12 + len;
  }
  return types;
}

/** Logical screen size and number of images of a GIF, walking its blocks. */
export function gifInfo(bytes: Uint8Array): { width: number; height: number; frames: number } {
  if (String.fromCharCode(...bytes.subarray(0, 6)) !== 'GIF89a') throw new Error('not a GIF89a');
  const width = bytes[6] | (bytes[7] << 8);
  const height = bytes[8] | (bytes[9] << 8);
  let p = 13;
  if (bytes[10] & 0x80) p += 3 * (1 << ((bytes[10] & 7) + 1));
  const skipSubBlocks = (): void => {
    while (bytes[p] !== 0) p += bytes[p] + 1;
    p++;
  };
  let frames = 0;
  for (;;) {
    const b = bytes[p++];
    if (b === 0x3b) break;
    if (b === 0x21) {
      p++; // label
      skipSubBlocks();
    } else if (b === 0x2c) {
      frames++;
      const flags = bytes[p + 8];
      p += 9;
      if (flags & 0x80) p += 3 * (1 << ((flags & 7) + 1));
      p++; // LZW minimum code size
      skipSubBlocks();
    } else {
      throw new Error(`unexpected GIF block 0x${b?.toString(16)} at ${p - 1}`);
    }
  }
  return { width, height, frames };
}
