/**
 * VecEnv: N copies of one env, stepped as a batch on typed arrays.
 *
 * Autoreset mode: **same-step** (Stable-Baselines3's VecEnv, Gymnasium 1.x `AutoresetMode.SAME_STEP`).
 * When env i's episode ends on a step (terminated or truncated), the vector env resets it at once:
 *
 *   obs[i]              = the FIRST observation of the next episode
 *   rewards[i]          = the reward of the last step of the finished episode
 *   terminated[i] / truncated[i] = how the finished episode ended
 *   infos[i].finalObs   = the LAST observation of the finished episode (a copy, yours to keep),
 *                         so a truncated episode can be bootstrapped from V(finalObs)
 *
 * so every call to `step` is one real transition for every env and there is never a "dead" step
 * (Gymnasium's next-step mode spends one). A DQN/PPO loop stores (obs, a, r, finalObs ?? nextObs, terminated).
 *
 * Buffers: `obs` (returned by reset and step) is a view into a buffer the vector env reuses: it is
 * valid until the next `reset`/`stepAsync`; copy it to keep it (the replay memory does). The other
 * arrays of a result (`rewards`, flags, infos, `finalObs`) are fresh on every step.
 *
 * Faults: an env that throws, or a worker thread that dies or stops answering, does not stop the
 * batch. The affected envs' episodes are truncated (reward 0, `finalObs` = the last observation they
 * produced), they are rebuilt with fresh seeds and reset, and `infos[i].fault` says what happened.
 * A worker that dies during `reset` is restarted too: its envs start from their rebuilt state, and
 * the reset's `infos[i].fault` says so (there is no episode to truncate yet).
 */
import type { Env, Info } from '../../envs/core.js';
import type { Box, BoxArray, BoxDtype, Discrete } from '../../envs/spaces.js';

/** What went wrong in one env or worker; `envIndex` is the env being stepped when it happened. */
export interface VecEnvFault {
  /** The env (0..numEnvs-1) that threw, or that its worker was stepping when it died or hung. */
  readonly envIndex: number;
  /** The worker thread that held the env (ThreadedVecEnv), or -1 in the calling thread. */
  readonly workerIndex: number;
  /**
   * `env-error`: the env threw (only that env is rebuilt); `worker-exit`: the worker thread ended
   * (e.g. `process.exit`, a native crash); `worker-error`: the worker failed outside any env;
   * `timeout`: the worker did not answer in time and was terminated. In the last three cases every
   * env of that worker is rebuilt.
   */
  readonly kind: 'env-error' | 'worker-exit' | 'worker-error' | 'timeout';
  /** The error message. */
  readonly message: string;
  /** Envs whose episodes were truncated because of this fault (or, in a reset, rebuilt). */
  readonly affectedEnvs: readonly number[];
  /**
   * Worker faults (ThreadedVecEnv): how many more times this worker may be restarted before the
   * vector env gives up (the restart that handled this fault already counted). Absent for an
   * `env-error`, which rebuilds one env in place and has no limit.
   */
  readonly restartsLeft?: number;
}

/** Per-env step information: the env's own `Info` (lives, `episode`, ...) plus the vector env's keys. */
export interface VecInfo extends Info {
  /** On the step that ended an episode: the episode's last observation (a copy). */
  finalObs?: BoxArray;
  /** Set when this env's episode was cut short by a fault (then `truncated` is 1). */
  fault?: VecEnvFault;
}

export interface VecResetResult<O extends BoxArray = BoxArray> {
  /** [numEnvs × obsSize] in the env's dtype; env i at `i * obsSize`. Reused: see the file header. */
  obs: O;
  infos: Info[];
}

export interface VecStepResult<O extends BoxArray = BoxArray> {
  /** [numEnvs × obsSize], same-step autoreset: an ended env already shows its next episode. */
  obs: O;
  /** Float64 so that any reward an env returns comes through exactly. */
  rewards: Float64Array;
  /** 1 where the episode ended in a terminal state (do not bootstrap). */
  terminated: Uint8Array;
  /** 1 where the episode was cut (time limit or fault): bootstrap from `infos[i].finalObs`. */
  truncated: Uint8Array;
  infos: VecInfo[];
}

export interface VecResetOptions {
  /** Reseeds every env: env i gets `deriveSeeds(seed, numEnvs)[i]`. Without it, RNGs continue. */
  seed?: number;
}

/** N envs with Box observations and Discrete actions, stepped as one batch. */
export interface VecEnv<O extends BoxArray = BoxArray> {
  readonly numEnvs: number;
  /** One env's observation space (the batch is numEnvs of these, concatenated). */
  readonly singleObservationSpace: Box<BoxDtype>;
  readonly singleActionSpace: Discrete;
  /** Elements per observation, e.g. 84*84*4. */
  readonly obsSize: number;
  readonly obsShape: readonly number[];
  reset(opts?: VecResetOptions): Promise<VecResetResult<O>>;
  /** Starts a step with one action per env; the caller may work while envs step, then `stepWait`. */
  stepAsync(actions: Int32Array): void;
  stepWait(): Promise<VecStepResult<O>>;
  /** `stepAsync` then `stepWait`. */
  step(actions: Int32Array): Promise<VecStepResult<O>>;
  /** Ends every env (and worker thread); the vector env cannot be used afterwards. */
  close(): Promise<void>;
}

/** What a VecEnv reports to `onFault`. */
export type FaultListener = (fault: VecEnvFault) => void;

/** The single-env type both vector envs hold. */
export type BoxEnv = Env<BoxArray, number>;
