/**
 * Reading the names older runs and config files used: the bundled agents' config.json, any run
 * written before the run settings became one schema (train-config.ts), and old-style `--config`
 * files all still load. What is written is always today's schema.
 *
 *   on-policy runs, flat        { algo: 'ppo', totalSteps, evalEverySteps, checkpointEverySteps,
 *                                 numSteps, clipCoef, … }
 *     → today                   { algo: 'ppo', steps, evalInterval, checkpointInterval,
 *                                 ppo: { numSteps, clipCoef, … } }
 *   DQN runs                    dqn.learningRateDecay → dqn.annealLr
 *   makeAtari options           atari.frameStack → atari.historyLength (frames per observation),
 *   (`atari`, and `envOptions`  atari.frameSkip → atari.frameskip (emulator frames per step),
 *   of DQN pixel runs)          the same in envOptions
 *
 * A setting given under both its old and its new name is refused (which one would win is a guess).
 */
import { ON_POLICY_ALGOS, ON_POLICY_FIELDS, type OnPolicyAlgo } from '../../agents/pg-config.js';

/** Old top-level names (on-policy runs) → today's. */
export const RENAMED_RUN_SETTINGS: Readonly<Record<string, string>> = {
  totalSteps: 'steps',
  evalEverySteps: 'evalInterval',
  checkpointEverySteps: 'checkpointInterval',
};

/** Old DQN hyperparameter names → today's. */
export const RENAMED_DQN_SETTINGS: Readonly<Record<string, string>> = {
  learningRateDecay: 'annealLr',
};

/** Old makeAtari option names (an on-policy run's `atari`, a DQN pixel run's `envOptions`) → today's. */
export const RENAMED_ATARI_OPTIONS: Readonly<Record<string, string>> = {
  frameStack: 'historyLength',
  frameSkip: 'frameskip',
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Today's name of each setting a config gave under an old one → the old name as written. */
export type OldNames = Map<string, string>;

/**
 * `o` with its old names replaced by today's; `where` prefixes the names in an error and in
 * `seen`, which records each rename.
 */
function renamed(
  o: Record<string, unknown>,
  names: Readonly<Record<string, string>>,
  where: string,
  seen?: OldNames,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(o)) {
    const now = names[key] ?? key;
    if (now !== key && now in o) {
      throw new Error(`${where}${key} is the old name of ${where}${now}: give only ${where}${now}`);
    }
    if (now !== key) seen?.set(`${where}${now}`, `${where}${key}`);
    out[now] = value;
  }
  return out;
}

/**
 * A run config (config.json or a `--config` file) in today's schema, from today's or the old
 * names. `algo` is the algorithm whose config it is (default: its own `algo` field). Values are
 * not checked here; anything that is not an object passes through for the validator to refuse.
 * `oldNames`, when given, records the renames (for {@link withOldNames}).
 */
export function upgradeRunConfig(
  raw: Record<string, unknown>,
  algo: unknown = raw?.algo,
  oldNames?: OldNames,
): Record<string, unknown> {
  if (!isObject(raw)) return raw;
  const config = renamed(raw, RENAMED_RUN_SETTINGS, '', oldNames);
  for (const key of ['atari', 'envOptions']) {
    const options = config[key];
    if (isObject(options)) config[key] = renamed(options, RENAMED_ATARI_OPTIONS, `${key}.`, oldNames);
  }
  if (algo === 'dqn' && isObject(config.dqn)) {
    config.dqn = renamed(config.dqn, RENAMED_DQN_SETTINGS, 'dqn.', oldNames);
  }
  if (!ON_POLICY_ALGOS.includes(algo as OnPolicyAlgo)) return config;
  // Old on-policy configs were flat: their hyperparameters move under the algorithm's name.
  const name = algo as OnPolicyAlgo;
  const fields = ON_POLICY_FIELDS[name];
  const flat = Object.keys(config).filter((key) => key in fields);
  if (flat.length === 0) return config;
  const nested = config[name] ?? {};
  if (!isObject(nested)) return config;
  const hyper: Record<string, unknown> = { ...nested };
  for (const key of flat) {
    if (key in nested) throw new Error(`${key} is given twice: at the top level and in ${name}.${key}`);
    hyper[key] = config[key];
    delete config[key];
  }
  config[name] = hyper;
  return config;
}

/**
 * Runs `check` (a validation of a config read with {@link upgradeRunConfig}); an error about a
 * setting the config wrote under its old name names that too, so that the message points at
 * what the user wrote: `steps (written totalSteps) must be an integer from 1 to …`.
 */
export function withOldNames<T>(oldNames: OldNames, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (oldNames.size === 0 || !(err instanceof Error)) throw err;
    let message = err.message;
    for (const [now, old] of oldNames) {
      const leaf = now.slice(now.lastIndexOf('.') + 1);
      const at = message.search(new RegExp(`\\b${leaf}\\b`));
      if (at >= 0)
        message = `${message.slice(0, at + leaf.length)} (written ${old})${message.slice(at + leaf.length)}`;
    }
    throw new Error(message);
  }
}
