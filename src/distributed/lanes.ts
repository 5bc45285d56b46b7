/**
 * The learner's side of the replay: actors' segments into the replay's per-env rings ("lanes"),
 * with the actors' priorities, exactly once.
 *
 *   lane = actor slot × envsPerActor + env         one ring of the replay per lane
 *
 * Invariants:
 *  1. Each lane holds back its newest step (`held`): it enters the replay when the lane's next
 *     step arrives. If that step does not continue it (another actor session took the slot, or a
 *     message was trimmed from the stream), the held step enters as TRUNCATED — it bootstraps
 *     from its next frame, and the new steps start a new episode, so no stack or n-step return
 *     ever joins two sessions' steps.
 *  2. A step's priority (the actor's |δ|) is applied once the replay can decide whether the step
 *     is sampleable: when the lane has written n slots past it. Until then it waits in `queue`.
 *  3. `written` counts the lane's replay slots as the replay does: one per step, plus one FINAL
 *     slot after a step that ended an episode; so slot a of lane l is replay index
 *     l·C + (a mod C), C = capacity / lanes (replay/transition-store.ts).
 * Everything here goes into the learner's checkpoint, so a resumed learner continues each lane.
 */
import type { ReplayBuffer } from '../../replay/replay-buffer.js';
import type { StateBundle } from '../util/state-bundle.js';
import { type FrameArray, type LaneSegment, SEG_TERMINATED, SEG_TRUNCATED } from './wire.js';

interface HeldStep {
  frame: FrameArray;
  next: FrameArray;
  action: number;
  reward: number;
  flags: number;
  priority: number;
}

interface Lane {
  session: string;
  nextStep: number;
  written: number;
  held: HeldStep | null;
  /** [absolute slot, priority] of steps whose priority waits (invariant 2). */
  queue: [number, number][];
}

export class LaneInserter {
  private lanes: Lane[];
  private readonly ring: number;
  /** Held steps entered as TRUNCATED because their lane did not continue (invariant 1). */
  cuts = 0;

  constructor(
    private readonly replay: ReplayBuffer<'uint8' | 'float32'>,
    readonly numLanes: number,
  ) {
    if (replay.config.numEnvs !== numLanes)
      throw new Error(`LaneInserter: the replay has ${replay.config.numEnvs} envs, not ${numLanes} lanes`);
    this.ring = replay.capacity / numLanes;
    this.lanes = Array.from({ length: numLanes }, () => ({
      session: '',
      nextStep: 0,
      written: 0,
      held: null,
      queue: [],
    }));
  }

  /** Puts a segment into lane `lane` (steps of actor session `session`); returns its step count. */
  insert(lane: number, session: string, segment: LaneSegment): number {
    if (!(Number.isInteger(lane) && lane >= 0 && lane < this.numLanes))
      throw new Error(`LaneInserter: lane ${lane} is not in 0..${this.numLanes - 1}`);
    const L = this.lanes[lane];
    if (L.held && (L.session !== session || segment.firstStep !== L.nextStep)) this.release(lane, true);
    L.session = session;
    const size = this.replay.frameSize;
    const frameAt = (id: number) => segment.frames.subarray(id * size, (id + 1) * size) as FrameArray;
    const n = segment.actions.length;
    for (let k = 0; k < n; k++) {
      if (L.held) this.release(lane, false);
      L.held = {
        frame: frameAt(segment.frame[k]),
        next: frameAt(segment.next[k]),
        action: segment.actions[k],
        reward: segment.rewards[k],
        flags: segment.flags[k],
        priority: segment.priorities[k],
      };
    }
    // The held step outlives the message: its own copies.
    if (L.held) L.held = { ...L.held, frame: L.held.frame.slice(), next: L.held.next.slice() };
    L.nextStep = segment.firstStep + n;
    this.drain(lane);
    return n;
  }

  /** The held step of `lane` into the replay; `cut`: its episode does not continue (invariant 1). */
  private release(lane: number, cut: boolean): void {
    const L = this.lanes[lane];
    const h = L.held as HeldStep;
    const terminated = (h.flags & SEG_TERMINATED) !== 0;
    const truncated = !terminated && ((h.flags & SEG_TRUNCATED) !== 0 || cut);
    if (cut && !terminated && (h.flags & SEG_TRUNCATED) === 0) this.cuts++;
    this.replay.add(lane, {
      frame: h.frame,
      action: h.action,
      reward: h.reward,
      terminated,
      truncated,
      nextFrame: h.next,
    });
    L.queue.push([L.written, h.priority]);
    L.written += terminated || truncated ? 2 : 1;
    L.held = null;
  }

  /** Applies the priorities that the replay can now place (invariant 2). */
  private drain(lane: number): void {
    const L = this.lanes[lane];
    const nStep = this.replay.config.nStep;
    const indices: number[] = [];
    const deltas: number[] = [];
    while (L.queue.length > 0 && L.written > L.queue[0][0] + nStep) {
      const [abs, priority] = L.queue.shift() as [number, number];
      const index = lane * this.ring + (abs % this.ring);
      if (abs >= L.written - this.ring && this.replay.isSampleable(index)) {
        indices.push(index);
        deltas.push(priority);
      }
    }
    if (indices.length > 0) this.replay.updatePriorities(indices, deltas);
  }

  getState(): StateBundle {
    const arrays: StateBundle['arrays'] = {};
    const lanes = this.lanes.map((L, i) => {
      if (L.held) {
        arrays[`held.${i}.frame`] = L.held.frame.slice();
        arrays[`held.${i}.next`] = L.held.next.slice();
      }
      const { frame: _f, next: _n, ...held } = L.held ?? { frame: null, next: null };
      return {
        session: L.session,
        nextStep: L.nextStep,
        written: L.written,
        queue: L.queue,
        held: L.held ? held : null,
      };
    });
    return { json: { lanes, cuts: this.cuts }, arrays, models: {} };
  }

  setState(state: StateBundle): void {
    const lanes = state.json.lanes as (Omit<Lane, 'held'> & {
      held: Omit<HeldStep, 'frame' | 'next'> | null;
    })[];
    if (!Array.isArray(lanes) || lanes.length !== this.numLanes)
      throw new Error(`LaneInserter.setState: expected ${this.numLanes} lanes`);
    this.lanes = lanes.map((L, i) => ({
      session: L.session,
      nextStep: L.nextStep,
      written: L.written,
      queue: L.queue.map(([a, p]) => [a, p] as [number, number]),
      held: L.held
        ? {
            ...L.held,
            frame: state.arrays[`held.${i}.frame`] as FrameArray,
            next: state.arrays[`held.${i}.next`] as FrameArray,
          }
        : null,
    }));
    this.cuts = Number(state.json.cuts ?? 0);
  }
}
