import { describe, expect, it } from 'vitest';
import {
  ACTIVATIONS,
  formatNetSpec,
  type LayerSpec,
  type NetSpec,
  PRESETS,
  parseNetSpec,
} from '../../src/nets/spec.js';
import { Rng } from '../../src/util/rng.js';

describe('parseNetSpec', () => {
  it("reads the seed lecture's MLP spec as units and activation per layer", () => {
    expect(parseNetSpec('[20,tanh:3,tanh:1,linear]')).toEqual({
      layers: [
        { kind: 'dense', units: 20, activation: 'tanh' },
        { kind: 'dense', units: 3, activation: 'tanh' },
        { kind: 'dense', units: 1, activation: 'linear' },
      ],
    });
  });

  it('reads conv layers with stride and optional padding, ignoring whitespace', () => {
    expect(parseNetSpec('[ c32k8s4,relu : c16k3s1,elu,same : 256,relu ]').layers).toEqual([
      { kind: 'conv', filters: 32, kernel: 8, stride: 4, activation: 'relu', padding: 'valid' },
      { kind: 'conv', filters: 16, kernel: 3, stride: 1, activation: 'elu', padding: 'same' },
      { kind: 'dense', units: 256, activation: 'relu' },
    ]);
  });

  it('expands the presets: nature is 32 8x8/4, 64 4x4/2, 64 3x3/1, fc 512', () => {
    const nature = parseNetSpec('nature').layers;
    expect(nature.map((l) => (l.kind === 'conv' ? [l.filters, l.kernel, l.stride] : [l.units]))).toEqual([
      [32, 8, 4],
      [64, 4, 2],
      [64, 3, 1],
      [512],
    ]);
    expect(parseNetSpec('small').layers).toHaveLength(3);
    expect(parseNetSpec('mlp')).toEqual(parseNetSpec(PRESETS.mlp));
    const compact = parseNetSpec('compact').layers;
    expect(compact.map((l) => (l.kind === 'conv' ? [l.filters, l.kernel, l.stride] : [l.units]))).toEqual([
      [16, 4, 2],
      [32, 3, 2],
      [128],
    ]);
  });

  it('round-trips random specs through formatNetSpec', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 200; trial++) {
      const layers: LayerSpec[] = [];
      const convs = rng.int(3);
      for (let i = 0; i < convs; i++) {
        layers.push({
          kind: 'conv',
          filters: rng.intRange(1, 64),
          kernel: rng.intRange(1, 9),
          stride: rng.intRange(1, 5),
          activation: ACTIVATIONS[rng.int(ACTIVATIONS.length)],
          padding: rng.bernoulli(0.5) ? 'same' : 'valid',
        });
      }
      const denses = rng.int(4);
      for (let i = 0; i < denses; i++) {
        layers.push({
          kind: 'dense',
          units: rng.intRange(1, 600),
          activation: ACTIVATIONS[rng.int(ACTIVATIONS.length)],
        });
      }
      const spec: NetSpec = { layers };
      expect(parseNetSpec(formatNetSpec(spec))).toEqual(spec);
    }
  });

  it('explains what is wrong with a bad spec', () => {
    expect(() => parseNetSpec('big')).toThrow(
      /neither a preset \(nature, small, compact, mlp\) nor a bracketed list/,
    );
    expect(() => parseNetSpec('[64]')).toThrow(/'UNITS,ACTIVATION'/);
    expect(() => parseNetSpec('[64,swishy]')).toThrow(/unknown activation 'swishy'.*relu, tanh/);
    expect(() => parseNetSpec('[0,relu]')).toThrow(/units must be a positive integer/);
    expect(() => parseNetSpec('[c8k3s1,relu,full]')).toThrow(/padding 'full'.*'valid' or 'same'/);
    expect(() => parseNetSpec('[64,relu:c8k3s1,relu]')).toThrow(/conv layers must all come before/);
    expect(() => parseNetSpec('[conv8,relu]')).toThrow(/cannot read layer 'conv8,relu'/);
  });
});
