/**
 * checkEnv: an env checker in the spirit of Gymnasium's `check_env`. It throws an Error listing
 * every contract the env breaks:
 *
 * - reset() returns an observation inside observationSpace and an info object;
 * - step() returns an observation inside the space, a finite reward, boolean terminated/truncated;
 * - actions outside actionSpace are refused;
 * - the same seed and the same actions give the same observations and rewards (compared by hash);
 * - render() returns an RGB frame of width x height x 3 bytes;
 * - actionMeanings, when present, name every action.
 */
import { Rng } from '../src/util/rng.js';
import type { Env } from './core.js';
import { hashBytes } from './hash.js';

export interface CheckEnvOptions {
  /** Agent steps to take (episodes are reset as they end). Default 300. */
  steps?: number;
  seed?: number;
}

export function checkEnv<Obs, Act>(env: Env<Obs, Act>, opts: CheckEnvOptions = {}): void {
  const steps = opts.steps ?? 300;
  const seed = opts.seed ?? 7;
  const problems: string[] = [];
  const a = rollout(env, seed, steps, problems);
  const b = rollout(env, seed, steps, []);
  if (a !== b) problems.push(`not deterministic: two runs with seed ${seed} and the same actions differ`);

  const n = (env.actionSpace as { n?: number }).n;
  if (n !== undefined) {
    if (env.actionMeanings && env.actionMeanings.length !== n) {
      problems.push(`actionMeanings has ${env.actionMeanings.length} names for Discrete(${n})`);
    }
    env.reset({ seed });
    if (!throws(() => env.step(n as Act))) problems.push(`step(${n}) outside Discrete(${n}) was not refused`);
  }

  env.reset({ seed });
  const frame = env.render();
  if (!(frame.data instanceof Uint8Array) || frame.data.length !== frame.width * frame.height * 3) {
    problems.push(
      `render() must return width x height x 3 bytes; got ${frame.data.length} for ${frame.width}x${frame.height}`,
    );
  }
  if (problems.length > 0)
    throw new Error(`checkEnv found ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
}

/** Plays `steps` random actions from `reset({seed})`; returns a hash of everything observed. */
function rollout<Obs, Act>(env: Env<Obs, Act>, seed: number, steps: number, problems: string[]): string {
  const rng = new Rng(seed);
  const parts: string[] = [];
  const first = env.reset({ seed });
  checkObs(env, first.obs, 'reset()', problems);
  if (typeof first.info !== 'object' || first.info === null)
    problems.push('reset() must return an info object');
  parts.push(hashObs(first.obs));
  for (let t = 0; t < steps; t++) {
    const r = env.step(env.actionSpace.sample(rng));
    checkObs(env, r.obs, `step() #${t}`, problems);
    if (typeof r.reward !== 'number' || !Number.isFinite(r.reward))
      problems.push(`step() #${t}: reward ${r.reward} is not finite`);
    if (typeof r.terminated !== 'boolean' || typeof r.truncated !== 'boolean') {
      problems.push(`step() #${t}: terminated and truncated must be booleans`);
    }
    parts.push(`${hashObs(r.obs)}:${r.reward}:${r.terminated}:${r.truncated}`);
    if (r.terminated || r.truncated) parts.push(hashObs(env.reset().obs));
    if (problems.length > 10) break;
  }
  return hashBytes(new TextEncoder().encode(parts.join('|')));
}

function checkObs<Obs, Act>(env: Env<Obs, Act>, obs: Obs, where: string, problems: string[]): void {
  if (!env.observationSpace.contains(obs)) {
    problems.push(`${where}: observation is not in ${env.observationSpace.toString()}`);
  }
}

function hashObs(obs: unknown): string {
  if (ArrayBuffer.isView(obs)) return hashBytes(new Uint8Array(obs.buffer, obs.byteOffset, obs.byteLength));
  return JSON.stringify(obs);
}

function throws(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch {
    return true;
  }
}
