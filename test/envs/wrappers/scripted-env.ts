/**
 * A scripted env for wrapper tests: its observation is [episode, t] (episodes counted from 1, t the
 * steps since reset), rewards and lives follow the script, and every call is logged.
 */
import type { Env, Info, ResetOptions, ResetResult, RgbFrame, StepResult } from '../../../envs/core.js';
import { Box, Discrete } from '../../../envs/spaces.js';

export interface Script {
  /** Steps per episode; the last one terminates (or truncates, with `truncate`). */
  episodeLength: number;
  truncate?: boolean;
  /** Reward of step t (1-based within the episode). Default 1. */
  reward?: (t: number) => number;
  /** Lives after step t (t = 0 after reset); undefined leaves lives out of info. */
  lives?: (t: number) => number;
  actionMeanings?: readonly string[];
}

export class ScriptedEnv implements Env<Float32Array, number> {
  readonly observationSpace = new Box(-1e9, 1e9, [2], 'float32');
  readonly actionSpace: Discrete;
  readonly actionMeanings: readonly string[];
  readonly log: string[] = [];
  episode = 0;
  t = 0;

  constructor(readonly script: Script) {
    this.actionMeanings = script.actionMeanings ?? ['NOOP', 'FIRE', 'RIGHT', 'LEFT'];
    this.actionSpace = new Discrete(this.actionMeanings.length);
  }

  reset(opts?: ResetOptions): ResetResult<Float32Array> {
    this.log.push(opts?.seed === undefined ? 'reset' : `reset(seed=${opts.seed})`);
    this.episode++;
    this.t = 0;
    return { obs: this.obs(), info: this.info() };
  }

  step(action: number): StepResult<Float32Array> {
    if (!this.actionSpace.contains(action)) throw new Error(`bad action ${action}`);
    if (this.t >= this.script.episodeLength) throw new Error('step after the end of an episode');
    this.log.push(`step ${action}`);
    this.t++;
    const end = this.t === this.script.episodeLength;
    return {
      obs: this.obs(),
      reward: this.script.reward?.(this.t) ?? 1,
      terminated: end && !this.script.truncate,
      truncated: end && !!this.script.truncate,
      info: this.info(),
    };
  }

  render(): RgbFrame {
    return { width: 1, height: 1, data: new Uint8Array(3) };
  }

  close(): void {}

  private obs(): Float32Array {
    return Float32Array.from([this.episode, this.t]);
  }

  private info(): Info {
    return this.script.lives ? { lives: this.script.lives(this.t) } : {};
  }
}
