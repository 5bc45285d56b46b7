/**
 * A run's whole config from an env id and a few choices, the way `pixelrl train` builds it:
 * the preset for the env's kind (`classic` for vector envs, `atari` for pixel games, with the
 * CPU-sized overrides when no preset is named), then the caller's fields. The types are the
 * agents' own (`DqnConfig`, `PPOConfig`, …, `RunSettings`): the library and the CLI share them.
 */
import { DQN_PRESETS, type DqnConfig, type DqnPresetName } from '../../../agents/dqn-config.js';
import type {
  A2CConfig,
  OnPolicyAlgo,
  OnPolicyConfig,
  PPOConfig,
  ReinforceConfig,
} from '../../../agents/pg-config.js';
import { onPolicyPreset, PPO_PIXEL_CPU_OVERRIDES, type PresetKind } from '../../../agents/pg-presets.js';
import { createRegistry } from '../../../envs/registry.js';
import { RUN_DEFAULTS, type RunConfig, type RunSettings, validateRunConfig } from '../train-config.js';

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
export interface DqnSettings extends Partial<Omit<RunSettings, 'env' | 'algo'>> {
  /** DQN hyperparameters over the preset's. */
  dqn?: Partial<DqnConfig>;
  /** Default: `classic` for vector envs, `atari` with {@link CPU_PIXEL_OVERRIDES} for pixel games. */
  preset?: DqnPresetName;
}

/** The DQN run config for env `env` (a registered id); throws with the field that is wrong. */
export function dqnRunConfig(env: string, settings: DqnSettings = {}): RunConfig {
  const kind = createRegistry().spec(env).kind;
  const { dqn: dqnFields, preset, ...runFields } = settings;
  if (preset !== undefined && !(preset in DQN_PRESETS)) {
    throw new Error(`unknown DQN preset '${preset}': use one of ${Object.keys(DQN_PRESETS).join(', ')}`);
  }
  const dqn: DqnConfig = { ...DQN_PRESETS[preset ?? (kind === 'atari' ? 'atari' : 'classic')] };
  if (preset === undefined && kind === 'atari') Object.assign(dqn, CPU_PIXEL_OVERRIDES);
  Object.assign(dqn, definedOnly(dqnFields ?? {}));
  const run: RunSettings = { ...RUN_DEFAULTS, env, algo: 'dqn' };
  if (kind === 'classic') run.steps = CLASSIC_DQN_STEPS;
  // A CPU-sized φ for pixel games unless a preset was asked for (see CPU_PIXEL_OVERRIDES).
  if (kind === 'atari' && preset === undefined) run.frameSize = 42;
  Object.assign(run, definedOnly(runFields));
  return validateRunConfig({ ...run, dqn });
}

/** The config of each on-policy algorithm, by name. */
export interface OnPolicyConfigOf {
  ppo: PPOConfig;
  a2c: A2CConfig;
  reinforce: ReinforceConfig;
}

/** What an on-policy run may set besides its env and algo: any of the algorithm's fields, a preset. */
export type OnPolicySettings<A extends OnPolicyAlgo> = Partial<Omit<OnPolicyConfigOf[A], 'algo' | 'env'>> & {
  /** Default: `classic` for vector envs, `atari` for pixel games (PPO: with its CPU-sized overrides). */
  preset?: PresetKind;
};

/** The on-policy config of `algo` on env `env`; throws with the field that is wrong. */
export function onPolicyRunConfig<A extends OnPolicyAlgo>(
  algo: A,
  env: string,
  settings: OnPolicySettings<A> = {},
): OnPolicyConfigOf[A] {
  const kind = createRegistry().spec(env).kind;
  const { preset, ...fields } = settings;
  const config = onPolicyPreset(algo, preset ?? (kind === 'atari' ? 'atari' : 'classic')) as OnPolicyConfig;
  config.env = env;
  config.envOptions = {};
  if (kind === 'atari') {
    config.atari = config.atari ?? {};
    // Without a preset, PPO on a pixel game gets the CPU-sized settings its acceptance run used.
    if (preset === undefined && algo === 'ppo')
      Object.assign(config, structuredClone(PPO_PIXEL_CPU_OVERRIDES));
  } else {
    config.atari = null;
  }
  Object.assign(config, definedOnly(fields as Record<string, unknown>), { algo, env });
  return config as OnPolicyConfigOf[A];
}

/** The fields of `o` whose value is not undefined (so `{ seed: undefined }` keeps the default). */
export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
