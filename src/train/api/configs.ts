/**
 * A run's whole config from an env id and a few choices, the way `pixelrl train` builds it:
 * the preset for the env's kind (`classic` for vector envs, `atari` for pixel games, with the
 * CPU-sized overrides when no preset is named), then the caller's fields, in the one run schema
 * (src/train/train-config.ts): shared run settings at the top, the algorithm's hyperparameters
 * under its name (`dqn`, `ppo`, …). The library and the CLI share these builders.
 */
import { DQN_PRESETS, type DqnConfig, type DqnPresetName } from '../../../agents/dqn-config.js';
import type { OnPolicyAlgo, OnPolicyConfigOf } from '../../../agents/pg-config.js';
import { PPO_PIXEL_CPU_OVERRIDES, type PresetKind } from '../../../agents/pg-presets.js';
import { createRegistry } from '../../../envs/registry.js';
import { type OldNames, upgradeRunConfig, withOldNames } from '../legacy-config.js';
import {
  type OnPolicyRunConfigOf,
  type OnPolicyRunSettings,
  onPolicyPreset,
  validateOnPolicyRunConfig,
} from '../on-policy-config.js';
import { type DqnRunSettings, RUN_DEFAULTS, type RunConfig, validateRunConfig } from '../train-config.js';

/**
 * DQN settings for small pixel games on a CPU (the default of a pixel game without a named
 * preset, with 42x42 frames): the `compact` torso (16 4x4/2, 32 3x3/2, fc 128), 10-step Double DQN
 * targets, a 100k replay, learning from 5k steps, Adam 2.5e-4, ε → 0.01 over 20%.
 *
 * Why: at 42x42 the 2013 network's 8x8/4 first layer sees a 9x9 grid and DQN on Catch-v0 stayed
 * near random for 100k+ steps; `compact` learned it in ~25k. A ball takes ~40 agent steps to fall,
 * and 10-step returns carry its reward back in a few target syncs instead of forty. At 42x42 an
 * update is cheap enough (scripts/bench-dqn.ts) that 100k steps take minutes, not hours.
 */
export const CPU_PIXEL_OVERRIDES: Partial<DqnConfig> = {
  net: 'compact',
  nStep: 10,
  doubleDqn: true,
  bufferSize: 100_000,
  learningStarts: 5000,
  explorationFraction: 0.2,
  learningRate: 2.5e-4,
};

/** Agent steps of a vector-env DQN run when none are given (the RL Zoo's CartPole budget). */
export const CLASSIC_DQN_STEPS = 50_000;

/** What a DQN run may set besides its env: run settings, DQN hyperparameters, a preset. */
export interface DqnSettings extends Partial<Omit<DqnRunSettings, 'env' | 'algo'>> {
  /** DQN hyperparameters over the preset's. */
  dqn?: Partial<DqnConfig>;
  /** Default: `classic` for vector envs, `atari` with {@link CPU_PIXEL_OVERRIDES} for pixel games. */
  preset?: DqnPresetName;
}

/** The DQN run config for env `env` (a registered id); throws with the field that is wrong. */
export function dqnRunConfig(env: string, settings: DqnSettings = {}): RunConfig {
  const kind = createRegistry().spec(env).kind;
  const { preset, ...given } = settings;
  const oldNames: OldNames = new Map();
  const upgraded = upgradeRunConfig(given as Record<string, unknown>, 'dqn', oldNames);
  const { dqn: dqnFields, ...runFields } = upgraded as Omit<DqnSettings, 'preset'>;
  if (preset !== undefined && !(preset in DQN_PRESETS)) {
    throw new Error(`unknown DQN preset '${preset}': use one of ${Object.keys(DQN_PRESETS).join(', ')}`);
  }
  const dqn: DqnConfig = { ...DQN_PRESETS[preset ?? (kind === 'atari' ? 'atari' : 'classic')] };
  if (preset === undefined && kind === 'atari') Object.assign(dqn, CPU_PIXEL_OVERRIDES);
  Object.assign(dqn, definedOnly(dqnFields ?? {}));
  const run: DqnRunSettings = { ...RUN_DEFAULTS, env, algo: 'dqn' };
  if (kind === 'classic') run.steps = CLASSIC_DQN_STEPS;
  // A CPU-sized φ for pixel games unless a preset was asked for (see CPU_PIXEL_OVERRIDES).
  if (kind === 'atari' && preset === undefined) run.frameSize = 42;
  Object.assign(run, definedOnly(runFields));
  return withOldNames(oldNames, () => validateRunConfig({ ...run, dqn }));
}

/**
 * What an on-policy run may set besides its env and algo: any run setting, the algorithm's
 * hyperparameters under its name (over the preset's), and a preset.
 */
export type OnPolicySettings<A extends OnPolicyAlgo> = Partial<Omit<OnPolicyRunSettings, 'env'>> & {
  [K in A]?: Partial<OnPolicyConfigOf[A]>;
} & {
  /** Default: `classic` for vector envs, `atari` for pixel games (PPO: with its CPU-sized overrides). */
  preset?: PresetKind;
};

/** The on-policy run config of `algo` on env `env`; throws with the field that is wrong. */
export function onPolicyRunConfig<A extends OnPolicyAlgo>(
  algo: A,
  env: string,
  settings: OnPolicySettings<A> = {},
): OnPolicyRunConfigOf<A> {
  const kind = createRegistry().spec(env).kind;
  const { preset, ...given } = settings as OnPolicySettings<A> & Record<string, unknown>;
  const oldNames: OldNames = new Map();
  const fields = upgradeRunConfig(given, algo, oldNames);
  const config = onPolicyPreset(algo, preset ?? (kind === 'atari' ? 'atari' : 'classic'));
  const run = config as unknown as Record<string, unknown>;
  const hyper = run[algo] as Record<string, unknown>;
  run.env = env;
  run.envOptions = {};
  if (kind === 'atari') {
    run.atari = config.atari ?? {};
    // Without a preset, PPO on a pixel game gets the CPU-sized settings its acceptance run used.
    if (preset === undefined && algo === 'ppo') {
      run.atari = structuredClone(PPO_PIXEL_CPU_OVERRIDES.atari);
      Object.assign(hyper, PPO_PIXEL_CPU_OVERRIDES.ppo);
    }
  } else {
    run.atari = null;
  }
  const { [algo]: hyperFields, ...runFields } = fields;
  if (hyperFields !== undefined && (typeof hyperFields !== 'object' || hyperFields === null)) {
    throw new Error(`${algo} must be an object of ${algo} settings`);
  }
  Object.assign(run, definedOnly(runFields), { algo, env });
  Object.assign(hyper, definedOnly((hyperFields ?? {}) as Record<string, unknown>));
  return withOldNames(oldNames, () => validateOnPolicyRunConfig(config)) as OnPolicyRunConfigOf<A>;
}

/** The fields of `o` whose value is not undefined (so `{ seed: undefined }` keeps the default). */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
