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
  /** Set when the episode was cut short by a fault (its env or worker failed): see the `fault` record. */
  truncated?: true;
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

/** A rollout worker or env failed; training went on (the envs were rebuilt) unless said otherwise. */
export interface FaultRecord {
  kind: 'fault';
  /** Agent steps when it was noticed. */
  step: number;
  frames: number;
  timeSeconds: number;
  /** What happened: `env-error`, `worker-exit`, `worker-error` or `timeout` (src/rollout/vec-env.ts). */
  fault: string;
  /** The env that failed, or that its worker was stepping. */
  envIndex: number;
  /** The worker thread, or -1 for the calling thread. */
  workerIndex: number;
  /** Envs whose episodes were cut short (recorded as `truncated` episodes). */
  affectedEnvs: number[];
  /** Restarts the worker has left (worker faults only). */
  restartsLeft?: number;
  message: string;
}

export type MetricRecord = EpisodeRecord | TrainRecord | EvalRecord | FaultRecord;
