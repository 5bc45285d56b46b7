/**
 * Playing an env with any policy and collecting what the viewers show (`pixelrl play`): a
 * generator of steps, each with the frame the policy saw, its action values or probabilities,
 * the action taken (after ε-random exploration), the reward and the score so far. The same
 * stream feeds the terminal player, the animation writer and the value-over-an-episode plot, for
 * a trained agent (its act function wrapped as a {@link Policy}) or the built-in random and
 * reference policies.
 */
import type { Env, RgbFrame } from '../../envs/core.js';
import type { Rng } from '../util/rng.js';
import type { AnimationFrame } from './animation.js';

/** What a policy decides in one state. */
export interface Decision {
  action: number;
  /** Q(s, ·) or π(· | s), one entry per action, for the side panel and status line. */
  values?: ArrayLike<number>;
}

/** A policy: a decision from an observation (step = step of the episode). */
export type Policy<Obs> = (obs: Obs, step: number) => Decision;

export interface PlaybackOptions {
  /** Episodes to play. Default 1. */
  episodes?: number;
  /** Steps after which an episode is cut short. Default 100000. */
  maxSteps?: number;
  /** Probability of a uniformly random action instead of the policy's. Default 0. */
  epsilon?: number;
  /** Randomness of ε-exploration. */
  rng: Rng;
  /** Seed for the first reset (later episodes continue the env's RNG). */
  seed?: number;
}

export interface PlaybackStep {
  /** 1-based episode number. */
  episode: number;
  /** 0-based step of the episode. */
  step: number;
  /** The screen the policy saw. */
  frame: RgbFrame;
  decision: Decision;
  /** The action taken: the policy's, or a random one with probability ε. */
  action: number;
  explored: boolean;
  reward: number;
  /** Return of the episode up to and including this step. */
  score: number;
  /**
   * Lives left, for games that have lives; absent for the others (ALE, and our Pong, report 0
   * lives from the start for a game without them: "lives 0" on screen would read as game over).
   */
  lives?: number;
  /** This step ended the episode. */
  done: boolean;
}

/** Plays `env` with `policy` and yields every step. The env is reset but not closed. */
export function* playEpisodes<Obs>(
  env: Env<Obs, number>,
  policy: Policy<Obs>,
  options: PlaybackOptions,
): Generator<PlaybackStep> {
  const episodes = options.episodes ?? 1;
  const maxSteps = options.maxSteps ?? 100000;
  const epsilon = options.epsilon ?? 0;
  if (!(epsilon >= 0 && epsilon <= 1)) throw new Error(`epsilon must be in [0, 1], got ${epsilon}`);
  const n = actionCount(env);
  for (let episode = 1; episode <= episodes; episode++) {
    let { obs, info } = env.reset(
      episode === 1 && options.seed !== undefined ? { seed: options.seed } : undefined,
    );
    let score = 0;
    const hasLives = typeof info.lives === 'number' && info.lives > 0;
    for (let step = 0; step < maxSteps; step++) {
      const frame = env.render();
      const decision = policy(obs, step);
      const explored = epsilon > 0 && options.rng.float() < epsilon;
      const action = explored ? options.rng.int(n) : decision.action;
      const r = env.step(action);
      score += r.reward;
      const done = r.terminated || r.truncated || step === maxSteps - 1;
      yield {
        episode,
        step,
        frame,
        decision,
        action,
        explored,
        reward: r.reward,
        score,
        ...(hasLives ? { lives: info.lives } : {}),
        done,
      };
      obs = r.obs;
      info = r.info;
      if (done) break;
    }
  }
}

function actionCount(env: Env<unknown, number>): number {
  const n = (env.actionSpace as { n?: number }).n;
  if (!Number.isInteger(n) || (n as number) < 1) {
    throw new Error(`playback needs a Discrete action space, got ${String(env.actionSpace)}`);
  }
  return n as number;
}

/** Uniformly random actions. */
export function randomPolicy(env: Env<unknown, number>, rng: Rng): Policy<unknown> {
  const n = actionCount(env);
  return () => ({ action: rng.int(n) });
}

/**
 * The game's scripted reference policy (the bundled pixel games have one; it reads the game's
 * state, not pixels). Looks through wrappers that keep the wrapped env in `inner`.
 */
export function referencePolicy(env: Env<unknown, number>): Policy<unknown> {
  let e: unknown = env;
  while (e && typeof e === 'object') {
    const candidate = e as { referenceAction?: () => number; inner?: unknown };
    if (typeof candidate.referenceAction === 'function') {
      const source = candidate;
      return () => ({ action: source.referenceAction!() });
    }
    e = candidate.inner;
  }
  throw new Error(
    'this env has no reference policy (the bundled pixel games do, e.g. Catch-v0); use --policy random',
  );
}

/** Animation frames (with side-panel data when the policy gave values) from playback steps. */
export function* animationFrames(steps: Iterable<PlaybackStep>): Generator<AnimationFrame> {
  for (const s of steps) {
    yield s.decision.values
      ? { frame: s.frame, panel: { values: s.decision.values, chosen: s.action } }
      : { frame: s.frame };
  }
}
