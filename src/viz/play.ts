/**
 * `pixelrl play` in two calls: watch a policy in the terminal, or write its episodes to an
 * animation. Both consume {@link playEpisodes}, so they work for a trained agent (wrapped as a
 * Policy) and for the random and reference policies alike.
 */
import type { Env } from '../../envs/core.js';
import { type AnimationOptions, type AnimationResult, writeAnimation } from './animation.js';
import { animationFrames, type PlaybackOptions, type Policy, playEpisodes } from './playback.js';
import { formatStatus, TerminalPlayer, type TerminalPlayerOptions } from './terminal.js';

export interface EpisodeSummary {
  /** 1-based episode number. */
  episode: number;
  /** Undiscounted sum of rewards. */
  return: number;
  /** Agent steps played. */
  steps: number;
}

/** What `playInTerminal` shows besides the game, and when it stops early. */
export interface TerminalPlayOptions {
  /** What the policy's values are: Q-values (default) or action probabilities. */
  valuesKind?: 'values' | 'policy';
  /** Checked after each frame: true stops after it (e.g. on Ctrl-C). */
  shouldStop?: () => boolean;
}

/** Plays `policy` on `env`, drawing every step in the terminal; returns each episode's return. */
export async function playInTerminal<Obs>(
  env: Env<Obs, number>,
  policy: Policy<Obs>,
  playback: PlaybackOptions,
  terminal: TerminalPlayerOptions,
  options: TerminalPlayOptions = {},
): Promise<EpisodeSummary[]> {
  const player = new TerminalPlayer(terminal);
  const summaries: EpisodeSummary[] = [];
  try {
    for (const s of playEpisodes(env, policy, playback)) {
      const status = formatStatus({
        episode: s.episode,
        step: s.step,
        score: s.score,
        lives: s.lives,
        values: s.decision.values,
        actionNames: env.actionMeanings,
        valuesKind: options.valuesKind,
        chosen: s.action,
      });
      await player.show(s.frame, status);
      if (s.done) summaries.push({ episode: s.episode, return: s.score, steps: s.step + 1 });
      if (options.shouldStop?.()) break;
    }
  } finally {
    player.close();
  }
  return summaries;
}

/**
 * Plays `policy` on `env` and writes the frames to `path` (.png APNG, .gif or .mp4); with
 * `panel: true` the policy's values are drawn beside the game (the kind says Q-values or policy).
 */
export async function playToFile<Obs>(
  env: Env<Obs, number>,
  policy: Policy<Obs>,
  path: string,
  playback: PlaybackOptions,
  options: Omit<AnimationOptions, 'panel'> & { panel?: 'values' | 'policy' } = {},
): Promise<AnimationResult & { episodes: EpisodeSummary[] }> {
  const summaries: EpisodeSummary[] = [];
  function* steps() {
    for (const s of playEpisodes(env, policy, playback)) {
      if (s.done) summaries.push({ episode: s.episode, return: s.score, steps: s.step + 1 });
      yield s;
    }
  }
  const { panel, ...rest } = options;
  const names = env.actionMeanings ?? [];
  const animation: AnimationOptions = { ...rest };
  if (panel) {
    animation.panel = {
      kind: panel,
      actionNames: names.length ? names : Array.from({ length: numActions(env) }, (_, a) => `action ${a}`),
    };
  }
  const result = await writeAnimation(animationFrames(steps()), path, animation);
  return { ...result, episodes: summaries };
}

function numActions(env: Env<unknown, number>): number {
  return (env.actionSpace as { n?: number }).n ?? 0;
}
