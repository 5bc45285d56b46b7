/**
 * What actors and the learner send each other through Redis, and how it is encoded: MessagePack
 * (msgpackr, typed arrays as they are), optionally deflate-raw compressed (node:zlib, level 1:
 * grayscale game frames are mostly flat areas, and level 1 keeps the actor's CPU for the envs).
 *
 * An experience message carries one segment per env of one actor: consecutive steps whose
 * n-step TD error the actor has computed. Frames are deduplicated as in the replay memory: each
 * frame an env emitted is sent once, and steps name frames by index, so a step's next frame is
 * the next step's frame (except at an episode's end, where it is the episode's final frame).
 *
 *   frames:  [ f0 | f1 | f2 | f3 | F3 | f0' ]      (F3 = final frame of the episode that ended at step 2)
 *   frame:   [ 0, 1, 2, 5 ]    next: [ 1, 2, 4, ... ]
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Packr } from 'msgpackr';

export type FrameArray = Uint8Array | Float32Array;

/** Bits of {@link LaneSegment.flags}. */
export const SEG_TERMINATED = 1;
export const SEG_TRUNCATED = 2;

/** Consecutive steps of one env of one actor. */
export interface LaneSegment {
  /** The actor's env index (its lane on the learner is actor × envsPerActor + env). */
  env: number;
  /** The first step's number among this env's steps since the actor session started. */
  firstStep: number;
  /** The unique frames the steps refer to, concatenated. */
  frames: FrameArray;
  /** Per step: index (in `frames`) of the newest frame of s_t. */
  frame: Uint16Array;
  /** Per step: index of the newest frame of s_{t+1} (the final frame when the step ended the episode). */
  next: Uint16Array;
  actions: Int32Array;
  /** Rewards as the replay stores them (clipped when the config says so). */
  rewards: Float32Array;
  /** Per step: SEG_TERMINATED | SEG_TRUNCATED. */
  flags: Uint8Array;
  /** Per step: |δ_t|, the actor's n-step TD error (apex.ts). */
  priorities: Float32Array;
}

/** A finished episode, for the learner's metrics (raw return). */
export interface EpisodeReport {
  env: number;
  return: number;
  length: number;
}

export interface ExperienceMessage {
  kind: 'experience';
  /** The learner run this experience was made for (a new run under the same name gets a new id). */
  runId: string;
  /** The actor's slot index. */
  actor: number;
  /** Random per actor process: a new session's steps never continue an old session's episodes. */
  session: string;
  /** Messages of this session before this one. */
  seq: number;
  /** Version of the weights the actor acted with. */
  weightsVersion: number;
  segments: LaneSegment[];
  episodes: EpisodeReport[];
}

export interface WeightsMessage {
  kind: 'weights';
  runId: string;
  version: number;
  /** Learner updates when these weights were taken. */
  updates: number;
  shapes: number[][];
  data: Float32Array[];
}

const packr = new Packr({ moreTypes: true });

/** Transitions in a message. */
export function transitionsOf(message: ExperienceMessage): number {
  return message.segments.reduce((n, s) => n + s.actions.length, 0);
}

/** Encodes a message for the wire. */
export function encodeMessage(message: ExperienceMessage | WeightsMessage, compress: boolean): Buffer {
  const packed = packr.pack(message);
  return compress ? deflateRawSync(packed, { level: 1 }) : packed;
}

/** Decodes what {@link encodeMessage} made; throws on anything else. */
export function decodeMessage(bytes: Buffer, compressed: boolean): ExperienceMessage | WeightsMessage {
  const message = packr.unpack(compressed ? inflateRawSync(bytes) : bytes) as { kind?: unknown };
  if (message?.kind !== 'experience' && message?.kind !== 'weights') {
    throw new Error(`not a pixelrl message (kind ${JSON.stringify(message?.kind)})`);
  }
  return message as ExperienceMessage | WeightsMessage;
}

/** Checks a segment's arrays against each other and the frame size (a corrupt or foreign message). */
export function checkSegment(segment: LaneSegment, frameSize: number): void {
  const n = segment.actions.length;
  const arrays = [segment.frame, segment.next, segment.rewards, segment.flags, segment.priorities];
  if (arrays.some((a) => a?.length !== n)) throw new Error('segment: per-step arrays differ in length');
  const frames = segment.frames.length / frameSize;
  if (!Number.isInteger(frames)) throw new Error(`segment: frames are not whole frames of ${frameSize}`);
  for (let k = 0; k < n; k++) {
    if (segment.frame[k] >= frames || segment.next[k] >= frames)
      throw new Error('segment: frame index out of range');
  }
}
