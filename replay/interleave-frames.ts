/**
 * The one channels-last stacking routine of frame stacking, shared by the replay's FrameStacker
 * (frame-stacker.ts) and the actor's FrameStacks (agents/frame-stacks.ts). A file of its own so
 * that the actor side (which the browser page bundles) takes nothing else of the replay.
 */
import type { FrameArray } from './frame-store.js';

/**
 * The one channels-last stacking routine: frame k (0 the oldest) of a stack is `sources[k]` from
 * element `starts[k]`, and goes to channel k, `out[offset + p·h + k] = frame_k[p]` (h =
 * sources.length). With h = 1 it is a plain copy.
 */
export function interleaveFrames(
  sources: readonly ArrayLike<number>[],
  starts: ArrayLike<number>,
  frameSize: number,
  out: FrameArray,
  offset: number,
): void {
  const h = sources.length;
  for (let k = 0; k < h; k++) {
    const src = sources[k];
    const start = starts[k];
    for (let p = 0; p < frameSize; p++) out[offset + p * h + k] = src[start + p];
  }
}
