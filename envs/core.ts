/**
 * The environment API, with Gymnasium's semantics:
 *
 *   reset({ seed, options }) → { obs, info }
 *   step(action)             → { obs, reward, terminated, truncated, info }
 *
 * `terminated` ends the MDP (a terminal state: no bootstrap from it); `truncated` cuts the episode
 * for a reason outside the MDP, usually a time limit (bootstrap from the next state). After either,
 * the caller must `reset()` before stepping again.
 */
import type { Space } from './spaces.js';

/** An RGB image, row-major, 3 bytes per pixel. */
export interface RgbFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Free-form per-step information. Well-known keys are typed; wrappers may add more. */
export interface Info {
  /** Lives left (Atari-style games). */
  lives?: number;
  /** Emulator frames since the env was created. */
  frameNumber?: number;
  /** Emulator frames since the episode started. */
  episodeFrameNumber?: number;
  /** Set by RecordEpisodeStatistics on the step that ends an episode. */
  episode?: EpisodeStats;
  [key: string]: unknown;
}

export interface EpisodeStats {
  /** Undiscounted sum of rewards. */
  return: number;
  /** Agent steps. */
  length: number;
  /** Wall time, in seconds. */
  timeSeconds: number;
}

export interface ResetOptions {
  /** Reseeds the env's RNG; without it the env continues from its current RNG state. */
  seed?: number;
  options?: Record<string, unknown>;
}

export interface ResetResult<Obs> {
  obs: Obs;
  info: Info;
}

export interface StepResult<Obs> {
  obs: Obs;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  info: Info;
}

/**
 * An environment. `obs` returned by reset/step may be a view into a buffer the env reuses on the
 * next call: copy it if you keep it (the replay memory does).
 */
export interface Env<Obs = unknown, Act = number> {
  readonly observationSpace: Space<Obs>;
  readonly actionSpace: Space<Act>;
  /** Human-readable names of the actions, index = action, e.g. `['NOOP', 'FIRE', 'RIGHT', 'LEFT']`. */
  readonly actionMeanings?: readonly string[];
  reset(opts?: ResetOptions): ResetResult<Obs>;
  step(action: Act): StepResult<Obs>;
  /** The current screen as RGB. */
  render(): RgbFrame;
  close(): void;
}
