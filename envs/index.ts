/** The environment side of pixelrl: the Env API, spaces, the registry, the games and the wrappers. */
export {
  Action,
  type ActionMeaning,
  type AtariAction,
  FULL_ACTION_MEANINGS,
  joystick,
} from './atari/actions.js';
export { ATARI_DEFAULTS, AtariEnv, type AtariOptions, type ObsType } from './atari/atari-env.js';
export { type Game, type GameSpec, SCREEN_HEIGHT, SCREEN_WIDTH } from './atari/game.js';
export { PALETTE_GRAY, PALETTE_RGB } from './atari/palette.js';
export { type CheckEnvOptions, checkEnv } from './check-env.js';
export { CartPoleEnv } from './classic/cartpole.js';
export type { Env, EpisodeStats, Info, ResetOptions, ResetResult, RgbFrame, StepResult } from './core.js';
export { type EnvSnapshot, restoreEnv, snapshotEnv } from './env-state.js';
export { GAMES } from './games/index.js';
export { type MakeAtariOptions, makeAtari } from './make-atari.js';
export {
  type AnyEnv,
  atariSpec,
  createRegistry,
  type EnvDescription,
  type EnvSpec,
  Registry,
} from './registry.js';
export { Box, type BoxArray, type BoxDtype, Discrete, type Space } from './spaces.js';
export { AtariPreprocessing } from './wrappers/atari-preprocessing.js';
export { ClipReward } from './wrappers/clip-reward.js';
export { EpisodicLife } from './wrappers/episodic-life.js';
export { FireReset } from './wrappers/fire-reset.js';
export { FrameStack } from './wrappers/frame-stack.js';
export { NoopReset } from './wrappers/noop-reset.js';
export { RecordEpisodeStatistics } from './wrappers/record-episode-statistics.js';
export { TimeLimit } from './wrappers/time-limit.js';
export { Wrapper, withoutSeed } from './wrappers/wrapper.js';
