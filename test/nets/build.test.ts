import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { buildNetwork, featureModel } from '../../src/nets/build.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

function randomImages(rng: Rng, shape: number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.int(256);
  return tf.tensor(data, shape);
}

describe('buildNetwork', () => {
  it('builds the Nature DQN with the parameter count worked out by hand', () => {
    // conv1 8·8·4·32+32 = 8224, conv2 4·4·32·64+64 = 32832, conv3 3·3·64·64+64 = 36928,
    // fc 7·7·64·512+512 = 1606144, q 512·4+4 = 2052: 1,686,180.
    const model = buildNetwork('nature', [84, 84, 4], { kind: 'q', actions: 4 });
    expect(model.countParams()).toBe(1_686_180);
    expect(model.getLayer('features').outputShape).toEqual([null, 512]);
    expect(model.outputs[0].shape).toEqual([null, 4]);
    model.dispose();
  });

  it('builds the 2013 DQN (small) with 16 8x8/4, 32 4x4/2, fc 256', () => {
    // 8·8·4·16+16 = 4112, 4·4·16·32+32 = 8224, 9·9·32·256+256 = 663808, 256·6+6 = 1542.
    const model = buildNetwork('small', [84, 84, 4], { kind: 'q', actions: 6 });
    expect(model.countParams()).toBe(4112 + 8224 + 663808 + 1542);
    model.dispose();
  });

  it('divides image inputs by 255 itself', () => {
    const model = buildNetwork('[c2k3s1,linear,same]', [5, 5, 1], { kind: 'q', actions: 2 });
    const scaled = tf.model({
      inputs: model.inputs,
      outputs: model.getLayer('scale').output as tf.SymbolicTensor,
    });
    const x = tf.fill([1, 5, 5, 1], 255);
    expect(Array.from((scaled.predict(x) as tf.Tensor).dataSync())).toEqual(new Array(25).fill(1));
    model.dispose();
  });

  it('computes dueling Q as V + A - mean(A)', () => {
    const rng = new Rng(3);
    const model = buildNetwork('[16,relu]', [5], { kind: 'dueling', actions: 3 }, { rng });
    const parts = tf.model({
      inputs: model.inputs,
      outputs: [model.getLayer('value').output, model.getLayer('advantage').output] as tf.SymbolicTensor[],
    });
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 11);
    const q = (model.predict(x) as tf.Tensor).arraySync() as number[][];
    const [v, a] = (parts.predict(x) as tf.Tensor[]).map((t) => t.arraySync() as number[][]);
    for (let i = 0; i < 4; i++) {
      const meanA = (a[i][0] + a[i][1] + a[i][2]) / 3;
      for (let j = 0; j < 3; j++) expect(q[i][j]).toBeCloseTo(v[i][0] + a[i][j] - meanA, 5);
    }
    // The combining layer is frozen: only the value and advantage streams train.
    expect(model.getLayer('q').trainable).toBe(false);
    expect(model.trainableWeights.some((w) => w.originalName.startsWith('q/'))).toBe(false);
    model.dispose();
  });

  it('gives actor-critic nets two outputs: logits [B, A] and value [B, 1]', () => {
    const model = buildNetwork('mlp', [4], { kind: 'actor-critic', actions: 2 });
    const out = model.predict(tf.zeros([3, 4])) as tf.Tensor[];
    expect(out.map((t) => t.shape)).toEqual([
      [3, 2],
      [3, 1],
    ]);
    model.dispose();
  });

  it('is seeded by the Rng: same seed same weights, other seed other weights', () => {
    const w = (seed: number) =>
      buildNetwork('mlp', [4], { kind: 'q', actions: 2 }, { rng: new Rng(seed) })
        .getWeights()[0]
        .dataSync();
    expect(Array.from(w(5))).toEqual(Array.from(w(5)));
    expect(Array.from(w(5))).not.toEqual(Array.from(w(6)));
  });

  it('round-trips through the tfjs save format with no custom classes', async () => {
    const rng = new Rng(9);
    for (const kind of ['q', 'dueling', 'actor-critic'] as const) {
      const model = buildNetwork('[c4k3s2,relu:8,tanh]', [9, 9, 2], { kind, actions: 3 }, { rng });
      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
      const x = randomImages(rng, [2, 9, 9, 2]);
      const a = [model.predict(x)].flat() as tf.Tensor[];
      const b = [loaded.predict(x)].flat() as tf.Tensor[];
      expect(b.length).toBe(a.length);
      a.forEach((t, i) => {
        expect(Array.from(b[i].dataSync())).toEqual(Array.from(t.dataSync()));
      });
      model.dispose();
      loaded.dispose();
    }
  });

  it('explains bad arguments', () => {
    expect(() => buildNetwork('nature', [4], { kind: 'q', actions: 2 })).toThrow(
      /conv layers need an image input/,
    );
    expect(() => buildNetwork('mlp', [4, 4], { kind: 'q', actions: 2 })).toThrow(
      /\[height, width, channels\]/,
    );
    expect(() => buildNetwork('mlp', [4], { kind: 'q', actions: 0 })).toThrow(
      /head.actions must be a positive integer/,
    );
  });
});

describe('featureModel', () => {
  it('outputs the last hidden layer and the head outputs of the same weights', () => {
    const rng = new Rng(4);
    const model = buildNetwork('small', [84, 84, 4], { kind: 'actor-critic', actions: 5 }, { rng });
    const fm = featureModel(model);
    const x = randomImages(rng, [2, 84, 84, 4]);
    const [features, logits, value] = fm.predict(x) as tf.Tensor[];
    expect(features.shape).toEqual([2, 256]);
    expect(Math.min(...features.dataSync())).toBeGreaterThanOrEqual(0); // relu
    const [logits2, value2] = model.predict(x) as tf.Tensor[];
    expect(Array.from(logits.dataSync())).toEqual(Array.from(logits2.dataSync()));
    expect(Array.from(value.dataSync())).toEqual(Array.from(value2.dataSync()));
    model.dispose();
  });

  it('refuses a model without a features layer', () => {
    const model = buildNetwork('[]', [3], { kind: 'q', actions: 2 });
    expect(() => featureModel(model)).toThrow(/has no 'features' layer/);
  });
});
