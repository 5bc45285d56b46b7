/**
 * LocalVecEnv: N envs in the calling thread with the rollout VecEnv's same-step autoreset (see
 * src/rollout/vec-env.ts), plus `getState`/`setState` so a checkpoint can resume the envs in the
 * middle of their episodes, exactly.
 *
 * Why not SyncVecEnv: it offers no env state yet, and an exact resume (the resume test) needs
 * it. The env state is read through each level's own `getState`/`setState` (CartPole, AtariEnv,
 * NoopReset) and fields (see {@link snapshotEnv}).
 */
import type { Env } from '../../envs/core.js';
import { Box, type BoxArray, type BoxDtype, Discrete } from '../../envs/spaces.js';
import { deriveSeeds, Rng } from '../util/rng.js';

type BoxEnv = Env<BoxArray, number>;

export interface LocalVecStep<O extends BoxArray> {
  obs: O;
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  /** `finalObs` on the step that ended an episode (a copy), and the env's info. */
  infos: { finalObs?: BoxArray; [key: string]: unknown }[];
}

type Snapshot = { [key: string]: unknown };

/**
 * The state of one env or wrapper chain, as plain data and typed arrays: at each level, its own
 * `getState()` if it has one, plus its number/boolean fields, typed arrays and Rngs (what a
 * simple wrapper such as TimeLimit or EpisodicLife keeps), then its `inner` env in turn.
 */
export function snapshotEnv(env: object): Snapshot {
  const e = env as Snapshot & { getState?: () => unknown; inner?: object };
  const fields: Snapshot = {};
  for (const [key, value] of Object.entries(e)) {
    if (key === 'inner') continue;
    if (typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    else if (ArrayBuffer.isView(value)) fields[key] = (value as Uint8Array).slice();
    else if (value instanceof Rng) fields[key] = { rng: value.getState() };
  }
  const snap: Snapshot = { fields };
  if (typeof e.getState === 'function') snap.own = e.getState();
  if (e.inner) snap.inner = snapshotEnv(e.inner);
  return snap;
}

/** Restores a state taken by {@link snapshotEnv} into an env built the same way. */
export function restoreEnv(env: object, snap: Snapshot): void {
  const e = env as Snapshot & { setState?: (s: unknown) => void; inner?: object };
  if (snap.inner) {
    if (!e.inner)
      throw new Error('env state does not match the env: the state has an inner env, the env has none');
    restoreEnv(e.inner, snap.inner as Snapshot);
  }
  for (const [key, value] of Object.entries(snap.fields as Snapshot)) {
    const target = e[key];
    if (ArrayBuffer.isView(target)) (target as Uint8Array).set(value as Uint8Array);
    else if (target instanceof Rng)
      e[key] = Rng.fromState((value as { rng: ReturnType<Rng['getState']> }).rng);
    else e[key] = value;
  }
  if ('own' in snap) {
    if (typeof e.setState !== 'function')
      throw new Error('env state does not match the env: it has no setState');
    e.setState(snap.own);
  }
}

export class LocalVecEnv<O extends BoxArray = BoxArray> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Box<BoxDtype>;
  readonly singleActionSpace: Discrete;
  readonly obsSize: number;
  readonly obsShape: readonly number[];
  readonly envs: BoxEnv[];
  private readonly obs: O;
  private readonly seeds: number[];

  /** @param make builds env `index` (not yet reset). */
  constructor(make: (index: number) => BoxEnv, numEnvs: number, seed: number) {
    if (!Number.isInteger(numEnvs) || numEnvs < 1)
      throw new Error(`numEnvs must be an integer >= 1, got ${numEnvs}`);
    this.numEnvs = numEnvs;
    this.envs = Array.from({ length: numEnvs }, (_, i) => make(i));
    const { observationSpace, actionSpace } = this.envs[0];
    if (!(observationSpace instanceof Box) || !(actionSpace instanceof Discrete)) {
      throw new Error(
        `a vector env needs Box observations and Discrete actions, got ${observationSpace} and ${actionSpace}`,
      );
    }
    this.singleObservationSpace = observationSpace;
    this.singleActionSpace = actionSpace;
    this.obsSize = observationSpace.size;
    this.obsShape = observationSpace.shape;
    const n = numEnvs * this.obsSize;
    const dtype = observationSpace.dtype;
    this.obs = (
      dtype === 'uint8' ? new Uint8Array(n) : dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
    ) as O;
    this.seeds = deriveSeeds(seed, numEnvs);
  }

  /** Resets every env, seeding env i with `deriveSeeds(seed, n)[i]`. */
  reset(): { obs: O } {
    this.envs.forEach((env, i) => {
      this.obs.set(env.reset({ seed: this.seeds[i] }).obs, i * this.obsSize);
    });
    return { obs: this.obs };
  }

  /** Steps every env; an env whose episode ended is reset at once (same-step autoreset). */
  step(actions: Int32Array): LocalVecStep<O> {
    const n = this.numEnvs;
    const rewards = new Float64Array(n);
    const terminated = new Uint8Array(n);
    const truncated = new Uint8Array(n);
    const infos: LocalVecStep<O>['infos'] = [];
    for (let i = 0; i < n; i++) {
      const env = this.envs[i];
      const r = env.step(actions[i]);
      rewards[i] = r.reward;
      terminated[i] = r.terminated ? 1 : 0;
      truncated[i] = r.truncated ? 1 : 0;
      const info: LocalVecStep<O>['infos'][number] = { ...r.info };
      if (r.terminated || r.truncated) {
        info.finalObs = r.obs.slice();
        this.obs.set(env.reset().obs, i * this.obsSize);
      } else {
        this.obs.set(r.obs, i * this.obsSize);
      }
      infos.push(info);
    }
    return { obs: this.obs, rewards, terminated, truncated, infos };
  }

  /** The current observations (the buffer `step` writes). */
  get currentObs(): O {
    return this.obs;
  }

  getState(): { envs: Snapshot[]; obs: BoxArray } {
    return { envs: this.envs.map((e) => snapshotEnv(e)), obs: this.obs.slice() };
  }

  setState(state: { envs: Snapshot[]; obs: ArrayLike<number> }): void {
    if (state.envs.length !== this.numEnvs) {
      throw new Error(`env state holds ${state.envs.length} envs, this vector env has ${this.numEnvs}`);
    }
    state.envs.forEach((s, i) => {
      restoreEnv(this.envs[i], s);
    });
    this.obs.set(state.obs);
  }

  close(): void {
    for (const e of this.envs) e.close();
  }
}
