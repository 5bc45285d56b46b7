/**
 * The agent of a REINFORCE, A2C or PPO run, as a {@link LoadedAgent}: the actor-critic rebuilt
 * from config.json with the checkpoint's weights. It acts greedily (the most likely action,
 * argmax of the logits, as the training loop's own evaluation does; ε > 0 mixes in uniform random
 * actions as DQN's ε-greedy eval does), shows π(· | s) in the viewers' panel, and reports the
 * critic's V(s) (REINFORCE: its learned baseline) as the state value.
 *
 * Observations come as in training: pixel games through the run's makeAtari stack (which stacks
 * frames itself, so historyLength is 1), vector envs from the registry with the run's envOptions.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  ON_POLICY_COMMON_DEFAULTS,
  type OnPolicyConfig,
  validateOnPolicyConfig,
} from '../../agents/pg-config.js';
import type { Env } from '../../envs/core.js';
import { makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import type { BoxArray } from '../../envs/spaces.js';
import { featureModel } from '../nets/index.js';
import { makeOnPolicyAgent } from '../train/on-policy-loop.js';
import { Rng } from '../util/rng.js';
import { disposeCheckpoint, readCheckpoint } from './checkpoint.js';
import type { LoadedAgent } from './load-agent.js';
import { checkingFile } from './run-config.js';

type BoxEnv = Env<BoxArray, number>;

/** The run's evaluation env: whole games, raw rewards, up to `noopMax` no-op starts on pixel games. */
export function policyRunEnv(config: OnPolicyConfig, seed: number, noopMax: number): BoxEnv {
  return config.atari !== null
    ? makeAtari(config.env, { ...config.atari, terminalOnLifeLoss: false, clipReward: false, noopMax }, seed)
    : createRegistry().make(config.env, config.envOptions, seed);
}

/** Loads an on-policy run; `saved` is its config.json as read. */
export async function loadPolicyAgent(runDir: string, saved: Record<string, unknown>): Promise<LoadedAgent> {
  const { format: _format, ...rest } = saved;
  // Fields added since the run was written take the shared defaults, as on resume (src/train/on-policy.ts).
  const config = { ...ON_POLICY_COMMON_DEFAULTS, ...rest } as unknown as OnPolicyConfig;
  const configPath = join(runDir, 'config.json');
  checkingFile(configPath, () => validateOnPolicyConfig(config));
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
  const loaded = await readCheckpoint(runDir, config.algo, { agent: agent.getState().models }).catch(
    (err) => {
      agent.ac.dispose();
      throw err;
    },
  );
  try {
    const part = loaded.parts.agent;
    if (!part) throw new Error(`the checkpoint of ${runDir} has no agent`);
    agent.setState(part);
  } catch (err) {
    agent.ac.dispose();
    throw err;
  } finally {
    disposeCheckpoint(loaded);
  }
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
    step: loaded.manifest.step,
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
    featureDim: () => {
      const shape = featuresModel().outputs[0].shape;
      return Number(shape[shape.length - 1]);
    },
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
