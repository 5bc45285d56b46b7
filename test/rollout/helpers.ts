/** Shared helpers of the rollout tests: record a vector env's streams as plain, comparable data. */
import { hashBytes } from '../../envs/hash.js';
import type { BoxArray } from '../../envs/spaces.js';
import type { VecEnv } from '../../src/rollout/vec-env.js';
import { Rng } from '../../src/util/rng.js';

export function bytesOf(a: BoxArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** One step of a stream: obs hash, rewards, flags, finalObs hashes ('' where none), fault kinds. */
export interface StepRecord {
  obs: string;
  rewards: number[];
  terminated: number[];
  truncated: number[];
  finalObs: string[];
  faults: string[];
}

/** Resets `venv` and steps it `steps` times with uniform random actions drawn from `actionSeed`. */
export async function recordStream(venv: VecEnv, steps: number, actionSeed: number): Promise<StepRecord[]> {
  const first = await venv.reset();
  const start: StepRecord = {
    obs: hashBytes(bytesOf(first.obs)),
    rewards: [],
    terminated: [],
    truncated: [],
    finalObs: [],
    faults: [],
  };
  return [start, ...(await stepStream(venv, steps, new Rng(actionSeed)))];
}

/** Steps `venv` (already reset or restored) `steps` times with uniform random actions from `rng`. */
export async function stepStream(venv: VecEnv, steps: number, rng: Rng): Promise<StepRecord[]> {
  const actions = new Int32Array(venv.numEnvs);
  const records: StepRecord[] = [];
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < venv.numEnvs; i++) actions[i] = rng.int(venv.singleActionSpace.n);
    const r = await venv.step(actions);
    records.push({
      obs: hashBytes(bytesOf(r.obs)),
      rewards: Array.from(r.rewards),
      terminated: Array.from(r.terminated),
      truncated: Array.from(r.truncated),
      finalObs: r.infos.map((info) => (info.finalObs ? hashBytes(bytesOf(info.finalObs)) : '')),
      faults: r.infos.map((info) => (info.fault ? `${info.fault.kind}@${info.fault.envIndex}` : '')),
    });
  }
  return records;
}

/** Number of episode ends (terminated or truncated) over a stream. */
export function countEnds(records: readonly StepRecord[]): { terminated: number; truncated: number } {
  let terminated = 0;
  let truncated = 0;
  for (const r of records) {
    for (const x of r.terminated) terminated += x;
    for (const x of r.truncated) truncated += x;
  }
  return { terminated, truncated };
}
