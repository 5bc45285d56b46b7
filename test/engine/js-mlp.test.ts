/** The one plain-JS dense forward (src/engine/tfjs/js-mlp.ts) against tfjs' model.apply. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/select.js';
import { compileJsDense } from '../../src/engine/tfjs/js-mlp.js';
import { buildNetwork, LAYER_NAMES } from '../../src/nets/index.js';
import { Rng } from '../../src/util/rng.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** The model's trainable weights, flat, in order (the layout both engines keep). */
function flatParams(models: tf.LayersModel[]): Float32Array {
  return Float32Array.from(
    models.flatMap((m) => m.trainableWeights.flatMap((w) => Array.from(w.read().dataSync()))),
  );
}

function expectClose(got: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(expected[i], 5);
}

describe('compileJsDense', () => {
  it('gives model.apply’s logits and values for an MLP actor-critic, reading the weights it is given', () => {
    const model = buildNetwork(
      '[16,tanh:8,relu]',
      [5],
      { kind: 'actor-critic', actions: 3 },
      { rng: new Rng(4) },
    );
    const js = compileJsDense(model, [LAYER_NAMES.logits, LAYER_NAMES.value]);
    if (js === null) throw new Error('an MLP must compile');
    expect(js.headUnits).toEqual([3, 1]);
    expect(js.paramCount).toBe(5 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3 + 8 + 1);
    const rng = new Rng(5);
    const obs = Float32Array.from({ length: 4 * 5 }, () => rng.normal());
    const check = () => {
      const x = tf.tensor2d(obs, [4, 5]);
      const expected = model.apply(x) as tf.Tensor[];
      const outs = [new Float32Array(12), new Float32Array(4)];
      js.run(flatParams([model]), 0, obs, 4, outs);
      expectClose(outs[0], expected[0].dataSync());
      expectClose(outs[1], expected[1].dataSync());
      tf.dispose([x, ...expected]);
    };
    check();
    const layer = model.getLayer(LAYER_NAMES.value);
    const [kernel, bias] = layer.getWeights();
    const shifted = tf.add(bias, 3);
    layer.setWeights([kernel, shifted]);
    shifted.dispose();
    check();
    model.dispose();
  });

  it('reads a second network at its offset in shared flat parameters (separate actor and critic)', () => {
    const actor = buildNetwork('[6,relu]', [3], { kind: 'q', actions: 2 }, { rng: new Rng(1) });
    const critic = buildNetwork('[4,tanh]', [3], { kind: 'q', actions: 1 }, { rng: new Rng(2) });
    const a = compileJsDense(actor, [LAYER_NAMES.q]);
    const c = compileJsDense(critic, [LAYER_NAMES.q]);
    if (a === null || c === null) throw new Error('MLPs must compile');
    const params = flatParams([actor, critic]);
    expect(a.paramCount + c.paramCount).toBe(params.length);
    const obs = Float32Array.from([0.5, -1, 2, 1, 0, -0.25]);
    const out = new Float32Array(2);
    c.run(params, a.paramCount, obs, 2, [out]);
    const x = tf.tensor2d(obs, [2, 3]);
    const expected = critic.apply(x) as tf.Tensor;
    expectClose(out, expected.dataSync());
    tf.dispose([x, expected]);
    actor.dispose();
    critic.dispose();
  });

  it('declines conv nets (they act through tfjs)', () => {
    const model = buildNetwork('[c4k3s2,relu:8,relu]', [9, 9, 1], { kind: 'actor-critic', actions: 2 });
    expect(compileJsDense(model, [LAYER_NAMES.logits, LAYER_NAMES.value])).toBeNull();
    model.dispose();
  });
});
