/**
 * Finds the NCHWc block size of this machine's ORT CPU kernels (src/engine/graph/nchwc.ts):
 * MLAS picks it from the CPU (8 with AVX2, 16 with AVX-512) and does not report it, so each
 * candidate is tried on two small convs (blocked input, and NCHW input with fewer channels than
 * a block) and kept when both equal plain `Conv`. No candidate matching (another CPU, or a
 * build without the kernels) means plain `Conv` nodes.
 */
import { GraphBuilder } from '../graph/builder.js';
import { convNode } from '../graph/nchwc.js';
import { encodeModel } from '../onnx/model-proto.js';
import type { OrtRuntime } from './session.js';

const CANDIDATES = [16, 8, 4];
/** Relative error allowed between the blocked and the plain conv (different summation order). */
const TOLERANCE = 1e-4;

/** Deterministic values in [-1, 1). */
function filled(n: number, phase: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7 + phase));
}

function agrees(rt: OrtRuntime, threads: number, block: number): boolean {
  const g = new GraphBuilder('nchwc_probe');
  const attrs = { strides: [1, 1], pads: [0, 0, 0, 0], kernel_shape: [3, 3] };
  const cases = [
    { C: 32, M: 32 },
    { C: 3, M: 32 },
  ];
  const feeds: Record<string, InstanceType<OrtRuntime['Tensor']>> = {};
  cases.forEach(({ C, M }, i) => {
    const x = g.input(`x${i}`, [2, C, 5, 5]);
    const w = g.input(`w${i}`, [M, C, 3, 3]);
    feeds[`x${i}`] = new rt.Tensor('float32', filled(2 * C * 25, i), [2, C, 5, 5]);
    feeds[`w${i}`] = new rt.Tensor('float32', filled(M * C * 9, i + 0.5), [M, C, 3, 3]);
    g.output(g.raw('Conv', [x, w], [2, M, 3, 3], 'float', attrs), `plain${i}`);
    g.output(convNode(g, x, w, null, attrs, [2, M, 3, 3], block), `blocked${i}`);
  });
  let session: ReturnType<OrtRuntime['createSession']> | null = null;
  try {
    session = rt.createSession(encodeModel(g.build()), { device: 'cpu', threads });
    const out = session.run(feeds, Object.fromEntries(session.outputNames.map((name) => [name, null])));
    return cases.every((_, i) => {
      const a = out[`plain${i}`].data as Float32Array;
      const b = out[`blocked${i}`].data as Float32Array;
      let scale = 0;
      let diff = 0;
      for (let j = 0; j < a.length; j++) {
        scale = Math.max(scale, Math.abs(a[j]));
        diff = Math.max(diff, Math.abs(a[j] - b[j]));
      }
      return diff <= TOLERANCE * Math.max(scale, 1);
    });
  } catch {
    return false;
  } finally {
    session?.dispose();
  }
}

/** The block size whose blocked convs equal plain `Conv` here, or 0. */
export function findNchwcBlock(rt: OrtRuntime, threads: number): number {
  return CANDIDATES.find((block) => agrees(rt, threads, block)) ?? 0;
}
