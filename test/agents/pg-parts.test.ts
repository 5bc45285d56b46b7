import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleActions } from '../../agents/categorical.js';
import { orthogonalMatrix } from '../../agents/orthogonal-init.js';
import { ON_POLICY_FIELDS, validateOnPolicyConfig } from '../../agents/pg-config.js';
import { initBackend } from '../../src/backend/select.js';
import { compileForward } from '../../src/engine/tfjs/functional-net.js';
import { buildNetwork } from '../../src/nets/index.js';
import {
  hyperparamsOf,
  onPolicyPreset,
  validateOnPolicyRunConfig,
} from '../../src/train/on-policy-config.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('sampleActions', () => {
  it('draws actions with the softmax frequencies (20,000 draws, within 4 standard errors)', () => {
    // softmax([0, ln 2, ln 5]) = [1/8, 2/8, 5/8].
    const rows = 20_000;
    const logits = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) logits.set([0, Math.log(2), Math.log(5)], r * 3);
    const { actions, logProbs } = sampleActions(logits, 3, new Rng(5));
    const p = [1 / 8, 2 / 8, 5 / 8];
    const counts = [0, 0, 0];
    let worst = 0;
    for (let r = 0; r < rows; r++) {
      counts[actions[r]]++;
      worst = Math.max(worst, Math.abs(logProbs[r] - Math.log(p[actions[r]])));
    }
    expect(worst).toBeLessThan(1e-5);
    for (let a = 0; a < 3; a++) {
      const se = Math.sqrt((p[a] * (1 - p[a])) / rows);
      expect(Math.abs(counts[a] / rows - p[a])).toBeLessThan(4 * se);
    }
  });

  it('is reproducible from the seed, and greedy takes the arg-max', () => {
    const logits = Float32Array.of(0.1, 0.3, -1, 2, 0, 0.5);
    expect(sampleActions(logits, 3, new Rng(9)).actions).toEqual(
      sampleActions(logits, 3, new Rng(9)).actions,
    );
    expect(Array.from(sampleActions(logits, 3, new Rng(9), true).actions)).toEqual([1, 0]);
  });

  it('refuses logits that do not split into rows, and NaN logits', () => {
    expect(() => sampleActions(new Float32Array(5), 2, new Rng(0))).toThrow(/do not split into rows of 2/);
    expect(() => sampleActions(Float32Array.of(0, Number.NaN), 2, new Rng(0))).toThrow(/NaN/);
  });
});

describe('orthogonalMatrix', () => {
  it.each([
    [64, 4],
    [4, 64],
    [16, 16],
  ])('gives a %i × %i matrix with orthonormal columns (or rows) times the gain', (rows, cols) => {
    const gain = Math.SQRT2;
    const m = orthogonalMatrix(rows, cols, gain, new Rng(3));
    const k = Math.min(rows, cols);
    // Gram matrix of the short side: gain² · I.
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < k; b++) {
        let dot = 0;
        for (let i = 0; i < Math.max(rows, cols); i++) {
          dot += rows >= cols ? m[i * cols + a] * m[i * cols + b] : m[a * cols + i] * m[b * cols + i];
        }
        expect(dot).toBeCloseTo(a === b ? gain * gain : 0, 4);
      }
    }
  });
});

describe('compileForward', () => {
  it.each([
    ['mlp', [4], 'actor-critic'],
    ['[c4k3s2,relu:c4k2s1,relu,same:16,elu]', [9, 9, 2], 'actor-critic'],
    ['[32,tanh:8,softplus]', [5], 'q'],
  ] as const)('matches model.apply for %s', (spec, shape, kind) => {
    const model = buildNetwork(spec, [...shape], { kind, actions: 3 }, { rng: new Rng(1) });
    const forward = compileForward(model);
    const rng = new Rng(2);
    const size = shape.reduce((a, b) => a * b, 1) * 5;
    const x = tf.tensor(
      Float32Array.from({ length: size }, () => rng.float() * 255),
      [5, ...shape],
    );
    const expected = [model.apply(x)].flat() as tf.Tensor[];
    const actual = forward(x);
    expect(actual.length).toBe(expected.length);
    actual.forEach((t, i) => {
      expect(t.shape).toEqual(expected[i].shape);
      const a = t.dataSync();
      const e = expected[i].dataSync();
      for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(e[k], 4);
    });
    tf.dispose([x, ...expected, ...actual]);
    model.dispose();
  });
});

describe('on-policy configs', () => {
  it('presets carry the published hyperparameters', () => {
    const atari = onPolicyPreset('ppo', 'atari');
    expect(atari.numEnvs).toBe(8);
    expect(atari.ppo).toMatchObject({
      numSteps: 128,
      learningRate: 2.5e-4,
      annealLr: true,
      numMinibatches: 4,
      updateEpochs: 4,
      clipCoef: 0.1,
      entCoef: 0.01,
      vfCoef: 0.5,
      gaeLambda: 0.95,
      gamma: 0.99,
    });
    const classic = onPolicyPreset('ppo', 'classic');
    expect(classic.numEnvs).toBe(8);
    expect(classic.ppo).toMatchObject({ numSteps: 32, updateEpochs: 20, learningRate: 1e-3, gaeLambda: 0.8 });
    // numEnvs × numSteps / numMinibatches = the Zoo's batch of 256.
    expect((classic.numEnvs * classic.ppo.numSteps) / classic.ppo.numMinibatches).toBe(256);
    for (const algo of ['reinforce', 'a2c', 'ppo'] as const) {
      for (const preset of ['classic', 'atari', 'cleanrl'] as const)
        validateOnPolicyRunConfig(onPolicyPreset(algo, preset));
    }
  });

  it('lists CLI fields that exist in each preset', () => {
    for (const algo of ['reinforce', 'a2c', 'ppo'] as const) {
      const config = hyperparamsOf(onPolicyPreset(algo)) as unknown as Record<string, unknown>;
      for (const key of Object.keys(ON_POLICY_FIELDS[algo])) expect(config).toHaveProperty(key);
      expect(Object.keys(config).sort()).toEqual(Object.keys(ON_POLICY_FIELDS[algo]).sort());
    }
    expect(ON_POLICY_FIELDS.ppo.clipCoef.kind).toBe('number');
    expect(ON_POLICY_FIELDS.a2c).not.toHaveProperty('clipCoef');
  });

  it('returns a fresh copy each time', () => {
    const a = onPolicyPreset('ppo');
    a.seed = 99;
    a.ppo.clipCoef = 0.9;
    expect(onPolicyPreset('ppo').seed).not.toBe(99);
    expect(onPolicyPreset('ppo').ppo.clipCoef).toBe(0.2);
  });

  it('names the bad field', () => {
    const c = onPolicyPreset('ppo');
    c.ppo.numMinibatches = 3;
    expect(() => validateOnPolicyConfig('ppo', c.ppo, c.numEnvs)).toThrow(
      /numMinibatches \(3\) must divide the batch numEnvs × numSteps = 256/,
    );
    expect(() => validateOnPolicyRunConfig(c)).toThrow(/numMinibatches \(3\)/);
    expect(() => onPolicyPreset('ppo', 'huge' as 'atari')).toThrow(/unknown preset 'huge' for ppo/);
    expect(() => onPolicyPreset('sac' as 'ppo')).toThrow(/unknown on-policy algo 'sac'/);
  });
});
