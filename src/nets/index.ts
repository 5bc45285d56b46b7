/** Network builders and the compact spec syntax (see spec.ts for the grammar). */
export { type BuildOptions, buildNetwork, featureModel, type HeadSpec } from './build.js';
export {
  ACTIVATIONS,
  type Activation,
  type ConvLayerSpec,
  type DenseLayerSpec,
  formatNetSpec,
  LAYER_NAMES,
  type LayerSpec,
  type NetSpec,
  PRESETS,
  type PresetName,
  parseNetSpec,
} from './spec.js';
