/**
 * The Atari-style harness: gives any {@link Game} the knobs of ALE v5 and the Gymnasium Env API.
 *
 * - frameskip: each agent step repeats the action for `frameskip` emulator frames (a fixed number,
 *   or a [min, max) range drawn per step), summing the rewards;
 * - repeatActionProbability (sticky actions, Machado et al. 2018): on every emulator frame, with
 *   this probability the previous frame's action is used instead of the agent's;
 * - fullActionSpace: the 18 joystick actions instead of the game's minimal set;
 * - maxNumFramesPerEpisode: the episode is truncated once this many frames have been emulated;
 * - obsType: `rgb` (210x160x3) or `grayscale` (210x160).
 *
 * `info` carries `lives`, `frameNumber` (frames since the env was made) and `episodeFrameNumber`.
 * The φ preprocessor drives the harness frame by frame with {@link AtariEnv.emulateFrame} and reads
 * screens with {@link AtariEnv.grayscaleScreen}, so frames nobody looks at are never drawn.
 */
import { Rng, type RngState } from '../../src/util/rng.js';
import type { Env, Info, ResetOptions, ResetResult, RgbFrame, StepResult } from '../core.js';
import { Box, Discrete } from '../spaces.js';
import { Action, type AtariAction, actionsOf, FULL_ACTION_MEANINGS } from './actions.js';
import { type Game, SCREEN_HEIGHT, SCREEN_WIDTH } from './game.js';
import { PALETTE_GRAY, PALETTE_RGB } from './palette.js';

export type ObsType = 'rgb' | 'grayscale';

export interface AtariOptions {
  /** Emulator frames per agent step: a number, or [min, max) drawn uniformly each step. Default 4. */
  frameskip?: number | readonly [number, number];
  /** Probability of repeating the previous frame's action instead of the agent's. Default 0.25. */
  repeatActionProbability?: number;
  /** Use all 18 joystick actions instead of the game's minimal set. Default false. */
  fullActionSpace?: boolean;
  /** Truncate an episode after this many emulator frames; 0 for no limit. Default 108000 (30 min). */
  maxNumFramesPerEpisode?: number;
  /** Observation type. Default `rgb`. */
  obsType?: ObsType;
}

export const ATARI_DEFAULTS: Required<AtariOptions> = {
  frameskip: 4,
  repeatActionProbability: 0.25,
  fullActionSpace: false,
  maxNumFramesPerEpisode: 108_000,
  obsType: 'rgb',
};

const PIXELS = SCREEN_WIDTH * SCREEN_HEIGHT;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Each palette colour as r | g << 8 | b << 16 (256 entries so that any byte indexes it). */
const PACKED_RGB = Uint32Array.from({ length: 256 }, (_, c) =>
  c < PALETTE_RGB.length / 3
    ? PALETTE_RGB[c * 3] | (PALETTE_RGB[c * 3 + 1] << 8) | (PALETTE_RGB[c * 3 + 2] << 16)
    : 0,
);

export class AtariEnv implements Env<Uint8Array, number> {
  readonly observationSpace: Box<'uint8'>;
  readonly actionSpace: Discrete;
  readonly actionMeanings: readonly string[];
  readonly options: Readonly<Required<AtariOptions>>;

  private readonly actionSet: readonly AtariAction[];
  private readonly screen = new Uint8Array(PIXELS);
  private readonly screen32 = new Uint32Array(this.screen.buffer);
  private readonly obs: Uint8Array;
  private readonly rgb = new Uint8Array(PIXELS * 3);
  private rng: Rng;
  private lastAction: AtariAction = Action.NOOP;
  private frameNumber = 0;
  private episodeFrameNumber = 0;
  private needsReset = true;

  constructor(
    readonly game: Game,
    options: AtariOptions = {},
    seed = 0,
  ) {
    this.options = validate({ ...ATARI_DEFAULTS, ...options });
    this.actionSet = this.options.fullActionSpace
      ? FULL_ACTION_MEANINGS.map((_, i) => i)
      : actionsOf(game.minimalActions);
    this.actionMeanings = this.actionSet.map((a) => FULL_ACTION_MEANINGS[a]);
    this.actionSpace = new Discrete(this.actionSet.length);
    const shape =
      this.options.obsType === 'rgb' ? [SCREEN_HEIGHT, SCREEN_WIDTH, 3] : [SCREEN_HEIGHT, SCREEN_WIDTH];
    this.observationSpace = new Box(0, 255, shape, 'uint8');
    this.obs = new Uint8Array(this.observationSpace.size);
    this.rng = new Rng(seed);
  }

  get lives(): number {
    return this.game.lives;
  }

  reset(opts: ResetOptions = {}): ResetResult<Uint8Array> {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    this.game.reset(this.rng);
    this.lastAction = Action.NOOP;
    this.episodeFrameNumber = 0;
    this.needsReset = false;
    return { obs: this.observe(), info: this.info() };
  }

  step(action: number): StepResult<Uint8Array> {
    if (this.needsReset)
      throw new Error('AtariEnv: call reset() before step() (and again after an episode ends)');
    const frames = this.drawFrameskip();
    let reward = 0;
    for (let f = 0; f < frames && !this.game.gameOver && !this.isTruncated(); f++) {
      reward += this.emulateFrame(action);
    }
    return {
      obs: this.observe(),
      reward,
      terminated: this.game.gameOver,
      truncated: this.isTruncated(),
      info: this.info(),
    };
  }

  /**
   * One emulator frame under agent action `action` (an index into this env's action set), with
   * sticky actions applied; returns its reward. Nothing is drawn.
   */
  emulateFrame(action: number): number {
    if (this.needsReset)
      throw new Error('AtariEnv: call reset() before step() (and again after an episode ends)');
    const chosen = this.actionSet[action];
    if (chosen === undefined) {
      throw new Error(`AtariEnv: action ${action} is outside Discrete(${this.actionSet.length})`);
    }
    // ALE v5: with probability p the emulator keeps the previous frame's action.
    if (this.rng.float32() >= this.options.repeatActionProbability) this.lastAction = chosen;
    const reward = this.game.tick(this.lastAction, this.rng);
    this.frameNumber++;
    this.episodeFrameNumber++;
    if (this.game.gameOver || this.isTruncated()) this.needsReset = true;
    return reward;
  }

  /** The reference policy's action, as an index into this env's action set. */
  referenceAction(): number {
    const full = this.game.referenceAction();
    const index = this.actionSet.indexOf(full);
    if (index >= 0) return index;
    // A full-set action outside the minimal set: fall back to the closest one without FIRE, then NOOP.
    const meaning = FULL_ACTION_MEANINGS[full].replace('FIRE', '') || 'NOOP';
    const fallback = this.actionSet.findIndex((a) => FULL_ACTION_MEANINGS[a] === meaning);
    return fallback >= 0 ? fallback : 0;
  }

  /** The episode ended by the game's rules. */
  isTerminated(): boolean {
    return this.game.gameOver;
  }

  /** The episode hit maxNumFramesPerEpisode. */
  isTruncated(): boolean {
    const max = this.options.maxNumFramesPerEpisode;
    return max > 0 && this.episodeFrameNumber >= max && !this.game.gameOver;
  }

  /** Writes the current screen as luminance, 210x160, into `out`. */
  grayscaleScreen(out: Uint8Array): Uint8Array {
    this.game.draw(this.screen);
    const gray = PALETTE_GRAY; // a local: module constants are slow to read in hot loops under CommonJS
    const s32 = this.screen32;
    if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
      // Four pixels per word: the conversion is the hot path of every pixel observation.
      const o32 = new Uint32Array(out.buffer, out.byteOffset, PIXELS / 4);
      for (let i = 0; i < o32.length; i++) {
        const w = s32[i];
        o32[i] =
          gray[w & 255] |
          (gray[(w >>> 8) & 255] << 8) |
          (gray[(w >>> 16) & 255] << 16) |
          (gray[w >>> 24] << 24);
      }
    } else {
      const s = this.screen;
      for (let i = 0; i < PIXELS; i++) out[i] = gray[s[i]];
    }
    return out;
  }

  /** Writes the current screen as RGB, 210x160x3, into `out`. */
  rgbScreen(out: Uint8Array): Uint8Array {
    this.game.draw(this.screen);
    const s32 = this.screen32;
    const packed = PACKED_RGB;
    if (LITTLE_ENDIAN && out.byteOffset % 4 === 0) {
      // Four pixels (4 palette bytes) become three words of RGB: r0 g0 b0 r1 | g1 b1 r2 g2 | b2 r3 g3 b3.
      const o32 = new Uint32Array(out.buffer, out.byteOffset, (PIXELS * 3) / 4);
      for (let i = 0, j = 0; i < s32.length; i++, j += 3) {
        const w = s32[i];
        const a = packed[w & 255];
        const b = packed[(w >>> 8) & 255];
        const c = packed[(w >>> 16) & 255];
        const d = packed[w >>> 24];
        o32[j] = a | (b << 24);
        o32[j + 1] = (b >>> 8) | (c << 16);
        o32[j + 2] = (c >>> 16) | (d << 8);
      }
    } else {
      const s = this.screen;
      const rgb = PALETTE_RGB;
      for (let i = 0, j = 0; i < PIXELS; i++, j += 3) {
        const c = s[i] * 3;
        out[j] = rgb[c];
        out[j + 1] = rgb[c + 1];
        out[j + 2] = rgb[c + 2];
      }
    }
    return out;
  }

  render(): RgbFrame {
    return { width: SCREEN_WIDTH, height: SCREEN_HEIGHT, data: this.rgbScreen(this.rgb).slice() };
  }

  info(): Info {
    return {
      lives: this.game.lives,
      frameNumber: this.frameNumber,
      episodeFrameNumber: this.episodeFrameNumber,
    };
  }

  close(): void {}

  /** Everything needed to continue this env exactly: game, RNG, counters. */
  getState(): AtariEnvState {
    return {
      game: this.game.getState(),
      rng: this.rng.getState(),
      lastAction: this.lastAction,
      frameNumber: this.frameNumber,
      episodeFrameNumber: this.episodeFrameNumber,
      needsReset: this.needsReset,
    };
  }

  setState(state: AtariEnvState): void {
    this.game.setState(state.game);
    this.rng = Rng.fromState(state.rng);
    this.lastAction = state.lastAction;
    this.frameNumber = state.frameNumber;
    this.episodeFrameNumber = state.episodeFrameNumber;
    this.needsReset = state.needsReset;
  }

  private observe(): Uint8Array {
    return this.options.obsType === 'rgb' ? this.rgbScreen(this.obs) : this.grayscaleScreen(this.obs);
  }

  private drawFrameskip(): number {
    const fs = this.options.frameskip;
    return typeof fs === 'number' ? fs : this.rng.intRange(fs[0], fs[1]);
  }
}

export interface AtariEnvState {
  game: unknown;
  rng: RngState;
  lastAction: number;
  frameNumber: number;
  episodeFrameNumber: number;
  needsReset: boolean;
}

function validate(o: Required<AtariOptions>): Required<AtariOptions> {
  const fs = o.frameskip;
  if (typeof fs === 'number') {
    if (!Number.isInteger(fs) || fs < 1) throw new Error(`frameskip must be an integer >= 1, got ${fs}`);
  } else if (
    !Array.isArray(fs) ||
    fs.length !== 2 ||
    !Number.isInteger(fs[0]) ||
    !Number.isInteger(fs[1]) ||
    fs[0] < 1 ||
    fs[1] <= fs[0]
  ) {
    throw new Error(
      `frameskip range must be [min, max) with integers 1 <= min < max, got ${JSON.stringify(fs)}`,
    );
  }
  const p = o.repeatActionProbability;
  if (!(p >= 0 && p <= 1)) throw new Error(`repeatActionProbability must be in [0, 1], got ${p}`);
  if (!Number.isInteger(o.maxNumFramesPerEpisode) || o.maxNumFramesPerEpisode < 0) {
    throw new Error(`maxNumFramesPerEpisode must be an integer >= 0, got ${o.maxNumFramesPerEpisode}`);
  }
  if (o.obsType !== 'rgb' && o.obsType !== 'grayscale') {
    throw new Error(`obsType must be 'rgb' or 'grayscale', got ${JSON.stringify(o.obsType)}`);
  }
  return o;
}
