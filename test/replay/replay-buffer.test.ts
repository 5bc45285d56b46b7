import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../replay/replay-buffer.js';
import { Rng } from '../../src/util/rng.js';
import { frame, sampleable, stackLast, transitionAt } from './helpers.js';

const tiny = { frameShape: [2, 2], frameDtype: 'uint8', historyLength: 4, gamma: 0.5 } as const;

/** Adds steps with frames `ids` to env `env`; `end` ends the episode at the last one with nextFrame `endId`. */
function episode(
  buffer: ReplayBuffer<'uint8'>,
  ids: number[],
  end?: { kind: 'terminated' | 'truncated'; nextId: number },
  env = 0,
  rewards?: number[],
): void {
  ids.forEach((id, i) => {
    const last = i === ids.length - 1;
    buffer.add(env, {
      frame: frame(id),
      action: id,
      reward: rewards ? rewards[i] : id,
      terminated: last && end?.kind === 'terminated',
      truncated: last && end?.kind === 'truncated',
      nextFrame: last && end ? frame(end.nextId) : i + 1 < ids.length ? frame(ids[i + 1]) : undefined,
    });
  });
}

describe('ReplayBuffer stacks (h = 4, n = 1)', () => {
  it('zero-fills before an episode start and never mixes episodes', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20 });
    episode(buffer, [1, 2, 3], { kind: 'terminated', nextId: 4 });
    episode(buffer, [5, 6, 7]);
    // slots: 0:f1 START, 1:f2, 2:f3 TERMINATED, 3:f4 FINAL, 4:f5 START, 5:f6, 6:f7 (no s' yet)
    expect(sampleable(buffer)).toEqual([0, 1, 2, 4, 5]);
    expect(transitionAt(buffer, 0)).toEqual({
      obs: stackLast(0, 0, 0, 1),
      nextObs: stackLast(0, 0, 1, 2),
      action: 1,
      reward: 1,
      done: 0,
      discount: 0.5,
    });
    expect(transitionAt(buffer, 4).obs).toEqual(stackLast(0, 0, 0, 5));
    expect(transitionAt(buffer, 5).nextObs).toEqual(stackLast(0, 5, 6, 7));
  });

  it('gives a terminal step its final frame as s′, with done 1 and discount 0', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20 });
    episode(buffer, [1, 2, 3], { kind: 'terminated', nextId: 4 });
    expect(transitionAt(buffer, 2)).toEqual({
      obs: stackLast(0, 1, 2, 3),
      nextObs: stackLast(1, 2, 3, 4),
      action: 3,
      reward: 3,
      done: 0 + 1,
      discount: 0,
    });
  });

  it('bootstraps a truncated step from its final frame: done 0, discount γ', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20 });
    episode(buffer, [1, 2, 3, 4, 5], { kind: 'truncated', nextId: 6 });
    expect(transitionAt(buffer, 4)).toMatchObject({
      obs: stackLast(2, 3, 4, 5),
      nextObs: stackLast(3, 4, 5, 6),
      done: 0,
      discount: 0.5,
    });
  });

  it('rebuilds stacks across the wrap-around and never samples stacks that straddle the head', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 8 });
    episode(buffer, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // absolute slots 4..11 (frames 5..12) remain; slot a needs a-3 >= 4 and a+1 <= 11.
    expect(sampleable(buffer).map((i) => buffer.locate(i).slot)).toEqual(
      [8, 7, 9, 10].sort((a, b) => (a % 8) - (b % 8)),
    );
    // absolute slot 8 is physical slot 0: its stack reads physical 5, 6, 7, 0.
    expect(transitionAt(buffer, 0)).toMatchObject({
      obs: stackLast(6, 7, 8, 9),
      nextObs: stackLast(7, 8, 9, 10),
    });
    expect(buffer.size).toBe(4);
  });

  it('keeps envs apart: each env is its own stream', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20, numEnvs: 2 });
    for (let t = 0; t < 4; t++) {
      buffer.add(0, { frame: frame(1 + t), action: 0, reward: 0, terminated: false, truncated: false });
      buffer.add(1, { frame: frame(11 + t), action: 1, reward: 0, terminated: false, truncated: false });
    }
    expect(transitionAt(buffer, 10 + 2)).toMatchObject({
      obs: stackLast(0, 11, 12, 13),
      nextObs: stackLast(11, 12, 13, 14),
    });
    expect(transitionAt(buffer, 2)).toMatchObject({
      obs: stackLast(0, 1, 2, 3),
      nextObs: stackLast(1, 2, 3, 4),
    });
  });

  it('lays out channels-first when asked', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20, historyLength: 2, layout: 'channels-first' });
    episode(buffer, [1, 2, 3]);
    expect(transitionAt(buffer, 1).obs).toEqual([10, 11, 12, 13, 20, 21, 22, 23]);
    expect(buffer.batchFor(32).obsShape).toEqual([32, 2, 2, 2]);
  });

  it('works for float vectors with history 1 (CartPole)', () => {
    const buffer = new ReplayBuffer({
      capacity: 10,
      frameShape: [4],
      frameDtype: 'float32',
      historyLength: 1,
      gamma: 0.9,
    });
    const obs = (x: number) => Float32Array.from([x, -x, x / 2, 0.25]);
    buffer.add(0, { frame: obs(1), action: 1, reward: 1, terminated: false, truncated: false });
    buffer.add(0, {
      frame: obs(2),
      action: 0,
      reward: 1,
      terminated: true,
      truncated: false,
      nextFrame: obs(3),
    });
    const batch = buffer.sample(2, new Rng(1));
    expect(batch.obs).toBeInstanceOf(Float32Array);
    expect(batch.obsShape).toEqual([2, 4, 1]);
    const row = transitionAt(buffer, 1);
    expect(row).toEqual({
      obs: [2, -2, 1, 0.25],
      nextObs: [3, -3, 1.5, 0.25],
      action: 0,
      reward: 1,
      done: 1,
      discount: 0,
    });
    expect(transitionAt(buffer, 0).discount).toBeCloseTo(0.9);
  });
});

describe('ReplayBuffer n-step targets', () => {
  const rewards = [1, 2, 4, 8];
  it('n = 3 cuts at a terminal step: no bootstrap past it', () => {
    const b2 = new ReplayBuffer({ ...tiny, capacity: 20, nStep: 3 });
    episode(b2, [1, 2, 3], undefined, 0, rewards);
    expect(sampleable(b2)).toEqual([]); // slot 0 needs its 3-step next state, slot 3
    b2.add(0, {
      frame: frame(4),
      action: 4,
      reward: 8,
      terminated: true,
      truncated: false,
      nextFrame: frame(5),
    });
    expect(sampleable(b2)).toEqual([0, 1, 2, 3]);
    expect(transitionAt(b2, 0)).toMatchObject({
      reward: 1 + 0.5 * 2 + 0.25 * 4,
      done: 0,
      discount: 0.125,
      nextObs: stackLast(1, 2, 3, 4),
    });
    expect(transitionAt(b2, 1)).toMatchObject({
      reward: 2 + 0.5 * 4 + 0.25 * 8,
      done: 1,
      discount: 0,
      nextObs: stackLast(2, 3, 4, 5),
    });
    expect(transitionAt(b2, 2)).toMatchObject({ reward: 4 + 0.5 * 8, done: 1, discount: 0 });
    expect(transitionAt(b2, 3)).toMatchObject({ reward: 8, done: 1, discount: 0 });
  });

  it('n = 3 at a truncation bootstraps from the final frame with γ^k', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20, nStep: 3 });
    episode(buffer, [1, 2, 3, 4], { kind: 'truncated', nextId: 5 }, 0, rewards);
    expect(transitionAt(buffer, 1)).toMatchObject({
      reward: 6,
      done: 0,
      discount: 0.125,
      nextObs: stackLast(2, 3, 4, 5),
    });
    expect(transitionAt(buffer, 2)).toMatchObject({
      reward: 8,
      done: 0,
      discount: 0.25,
      nextObs: stackLast(2, 3, 4, 5),
    });
    expect(transitionAt(buffer, 3)).toMatchObject({
      reward: 8,
      done: 0,
      discount: 0.5,
      nextObs: stackLast(2, 3, 4, 5),
    });
  });

  it('n = 1 at episode ends', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20, nStep: 1 });
    episode(buffer, [1, 2], { kind: 'terminated', nextId: 3 }, 0, [1, 2]);
    episode(buffer, [4, 5], { kind: 'truncated', nextId: 6 }, 0, [4, 5]);
    expect(transitionAt(buffer, 1)).toMatchObject({
      reward: 2,
      done: 1,
      discount: 0,
      nextObs: stackLast(0, 1, 2, 3),
    });
    expect(transitionAt(buffer, 4)).toMatchObject({
      reward: 5,
      done: 0,
      discount: 0.5,
      nextObs: stackLast(0, 4, 5, 6),
    });
  });
});

describe('ReplayBuffer misuse', () => {
  const make = () => new ReplayBuffer({ ...tiny, capacity: 20, numEnvs: 2 });
  const step = { action: 0, reward: 0, terminated: false, truncated: false };
  it('refuses a frame of the wrong length or type', () => {
    expect(() => make().add(0, { ...step, frame: new Uint8Array(16) })).toThrow(
      'frame must be a Uint8Array of 4 elements (2x2, one frame, not a stack), got a Uint8Array of length 16',
    );
    expect(() => make().add(0, { ...step, frame: new Float32Array(4) as unknown as Uint8Array })).toThrow(
      'got a Float32Array',
    );
  });
  it('refuses an ended step without nextFrame, a bad env, a bad action', () => {
    expect(() => make().add(0, { ...step, frame: frame(1), truncated: true })).toThrow(
      'nextFrame is required',
    );
    expect(() => make().add(2, { ...step, frame: frame(1) })).toThrow(
      'envIndex must be an integer in 0..1, got 2',
    );
    expect(() => make().add(0, { ...step, frame: frame(1), action: 1.5 })).toThrow(
      'action must be an int32 integer',
    );
  });
  it('refuses a frame that is not the previous nextFrame (an off-by-one in the loop)', () => {
    const buffer = make();
    buffer.add(0, { ...step, frame: frame(1), nextFrame: frame(2) });
    expect(() => buffer.add(0, { ...step, frame: frame(3), nextFrame: frame(4) })).toThrow(
      "frame is not the nextFrame of this env's previous step",
    );
  });
  it('refuses to sample before enough transitions, and says so', () => {
    expect(() => make().sample(32, new Rng(0))).toThrow(
      'only 0 transitions can be sampled; wait until canSample(batchSize)',
    );
  });
  it('refuses a capacity that leaves an env no room', () => {
    expect(() => new ReplayBuffer({ ...tiny, capacity: 10, numEnvs: 2 })).toThrow(
      'each env needs at least historyLength + nStep + 1 = 6',
    );
  });
  it('refuses to allocate more memory than is free, with the size it needs', () => {
    const probe = { freeBytes: () => 1e9, totalBytes: () => 2e9 };
    expect(() => new ReplayBuffer({ capacity: 1_000_000 }, probe)).toThrow(
      /needs 6\.59 GiB \(7073000000 bytes\) but only 953\.67 MiB is available .*Use a smaller capacity/,
    );
  });
});

describe('ReplayBuffer Atari layout', () => {
  it('stacks with the SIMD kernel (uint8, h = 4, channels-last) exactly as the channels-first copy, transposed', () => {
    const base = { capacity: 64, frameShape: [4, 8], frameDtype: 'uint8', historyLength: 4 } as const;
    const last = new ReplayBuffer({ ...base, layout: 'channels-last' });
    const first = new ReplayBuffer({ ...base, layout: 'channels-first' });
    const rng = new Rng(5);
    let f = Uint8Array.from({ length: 32 }, () => rng.int(256));
    for (let t = 0; t < 100; t++) {
      const next = Uint8Array.from({ length: 32 }, () => rng.int(256));
      const step = {
        frame: f,
        action: 0,
        reward: 0,
        terminated: t % 23 === 22,
        truncated: false,
        nextFrame: next,
      };
      last.add(0, step);
      first.add(0, step);
      f = step.terminated ? Uint8Array.from({ length: 32 }, () => rng.int(256)) : next;
    }
    const batch = last.sample(32, new Rng(9));
    expect(batch.obs.byteOffset).toBeGreaterThan(0); // a view into the kernel's memory
    for (let b = 0; b < 32; b++) {
      const got = transitionAt(last, batch.indices[b]);
      const want = transitionAt(first, batch.indices[b]);
      const transpose = (x: number[]) =>
        Array.from({ length: 128 }, (_, i) => x[(i % 4) * 32 + Math.floor(i / 4)]);
      expect(got.obs).toEqual(transpose(want.obs));
      expect(got.nextObs).toEqual(transpose(want.nextObs));
    }
  });
});

describe('ReplayBuffer config', () => {
  it('refuses a bad prioritized config, saying which values are allowed', () => {
    const probe = { freeBytes: () => 1e12, totalBytes: () => 1e12 };
    expect(
      () =>
        new ReplayBuffer(
          { capacity: 100, sampler: { kind: 'prioritized', alpha: 0.6, beta: 1.5, epsilon: 1e-6 } },
          probe,
        ),
    ).toThrow('prioritized sampler needs alpha >= 0, beta in [0, 1], epsilon > 0');
  });
});

describe('ReplayBuffer.gather', () => {
  it('refuses an index that holds no sampleable transition', () => {
    const buffer = new ReplayBuffer({ ...tiny, capacity: 20 });
    episode(buffer, [1, 2, 3], { kind: 'terminated', nextId: 4 });
    expect(() => transitionAt(buffer, 3)).toThrow('index 3 holds no sampleable transition'); // the FINAL slot
  });
});
