/**
 * The compact network spec: a torso of layers written as one string, so `--net` can take it.
 *
 * Grammar (whitespace ignored):
 *
 *     spec   := '[' layer (':' layer)* ']'  |  preset
 *     layer  := dense | conv
 *     dense  := UNITS ',' ACTIVATION                  e.g.  512,relu
 *     conv   := 'c' FILTERS 'k' KERNEL 's' STRIDE ',' ACTIVATION [',' PADDING]
 *                                                     e.g.  c32k8s4,relu   c16k3s1,relu,same
 *     preset := 'nature' | 'small' | 'compact' | 'mlp'
 *
 * ACTIVATION is one of {@link ACTIVATIONS}; PADDING is `valid` (default) or `same`. For MLPs this
 * is the seed lecture's spec, "[20,tanh:3,tanh:1,linear]" = units and activation per layer.
 * Conv layers must come before dense layers; the builder flattens between them. The spec
 * describes the torso only: the head (Q, dueling, actor-critic) is added after its last layer,
 * which is the "features" layer a t-SNE map reads.
 */

/**
 * The names buildNetwork gives the layers that others find again by name, the one definition of
 * them: the heads (a Q-network's `q`; the dueling streams `value` and `advantage`, joined by
 * `valueAdvantage` and combined by a frozen `q`; the actor-critic's `logits` and `value`) and the
 * last torso layer, `features`, whose activations a t-SNE map reads. The engines' forward passes
 * (src/engine/tfjs/, src/engine/graph/network.ts) take a model apart by these names.
 */
export const LAYER_NAMES = {
  q: 'q',
  value: 'value',
  advantage: 'advantage',
  valueAdvantage: 'value_advantage',
  logits: 'logits',
  features: 'features',
} as const;

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear', 'elu', 'softplus'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface DenseLayerSpec {
  kind: 'dense';
  /** Output width. */
  units: number;
  activation: Activation;
}

export interface ConvLayerSpec {
  kind: 'conv';
  /** Output channels. */
  filters: number;
  /** Square kernel side, in pixels. */
  kernel: number;
  /** Stride in both directions, in pixels. */
  stride: number;
  activation: Activation;
  /** `valid` (no padding, the DQN papers' choice) or `same` (output = ceil(input / stride)). */
  padding: 'valid' | 'same';
}

export type LayerSpec = DenseLayerSpec | ConvLayerSpec;

/** A parsed torso: conv layers (possibly none) then dense layers (possibly none). */
export interface NetSpec {
  layers: LayerSpec[];
}

/** Named torsos, usable wherever a spec string is. */
export const PRESETS = {
  /** Mnih et al. 2015 (Nature): 32 8x8/4, 64 4x4/2, 64 3x3/1, fc 512. */
  nature: '[c32k8s4,relu:c64k4s2,relu:c64k3s1,relu:512,relu]',
  /** Mnih et al. 2013 (NIPS workshop): 16 8x8/4, 32 4x4/2, fc 256; ~5x cheaper than nature. */
  small: '[c16k8s4,relu:c32k4s2,relu:256,relu]',
  /**
   * For 42x42 frames (φ at half the paper's resolution, pixelrl's CPU default): 16 4x4/2, 32 3x3/2,
   * fc 128. At 42x42 the 2013 net's first layer (8x8/4) sees a 9x9 grid, too coarse for a ball
   * 1-2 px wide; with stride 2 it sees 20x20. DQN on Catch-v0: eval 13.6 after 50k steps with
   * this torso, −1.9 to −0.7 after 50–75k with `small` (same settings otherwise).
   */
  compact: '[c16k4s2,relu:c32k3s2,relu:128,relu]',
  /** Two tanh layers of 64, the usual choice for vector observations (CartPole and friends). */
  mlp: '[64,tanh:64,tanh]',
} as const;
export type PresetName = keyof typeof PRESETS;

const DENSE_RE = /^(\d+)$/;
const CONV_RE = /^c(\d+)k(\d+)s(\d+)$/;

function positiveInt(text: string, what: string, layer: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new Error(`net spec: ${what} must be a positive integer in layer '${layer}'`);
  }
  return n;
}

function parseActivation(text: string | undefined, layer: string): Activation {
  if (text === undefined || text === '') {
    throw new Error(`net spec: layer '${layer}' needs an activation, e.g. '${layer},relu'`);
  }
  if (!(ACTIVATIONS as readonly string[]).includes(text)) {
    throw new Error(
      `net spec: unknown activation '${text}' in layer '${layer}'; use one of ${ACTIVATIONS.join(', ')}`,
    );
  }
  return text as Activation;
}

function parseLayer(text: string): LayerSpec {
  const fields = text.split(',');
  const head = fields[0];
  const dense = DENSE_RE.exec(head);
  if (dense) {
    if (fields.length !== 2) {
      throw new Error(`net spec: dense layer '${text}' must be 'UNITS,ACTIVATION', e.g. '64,tanh'`);
    }
    return {
      kind: 'dense',
      units: positiveInt(dense[1], 'units', text),
      activation: parseActivation(fields[1], text),
    };
  }
  const conv = CONV_RE.exec(head);
  if (conv) {
    if (fields.length < 2 || fields.length > 3) {
      throw new Error(
        `net spec: conv layer '${text}' must be 'cFkKsS,ACTIVATION[,same|valid]', e.g. 'c32k8s4,relu'`,
      );
    }
    const padding = fields[2] ?? 'valid';
    if (padding !== 'valid' && padding !== 'same') {
      throw new Error(`net spec: padding '${padding}' in layer '${text}' must be 'valid' or 'same'`);
    }
    return {
      kind: 'conv',
      filters: positiveInt(conv[1], 'filters', text),
      kernel: positiveInt(conv[2], 'kernel size', text),
      stride: positiveInt(conv[3], 'stride', text),
      activation: parseActivation(fields[1], text),
      padding,
    };
  }
  throw new Error(
    `net spec: cannot read layer '${text}': write 'UNITS,ACTIVATION' (dense) or 'cFILTERSkKERNELsSTRIDE,ACTIVATION' (conv)`,
  );
}

/** Parses a spec string or preset name; throws an Error saying what is wrong and how to write it. */
export function parseNetSpec(text: string): NetSpec {
  const compact = text.replace(/\s+/g, '');
  if (compact in PRESETS) {
    return parseNetSpec(PRESETS[compact as PresetName]);
  }
  if (!compact.startsWith('[') || !compact.endsWith(']')) {
    throw new Error(
      `net spec '${text}' is neither a preset (${Object.keys(PRESETS).join(', ')}) nor a bracketed list like '[64,tanh:64,tanh]'`,
    );
  }
  const body = compact.slice(1, -1);
  if (body === '') {
    return { layers: [] };
  }
  const layers = body.split(':').map(parseLayer);
  const firstDense = layers.findIndex((l) => l.kind === 'dense');
  if (firstDense >= 0 && layers.slice(firstDense).some((l) => l.kind === 'conv')) {
    throw new Error(`net spec '${text}': conv layers must all come before the dense layers`);
  }
  return { layers };
}

/** Writes a spec back as a string that {@link parseNetSpec} reads to the same spec. */
export function formatNetSpec(spec: NetSpec): string {
  const parts = spec.layers.map((l) =>
    l.kind === 'dense'
      ? `${l.units},${l.activation}`
      : `c${l.filters}k${l.kernel}s${l.stride},${l.activation}${l.padding === 'same' ? ',same' : ''}`,
  );
  return `[${parts.join(':')}]`;
}
