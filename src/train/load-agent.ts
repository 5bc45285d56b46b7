/**
 * `loadAgent(runDir)`: the trained agent of a run directory, ready to act, for `pixelrl eval`,
 * `play` and `tsne`, whatever its algorithm. It rebuilds the network from config.json (as a new
 * run of that config would) and loads the checkpoint's weights into it. Restoring an agent is
 * training-level work, so it lives here, above src/checkpoint/ (which only stores and reads).
 *
 * DQN acts ε-greedily on the Q-values. REINFORCE, A2C and PPO act greedily (the most likely
 * action, argmax of the logits, as the training loop's own evaluation does; ε > 0 mixes in
 * uniform random actions as DQN's ε-greedy eval does), show π(· | s) in the viewers' panel, and
 * report the critic's V(s) (REINFORCE: its learned baseline) as the state value.
 *
 * Observations come as in training: DQN runs through setupEnv (single frames; the caller stacks
 * `historyLength` of them), on-policy pixel games through the run's makeAtari stack (which stacks
 * frames itself, so historyLength is 1), vector envs from the registry with the run's envOptions.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { DqnAgent } from '../../agents/dqn.js';
import type { Env } from '../../envs/core.js';
import { makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import type { BoxArray } from '../../envs/spaces.js';
import { disposeCheckpoint, readCheckpoint, readRunConfig } from '../checkpoint/checkpoint.js';
import { checkingFile } from '../checkpoint/run-config.js';
import { featureModel } from '../nets/index.js';
import { Rng } from '../util/rng.js';
import type { Checkpointable } from '../util/state-bundle.js';
import { setupEnv } from './env-setup.js';
import { type OnPolicyRunConfig, validateOnPolicyRunConfig } from './on-policy-config.js';
import { makeOnPolicyAgent } from './on-policy-loop.js';
import { checkRunFits } from './run-fits.js';
import { type RunConfig, validateRunConfig } from './train-config.js';

type BoxEnv = Env<BoxArray, number>;

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
  config: RunConfig | OnPolicyRunConfig;
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
  makeEnv(seed: number, noopMax: number): BoxEnv;
  dispose(): void;
}

/**
 * Loads the agent part of `runDir`'s checkpoint into `agent`, which was built from the run's
 * config (the checkpoint's networks must fit it); returns the step the checkpoint was taken at.
 * On any failure it calls `dispose` (the agent's networks) before rethrowing.
 */
export async function restoreAgent(
  runDir: string,
  algo: string,
  agent: Checkpointable,
  dispose: () => void,
): Promise<number> {
  const loaded = await readCheckpoint(runDir, algo, { agent: agent.getState().models }).catch((err) => {
    dispose();
    throw err;
  });
  try {
    const part = loaded.parts.agent;
    if (!part) throw new Error(`${join(runDir, 'checkpoint')} has no agent`);
    agent.setState(part);
    return loaded.manifest.step;
  } catch (err) {
    dispose();
    throw err;
  } finally {
    disposeCheckpoint(loaded);
  }
}

/** Loads the agent of a DQN, REINFORCE, A2C or PPO run directory (or its checkpoint folder's parent). */
export async function loadAgent(runDir: string): Promise<LoadedAgent> {
  const saved = await readRunConfig(runDir);
  if (saved.algo === 'ppo' || saved.algo === 'a2c' || saved.algo === 'reinforce') {
    return loadOnPolicyAgent(runDir, saved);
  }
  if (saved.algo !== 'dqn') {
    throw new Error(
      `${runDir} is a ${String(saved.algo)} run; loadAgent reads dqn, ppo, a2c and reinforce runs`,
    );
  }
  return loadDqnAgent(runDir, saved);
}

async function loadDqnAgent(runDir: string, saved: Record<string, unknown>): Promise<LoadedAgent> {
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
  const step = await restoreAgent(runDir, 'dqn', agent, () => agent.dispose());
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
    step,
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

/** The run's evaluation env: whole games, raw rewards, up to `noopMax` no-op starts on pixel games. */
export function policyRunEnv(config: OnPolicyRunConfig, seed: number, noopMax: number): BoxEnv {
  return config.atari !== null
    ? makeAtari(config.env, { ...config.atari, terminalOnLifeLoss: false, clipReward: false, noopMax }, seed)
    : createRegistry().make(config.env, config.envOptions, seed);
}

/** Loads an on-policy run; `saved` is its config.json as read. */
async function loadOnPolicyAgent(runDir: string, saved: Record<string, unknown>): Promise<LoadedAgent> {
  const { format: _format, ...rest } = saved;
  // Old names are read and fields added since the run was written take the shared defaults, as
  // on resume (src/train/on-policy.ts).
  const configPath = join(runDir, 'config.json');
  const config = checkingFile(configPath, () => validateOnPolicyRunConfig(rest));
  const probe = checkingFile(configPath, () => policyRunEnv(config, 0, 0));
  const inputShape = [...((probe.observationSpace as { shape?: readonly number[] }).shape ?? [])];
  const numActions = (probe.actionSpace as { n?: number }).n;
  probe.close();
  if (numActions === undefined || inputShape.length === 0) {
    throw new Error(
      `${config.env}: expected Discrete actions and a Box observation, got shape [${inputShape}]`,
    );
  }
  const agent = makeOnPolicyAgent(config, inputShape, numActions, new Rng(0));
  const step = await restoreAgent(runDir, config.algo, agent, () => agent.ac.dispose());
  const ac = agent.ac;
  // The policy's torso: the shared model, or the actor of two separate networks.
  let features: tf.LayersModel | null = null;
  const featuresModel = (): tf.LayersModel => {
    features ??= featureModel(ac.models[0]);
    return features;
  };
  const outputs = (obs: Float32Array): { probs: Float32Array; value: number } => {
    const { logits, values } = ac.outputs(obs, 1);
    return { probs: softmax(logits), value: values[0] };
  };
  return {
    config,
    inputShape,
    frameShape: inputShape,
    numActions,
    historyLength: 1,
    step,
    panel: 'policy',
    act: (obs, count, epsilon, rng, out) => {
      const greedy = ac.act(obs, count, rng, true).actions;
      for (let i = 0; i < count; i++) {
        out[i] = epsilon > 0 && rng.float() < epsilon ? rng.int(numActions) : greedy[i];
      }
      return out;
    },
    analyze: (obs, withFeatures) => {
      const { probs, value } = outputs(obs);
      if (!withFeatures) return { actionValues: probs, value, features: null };
      const outs = tf.tidy(() => featuresModel().predict(tf.tensor(obs, [1, ...inputShape])) as tf.Tensor[]);
      try {
        return { actionValues: probs, value, features: outs[0].dataSync() as Float32Array };
      } finally {
        for (const t of outs) t.dispose();
      }
    },
    featureDim: () => lastDim(featuresModel().outputs[0].shape),
    makeEnv: (seed, noopMax) => policyRunEnv(config, seed, noopMax),
    dispose: () => ac.dispose(),
  };
}

/** π(·|s) from one row of logits (max-shifted, so large logits do not overflow). */
function softmax(logits: Float32Array): Float32Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const x of logits) max = Math.max(max, x);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp(logits[i] - max);
    sum += out[i];
  }
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
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
