/**
 * VideoRecorderCallback: every N steps (and at the end of training), plays one episode of the
 * run's evaluation policy in a fresh evaluation env and writes it to `<run>/videos/step-<n>.<ext>`
 * (APNG `.png`, GIF, or MP4 when ffmpeg is on the PATH) — `pixelrl train --record-every N`.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FrameStacks } from '../../agents/frame-stacks.js';
import type { BoxArray } from '../../envs/spaces.js';
import { Rng, splitmix32 } from '../util/rng.js';
import { playToFile } from '../viz/play.js';
import type { Policy } from '../viz/playback.js';
import {
  type Callback,
  crossedInterval,
  type EndInfo,
  type RunActor,
  type RunView,
  type StepInfo,
} from './callbacks.js';

export type VideoFormat = 'apng' | 'gif' | 'mp4';
const EXTENSION: Record<VideoFormat, string> = { apng: 'png', gif: 'gif', mp4: 'mp4' };

export interface VideoRecorderOptions {
  /** Agent steps between videos. */
  everySteps: number;
  /** Default `gif`. */
  format?: VideoFormat;
  /** Default `<runDir>/videos`. */
  dir?: string;
  /** An episode is cut after this many agent steps. Default 2000. */
  maxSteps?: number;
  /** Upscaling factor. Default 2. */
  scale?: number;
}

/** The actor's policy over single env observations: it stacks the last `historyLength` itself. */
export function actorPolicy(actor: RunActor, frameSize: number, rng: Rng): Policy<BoxArray> {
  const history = new FrameStacks(1, frameSize, actor.historyLength);
  const stack = new Float32Array(history.stackSize);
  const action = new Int32Array(1);
  return (obs, step) => {
    if (step === 0) history.reset(0);
    history.push(0, obs);
    actor.act(history.stackAll(stack), 1, actor.evalEpsilon, rng, action);
    return { action: action[0] };
  };
}

export class VideoRecorderCallback implements Callback {
  /** The files written so far. */
  readonly written: string[] = [];
  private lastStep = 0;
  private lastRecorded = -1;

  constructor(private readonly options: VideoRecorderOptions) {
    if (!Number.isSafeInteger(options.everySteps) || options.everySteps < 1) {
      throw new Error(`--record-every must be an integer >= 1, got ${JSON.stringify(options.everySteps)}`);
    }
  }

  onTrainingStart(run: RunView): void {
    this.lastStep = run.step;
  }

  async onStep({ run, step }: StepInfo): Promise<void> {
    const due = crossedInterval(this.lastStep, step, this.options.everySteps);
    this.lastStep = step;
    if (due) await this.record(run, step);
  }

  async onTrainingEnd({ run, step }: EndInfo): Promise<void> {
    if (step !== this.lastRecorded) await this.record(run, step);
  }

  /** Plays and writes one episode at `step`; returns the file. */
  async record(run: RunView, step: number): Promise<string> {
    const format = this.options.format ?? 'gif';
    const dir = this.options.dir ?? join(run.runDir, 'videos');
    await mkdir(dir, { recursive: true });
    const path = join(dir, `step-${String(step).padStart(9, '0')}.${EXTENSION[format]}`);
    const seed = splitmix32(step + 1);
    const env = run.makeEvalEnv(seed);
    try {
      const frameSize = (env.observationSpace as { size?: number }).size ?? 0;
      const rng = new Rng(seed);
      await playToFile(
        env,
        actorPolicy(run.actor, frameSize, rng),
        path,
        {
          episodes: 1,
          maxSteps: this.options.maxSteps ?? 2000,
          rng,
          seed,
        },
        { format, scale: this.options.scale ?? 2 },
      );
    } finally {
      env.close();
    }
    this.lastRecorded = step;
    this.written.push(path);
    return path;
  }
}
