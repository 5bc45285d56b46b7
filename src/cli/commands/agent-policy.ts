/**
 * A saved agent as a viewer {@link Policy}, for `pixelrl play` and `pixelrl tsne`: it keeps the
 * frame history the agent was trained with (the env emits one φ frame per step; the agent sees
 * the last `historyLength` of them, zeros before the episode start, as in training and
 * `pixelrl eval`) and answers greedily with its Q-values, which the viewers draw. ε-exploration
 * is left to the viewer's playback, which knows whether an action was explored.
 */
import * as tf from '@tensorflow/tfjs';
import { FrameHistory } from '../../../agents/frame-history.js';
import type { Env } from '../../../envs/core.js';
import type { BoxArray } from '../../../envs/spaces.js';
import { type LoadedAgent, loadAgent } from '../../checkpoint/load-agent.js';
import { type EnvSetup, setupEnv } from '../../train/env-setup.js';
import type { Decision, Policy } from '../../viz/index.js';
import { resolveRunDir } from './cli-args.js';

/** A loaded run: the agent and how to build the env it was trained on. */
export interface AgentRun {
  runDir: string;
  agent: LoadedAgent;
  setup: EnvSetup;
  /** An evaluation env (whole games, no-op starts up to the noopMax given to openAgentRun). */
  makeEnv(seed: number): Env<BoxArray, number>;
}

/**
 * Loads the agent of `run` (a run name or directory, its checkpoint folder, or a bundled agent).
 * Throws an Error that names the directory and says what is wrong with it.
 */
export async function openAgentRun(run: string, noopMax: number): Promise<AgentRun> {
  const runDir = resolveRunDir(run);
  let agent: LoadedAgent;
  try {
    agent = await loadAgent(runDir);
  } catch (err) {
    throw new Error(
      `cannot load an agent from ${runDir}: ${(err as Error).message} ` +
        '(pass a run directory written by `pixelrl train`, or see `pixelrl play --env <id> --policy random`)',
    );
  }
  const setup = setupEnv(agent.config.env, agent.config.envOptions, agent.config.frameSize, noopMax);
  return { runDir, agent, setup, makeEnv: (seed) => setup.makeEval(seed) };
}

/** What the agent computed in the last state it was asked about. */
export interface AgentStep {
  /** Q(s, ·). */
  q: Float32Array;
  /** The last hidden layer's activations (only with `features: true`). */
  features: Float32Array | null;
}

/**
 * The agent's greedy policy over `frameShape` frames. With `features: true` every decision also
 * runs the feature model (last hidden layer and Q in one pass), for t-SNE maps; `last` holds them.
 */
export class AgentPolicy {
  readonly policy: Policy<BoxArray>;
  /** The computation behind the latest decision. */
  last: AgentStep | null = null;
  private readonly history: FrameHistory;
  private readonly stack: Float32Array;
  private readonly featureModel: tf.LayersModel | null;

  constructor(
    private readonly agent: LoadedAgent,
    frameShape: readonly number[],
    options: { features?: boolean } = {},
  ) {
    const frameSize = frameShape.reduce((a, b) => a * b, 1);
    this.history = new FrameHistory(1, frameSize, agent.historyLength);
    this.stack = new Float32Array(this.history.stackSize);
    this.featureModel = options.features ? agent.features() : null;
    this.policy = (obs, step) => this.decide(obs, step);
  }

  /** Width of the feature vector (the last hidden layer), or 0 without features. */
  get featureDim(): number {
    const shape = this.featureModel?.outputs[0].shape;
    return shape ? Number(shape[shape.length - 1]) : 0;
  }

  private decide(obs: BoxArray, step: number): Decision {
    // Step 0 is a new episode: the history restarts from zeros, as in training.
    if (step === 0) this.history.reset(0);
    this.history.push(0, obs);
    this.history.stackAll(this.stack);
    this.last = this.featureModel
      ? this.withFeatures()
      : { q: this.agent.qValues(this.stack, 1), features: null };
    const q = this.last.q;
    let best = 0;
    for (let a = 1; a < q.length; a++) if (q[a] > q[best]) best = a;
    return { action: best, values: q };
  }

  private withFeatures(): AgentStep {
    const model = this.featureModel as tf.LayersModel;
    const outs = tf.tidy(() => {
      const x = tf.tensor(this.stack, [1, ...this.agent.inputShape]);
      return model.predict(x) as tf.Tensor[];
    });
    try {
      return { features: outs[0].dataSync() as Float32Array, q: outs[1].dataSync() as Float32Array };
    } finally {
      for (const t of outs) t.dispose();
    }
  }
}

/** max_a Q(s, a): the state value the DQN paper's figures colour by. */
export function maxValue(q: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < q.length; a++) if (q[a] > m) m = q[a];
  return m;
}
