/**
 * A stopgap φ for pixel games until `envs/make-atari.ts` lands: the harness's grayscale screen
 * (its frameskip sums the rewards of 4 frames and shows the last one), area-resized to 84x84.
 * It leaves out the max over the last two frames (the bundled games draw every sprite on every
 * frame) and no-op resets (evaluation adds no-op starts itself). One frame per step: the agent
 * stacks the last 4 (agents/frame-history.ts).
 */
import type { Env, ResetOptions, ResetResult, RgbFrame, StepResult } from '../../envs/core.js';
import { AreaResizer } from '../../envs/preprocess/resize-area.js';
import { Box, type BoxArray, type Discrete } from '../../envs/spaces.js';

export class Gray84 implements Env<Uint8Array, number> {
  readonly observationSpace: Box<'uint8'>;
  readonly actionSpace: Discrete;
  readonly actionMeanings?: readonly string[];
  private readonly resizer: AreaResizer;
  private readonly out: Uint8Array;

  constructor(
    readonly inner: Env<BoxArray, number>,
    size = 84,
  ) {
    const shape = (inner.observationSpace as Box).shape;
    if (!shape || shape.length !== 2) {
      throw new Error(
        `Gray84 needs a grayscale [height, width] screen, got [${shape}]: make the env with obsType 'grayscale'`,
      );
    }
    this.resizer = new AreaResizer({
      srcHeight: shape[0],
      srcWidth: shape[1],
      dstHeight: size,
      dstWidth: size,
    });
    this.observationSpace = new Box(0, 255, [size, size], 'uint8');
    this.actionSpace = inner.actionSpace as Discrete;
    this.actionMeanings = inner.actionMeanings;
    this.out = new Uint8Array(size * size);
  }

  reset(opts?: ResetOptions): ResetResult<Uint8Array> {
    const r = this.inner.reset(opts);
    return { obs: this.resizer.resize(r.obs as Uint8Array, this.out), info: r.info };
  }

  step(action: number): StepResult<Uint8Array> {
    const r = this.inner.step(action);
    return { ...r, obs: this.resizer.resize(r.obs as Uint8Array, this.out) };
  }

  render(): RgbFrame {
    return this.inner.render();
  }

  close(): void {
    this.inner.close();
  }
}
