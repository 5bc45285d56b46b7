import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReplayBuffer } from '../../replay/replay-buffer.js';
import { loadReplaySnapshot, saveReplaySnapshot } from '../../replay/snapshot.js';
import { Rng } from '../../src/util/rng.js';

const dir = await mkdtemp(join(tmpdir(), 'pixelrl-replay-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A 2-env prioritized Atari buffer of 3000 slots: 21 MB of frames in 2 chunks, the first over 16 MiB (2 slices). */
function filledBuffer(steps: number, rng: Rng): ReplayBuffer<'uint8'> {
  const buffer = new ReplayBuffer({
    capacity: 3000,
    numEnvs: 2,
    nStep: 3,
    chunkBytes: 20_000_000,
    sampler: { kind: 'prioritized', alpha: 0.6, beta: 0.4, epsilon: 1e-6 },
  });
  feed(buffer, steps, rng);
  return buffer;
}

/** Random steps on both envs, sampling and updating priorities now and then. */
function feed(buffer: ReplayBuffer<'uint8'>, steps: number, rng: Rng): void {
  const frame = () => Uint8Array.from({ length: 84 * 84 }, () => rng.int(256));
  // Continue each env's episode from the nextFrame the buffer holds for it (restored state included).
  const { pendingFrames, pendingSet } = buffer.getState().arrays;
  const F = 84 * 84;
  const current = [0, 1].map((env) =>
    pendingSet[env] ? Uint8Array.from(pendingFrames.subarray(env * F, (env + 1) * F)) : frame(),
  );
  for (let t = 0; t < steps; t++) {
    for (const env of [0, 1]) {
      const ended = rng.int(300) === 0;
      const next = frame();
      const step = { action: rng.int(6), reward: rng.normal(), terminated: ended, truncated: false };
      buffer.add(env, { ...step, frame: current[env], nextFrame: next });
      current[env] = ended ? frame() : next;
    }
    if (buffer.canSample(8) && t % 10 === 0) {
      const batch = buffer.sample(8, rng);
      buffer.updatePriorities(
        batch.indices,
        Array.from(batch.indices, () => rng.float()),
      );
    }
  }
}

describe('replay snapshots', () => {
  const rng = new Rng(3);
  const buffer = filledBuffer(1700, rng); // wraps both rings
  const path = join(dir, 'replay.bin');

  it('round-trips the whole buffer, the sampler and the RNG exactly', async () => {
    await saveReplaySnapshot(path, buffer, { rng });
    expect(await readdir(dir)).toEqual(['replay.bin']); // the temporary file was renamed
    const { buffer: loaded, rng: loadedRng } = await loadReplaySnapshot<'uint8'>(path);
    const a = buffer.getState();
    const b = loaded.getState();
    expect(b.config).toEqual(a.config);
    expect(b.store).toEqual(a.store);
    expect(b.sampler).toEqual(a.sampler);
    expect(Object.keys(b.arrays)).toEqual(Object.keys(a.arrays));
    expect(Object.keys(a.arrays)).toContain('frames.1');
    for (const name of Object.keys(a.arrays))
      expect(Buffer.compare(bytes(b.arrays[name]), bytes(a.arrays[name])), name).toBe(0);
    // and the two continue identically: same pushes, same samples
    expect(loadedRng?.getState()).toEqual(rng.getState());
    const r1 = Rng.fromState(rng.getState());
    const r2 = loadedRng as Rng;
    feed(buffer, 50, new Rng(8));
    feed(loaded, 50, new Rng(8));
    const x = buffer.sample(32, r1);
    const y = loaded.sample(32, r2);
    expect(Array.from(y.indices)).toEqual(Array.from(x.indices));
    expect(Array.from(y.weights)).toEqual(Array.from(x.weights));
    expect(Buffer.compare(Buffer.from(y.nextObs), Buffer.from(x.nextObs))).toBe(0);
  });

  it('refuses a corrupted snapshot, in a payload or in a record head', async () => {
    const bad = join(dir, 'corrupted.bin');
    for (const at of [(n: number) => Math.floor(n / 2), () => 16 + 72 + 5]) {
      const data = await readFile(path);
      data[at(data.length)] ^= 0xff;
      await writeFile(bad, data);
      await expect(loadReplaySnapshot(bad)).rejects.toThrow(
        /replay snapshot is corrupted \(checksum mismatch in the record at byte \d+\)/,
      );
    }
  });

  it('refuses a truncated snapshot', async () => {
    const cut = join(dir, 'truncated.bin');
    await writeFile(cut, await readFile(path));
    await truncate(cut, 5_000_000);
    await expect(loadReplaySnapshot(cut)).rejects.toThrow(
      /replay snapshot is truncated at byte \d+; it was not completely written/,
    );
    const data = await readFile(path);
    await writeFile(cut, data.subarray(0, data.length - 60)); // the end record is missing
    await expect(loadReplaySnapshot(cut)).rejects.toThrow('truncated');
  });

  it('refuses a foreign file', async () => {
    const foreign = join(dir, 'foreign.bin');
    await writeFile(foreign, '{"not": "a snapshot"}');
    await expect(loadReplaySnapshot(foreign)).rejects.toThrow('not a pixelrl replay snapshot');
  });
});

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

describe('replay snapshots of vector observations', () => {
  it('round-trips a uniform float32 buffer', async () => {
    const buffer = new ReplayBuffer({
      capacity: 50,
      frameShape: [4],
      frameDtype: 'float32',
      historyLength: 1,
    });
    const rng = new Rng(4);
    for (let t = 0; t < 80; t++) {
      const frame = Float32Array.from({ length: 4 }, () => rng.normal());
      const terminated = t % 17 === 16;
      buffer.add(0, {
        frame,
        action: t % 2,
        reward: 1,
        terminated,
        truncated: false,
        nextFrame: terminated ? frame : undefined,
      });
    }
    const path = join(dir, 'cartpole.bin');
    await saveReplaySnapshot(path, buffer);
    const { buffer: loaded, rng: none } = await loadReplaySnapshot<'float32'>(path);
    expect(none).toBeUndefined();
    expect(loaded.size).toBe(buffer.size);
    expect(Array.from(loaded.sample(16, new Rng(1)).obs)).toEqual(
      Array.from(buffer.sample(16, new Rng(1)).obs),
    );
  });
});
