/**
 * `loadAgent(runDir)`: the trained agent of a run directory, ready to act, for `pixelrl eval`,
 * `play` and `tsne`. It rebuilds the network from config.json and loads the checkpoint's weights.
 */
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { DqnAgent } from '../../agents/dqn.js';
import { featureModel } from '../nets/index.js';
import { setupEnv } from '../train/env-setup.js';
import { type RunConfig, validateRunConfig } from '../train/train-config.js';
import type { Rng } from '../util/rng.js';
import { disposeCheckpoint, readCheckpoint, readRunConfig } from './checkpoint.js';

export interface LoadedAgent {
  /** The run's config (config.json). */
  config: RunConfig;
  /** Network input shape of one observation, e.g. [84, 84, 4] or [4]. */
  inputShape: readonly number[];
  numActions: number;
  /** Frames per observation (the agent stacks them; see agents/frame-history.ts). */
  historyLength: number;
  /** Agent steps the checkpoint was taken at. */
  step: number;
  /** Q(s, ·) for `count` stacked observations, row-major [count × numActions]. */
  qValues(obs: Float32Array, count: number): Float32Array;
  /** ε-greedy actions (ε = 0: greedy) for `count` stacked observations. */
  act(obs: Float32Array, count: number, epsilon: number, rng: Rng, out: Int32Array): Int32Array;
  /** A model whose outputs are [features (last hidden layer), Q]: for t-SNE maps. */
  features(): tf.LayersModel;
  /** The online Q-network. */
  model: tf.LayersModel;
  dispose(): void;
}

export async function loadAgent(runDir: string): Promise<LoadedAgent> {
  const saved = await readRunConfig(runDir);
  if (saved.algo !== 'dqn')
    throw new Error(`${runDir} is a ${String(saved.algo)} run; loadAgent reads dqn runs`);
  const { format: _format, ...rest } = saved;
  const config = validateRunConfig(rest as unknown as RunConfig);
  const setup = setupEnv(config.env, config.envOptions, config.frameSize);
  const frameSize = setup.frameShape.reduce((a, b) => a * b, 1);
  const h = config.dqn.historyLength;
  const inputShape = setup.frameShape.length === 1 && h === 1 ? [frameSize] : [...setup.frameShape, h];
  const loaded = await readCheckpoint(runDir, 'dqn');
  const agent = new DqnAgent(config.dqn, { inputShape, numActions: setup.numActions, seed: 0 });
  try {
    const part = loaded.parts.agent;
    if (!part) throw new Error(`${join(runDir, 'checkpoint')} has no agent`);
    agent.setState(part);
  } catch (err) {
    agent.dispose();
    throw err;
  } finally {
    disposeCheckpoint(loaded);
  }
  let features: tf.LayersModel | null = null;
  return {
    config,
    inputShape,
    numActions: setup.numActions,
    historyLength: h,
    step: loaded.manifest.step,
    qValues: (obs, count) => agent.qValues(obs, count),
    act: (obs, count, epsilon, rng, out) => agent.act(obs, count, epsilon, rng, out),
    features: () => {
      features ??= featureModel(agent.online);
      return features;
    },
    model: agent.online,
    dispose: () => agent.dispose(),
  };
}
