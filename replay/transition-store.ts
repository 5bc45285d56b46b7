/**
 * Storage of the replay memory: one ring of slots per env, each frame stored once.
 *
 *   env e's ring: C = capacity / numEnvs slots, drawn unrolled by absolute slot number a
 *   (0, 1, 2, ...); slot a lives at global index e*C + (a mod C). A full ring (C = 6 here):
 *
 *            oldest = written - C                                head = written
 *            v                                                                v
 *   (gone) | f3 a r | f4 a r T | f5 FINAL | f0' a r START | f1' a r | f2' a r |  <- the next write reuses f3's slot
 *            '- stack(f4) = f1 f2 f3 f4 needs f1, f2: gone, so f4 is NOT sampleable
 *   s' of the terminal step f4 is the FINAL frame f5; stack(f0') = 0 0 0 f0' (zeros before
 *   START, never f5); f2' waits for its s' (the next write) before it can be sampled.
 *
 * Invariants:
 *  1. Slot a holds the newest frame of s_a and the step taken from it (action, reward,
 *     TERMINATED, TRUNCATED). The frame of s_{a+1} is slot a+1's frame.
 *  2. A step that ends an episode is followed by a FINAL slot that holds only the episode's last
 *     observation (s' of that step); the slot after it has START. So every transition's s' is
 *     in the ring, and a truncated step can bootstrap from it.
 *  3. The stack of slot a is frames a-h+1..a, zero-filled before the episode's START slot: it
 *     never mixes episodes, and never envs because each env has its own ring.
 *  4. Slot a is VALID (sampleable) iff it is not FINAL, every frame of its stack is present
 *     (>= oldest: stacks never straddle the write head), and its n-step next state a+k (k <= n,
 *     cut at the episode end) has been written (< head).
 *  5. VALID goes 0 -> 1 once (when a+k is written) and 1 -> 0 once (when the head overwrites a
 *     frame the stack needs); the listener (the sampler) sees exactly these flips.
 */
import { type FrameArray, type FrameDtype, FrameStore } from './frame-store.js';

/** Bits of {@link TransitionStore.flags}. */
export const TERMINATED = 1;
export const TRUNCATED = 2;
/** The first slot of an episode: stacks look back no further. */
export const START = 4;
/** Holds only the last observation of an ended episode; not a transition. */
export const FINAL = 8;
/** The slot is sampleable (invariant 4). */
export const VALID = 16;

/** Told when a transition becomes sampleable or stops being so (a sampler). */
export interface ValidityListener {
  onValid(index: number): void;
  onInvalid(index: number): void;
}

export interface TransitionStoreConfig {
  /** Total slots over all envs (split evenly, the remainder unused). */
  capacity: number;
  /** Number of independent streams of episodes (envs of a vector env). */
  numEnvs: number;
  /** Elements per frame. */
  frameSize: number;
  /** Element type of a frame. */
  dtype: FrameDtype;
  /** Frames per stacked observation. */
  historyLength: number;
  /** Steps of the n-step return; decides when a slot's next state exists. */
  nStep: number;
  /** Target bytes per frame chunk. */
  chunkBytes?: number;
}

/** The counters of a {@link TransitionStore}; the arrays are saved separately. */
export interface TransitionStoreState {
  /** Per env: absolute slots ever written. */
  written: number[];
}

export class TransitionStore {
  readonly frames: FrameStore;
  /** Per slot: the action taken (0 for FINAL slots). */
  readonly actions: Int32Array;
  /** Per slot: the reward of the step. */
  readonly rewards: Float32Array;
  /** Per slot: TERMINATED | TRUNCATED | START | FINAL | VALID. */
  readonly flags: Uint8Array;
  /** Slots per env ring. */
  readonly ringCapacity: number;
  readonly numEnvs: number;
  readonly historyLength: number;
  readonly nStep: number;
  /** Per env: absolute slots ever written (so the head is at written mod C). */
  private readonly written: Float64Array;
  private validTotal = 0;
  listener: ValidityListener | null = null;

  constructor(config: TransitionStoreConfig) {
    const { capacity, numEnvs, historyLength, nStep } = config;
    this.ringCapacity = Math.floor(capacity / numEnvs);
    this.numEnvs = numEnvs;
    this.historyLength = historyLength;
    this.nStep = nStep;
    const slots = this.ringCapacity * numEnvs;
    this.frames = new FrameStore({
      slots,
      frameSize: config.frameSize,
      dtype: config.dtype,
      chunkBytes: config.chunkBytes,
    });
    this.actions = new Int32Array(slots);
    this.rewards = new Float32Array(slots);
    this.flags = new Uint8Array(slots);
    this.written = new Float64Array(numEnvs);
  }

  /** Bytes per slot besides the frame: action, reward, flags. */
  static readonly bytesPerSlotBesidesFrame = 4 + 4 + 1;

  /** Sampleable transitions, over all envs. */
  get validCount(): number {
    return this.validTotal;
  }

  /** Slots holding data, over all envs. */
  get filledSlots(): number {
    let n = 0;
    for (let e = 0; e < this.numEnvs; e++) n += Math.min(this.written[e], this.ringCapacity);
    return n;
  }

  /** Absolute slots written to env `env`'s ring so far. */
  writtenOf(env: number): number {
    return this.written[env];
  }

  /** True when env `env`'s next slot continues an episode (false at the start and after an end). */
  episodeOpen(env: number): boolean {
    const w = this.written[env];
    return w > 0 && (this.flags[this.globalIndex(env, w - 1)] & FINAL) === 0;
  }

  /** Global slot index of absolute slot `abs` in env `env`'s ring. */
  globalIndex(env: number, abs: number): number {
    return env * this.ringCapacity + (abs % this.ringCapacity);
  }

  /** Global index of the slot `delta` slots after (or before, if negative) `index` in its ring. */
  step(index: number, delta: number): number {
    const c = this.ringCapacity;
    const base = index - (index % c);
    return base + ((((index - base + delta) % c) + c) % c);
  }

  /** Env of a global slot index. */
  envOf(index: number): number {
    return Math.floor(index / this.ringCapacity);
  }

  /** The absolute slot number of a present global index (for tests and debugging). */
  absoluteOf(index: number): number {
    const env = this.envOf(index);
    const w = this.written[env];
    const oldest = Math.max(0, w - this.ringCapacity);
    const local = index - env * this.ringCapacity;
    return oldest + ((((local - oldest) % this.ringCapacity) + this.ringCapacity) % this.ringCapacity);
  }

  /** Writes one step of env `env` (invariant 1); `ended` steps must be followed by `writeFinal`. */
  writeStep(
    env: number,
    frame: FrameArray,
    action: number,
    reward: number,
    terminated: boolean,
    truncated: boolean,
  ): void {
    const start = !this.episodeOpen(env);
    const bits = (terminated ? TERMINATED : 0) | (truncated ? TRUNCATED : 0) | (start ? START : 0);
    this.writeSlot(env, frame, action, reward, bits);
  }

  /** Writes the last observation of the episode that env `env`'s previous step ended. */
  writeFinal(env: number, frame: FrameArray): void {
    this.writeSlot(env, frame, 0, 0, FINAL);
  }

  private writeSlot(env: number, frame: FrameArray, action: number, reward: number, bits: number): void {
    const c = this.ringCapacity;
    const w = this.written[env];
    const index = this.globalIndex(env, w);
    if (w >= c) this.setValid(index, false); // the overwritten transition
    this.frames.write(index, frame);
    this.actions[index] = action;
    this.rewards[index] = reward;
    this.flags[index] = bits;
    this.written[env] = w + 1;
    // Invariant 5: only the h-1 slots after the new oldest can lose a stack frame ...
    if (w >= c) {
      const oldest = w + 1 - c;
      for (let a = oldest; a < oldest + this.historyLength - 1 && a < w; a++) this.refresh(env, a);
    }
    // ... and only the n slots before the new one can have gained their next state.
    for (let a = Math.max(w - this.nStep, w + 1 - c, 0); a < w; a++) this.refresh(env, a);
  }

  private refresh(env: number, abs: number): void {
    this.setValid(this.globalIndex(env, abs), this.isValid(env, abs));
  }

  private setValid(index: number, valid: boolean): void {
    const was = (this.flags[index] & VALID) !== 0;
    if (was === valid) return;
    if (valid) {
      this.flags[index] |= VALID;
      this.validTotal++;
      this.listener?.onValid(index);
    } else {
      this.flags[index] &= ~VALID;
      this.validTotal--;
      this.listener?.onInvalid(index);
    }
  }

  /** Invariant 4, computed from scratch for absolute slot `abs` of env `env`. */
  isValid(env: number, abs: number): boolean {
    const w = this.written[env];
    const oldest = Math.max(0, w - this.ringCapacity);
    if (abs < oldest || abs >= w) return false;
    if (this.flags[this.globalIndex(env, abs)] & FINAL) return false;
    for (let k = 0; k < this.historyLength; k++) {
      if (abs - k < oldest) return false;
      if (this.flags[this.globalIndex(env, abs - k)] & START) break;
    }
    let next = abs + this.nStep;
    for (let j = 0; j < this.nStep; j++) {
      if (abs + j >= w) return false;
      if (this.flags[this.globalIndex(env, abs + j)] & (TERMINATED | TRUNCATED)) {
        next = abs + j + 1;
        break;
      }
    }
    return next < w;
  }

  getState(): TransitionStoreState {
    return { written: Array.from(this.written) };
  }

  /** Restores the counters; the slot arrays (frames, actions, rewards, flags) must be restored too. */
  setState(state: TransitionStoreState): void {
    if (!Array.isArray(state?.written) || state.written.length !== this.numEnvs) {
      throw new Error(
        `TransitionStore.setState: expected written[] of ${this.numEnvs} envs, got ${JSON.stringify(state?.written)}`,
      );
    }
    for (let e = 0; e < this.numEnvs; e++) this.written[e] = state.written[e];
    let valid = 0;
    for (let i = 0; i < this.flags.length; i++) if (this.flags[i] & VALID) valid++;
    this.validTotal = valid;
  }
}
