/**
 * The state of an env or wrapper chain as plain data and typed arrays, so that a checkpoint can
 * resume an env in the middle of its episode, exactly (SyncVecEnv's `getState`/`setState`).
 *
 * Generic rather than one method per wrapper: the envs with state that a field walk cannot see
 * (CartPole, AtariEnv, NoopReset) have their own `getState`/`setState`; simple wrappers (TimeLimit,
 * EpisodicLife, ...) keep only numbers, flags, typed arrays and Rngs, which the walk copies.
 */
import { Rng } from '../src/util/rng.js';

/** One level of an env chain: `fields`, `own` (its `getState()`, if any) and `inner` (the next level). */
export type EnvSnapshot = { [key: string]: unknown };

/**
 * The state of one env or wrapper chain, as plain data and typed arrays: at each level, its own
 * `getState()` if it has one, plus its number/boolean fields, typed arrays and Rngs (what a
 * simple wrapper such as TimeLimit or EpisodicLife keeps), then its `inner` env in turn.
 */
export function snapshotEnv(env: object): EnvSnapshot {
  const e = env as EnvSnapshot & { getState?: () => unknown; inner?: object };
  const fields: EnvSnapshot = {};
  for (const [key, value] of Object.entries(e)) {
    if (key === 'inner') continue;
    if (typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
    else if (ArrayBuffer.isView(value)) fields[key] = (value as Uint8Array).slice();
    else if (value instanceof Rng) fields[key] = { rng: value.getState() };
  }
  const snap: EnvSnapshot = { fields };
  if (typeof e.getState === 'function') snap.own = e.getState();
  if (e.inner) snap.inner = snapshotEnv(e.inner);
  return snap;
}

/** Restores a state taken by {@link snapshotEnv} into an env built the same way. */
export function restoreEnv(env: object, snap: EnvSnapshot): void {
  const e = env as EnvSnapshot & { setState?: (s: unknown) => void; inner?: object };
  if (snap.inner) {
    if (!e.inner)
      throw new Error('env state does not match the env: the state has an inner env, the env has none');
    restoreEnv(e.inner, snap.inner as EnvSnapshot);
  }
  for (const [key, value] of Object.entries(snap.fields as EnvSnapshot)) {
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
