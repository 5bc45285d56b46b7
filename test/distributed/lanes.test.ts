/**
 * From an actor's steps to the learner's replay without Redis: ActorBuffer (n-step priorities,
 * segments with each frame once) → wire encoding → LaneInserter → ReplayBuffer, compared with a
 * replay fed the same steps directly; and a lane that another session takes over.
 */
import { describe, expect, it } from 'vitest';
import { ReplayBuffer, type ReplayBufferConfig } from '../../replay/replay-buffer.js';
import { ActorBuffer } from '../../src/distributed/actor-buffer.js';
import { LaneInserter } from '../../src/distributed/lanes.js';
import {
  decodeMessage,
  type ExperienceMessage,
  encodeMessage,
  type LaneSegment,
  SEG_TERMINATED,
  SEG_TRUNCATED,
} from '../../src/distributed/wire.js';
import { Rng } from '../../src/util/rng.js';

const f = (...v: number[]) => Uint8Array.from(v);

function replayConfig(nStep: number, gamma: number): ReplayBufferConfig<'uint8'> {
  return {
    capacity: 1000,
    numEnvs: 1,
    frameShape: [2],
    frameDtype: 'uint8',
    historyLength: 2,
    nStep,
    gamma,
    sampler: { kind: 'prioritized', alpha: 0.6, beta: 0.4, epsilon: 0.01 },
    layout: 'channels-last',
    checkContinuity: false,
    chunkBytes: 1 << 16,
  } as ReplayBufferConfig<'uint8'>;
}

function segment(firstStep: number, frames: number[][], flags: number[] = []): LaneSegment {
  const n = frames.length - 1;
  return {
    env: 0,
    firstStep,
    frames: Uint8Array.from(frames.flat()),
    frame: Uint16Array.from({ length: n }, (_, k) => k),
    next: Uint16Array.from({ length: n }, (_, k) => k + 1),
    actions: new Int32Array(n),
    rewards: Float32Array.from({ length: n }, () => 1),
    flags: Uint8Array.from({ length: n }, (_, k) => flags[k] ?? 0),
    priorities: Float32Array.from({ length: n }, () => 0.5),
  };
}

describe('ActorBuffer', () => {
  it('computes n-step |δ| by hand and sends each frame once', () => {
    // n = 2, γ = 0.5. Q(s0,a0)=1, r0=1; Q(s1,a1)=2, r1=0; max Q(s2)=4; Q(s2,a2)=3, r2=5, terminated.
    const b = new ActorBuffer(1, 2, 0.5, 2, 'uint8');
    const [f0, f1, f2, final] = [f(0, 0), f(1, 1), f(2, 2), f(9, 9)];
    b.bootstrap(0, 7, f0); // nothing waits yet
    b.record(0, { frame: f0, action: 0, reward: 1, qTaken: 1, terminated: false, truncated: false });
    b.bootstrap(0, 9, f1); // only one step waits: n = 2 not reached
    b.record(0, { frame: f1, action: 1, reward: 0, qTaken: 2, terminated: false, truncated: false });
    b.bootstrap(0, 4, f2); // δ0 = 1 + 0.5·0 + 0.25·4 − 1 = 1
    b.record(0, {
      frame: f2,
      action: 2,
      reward: 5,
      qTaken: 3,
      terminated: true,
      truncated: false,
      finalFrame: final,
    });
    // δ1 = 0 + 0.5·5 − 2 = 0.5 (no bootstrap: terminated); δ2 = 5 − 3 = 2
    const [s] = b.takeSegments();
    expect(Array.from(s.priorities)).toEqual([1, 0.5, 2]);
    expect(Array.from(s.frame)).toEqual([0, 1, 2]);
    expect(Array.from(s.next)).toEqual([1, 2, 3]);
    expect(Array.from(s.frames)).toEqual([0, 0, 1, 1, 2, 2, 9, 9]);
    expect(Array.from(s.flags)).toEqual([0, 0, SEG_TERMINATED]);
    expect(s.firstStep).toBe(0);
    expect(b.takeSegments()).toEqual([]);
  });

  it('bootstraps a truncated episode from its final state', () => {
    const b = new ActorBuffer(1, 3, 0.5, 2, 'uint8');
    b.record(0, { frame: f(0, 0), action: 0, reward: 2, qTaken: 1, terminated: false, truncated: false });
    b.record(0, {
      frame: f(1, 1),
      action: 0,
      reward: 0,
      qTaken: 1,
      terminated: false,
      truncated: true,
      finalFrame: f(5, 5),
      finalQMax: 8,
    });
    // δ0 = 2 + 0.5·0 + 0.25·8 − 1 = 3; δ1 = 0 + 0.5·8 − 1 = 3
    const [s] = b.takeSegments();
    expect(Array.from(s.priorities)).toEqual([3, 3]);
    expect(Array.from(s.flags)).toEqual([0, SEG_TRUNCATED]);
    expect(() =>
      b.record(0, { frame: f(1, 1), action: 0, reward: 0, qTaken: 0, terminated: false, truncated: true }),
    ).toThrow(/finalFrame/);
  });
});

describe('LaneInserter', () => {
  it('fills the replay as feeding it directly does, with the actors’ priorities', () => {
    const nStep = 3;
    const gamma = 0.9;
    const direct = new ReplayBuffer<'uint8'>(replayConfig(nStep, gamma));
    const remote = new ReplayBuffer<'uint8'>(replayConfig(nStep, gamma));
    const lanes = new LaneInserter(remote as unknown as ReplayBuffer<'uint8' | 'float32'>, 1);
    const actor = new ActorBuffer(1, nStep, gamma, 2, 'uint8');
    const rng = new Rng(11);
    const priorityOfSlot = new Map<number, number>();
    let frame = f(rng.int(256), rng.int(256));
    let abs = 0;
    let sentSteps = 0;
    let step = 0;
    const slotOfStep: number[] = [];
    const send = () => {
      const message: ExperienceMessage = {
        kind: 'experience',
        runId: 'r',
        actor: 0,
        session: 's',
        seq: 0,
        weightsVersion: 1,
        segments: actor.takeSegments(),
        episodes: [],
      };
      const back = decodeMessage(encodeMessage(message, true), true) as ExperienceMessage;
      for (const s of back.segments) {
        s.priorities.forEach((p, k) => {
          priorityOfSlot.set(slotOfStep[s.firstStep + k], p);
        });
        sentSteps += lanes.insert(0, back.session, s);
      }
    };
    for (let t = 0; t < 300; t++) {
      actor.bootstrap(0, rng.float() * 4, frame);
      const ends = rng.float() < 0.08;
      const terminated = ends && rng.float() < 0.7;
      const truncated = ends && !terminated;
      const next = f(rng.int(256), rng.int(256));
      const reward = rng.int(3) - 1;
      const action = rng.int(4);
      direct.add(0, { frame, action, reward, terminated, truncated, nextFrame: next });
      actor.record(0, {
        frame,
        action,
        reward,
        qTaken: rng.float() * 4,
        terminated,
        truncated,
        finalFrame: ends ? next : undefined,
        finalQMax: truncated ? rng.float() * 4 : undefined,
      });
      slotOfStep[step++] = abs;
      abs += ends ? 2 : 1;
      frame = ends ? f(rng.int(256), rng.int(256)) : next;
      if (t % 7 === 6) send();
    }
    send();
    // The lane holds back its newest step; the actor keeps the steps of its open n-step window.
    expect(sentSteps).toBeGreaterThan(300 - nStep - 1);
    expect(remote.size).toBeGreaterThan(direct.size - nStep - 3);
    const indices = Array.from({ length: remote.capacity }, (_, i) => i).filter((i) =>
      remote.isSampleable(i),
    );
    expect(indices.every((i) => direct.isSampleable(i))).toBe(true);
    const a = direct.batchFor(indices.length);
    const b = remote.batchFor(indices.length);
    a.indices.set(indices);
    b.indices.set(indices);
    direct.gather(a);
    remote.gather(b);
    for (const key of ['obs', 'nextObs', 'actions', 'rewards', 'discounts', 'dones'] as const) {
      expect(Array.from(b[key]), key).toEqual(Array.from(a[key]));
    }
    // Each sampleable transition carries (|δ| + ε)^α of its actor's δ (sum-tree leaves).
    const tree = remote.getState().arrays['sampler.tree'] as Float64Array;
    const leaves = tree.length / 2;
    for (const i of indices) {
      const p = priorityOfSlot.get(i) as number;
      expect(tree[leaves + i]).toBeCloseTo((p + 0.01) ** 0.6, 6);
    }
  });

  it('cuts a lane’s episode when another session (or a gap) follows: no stack spans the two', () => {
    const replay = new ReplayBuffer<'uint8'>(replayConfig(1, 0.5));
    const lanes = new LaneInserter(replay as unknown as ReplayBuffer<'uint8' | 'float32'>, 1);
    lanes.insert(
      0,
      'old',
      segment(0, [
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    ); // steps 0, 1 (1 held)
    lanes.insert(
      0,
      'new',
      segment(0, [
        [7, 7],
        [8, 8],
        [9, 9],
      ]),
    ); // another process on the slot
    expect(lanes.cuts).toBe(1);
    // Slots: 0 = step 0, 1 = step 1 (cut: TRUNCATED), 2 = its FINAL frame [3,3], 3 = new step 0.
    const cut = replay.batchFor(1);
    cut.indices.set([1]);
    replay.gather(cut);
    expect(Array.from(cut.discounts)).toEqual([0.5]); // the cut bootstraps (truncated, not terminal)
    expect(Array.from(cut.nextObs)).toEqual([2, 3, 2, 3]); // s' of the cut step: [2,2], [3,3]
    expect(replay.isSampleable(2)).toBe(false); // the FINAL slot
    // The same session with a gap (a trimmed message) cuts too; a continuing segment does not.
    lanes.insert(
      0,
      'new',
      segment(2, [
        [9, 9],
        [10, 10],
      ]),
    );
    expect(lanes.cuts).toBe(1);
    lanes.insert(
      0,
      'new',
      segment(5, [
        [4, 4],
        [5, 5],
      ]),
    );
    expect(lanes.cuts).toBe(2);
    // A terminated held step is not a cut.
    lanes.insert(
      0,
      'new',
      segment(
        6,
        [
          [6, 6],
          [0, 0],
        ],
        [SEG_TERMINATED],
      ),
    );
    lanes.insert(
      0,
      'other',
      segment(0, [
        [1, 1],
        [2, 2],
      ]),
    );
    expect(lanes.cuts).toBe(2);
  });

  it('round-trips its state (held steps and waiting priorities) through a checkpoint bundle', () => {
    const replay = new ReplayBuffer<'uint8'>(replayConfig(2, 0.5));
    const lanes = new LaneInserter(replay as unknown as ReplayBuffer<'uint8' | 'float32'>, 1);
    lanes.insert(
      0,
      's',
      segment(0, [
        [1, 1],
        [2, 2],
        [3, 3],
      ]),
    );
    const copy = new LaneInserter(replay as unknown as ReplayBuffer<'uint8' | 'float32'>, 1);
    copy.setState(structuredClone(lanes.getState()));
    expect(copy.getState()).toEqual(lanes.getState());
    expect(() => new LaneInserter(replay as unknown as ReplayBuffer<'uint8' | 'float32'>, 2)).toThrow(
      /lanes/,
    );
  });
});

describe('wire', () => {
  it('round-trips messages, and deflate shrinks flat game frames', () => {
    const frames = new Uint8Array(84 * 84 * 9).fill(17);
    const s = { ...segment(0, [[0, 0]]), frames, frame: Uint16Array.from([0]), next: Uint16Array.from([1]) };
    const message: ExperienceMessage = {
      kind: 'experience',
      runId: 'r',
      actor: 1,
      session: 'x',
      seq: 3,
      weightsVersion: 2,
      segments: [
        {
          ...s,
          actions: Int32Array.from([2]),
          rewards: Float32Array.from([1]),
          flags: Uint8Array.from([0]),
          priorities: Float32Array.from([0.25]),
        },
      ],
      episodes: [{ env: 0, return: 3, length: 40 }],
    };
    const plain = encodeMessage(message, false);
    const packed = encodeMessage(message, true);
    expect(packed.length).toBeLessThan(plain.length / 20);
    expect(decodeMessage(packed, true)).toEqual(message);
    expect(decodeMessage(plain, false)).toEqual(message);
    expect(() => decodeMessage(Buffer.from([0xc0]), false)).toThrow(/not a pixelrl message/);
  });
});
