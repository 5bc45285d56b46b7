/**
 * A saved agent as a viewer {@link Policy}, for `pixelrl play` and `pixelrl tsne`: it keeps the
 * frame history the agent was trained with (the env emits one φ frame per step; the agent sees
 * the last `historyLength` of them, zeros before the episode start, as in training and
 * `pixelrl eval`; on-policy pixel runs' envs stack their own frames) and answers greedily with
 * its Q-values or action probabilities, which the viewers draw. ε-exploration is left to the
 * viewer's playback, which knows whether an action was explored.
 */
import { FrameStacks } from '../../../agents/frame-stacks.js';
import type { Env } from '../../../envs/core.js';
import type { BoxArray } from '../../../envs/spaces.js';
import { type EnvSetup, setupEnv } from '../../train/env-setup.js';
import { type AgentOutputs, type LoadedAgent, loadAgent } from '../../train/load-agent.js';
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
  const setup = describeEnv(agent, noopMax);
  return { runDir, agent, setup, makeEnv: (seed) => agent.makeEnv(seed, noopMax) };
}

/**
 * The env's description (kind, frameskip, normalized-score anchors) for the viewers and eval.
 * On-policy pixel runs keep their makeAtari options in `atari`; the frames the agent sees come
 * from `agent.makeEnv`, not from this setup.
 */
export function describeEnv(agent: LoadedAgent, noopMax: number): EnvSetup {
  const c = agent.config;
  if (c.algo === 'dqn') return setupEnv(c.env, c.envOptions, c.frameSize, noopMax);
  if (c.atari === null) return setupEnv(c.env, c.envOptions, undefined, noopMax);
  const { historyLength: _stack, ...atari } = c.atari;
  return setupEnv(c.env, { ...atari }, atari.screenSize, noopMax);
}

/** What the agent computed in the last state it was asked about. */
export type AgentStep = AgentOutputs;

/**
 * The agent's greedy policy over the frames its eval env emits: the highest Q-value (DQN) or the
 * most likely action, argmax of the logits (REINFORCE, A2C, PPO). The decision carries Q(s, ·) or
 * π(· | s) for the viewers (`agent.panel` says which). With `features: true` every decision also
 * runs the feature model (the last hidden layer of the (policy) torso), for t-SNE maps; `last`
 * holds them with V(s).
 */
export class AgentPolicy {
  readonly policy: Policy<BoxArray>;
  /** The computation behind the latest decision. */
  last: AgentStep | null = null;
  private readonly history: FrameStacks;
  private readonly stack: Float32Array;
  private readonly withFeatures: boolean;

  constructor(
    private readonly agent: LoadedAgent,
    options: { features?: boolean } = {},
  ) {
    const frameSize = agent.frameShape.reduce((a, b) => a * b, 1);
    this.history = new FrameStacks(1, frameSize, agent.historyLength);
    this.stack = new Float32Array(this.history.stackSize);
    this.withFeatures = options.features === true;
    this.policy = (obs, step) => this.decide(obs, step);
  }

  /** Width of the feature vector (the last hidden layer), or 0 without features. */
  get featureDim(): number {
    return this.withFeatures ? this.agent.featureDim() : 0;
  }

  private decide(obs: BoxArray, step: number): Decision {
    // Step 0 is a new episode: the history restarts from zeros, as in training.
    if (step === 0) this.history.reset(0);
    this.history.push(0, obs);
    this.history.stackAll(this.stack);
    this.last = this.agent.analyze(this.stack, this.withFeatures);
    const values = this.last.actionValues;
    let best = 0;
    for (let a = 1; a < values.length; a++) if (values[a] > values[best]) best = a;
    return { action: best, values };
  }
}

/** max_a Q(s, a): the state value the DQN paper's figures colour by. */
export function maxValue(q: ArrayLike<number>): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let a = 0; a < q.length; a++) if (q[a] > m) m = q[a];
  return m;
}
