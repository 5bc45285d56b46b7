/**
 * The records of a run directory's `metrics.jsonl`, one JSON object per line, discriminated by
 * `kind`. The trainers write them (src/train/metrics.ts) and the viewers read them
 * (src/viz/metrics.ts); this file is the one definition of the format.
 */
export interface EpisodeRecord {
  kind: 'episode';
  /** Agent steps when the episode ended. */
  step: number;
  /** Emulator frames when the episode ended. */
  frames: number;
  /** Wall time since the run started, seconds. */
  timeSeconds: number;
  return: number;
  /** Episode length in agent steps. */
  length: number;
  /** Which of the parallel envs it came from. */
  envIndex: number;
}

export interface TrainRecord {
  kind: 'train';
  step: number;
  frames: number;
  timeSeconds: number;
  loss: number;
  meanQ?: number;
  epsilon?: number;
  /** Agent steps per second. */
  sps: number;
}

export interface EvalRecord {
  kind: 'eval';
  step: number;
  frames: number;
  timeSeconds: number;
  meanReturn: number;
  stdReturn: number;
  episodes: number;
}

export type MetricRecord = EpisodeRecord | TrainRecord | EvalRecord;
