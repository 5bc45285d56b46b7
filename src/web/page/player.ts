/**
 * The agent player of the exported page and of the dashboard: it builds the run's env (the same
 * TypeScript games, φ and wrappers as in Node), plays it with src/viz/playback.ts's
 * playEpisodes (the loop behind `pixelrl play`: ε-greedy around the agent's greedy action, the
 * same Rng), and draws every step. Controls: play/pause, speed (real time = 60 Hz / frameskip),
 * reset with a seed, and "you play" (the keyboard chooses the actions, scored by the same loop).
 *
 * `snapshot()` reports what was played, for the browser tests (and anyone curious).
 */
import type { Env } from '../../../envs/core.js';
import type { BoxArray } from '../../../envs/spaces.js';
import { Rng } from '../../util/rng.js';
import { type PlaybackStep, playEpisodes } from '../../viz/playback.js';
import { makeRunEnv } from '../run-env.js';
import type { WebRun } from '../web-run.js';
import { Joystick } from './keyboard.js';
import type { PageAgent } from './page-agent.js';
import { PagePolicy } from './page-policy.js';
import {
  buildPlayer,
  drawBars,
  drawFrame,
  drawSparkline,
  type PlayerElements,
  type Speed,
} from './player-view.js';

export type PlayMode = 'agent' | 'you';

/** What has been played since the last reset. */
export interface PlayerSnapshot {
  backend: string;
  seed: number;
  mode: PlayMode;
  playing: boolean;
  /** 1-based episode being played. */
  episode: number;
  /** Steps of the current episode. */
  step: number;
  score: number;
  /** Returns of the episodes finished since the reset. */
  returns: number[];
  /** The actions taken since the reset, in order (the first 10,000). */
  actions: number[];
  /** The reward of each of those steps. */
  rewards: number[];
  /** Milliseconds from navigation start to the first frame the agent played; null before it. */
  firstFrameMs: number | null;
  /** The run's checkpoint step. */
  checkpointStep: number;
}

const MAX_RECORDED = 10_000;
/** Per animation frame at `max` speed: step for this long, then draw once. */
const MAX_SPEED_BUDGET_MS = 12;

export class Player {
  readonly el: PlayerElements;
  private run: WebRun | null = null;
  private agent: PageAgent | null = null;
  private env: Env<BoxArray, number> | null = null;
  private policy: PagePolicy | null = null;
  private steps: Generator<PlaybackStep> | null = null;
  private mode: PlayMode = 'agent';
  private speed: Speed = '1';
  private playing = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private seed = 0;
  private episode = 1;
  private step = 0;
  private score = 0;
  private returns: number[] = [];
  private actions: number[] = [];
  private rewards: number[] = [];
  private valueTrace: number[] = [];
  private firstFrameMs: number | null = null;
  private readonly joystick = new Joystick();

  constructor(
    root: HTMLElement,
    private readonly backend: string,
  ) {
    this.el = buildPlayer(root);
    this.joystick.attach(window);
    this.el.play.onclick = () => this.setPlaying(!this.playing);
    this.el.speed.onchange = () => this.setSpeed(this.el.speed.value as Speed);
    this.el.reset.onclick = () => this.reset(Number(this.el.seed.value) || 0);
    this.el.mode.onclick = () => this.setMode(this.mode === 'agent' ? 'you' : 'agent');
  }

  /** Plays `agent` on `run`'s env from a reset with `seed` (the previous agent is released). */
  load(run: WebRun, agent: PageAgent, seed: number): void {
    this.agent?.dispose();
    this.run = run;
    this.agent = agent;
    this.el.label.textContent = run.label;
    this.reset(seed);
  }

  reset(seed: number): void {
    const { run, agent } = this;
    if (!run || !agent) return;
    this.env?.close();
    this.seed = Math.max(0, Math.trunc(seed));
    this.el.seed.value = String(this.seed);
    this.env = makeRunEnv(run, this.seed);
    const meanings = run.actionMeanings;
    this.policy = new PagePolicy(run, agent, () =>
      this.mode === 'you' ? this.joystick.action(meanings) : null,
    );
    // As `pixelrl play`: ε-exploration from Rng(seed).spawn(), the env reset with the seed; the
    // player's own moves are never randomised.
    this.steps = playEpisodes(this.env, this.policy.policy, {
      episodes: Number.POSITIVE_INFINITY,
      epsilon: this.mode === 'agent' ? run.epsilon : 0,
      rng: new Rng(this.seed).spawn(),
      seed: this.seed,
    });
    this.episode = 1;
    this.step = 0;
    this.score = 0;
    this.returns = [];
    this.actions = [];
    this.rewards = [];
    this.valueTrace = [];
    this.schedule(0);
  }

  setMode(mode: PlayMode): void {
    this.mode = mode;
    this.el.mode.textContent = mode === 'agent' ? 'You play' : 'Agent plays';
    this.el.root.classList.toggle('pr-you', mode === 'you');
    this.reset(this.seed);
  }

  setSpeed(speed: Speed): void {
    this.speed = speed;
    this.el.speed.value = speed;
    this.schedule(0);
  }

  setPlaying(playing: boolean): void {
    this.playing = playing;
    this.el.play.textContent = playing ? 'Pause' : 'Play';
    this.schedule(0);
  }

  snapshot(): PlayerSnapshot {
    return {
      backend: this.backend,
      seed: this.seed,
      mode: this.mode,
      playing: this.playing,
      episode: this.episode,
      step: this.step,
      score: this.score,
      returns: [...this.returns],
      actions: [...this.actions],
      rewards: [...this.rewards],
      firstFrameMs: this.firstFrameMs,
      checkpointStep: this.run?.step ?? 0,
    };
  }

  /** Shows an error in the player's status line. */
  fail(message: string): void {
    this.el.status.textContent = message;
    this.el.status.classList.add('pr-error');
    this.setPlaying(false);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.playing || !this.steps) return;
    this.timer = setTimeout(() => this.tick(), delayMs);
  }

  private tick(): void {
    this.timer = null;
    if (!this.run) return;
    try {
      if (this.speed === 'max') {
        const until = performance.now() + MAX_SPEED_BUDGET_MS;
        let last: PlaybackStep | null = null;
        do last = this.advance();
        while (last !== null && performance.now() < until);
        if (last) this.draw(last);
        this.schedule(0);
        return;
      }
      const s = this.advance();
      if (s) this.draw(s);
      this.schedule(1000 / (this.run.realTimeFps * Number(this.speed)));
    } catch (err) {
      this.fail(`the player stopped: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** One agent step; bookkeeping for the score line and the snapshot. */
  private advance(): PlaybackStep | null {
    const next = this.steps?.next();
    if (!next || next.done) return null;
    const s = next.value;
    if (this.firstFrameMs === null) this.firstFrameMs = performance.now();
    if (s.step === 0) this.valueTrace = [];
    this.valueTrace.push(this.policy?.last?.value ?? 0);
    if (this.actions.length < MAX_RECORDED) {
      this.actions.push(s.action);
      this.rewards.push(s.reward);
    }
    this.episode = s.episode;
    this.step = s.step + 1;
    this.score = s.score;
    if (s.done) this.returns.push(s.score);
    return s;
  }

  private draw(s: PlaybackStep): void {
    const run = this.run as WebRun;
    drawFrame(this.el.game, s.frame, s.frame.width <= 160 ? 3 : 1);
    const looked = this.policy?.last;
    if (looked) drawBars(this.el.bars, run.actionMeanings, looked.values, run.panel, s.action, s.explored);
    drawSparkline(this.el.spark, this.valueTrace.slice(-400));
    const lives = s.lives === undefined ? '' : ` · lives ${s.lives}`;
    const who = this.mode === 'agent' ? `agent (ε ${run.epsilon})` : 'you';
    this.el.stats.textContent = `${who} · episode ${s.episode} · step ${s.step + 1} · score ${s.score}${lives} · tfjs ${this.backend}`;
  }
}
