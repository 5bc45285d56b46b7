/**
 * The run's networks in the page, loaded with `tf.loadLayersModel` from the model files that
 * `pixelrl export` copies (or the dashboard serves), and what they compute for one stacked
 * observation, as src/train/load-agent.ts computes it in Node:
 * Q(s, ·) with V(s) = max_a Q(s, a) for DQN; π(· | s) = softmax(logits) with the critic's V(s)
 * for REINFORCE, A2C and PPO.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebRun } from '../web-run.js';

export interface PageOutputs {
  /** Q(s, ·) or π(· | s). */
  values: Float32Array;
  value: number;
}

export class PageAgent {
  private constructor(
    private readonly run: WebRun,
    private readonly models: Map<string, tf.LayersModel>,
  ) {}

  /** Loads every model of `run` from `<base><name>/model.json`. */
  static async load(run: WebRun, base: string): Promise<PageAgent> {
    const models = new Map<string, tf.LayersModel>();
    for (const name of run.models) {
      models.set(name, await tf.loadLayersModel(`${base}${name}/model.json`));
    }
    return new PageAgent(run, models);
  }

  analyze(stack: Float32Array): PageOutputs {
    const input = tf.tensor(stack, [1, ...this.run.inputShape], 'float32');
    try {
      const online = this.models.get('online');
      if (online) {
        const q = this.read(online.predict(input));
        return { values: q[0], value: maxOf(q[0]) };
      }
      const shared = this.models.get('actorCritic');
      if (shared) {
        const [logits, value] = this.read(shared.predict(input));
        return { values: softmax(logits), value: value[0] };
      }
      const [logits] = this.read(this.model('actor').predict(input));
      const [value] = this.read(this.model('critic').predict(input));
      return { values: softmax(logits), value: value[0] };
    } finally {
      input.dispose();
    }
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
  }

  private model(name: string): tf.LayersModel {
    const m = this.models.get(name);
    if (!m)
      throw new Error(`the page has no '${name}' network (it has: ${[...this.models.keys()].join(', ')})`);
    return m;
  }

  /** The outputs' values, in order; the tensors are released. */
  private read(out: tf.Tensor | tf.Tensor[]): Float32Array[] {
    const list = Array.isArray(out) ? out : [out];
    try {
      return list.map((t) => t.dataSync() as Float32Array);
    } finally {
      for (const t of list) t.dispose();
    }
  }
}

function maxOf(xs: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  return m;
}

/** π(· | s) = tf.softmax(logits), the op src/train/load-agent.ts uses in Node. */
function softmax(logits: Float32Array): Float32Array {
  const t = tf.tidy(() => tf.softmax(tf.tensor1d(logits)));
  try {
    return t.dataSync() as Float32Array;
  } finally {
    t.dispose();
  }
}
