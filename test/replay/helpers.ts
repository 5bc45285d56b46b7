import type { FrameDtype } from '../../replay/frame-store.js';
import type { ReplayBatch, ReplayBuffer } from '../../replay/replay-buffer.js';

/** A 2x2 uint8 frame whose pixels say which frame it is: id*10 + pixel. */
export function frame(id: number): Uint8Array {
  return Uint8Array.from([id * 10, id * 10 + 1, id * 10 + 2, id * 10 + 3]);
}

/** A plain copy of one transition of a batch. */
export interface Row {
  obs: number[];
  nextObs: number[];
  action: number;
  reward: number;
  done: number;
  discount: number;
}

export function rowOf(batch: ReplayBatch<Uint8Array | Float32Array>, b: number): Row {
  const n = batch.obs.length / batch.batchSize;
  return {
    obs: Array.from(batch.obs.subarray(b * n, (b + 1) * n)),
    nextObs: Array.from(batch.nextObs.subarray(b * n, (b + 1) * n)),
    action: batch.actions[b],
    reward: batch.rewards[b],
    done: batch.dones[b],
    discount: batch.discounts[b],
  };
}

/** The transition at buffer index `index`, gathered without sampling. */
export function transitionAt(buffer: ReplayBuffer<FrameDtype>, index: number): Row {
  const batch = buffer.batchFor(1);
  batch.indices[0] = index;
  buffer.gather(batch);
  return rowOf(batch, 0);
}

/** Channels-last stack of 2x2 frames by id (0 = zero frame), oldest first. */
export function stackLast(...ids: number[]): number[] {
  const out: number[] = [];
  for (let p = 0; p < 4; p++) for (const id of ids) out.push(id === 0 ? 0 : id * 10 + p);
  return out;
}

/** Indices that can be sampled now, sorted. */
export function sampleable(buffer: { capacity: number; isSampleable(i: number): boolean }): number[] {
  const out: number[] = [];
  for (let i = 0; i < buffer.capacity; i++) if (buffer.isSampleable(i)) out.push(i);
  return out;
}
