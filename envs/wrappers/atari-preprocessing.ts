/**
 * AtariPreprocessing: the φ of the DQN Nature paper, designed as Gymnasium's wrapper of that name.
 * It wraps an AtariEnv whose own frameskip is 1 and does the skipping itself, so that only the
 * frames it looks at are drawn:
 *
 *   for frameskip frames: emulateFrame(action), summing rewards, stopping early at game over or
 *   truncation; grab the screens of the last two frames (grayscale, 210x160);
 *   obs = resizeArea(max(last, second last)) → screenSize, uint8.
 *
 * The max over two frames shows sprites that the game draws only on alternate frames. One
 * difference from Gymnasium: when an episode ends before the last frame of a skip, Gymnasium
 * returns the screens of the previous step; here the observation is the final frame itself (not
 * max-pooled, as the frame before it was never drawn). No-op starts are left to NoopReset, and
 * the output stays uint8 (Gymnasium's scale_obs=False): the network divides by 255.
 */
import type { AtariEnv } from '../atari/atari-env.js';
import { SCREEN_HEIGHT, SCREEN_WIDTH } from '../atari/game.js';
import type { ResetOptions, ResetResult, StepResult } from '../core.js';
import { maxPool } from '../preprocess/max-pool.js';
import { AreaResizer } from '../preprocess/resize-area.js';
import { Box } from '../spaces.js';
import { Wrapper } from './wrapper.js';

export interface AtariPreprocessingOptions {
  /** Emulator frames per agent step (the action is repeated; rewards are summed). Default 4. */
  frameskip?: number;
  /** Output size: a side for a square, or [width, height]. Default 84. */
  screenSize?: number | readonly [number, number];
  /** Grayscale output [height, width]; false gives RGB [height, width, 3]. Default true. */
  grayscale?: boolean;
}

export const ATARI_PREPROCESSING_DEFAULTS: Required<AtariPreprocessingOptions> = {
  frameskip: 4,
  screenSize: 84,
  grayscale: true,
};

export class AtariPreprocessing extends Wrapper<Uint8Array, number> {
  declare readonly inner: AtariEnv;
  override readonly observationSpace: Box<'uint8'>;
  readonly frameskip: number;
  readonly grayscale: boolean;
  /** Screens of the last and the second-last frame of a skip. */
  private readonly last: Uint8Array;
  private readonly secondLast: Uint8Array;
  private readonly resizer: AreaResizer;
  private readonly obs: Uint8Array;

  constructor(inner: AtariEnv, options: AtariPreprocessingOptions = {}) {
    super(inner);
    const o = { ...ATARI_PREPROCESSING_DEFAULTS, ...options };
    if (inner.options.frameskip !== 1) {
      throw new Error(
        `AtariPreprocessing skips frames itself: make its AtariEnv with frameskip 1 (got ${JSON.stringify(inner.options.frameskip)}), e.g. registry.make(id, { frameskip: 1 })`,
      );
    }
    if (!Number.isInteger(o.frameskip) || o.frameskip < 1) {
      throw new Error(`AtariPreprocessing: frameskip must be an integer >= 1, got ${o.frameskip}`);
    }
    const [width, height] = typeof o.screenSize === 'number' ? [o.screenSize, o.screenSize] : o.screenSize;
    const fits = (v: number, max: number): boolean => Number.isInteger(v) && v >= 1 && v <= max;
    if (!fits(width, SCREEN_WIDTH) || !fits(height, SCREEN_HEIGHT)) {
      throw new Error(
        `AtariPreprocessing: screenSize must be a side or [width, height] of integers, at most ${SCREEN_WIDTH}x${SCREEN_HEIGHT} (it only shrinks), got ${JSON.stringify(o.screenSize)}`,
      );
    }
    if (typeof o.grayscale !== 'boolean') {
      throw new Error(
        `AtariPreprocessing: grayscale must be true or false, got ${JSON.stringify(o.grayscale)}`,
      );
    }
    this.frameskip = o.frameskip;
    this.grayscale = o.grayscale;
    const channels = o.grayscale ? 1 : 3;
    this.last = new Uint8Array(SCREEN_WIDTH * SCREEN_HEIGHT * channels);
    this.secondLast = new Uint8Array(this.last.length);
    this.resizer = new AreaResizer({
      srcWidth: SCREEN_WIDTH,
      srcHeight: SCREEN_HEIGHT,
      dstWidth: width,
      dstHeight: height,
      channels,
    });
    this.observationSpace = new Box(0, 255, o.grayscale ? [height, width] : [height, width, 3], 'uint8');
    this.obs = this.observationSpace.zeros();
  }

  override reset(opts?: ResetOptions): ResetResult<Uint8Array> {
    const r = this.inner.reset(opts);
    this.grab(this.last);
    return { obs: this.resizer.resize(this.last, this.obs), info: r.info };
  }

  override step(action: number): StepResult<Uint8Array> {
    const env = this.inner;
    let reward = 0;
    let frames = 0;
    for (let t = 0; t < this.frameskip; t++) {
      reward += env.emulateFrame(action);
      frames++;
      if (env.isTerminated() || env.isTruncated()) break;
      if (t === this.frameskip - 2) this.grab(this.secondLast);
    }
    this.grab(this.last);
    // secondLast holds this step's frame before the last only if the skip ran to its end.
    const screen =
      frames === this.frameskip && frames > 1 ? maxPool(this.last, this.secondLast, this.last) : this.last;
    return {
      obs: this.resizer.resize(screen, this.obs),
      reward,
      terminated: env.isTerminated(),
      truncated: env.isTruncated(),
      info: env.info(),
    };
  }

  private grab(out: Uint8Array): void {
    if (this.grayscale) this.inner.grayscaleScreen(out);
    else this.inner.rgbScreen(out);
  }
}
