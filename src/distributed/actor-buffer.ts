/**
 * An actor's steps between acting and sending: each step waits until its n-step TD error can be
 * computed with the actor's network (Ape-X's initial priority, apex.ts), then waits for the next
 * message. Per env:
 *
 *   pending: steps t−m..t−1 (m ≤ n) whose n-step window is still open, oldest first
 *   ready:   completed steps with |δ|, consecutive, waiting for `takeSegments`
 *
 * Acting at s_t completes step t−n (bootstrap max_a Q(s_t, a)); a step that ends the episode
 * completes every pending step (no bootstrap when terminated; from the final state when
 * truncated). Steps leave in order, so each env's segments are consecutive runs of steps.
 */
import { nStepTdError } from './apex.js';
import { type FrameArray, type LaneSegment, SEG_TERMINATED, SEG_TRUNCATED } from './wire.js';

/** One env step as the actor saw it. */
export interface ActorStep {
  /** The newest frame of s_t (kept: pass a copy). */
  frame: FrameArray;
  action: number;
  /** As the replay stores it (clipped when the config says so). */
  reward: number;
  /** Q(s_t, a_t) under the actor's weights. */
  qTaken: number;
  terminated: boolean;
  truncated: boolean;
  /** The episode's last frame, when this step ended it. */
  finalFrame?: FrameArray;
  /** max_a Q(s_final, a), when the step truncated the episode. */
  finalQMax?: number;
}

interface Waiting extends ActorStep {
  step: number;
}

interface Done {
  step: number;
  frame: FrameArray;
  next: FrameArray;
  action: number;
  reward: number;
  flags: number;
  priority: number;
}

export class ActorBuffer {
  private readonly pending: Waiting[][];
  private readonly ready: Done[][];
  private readonly steps: number[];

  constructor(
    readonly numEnvs: number,
    readonly nStep: number,
    readonly gamma: number,
    readonly frameSize: number,
    readonly dtype: 'uint8' | 'float32',
  ) {
    this.pending = Array.from({ length: numEnvs }, () => []);
    this.ready = Array.from({ length: numEnvs }, () => []);
    this.steps = new Array<number>(numEnvs).fill(0);
  }

  /** Completed steps not yet taken, over all envs. */
  get readyCount(): number {
    return this.ready.reduce((n, r) => n + r.length, 0);
  }

  /**
   * The actor is at s_t of env `env` (newest frame `frame`) with max_a Q(s_t, a) = `qMax`:
   * completes the step n before, if it is waiting. Call before `record` of step t.
   */
  bootstrap(env: number, qMax: number, frame: FrameArray): void {
    const waiting = this.pending[env];
    if (waiting.length < this.nStep) return;
    const oldest = waiting[0];
    const rewards = waiting.map((s) => s.reward);
    const next = waiting.length > 1 ? waiting[1].frame : frame;
    this.complete(env, oldest, next, nStepTdError(oldest.qTaken, rewards, this.gamma, false, qMax));
    waiting.shift();
  }

  /** Records step t of env `env`; when it ends the episode, every waiting step completes. */
  record(env: number, s: ActorStep): void {
    const ended = s.terminated || s.truncated;
    if (ended && s.finalFrame === undefined)
      throw new Error('ActorBuffer.record: an ended step needs its finalFrame');
    if (s.truncated && !s.terminated && s.finalQMax === undefined)
      throw new Error('ActorBuffer.record: a truncated step needs finalQMax');
    const waiting = this.pending[env];
    waiting.push({ ...s, step: this.steps[env]++ });
    if (!ended) return;
    const rewards = waiting.map((w) => w.reward);
    for (let j = 0; j < waiting.length; j++) {
      const w = waiting[j];
      const next = j + 1 < waiting.length ? waiting[j + 1].frame : (s.finalFrame as FrameArray);
      const delta = nStepTdError(w.qTaken, rewards.slice(j), this.gamma, s.terminated, s.finalQMax ?? 0);
      this.complete(env, w, next, delta);
    }
    waiting.length = 0;
  }

  private complete(env: number, w: Waiting, next: FrameArray, delta: number): void {
    const flags = (w.terminated ? SEG_TERMINATED : 0) | (w.truncated ? SEG_TRUNCATED : 0);
    this.ready[env].push({
      step: w.step,
      frame: w.frame,
      next,
      action: w.action,
      reward: w.reward,
      flags,
      priority: Math.abs(delta),
    });
  }

  /** The ready steps of every env as segments, each frame once; the buffer forgets them. */
  takeSegments(): LaneSegment[] {
    const segments: LaneSegment[] = [];
    for (let env = 0; env < this.numEnvs; env++) {
      const done = this.ready[env];
      if (done.length === 0) continue;
      const ids = new Map<FrameArray, number>();
      const unique: FrameArray[] = [];
      const idOf = (f: FrameArray) => {
        let id = ids.get(f);
        if (id === undefined) {
          id = unique.length;
          ids.set(f, id);
          unique.push(f);
        }
        return id;
      };
      const n = done.length;
      const segment: LaneSegment = {
        env,
        firstStep: done[0].step,
        frames: new Uint8Array(0),
        frame: new Uint16Array(n),
        next: new Uint16Array(n),
        actions: new Int32Array(n),
        rewards: new Float32Array(n),
        flags: new Uint8Array(n),
        priorities: new Float32Array(n),
      };
      done.forEach((d, k) => {
        segment.frame[k] = idOf(d.frame);
        segment.next[k] = idOf(d.next);
        segment.actions[k] = d.action;
        segment.rewards[k] = d.reward;
        segment.flags[k] = d.flags;
        segment.priorities[k] = d.priority;
      });
      if (unique.length > 0xffff)
        throw new Error('ActorBuffer: more than 65535 frames in one segment; flush more often');
      const frames =
        this.dtype === 'uint8'
          ? new Uint8Array(unique.length * this.frameSize)
          : new Float32Array(unique.length * this.frameSize);
      unique.forEach((f, i) => {
        frames.set(f, i * this.frameSize);
      });
      segment.frames = frames;
      segments.push(segment);
      done.length = 0;
    }
    return segments;
  }
}
