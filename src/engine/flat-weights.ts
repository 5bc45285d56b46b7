/**
 * Trainable weights of tfjs models as one flat vector (model after model, layer order, kernel
 * then bias: the layout every engine exchanges), and back.
 */
import * as tf from '@tensorflow/tfjs';

export function readFlatWeights(models: readonly tf.LayersModel[]): Float32Array {
  const parts = models.flatMap((m) => m.trainableWeights.map((w) => w.read().dataSync() as Float32Array));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Writes `flat` into the models' trainable weights (an error if the sizes differ). */
export function writeFlatWeights(models: readonly tf.LayersModel[], flat: Float32Array): void {
  const weights = models.flatMap((m) => m.trainableWeights);
  const sizeOf = (w: (typeof weights)[number]) => (w.shape as number[]).reduce((a, b) => a * b, 1);
  const total = weights.reduce((n, w) => n + sizeOf(w), 0);
  if (total !== flat.length)
    throw new Error(`engine: ${flat.length} values for models of ${total} parameters`);
  let offset = 0;
  for (const w of weights) {
    const size = sizeOf(w);
    const t = tf.tensor(flat.slice(offset, offset + size), w.shape as number[], 'float32');
    w.write(t);
    t.dispose();
    offset += size;
  }
}
