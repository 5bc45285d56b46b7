import { describe, expect, it } from 'vitest';
import type { StackLayout } from '../../replay/frame-stacker.js';
import { ReplayBuffer } from '../../replay/replay-buffer.js';
import type { SamplerConfig } from '../../replay/samplers.js';
import { Rng } from '../../src/util/rng.js';
import { type Row, rowOf, sampleable, transitionAt } from './helpers.js';
import { ReferenceBuffer, type RefRow } from './reference-buffer.js';

interface Case {
  numEnvs: number;
  ringCapacity: number;
  historyLength: number;
  nStep: number;
  dtype: 'uint8' | 'float32';
  /** [4, 4] uint8 with h = 4 channels-last runs the WebAssembly SIMD stacker; [2, 2] the JS loops. */
  frameShape: number[];
  layout: StackLayout;
  sampler: SamplerConfig;
  endProbability: number;
  steps: number;
  /** Frames per storage chunk: small, so that stacks cross chunk boundaries. */
  framesPerChunk: number;
}

function randomCase(rng: Rng): Case {
  const historyLength = [1, 2, 4][rng.int(3)];
  const nStep = [1, 2, 3][rng.int(3)];
  return {
    numEnvs: 1 + rng.int(3),
    ringCapacity: historyLength + nStep + 1 + rng.int(20),
    historyLength,
    nStep,
    dtype: rng.bernoulli(0.7) ? 'uint8' : 'float32',
    frameShape: rng.bernoulli(0.5) ? [4, 4] : [2, 2],
    layout: rng.bernoulli(0.7) ? 'channels-last' : 'channels-first',
    sampler: rng.bernoulli(0.5)
      ? { kind: 'uniform' }
      : { kind: 'prioritized', alpha: 0.6, beta: 0.4, epsilon: 1e-3 },
    endProbability: [0.02, 0.15, 0.4][rng.int(3)],
    steps: 20 + rng.int(100),
    framesPerChunk: 1 + rng.int(7),
  };
}

function sameRow(got: Row, want: RefRow): boolean {
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  return (
    same(got.obs, want.obs) &&
    same(got.nextObs, want.nextObs) &&
    got.action === want.action &&
    got.done === want.done &&
    Math.abs(got.reward - want.reward) < 1e-5 &&
    Math.abs(got.discount - want.discount) < 1e-6
  );
}

/** Runs one random push/sample sequence and checks the buffer against the reference after every push. */
function runCase(c: Case, rng: Rng): number {
  const frameShape = c.dtype === 'uint8' ? c.frameShape : [3];
  const frameSize = frameShape.reduce((a, b) => a * b, 1);
  const gamma = 0.9;
  const buffer = new ReplayBuffer({
    capacity: c.ringCapacity * c.numEnvs,
    numEnvs: c.numEnvs,
    frameShape,
    frameDtype: c.dtype,
    historyLength: c.historyLength,
    nStep: c.nStep,
    gamma,
    layout: c.layout,
    sampler: c.sampler,
    chunkBytes: c.framesPerChunk * frameSize * (c.dtype === 'uint8' ? 1 : 4),
  });
  const ref = new ReferenceBuffer(
    c.numEnvs,
    c.ringCapacity,
    c.historyLength,
    c.nStep,
    gamma,
    frameSize,
    c.layout,
  );
  const newFrame = () =>
    Array.from({ length: frameSize }, () =>
      c.dtype === 'uint8' ? 1 + rng.int(255) : Math.fround(rng.normal()),
    );
  const typed = (f: number[]) => (c.dtype === 'uint8' ? Uint8Array.from(f) : Float32Array.from(f));
  const current = Array.from({ length: c.numEnvs }, newFrame);
  let checked = 0;
  for (let t = 0; t < c.steps; t++) {
    const env = rng.int(c.numEnvs);
    const ended = rng.bernoulli(c.endProbability);
    const terminated = ended && rng.bernoulli(0.5);
    const truncated = ended && !terminated;
    const next = newFrame();
    const action = rng.int(18);
    const reward = Math.fround(rng.normal());
    (buffer as ReplayBuffer<'uint8'>).add(env, {
      frame: typed(current[env]) as Uint8Array,
      action,
      reward,
      terminated,
      truncated,
      nextFrame: typed(next) as Uint8Array,
    });
    ref.add(env, current[env], action, reward, terminated, truncated, next);
    current[env] = ended ? newFrame() : next;

    const expected = new Map<number, RefRow>();
    for (const [e, slot, row] of ref.sampleable())
      expected.set(e * c.ringCapacity + (slot % c.ringCapacity), row);
    const indices = sampleable(buffer);
    if (
      indices.length !== expected.size ||
      buffer.size !== expected.size ||
      indices.some((i) => !expected.has(i))
    ) {
      expect({ step: t, sampleable: indices, size: buffer.size }).toEqual({
        step: t,
        sampleable: [...expected.keys()].sort((a, b) => a - b),
        size: expected.size,
      });
    }
    for (const [index, row] of expected) {
      const got = transitionAt(buffer, index);
      if (!sameRow(got, row)) expect({ step: t, index, ...got }).toEqual({ step: t, index, ...row });
      checked++;
    }
    if (buffer.canSample(4)) {
      const batch = buffer.sample(4, rng);
      for (let b = 0; b < 4; b++) {
        const row = expected.get(batch.indices[b]);
        const got = rowOf(batch, b);
        const weight = batch.weights[b];
        // expect() only on a failure: it costs more than the whole check
        if (row === undefined || !sameRow(got, row) || !(weight > 0 && weight <= 1)) {
          expect({ step: t, index: batch.indices[b], weight, ...got }).toEqual({
            step: t,
            ...row,
            weight: 'in (0, 1]',
          });
        }
      }
      const errors = Array.from(batch.indices, () => rng.float() * 3);
      buffer.updatePriorities(batch.indices, errors);
    }
  }
  return checked;
}

describe('ReplayBuffer against a naive reference that stores full stacks', () => {
  it('agrees on every sampleable transition over 1500 random push/sample sequences', () => {
    const rng = new Rng(2024);
    let checked = 0;
    for (let i = 0; i < 1500; i++) {
      const c = randomCase(rng);
      try {
        checked += runCase(c, rng);
      } catch (error) {
        throw new Error(`case ${i} ${JSON.stringify(c)}: ${(error as Error).message}`);
      }
    }
    expect(checked).toBeGreaterThan(100_000);
  });
});
