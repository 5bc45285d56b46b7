/**
 * The replay memory of off-policy agents (DQN and variants): frames stored once per env ring
 * (transition-store.ts), stacks rebuilt at sample time (frame-stacker.ts), indices chosen by a
 * uniform or prioritized sampler (samplers.ts), n-step targets accumulated at sample time.
 *
 * Vector envs: the capacity is split into `numEnvs` rings, one per env, so an env's steps are
 * contiguous and a stack or an n-step return can never mix envs or episodes.
 *
 * Per env and per step the training loop calls
 *   buffer.add(env, { frame, action, reward, terminated, truncated, nextFrame })
 * with `frame` the newest frame of s_t and `nextFrame` the newest frame of s_{t+1} (required when
 * the episode ended: the final observation before autoreset; optional otherwise, and then
 * checked against the next call's `frame`). The target of a sampled transition is
 *   rewards + discounts * max_a Q(nextObs)      (discounts = γ^k, 0 when terminated).
 */
import type { Rng } from '../src/util/rng.js';
import type { StateArray } from '../src/util/state-bundle.js';
import { FrameStacker } from './frame-stacker.js';
import type { FrameDtype } from './frame-store.js';
import { assertMemoryAvailable, formatBytes, type MemoryProbe, systemMemoryProbe } from './memory-check.js';
import {
  type FrameOf,
  type ReplayBatch,
  type ReplayBufferConfig,
  type ReplayBufferState,
  replayBytes,
  replayDefaults,
  type TransitionInput,
  validateConfig,
} from './replay-config.js';
import { createSampler, type Sampler } from './samplers.js';
import { START, TERMINATED, TRUNCATED, TransitionStore, VALID } from './transition-store.js';

export type { FrameOf, ReplayBatch, ReplayBufferConfig, ReplayBufferState, TransitionInput };
export { replayBytes, replayDefaults };

export class ReplayBuffer<D extends FrameDtype = 'uint8'> {
  readonly config: ReplayBufferConfig<D>;
  readonly frameSize: number;
  private readonly store: TransitionStore;
  private readonly stacker: FrameStacker;
  private readonly sampler: Sampler;
  /** Per env: the last `nextFrame` given for an open episode, and whether there is one. */
  private readonly pendingFrames: FrameOf<D>;
  private readonly pendingSet: Uint8Array;
  /** One preallocated batch per batch size asked for. */
  private readonly batches = new Map<number, ReplayBatch<FrameOf<D>>>();
  private readonly stackSlots: Int32Array;
  private readonly nextStackSlots: Int32Array;

  constructor(
    config: Partial<ReplayBufferConfig<D>> & Pick<ReplayBufferConfig<D>, 'capacity'>,
    probe: MemoryProbe = systemMemoryProbe,
  ) {
    const full = { ...replayDefaults, ...config } as ReplayBufferConfig<D>;
    validateConfig(full);
    this.config = full;
    this.frameSize = full.frameShape.reduce((a, b) => a * b, 1);
    const bytes = replayBytes(full);
    assertMemoryAvailable(
      bytes,
      `a replay buffer of ${full.capacity} transitions of ${full.frameShape.join('x')} ${full.frameDtype} frames`,
      `Use a smaller capacity (about ${formatBytes(bytes / full.capacity)} per transition).`,
      probe,
    );
    this.store = new TransitionStore({
      capacity: full.capacity,
      numEnvs: full.numEnvs,
      frameSize: this.frameSize,
      dtype: full.frameDtype,
      historyLength: full.historyLength,
      nStep: full.nStep,
      chunkBytes: full.chunkBytes,
    });
    this.sampler = createSampler(full.sampler, this.store.flags.length);
    this.store.listener = this.sampler;
    this.stacker = new FrameStacker(this.store.frames, full.historyLength, full.layout);
    this.pendingFrames = (
      full.frameDtype === 'uint8'
        ? new Uint8Array(full.numEnvs * this.frameSize)
        : new Float32Array(full.numEnvs * this.frameSize)
    ) as FrameOf<D>;
    this.pendingSet = new Uint8Array(full.numEnvs);
    this.stackSlots = new Int32Array(full.historyLength);
    this.nextStackSlots = new Int32Array(full.historyLength);
  }

  /** Slots over all envs (capacity rounded down to a multiple of numEnvs). */
  get capacity(): number {
    return this.store.flags.length;
  }

  /** Transitions that can be sampled now. */
  get size(): number {
    return this.sampler.size;
  }

  canSample(batchSize: number): boolean {
    return batchSize >= 1 && this.sampler.size >= batchSize;
  }

  /** Stores one step of env `envIndex`; see the file header for what each field is. */
  add(envIndex: number, t: TransitionInput<FrameOf<D>>): void {
    const { numEnvs, checkContinuity } = this.config;
    if (!Number.isInteger(envIndex) || envIndex < 0 || envIndex >= numEnvs) {
      throw new Error(`ReplayBuffer.add: envIndex must be an integer in 0..${numEnvs - 1}, got ${envIndex}`);
    }
    this.checkFrame(t.frame, 'frame', envIndex);
    if (!Number.isInteger(t.action) || t.action < -2147483648 || t.action > 2147483647) {
      throw new Error(`ReplayBuffer.add(env ${envIndex}): action must be an int32 integer, got ${t.action}`);
    }
    if (!Number.isFinite(t.reward))
      throw new Error(`ReplayBuffer.add(env ${envIndex}): reward must be finite, got ${t.reward}`);
    if (typeof t.terminated !== 'boolean' || typeof t.truncated !== 'boolean') {
      throw new Error(
        `ReplayBuffer.add(env ${envIndex}): terminated and truncated must be booleans, got ${t.terminated} and ${t.truncated}`,
      );
    }
    const ended = t.terminated || t.truncated;
    if (ended && t.nextFrame === undefined) {
      throw new Error(
        `ReplayBuffer.add(env ${envIndex}): nextFrame is required when the episode ended (terminated or truncated): ` +
          'pass the final observation of the episode, before the reset',
      );
    }
    if (t.nextFrame !== undefined) this.checkFrame(t.nextFrame, 'nextFrame', envIndex);
    const pendingOffset = envIndex * this.frameSize;
    if (checkContinuity && this.pendingSet[envIndex] && this.store.episodeOpen(envIndex)) {
      if (!sameBytes(t.frame, this.pendingFrames.subarray(pendingOffset, pendingOffset + this.frameSize))) {
        throw new Error(
          `ReplayBuffer.add(env ${envIndex}): frame is not the nextFrame of this env's previous step. Pass the ` +
            'newest frame of s_t as frame and of s_{t+1} as nextFrame, and one env per envIndex',
        );
      }
    }
    this.store.writeStep(envIndex, t.frame, t.action, t.reward, t.terminated, t.truncated);
    if (ended) {
      this.store.writeFinal(envIndex, t.nextFrame as FrameOf<D>);
      this.pendingSet[envIndex] = 0;
    } else if (checkContinuity && t.nextFrame !== undefined) {
      this.pendingFrames.set(t.nextFrame, pendingOffset);
      this.pendingSet[envIndex] = 1;
    } else {
      this.pendingSet[envIndex] = 0;
    }
  }

  /**
   * Draws `batchSize` transitions into the buffer's one batch object and returns it: the same
   * object, overwritten, on every call with this batch size.
   */
  sample(batchSize: number, rng: Rng): ReplayBatch<FrameOf<D>> {
    if (!this.canSample(batchSize)) {
      throw new Error(
        `ReplayBuffer.sample(${batchSize}): only ${this.size} transitions can be sampled; wait until canSample(batchSize)`,
      );
    }
    const batch = this.batchFor(batchSize);
    this.sampler.sample(batchSize, rng, batch.indices, batch.weights);
    this.gather(batch);
    return batch;
  }

  /** Fills `batch` with the transitions at `batch.indices` (exposed for tests and evaluation). */
  gather(batch: ReplayBatch<FrameOf<D>>): void {
    const { nStep, gamma } = this.config;
    const store = this.store;
    const flags = store.flags;
    for (let b = 0; b < batch.batchSize; b++) {
      const index = batch.indices[b];
      if ((flags[index] & VALID) === 0) {
        throw new Error(
          `ReplayBuffer.gather: index ${index} holds no sampleable transition (see isSampleable)`,
        );
      }
      let reward = 0;
      let discount = 1;
      let k = nStep;
      let terminated = false;
      for (let j = 0; j < nStep; j++) {
        const slot = store.step(index, j);
        reward += discount * store.rewards[slot];
        discount *= gamma;
        if (flags[slot] & (TERMINATED | TRUNCATED)) {
          k = j + 1;
          terminated = (flags[slot] & TERMINATED) !== 0;
          break;
        }
      }
      batch.actions[b] = store.actions[index];
      batch.rewards[b] = reward;
      batch.dones[b] = terminated ? 1 : 0;
      batch.discounts[b] = terminated ? 0 : discount;
      const slots = this.stackOf(index, this.stackSlots);
      const nextSlots = this.stackOf(store.step(index, k), this.nextStackSlots);
      this.stacker.writePair(slots, nextSlots, batch.obs, batch.nextObs, b);
    }
  }

  /** Frames of the stack ending at `index`, oldest first, -1 before the episode's start. */
  private stackOf(index: number, slots: Int32Array): Int32Array {
    const h = this.config.historyLength;
    let k = 0;
    for (; k < h; k++) {
      const slot = this.store.step(index, -k);
      slots[h - 1 - k] = slot;
      if (this.store.flags[slot] & START) break;
    }
    for (k++; k < h; k++) slots[h - 1 - k] = -1;
    return slots;
  }

  /** The preallocated batch for `batchSize` (made on first use of that size). */
  batchFor(batchSize: number): ReplayBatch<FrameOf<D>> {
    const cached = this.batches.get(batchSize);
    if (cached !== undefined) return cached;
    const { frameShape, historyLength: h, layout } = this.config;
    const { obs, nextObs } = this.stacker.allocate(batchSize);
    const batch: ReplayBatch<FrameOf<D>> = {
      batchSize,
      obs: obs as FrameOf<D>,
      actions: new Int32Array(batchSize),
      rewards: new Float32Array(batchSize),
      nextObs: nextObs as FrameOf<D>,
      dones: new Float32Array(batchSize),
      discounts: new Float32Array(batchSize),
      weights: new Float32Array(batchSize),
      indices: new Int32Array(batchSize),
      obsShape: layout === 'channels-last' ? [batchSize, ...frameShape, h] : [batchSize, h, ...frameShape],
    };
    this.batches.set(batchSize, batch);
    return batch;
  }

  /** Sets priorities to (|δ| + ε)^α; a no-op for the uniform sampler. */
  updatePriorities(indices: ArrayLike<number>, tdErrors: ArrayLike<number>): void {
    this.sampler.updatePriorities(indices, tdErrors);
  }

  /** Sets β of the prioritized sampler (its annealing schedule is the caller's). */
  setBeta(beta: number): void {
    if (this.sampler.kind !== 'prioritized')
      throw new Error('setBeta: the buffer uses the uniform sampler, which has no beta');
    (this.sampler as Sampler & { setBeta(beta: number): void }).setBeta(beta);
  }

  /** True if `index` holds a transition that can be sampled now. */
  isSampleable(index: number): boolean {
    return index >= 0 && index < this.capacity && (this.store.flags[index] & VALID) !== 0;
  }

  /** Which env and absolute slot number (0 = that env's first step) an index holds now. */
  locate(index: number): { envIndex: number; slot: number } {
    return { envIndex: this.store.envOf(index), slot: this.store.absoluteOf(index) };
  }

  getState(): ReplayBufferState {
    const arrays: Record<string, StateArray> = {};
    this.store.frames.chunks.forEach((chunk, i) => {
      arrays[`frames.${i}`] = chunk;
    });
    arrays.actions = this.store.actions;
    arrays.rewards = this.store.rewards;
    arrays.flags = this.store.flags;
    arrays.pendingFrames = this.pendingFrames;
    arrays.pendingSet = this.pendingSet;
    for (const [name, array] of Object.entries(this.sampler.arrays())) arrays[`sampler.${name}`] = array;
    return {
      config: structuredClone(this.config) as ReplayBufferConfig,
      store: this.store.getState(),
      sampler: this.sampler.getState(),
      arrays,
    };
  }

  /** Restores a state taken from a buffer of the same config (arrays are copied in). */
  setState(state: ReplayBufferState): void {
    const mine = JSON.stringify({ ...this.config, chunkBytes: 0 });
    const theirs = JSON.stringify({ ...state.config, chunkBytes: 0 });
    if (mine !== theirs) {
      throw new Error(
        `ReplayBuffer.setState: the state is of a different buffer.\n  this: ${mine}\n  state: ${theirs}`,
      );
    }
    const own = this.getState().arrays;
    for (const [name, target] of Object.entries(own)) {
      const source = state.arrays[name];
      if (
        source === undefined ||
        source.length !== target.length ||
        source.constructor !== target.constructor
      ) {
        throw new Error(`ReplayBuffer.setState: array "${name}" is missing or of the wrong type or length`);
      }
      if (source !== target) target.set(source as never);
    }
    this.store.setState(state.store);
    this.sampler.setState(state.sampler);
  }

  private checkFrame(frame: unknown, name: string, envIndex: number): void {
    const { frameDtype } = this.config;
    const type = frameDtype === 'uint8' ? Uint8Array : Float32Array;
    if (!(frame instanceof type) || frame.length !== this.frameSize) {
      const got = ArrayBuffer.isView(frame)
        ? `a ${frame.constructor.name} of length ${(frame as Uint8Array).length}`
        : String(frame);
      throw new Error(
        `ReplayBuffer.add(env ${envIndex}): ${name} must be a ${type.name} of ${this.frameSize} elements ` +
          `(${this.config.frameShape.join('x')}, one frame, not a stack), got ${got}`,
      );
    }
  }
}

function sameBytes(a: Uint8Array | Float32Array, b: Uint8Array | Float32Array): boolean {
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return Buffer.compare(x, y) === 0;
}
