/**
 * Evaluation as in the DQN paper: full episodes in a separate env, ε-greedy with a small ε
 * (0.05). The random no-op starts that keep a deterministic policy from replaying one trajectory
 * are the env's own (NoopReset in makeAtari's stack, which the eval envs are built with), not
 * this loop's. Uses its own Rng: evaluating never changes the training run's random streams.
 */
import { FrameStacks } from '../../agents/frame-stacks.js';
import type { Env } from '../../envs/core.js';
import type { BoxArray } from '../../envs/spaces.js';
import type { Rng } from '../util/rng.js';

/** What evaluation needs from an agent. */
export interface GreedyActor {
  act(obs: Float32Array, count: number, epsilon: number, rng: Rng, out: Int32Array): Int32Array;
}

export interface EvaluateOptions {
  agent: GreedyActor;
  env: Env<BoxArray, number>;
  episodes: number;
  epsilon: number;
  historyLength: number;
  rng: Rng;
  /** Seeds the env's first reset. */
  seed: number;
  /** Stop an episode after this many agent steps (a safety net; default 1e6). */
  maxEpisodeSteps?: number;
}

export interface EvaluationResult {
  returns: number[];
  lengths: number[];
  meanReturn: number;
  stdReturn: number;
}

/** Mean and population standard deviation. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  if (xs.length === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return { mean, std: Math.sqrt(variance) };
}

export function evaluate(opts: EvaluateOptions): EvaluationResult {
  const { agent, env, rng } = opts;
  const frameSize = (env.observationSpace as { size?: number }).size ?? 0;
  const history = new FrameStacks(1, frameSize, opts.historyLength);
  const stack = new Float32Array(history.stackSize);
  const action = new Int32Array(1);
  const returns: number[] = [];
  const lengths: number[] = [];
  const maxSteps = opts.maxEpisodeSteps ?? 1_000_000;
  for (let e = 0; e < opts.episodes; e++) {
    let { obs } = env.reset(e === 0 ? { seed: opts.seed } : {});
    history.reset(0);
    history.push(0, obs);
    let ret = 0;
    let length = 0;
    let done = false;
    while (!done && length < maxSteps) {
      agent.act(history.stackAll(stack), 1, opts.epsilon, rng, action);
      const r = env.step(action[0]);
      ret += r.reward;
      length++;
      done = r.terminated || r.truncated;
      obs = r.obs;
      history.push(0, obs);
    }
    returns.push(ret);
    lengths.push(length);
  }
  const { mean, std } = meanStd(returns);
  return { returns, lengths, meanReturn: mean, stdReturn: std };
}
