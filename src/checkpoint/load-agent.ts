/**
 * `loadAgent(runDir)`: the trained agent of a run directory, ready to act, for `pixelrl eval`,
 * `play` and `tsne`, whatever its algorithm. It rebuilds the network from config.json and loads
 * the checkpoint's weights: DQN here, REINFORCE / A2C / PPO in load-policy-agent.ts.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DqnAgent } from '../../agents/dqn.js';
import type { OnPolicyConfig } from '../../agents/pg-config.js';
import type { Env } from '../../envs/core.js';
import type { BoxArray } from '../../envs/spaces.js';
import { featureModel } from '../nets/index.js';
import { setupEnv } from '../train/env-setup.js';
import { checkRunFits } from '../train/run-fits.js';
import { type RunConfig, validateRunConfig } from '../train/train-config.js';
import type { Rng } from '../util/rng.js';
import { disposeCheckpoint, readCheckpoint, readRunConfig } from './checkpoint.js';
import { loadPolicyAgent } from './load-policy-agent.js';
import { checkingFile } from './run-config.js';

/** What the agent computes for one (stacked) observation. */
export interface AgentOutputs {
  /** Q(s, ·) for DQN, π(· | s) for policy-gradient agents: what the viewers' side panel draws. */
  actionValues: Float32Array;
  /** V(s): max_a Q(s, a) for DQN, the critic's (or REINFORCE's baseline's) value otherwise. */
  value: number;
  /** The last hidden layer of the (policy) torso, when asked for. */
  features: Float32Array | null;
}

export interface LoadedAgent {
  /** The run's config (config.json); `algo` tells which kind. */
  config: RunConfig | OnPolicyConfig;
  /** Network input shape of one observation, e.g. [84, 84, 4] or [4]. */
  inputShape: readonly number[];
  /** Shape of what the eval env emits per step (one frame for DQN, a whole stack for on-policy pixel runs). */
  frameShape: readonly number[];
  numActions: number;
  /** Env observations per network input (the caller stacks them; see agents/frame-stacks.ts). */
  historyLength: number;
  /** Agent steps the checkpoint was taken at. */
  step: number;
  /** What `actionValues` holds: Q-values (`values`) or action probabilities (`policy`). */
  panel: 'values' | 'policy';
  /** Greedy actions (ε-greedy with ε > 0) for `count` stacked observations. */
  act(obs: Float32Array, count: number, epsilon: number, rng: Rng, out: Int32Array): Int32Array;
  /** The outputs for one stacked observation; with `features`, also the last hidden layer. */
  analyze(obs: Float32Array, features: boolean): AgentOutputs;
  /** Width of the last hidden layer (builds the feature model on first use). */
  featureDim(): number;
  /** An env as in training's evaluation: whole games, up to `noopMax` no-ops at episode start. */
  makeEnv(seed: number, noopMax: number): Env<BoxArray, number>;
  dispose(): void;
}

/** Loads the agent of a DQN, REINFORCE, A2C or PPO run directory (or its checkpoint folder's parent). */
export async function loadAgent(runDir: string): Promise<LoadedAgent> {
  const saved = await readRunConfig(runDir);
  if (saved.algo === 'ppo' || saved.algo === 'a2c' || saved.algo === 'reinforce') {
    return loadPolicyAgent(runDir, saved);
  }
  if (saved.algo !== 'dqn') {
    throw new Error(
      `${runDir} is a ${String(saved.algo)} run; loadAgent reads dqn, ppo, a2c and reinforce runs`,
    );
  }
  const { format: _format, ...rest } = saved;
  const configPath = join(runDir, 'config.json');
  const config = checkingFile(configPath, () => validateRunConfig(rest as unknown as RunConfig));
  const setup = checkingFile(configPath, () => setupEnv(config.env, config.envOptions, config.frameSize));
  const frameSize = setup.frameShape.reduce((a, b) => a * b, 1);
  const h = config.dqn.historyLength;
  const inputShape = setup.frameShape.length === 1 && h === 1 ? [frameSize] : [...setup.frameShape, h];
  // The network is built from config.json (sized by the same check as a new run), then the
  // checkpoint's weights must fit it: an edited model.json cannot size what is allocated.
  checkingFile(configPath, () => checkRunFits(config));
  const agent = new DqnAgent(config.dqn, { inputShape, numActions: setup.numActions, seed: 0 });
  const loaded = await readCheckpoint(runDir, 'dqn', { agent: agent.getState().models }).catch((err) => {
    agent.dispose();
    throw err;
  });
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
  const featuresModel = (): tf.LayersModel => {
    features ??= featureModel(agent.online);
    return features;
  };
  return {
    config,
    inputShape,
    frameShape: setup.frameShape,
    numActions: setup.numActions,
    historyLength: h,
    step: loaded.manifest.step,
    panel: 'values',
    act: (obs, count, epsilon, rng, out) => agent.act(obs, count, epsilon, rng, out),
    analyze: (obs, withFeatures) => {
      if (!withFeatures) {
        const q = agent.qValues(obs, 1);
        return { actionValues: q, value: maxOf(q), features: null };
      }
      const outs = tf.tidy(() => featuresModel().predict(tf.tensor(obs, [1, ...inputShape])) as tf.Tensor[]);
      try {
        const q = outs[1].dataSync() as Float32Array;
        return { actionValues: q, value: maxOf(q), features: outs[0].dataSync() as Float32Array };
      } finally {
        for (const t of outs) t.dispose();
      }
    },
    featureDim: () => lastDim(featuresModel().outputs[0].shape),
    makeEnv: (seed, noopMax) =>
      setupEnv(config.env, config.envOptions, config.frameSize, noopMax).makeEval(seed),
    dispose: () => agent.dispose(),
  };
}

function maxOf(xs: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < xs.length; i++) if (xs[i] > m) m = xs[i];
  return m;
}

/** The last dimension of a symbolic shape: a feature vector's width. */
function lastDim(shape: readonly (number | null)[]): number {
  return Number(shape[shape.length - 1]);
}
