/**
 * What a model may be given as its env: a registered env id, an env instance, or (on-policy
 * algorithms) a vector env. The loops build their envs from a registry id (so that evaluation,
 * checkpoints and `pixelrl eval` can rebuild them), so an instance is registered for this process
 * under an id of its own (`register`), and a vector env is handed to the loop as it is.
 */
import type { Env } from '../../../envs/core.js';
import { createRegistry, register } from '../../../envs/registry.js';
import type { BoxArray } from '../../../envs/spaces.js';
import type { OnPolicyEnvs } from '../on-policy-envs.js';

export type BoxEnv = Env<BoxArray, number>;

/** An env id (`CartPole-v1`), an env instance, or a vector env (on-policy algorithms). */
export type EnvSource = string | BoxEnv | OnPolicyEnvs;

/** How a model reaches its env. */
export interface ResolvedEnv {
  /** The registered id the run's config.json names. */
  id: string;
  /** The env was an instance: the run may have one env and no evaluation env of its own. */
  instance: boolean;
  /** A vector env to train on as it is (its `close` is left to its owner). */
  vecEnv: OnPolicyEnvs | null;
  /** Run settings the env decides (an instance: one env, no evaluation env; a vector env: its size). */
  fixed: { numEnvs?: number; workers?: number; evalEpisodes?: number };
}

/** Throws when `settings` asks for what `fixed` rules out. */
function checkFixed(fixed: ResolvedEnv['fixed'], settings: Record<string, unknown>, what: string): void {
  for (const [key, wanted] of Object.entries(fixed)) {
    const given = settings[key];
    if (given !== undefined && given !== wanted) {
      throw new Error(`${key} must be ${wanted} for ${what} (pass an env id for more)`);
    }
  }
}

function isVecEnv(env: object): env is OnPolicyEnvs {
  return 'numEnvs' in env && 'singleActionSpace' in env;
}

function isEnv(env: object): env is BoxEnv {
  return 'observationSpace' in env && 'actionSpace' in env && typeof (env as BoxEnv).step === 'function';
}

const registeredInstances = new WeakMap<object, string>();

/**
 * Resolves `source`. `envId` names an instance or a vector env (default for an instance: its
 * class name, `MyEnv-v0`; a vector env needs it, for evaluation and the saved run).
 */
export function resolveEnv(source: EnvSource, envId?: string, settings: object = {}): ResolvedEnv {
  const asked = settings as Record<string, unknown>;
  if (typeof source === 'string') {
    createRegistry().spec(source); // throws with the list of ids when unknown
    return { id: source, instance: false, vecEnv: null, fixed: {} };
  }
  if (typeof source !== 'object' || source === null) {
    throw new Error('env must be an env id (e.g. CartPole-v1), an env instance or a vector env');
  }
  if (isVecEnv(source)) {
    if (envId === undefined) {
      throw new Error(
        'a vector env needs the id of the env it steps (option envId, e.g. "CartPole-v1"): evaluation and the saved run build that env',
      );
    }
    createRegistry().spec(envId);
    const fixed = { numEnvs: source.numEnvs, workers: 0 };
    checkFixed(fixed, asked, 'a vector env (its own size, stepped in this thread)');
    return { id: envId, instance: false, vecEnv: wrapNoClose(source), fixed };
  }
  if (!isEnv(source))
    throw new Error('env must be an env id, an env instance (reset/step/spaces) or a vector env');
  // One instance cannot be copied: the run has one env, and evaluation needs an env of its own
  // (given to evaluate() or EvalCallback).
  const fixed = { numEnvs: 1, workers: 0, evalEpisodes: 0 };
  checkFixed(fixed, asked, 'an env instance (one env, no evaluation env of its own)');
  const known = registeredInstances.get(source);
  if (known !== undefined) return { id: known, instance: true, vecEnv: null, fixed };
  const id = envId ?? freeId(`${source.constructor.name.replace(/[^\w]/g, '') || 'Custom'}-v0`);
  const env = source;
  register({
    id,
    kind: 'classic',
    description: `an env instance given to the training API (${source.constructor.name})`,
    defaults: {},
    // The one instance: the run trains on it with one env and leaves evaluation to an env given
    // to evaluate() or EvalCallback (a second copy cannot be made from an instance).
    create: () => env,
  });
  registeredInstances.set(source, id);
  return { id, instance: true, vecEnv: null, fixed };
}

function freeId(base: string): string {
  const ids = new Set(createRegistry().ids());
  if (!ids.has(base)) return base;
  const stem = base.replace(/-v\d+$/, '');
  for (let v = 1; ; v++) if (!ids.has(`${stem}-v${v}`)) return `${stem}-v${v}`;
}

/** The vector env with `close` left to its owner (learn may be called again on it). */
function wrapNoClose(envs: OnPolicyEnvs): OnPolicyEnvs {
  return new Proxy(envs, {
    get(target, key, receiver) {
      if (key === 'close') return () => {};
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
