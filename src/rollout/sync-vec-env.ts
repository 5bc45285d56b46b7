/**
 * SyncVecEnv: all N envs in the calling thread, stepped one after the other by one EnvSlice.
 *
 * The reference implementation: ThreadedVecEnv must produce exactly its streams for the same seed.
 * It is also the right choice for cheap envs (CartPole), where a message to a worker costs more than
 * the step itself. `stepAsync` only records the actions; the work happens in `stepWait`, as in
 * Gymnasium's SyncVectorEnv.
 *
 * `getState`/`setState` carry the envs' states (mid-episode) into a checkpoint, so that a run
 * resumed in a fresh SyncVecEnv continues every env's stream step for step.
 */
import type { Box, BoxArray, BoxDtype, Discrete } from '../../envs/spaces.js';
import { deriveSeeds } from '../util/rng.js';
import { type EnvRecipe, recipeShape, typedArrayOf } from './env-recipe.js';
import { EnvSlice, type EnvSliceState } from './env-slice.js';
import type { FaultListener, VecEnv, VecResetOptions, VecResetResult, VecStepResult } from './vec-env.js';
import { checkActions, checkNumEnvs, VecEnvState } from './vec-env-state.js';

export interface SyncVecEnvArgs {
  /** The env to copy N times. */
  recipe: EnvRecipe;
  /** N, the number of envs. */
  numEnvs: number;
  /** Env i is seeded with `deriveSeeds(seed, numEnvs)[i]` on the first reset. Default 0. */
  seed?: number;
  /** Called for every fault (an env that threw), after the env has been rebuilt. */
  onFault?: FaultListener;
}

/**
 * A SyncVecEnv's state (see {@link SyncVecEnv.getState}). `seeds` and `generations` are optional
 * so that checkpoints written before they were saved (pixelrl's former LocalVecEnv, which had no
 * fault rebuilds and seeded env i with `deriveSeeds(seed, n)[i]` too) still restore.
 */
export interface SyncVecEnvState extends Omit<EnvSliceState, 'seeds' | 'generations'> {
  seeds?: number[];
  generations?: number[];
}

export class SyncVecEnv<O extends BoxArray = BoxArray> implements VecEnv<O> {
  readonly numEnvs: number;
  readonly singleObservationSpace: Box<BoxDtype>;
  readonly singleActionSpace: Discrete;
  readonly obsSize: number;
  readonly obsShape: readonly number[];
  private readonly obs: O;
  private readonly slice: EnvSlice;
  private readonly state = new VecEnvState('SyncVecEnv');
  private readonly actions: Int32Array;
  private seeds: number[];

  constructor(private readonly args: SyncVecEnvArgs) {
    this.numEnvs = checkNumEnvs(args.numEnvs);
    const shape = recipeShape(args.recipe);
    this.singleObservationSpace = shape.observationSpace;
    this.singleActionSpace = shape.actionSpace;
    this.obsSize = shape.obsSize;
    this.obsShape = shape.observationSpace.shape;
    this.obs = typedArrayOf(shape.dtype, this.numEnvs * this.obsSize) as O;
    this.actions = new Int32Array(this.numEnvs);
    this.seeds = deriveSeeds(args.seed ?? 0, this.numEnvs);
    this.slice = new EnvSlice({
      recipe: args.recipe,
      start: 0,
      seeds: this.seeds,
      obsOut: this.obs,
      obsSize: this.obsSize,
      workerIndex: -1,
    });
  }

  async reset(opts: VecResetOptions = {}): Promise<VecResetResult<O>> {
    return this.resetSync(opts);
  }

  /** `reset`, without the Promise. */
  resetSync(opts: VecResetOptions = {}): VecResetResult<O> {
    const first = this.state.beginReset();
    if (opts.seed !== undefined) this.seeds = deriveSeeds(opts.seed, this.numEnvs);
    const seeds = first || opts.seed !== undefined ? this.seeds : this.seeds.map(() => null);
    const infos = this.slice.reset(seeds);
    this.state.endReset();
    return { obs: this.obs, infos };
  }

  stepAsync(actions: Int32Array): void {
    // Checked before the state moves on, so a refused call leaves the vector env usable.
    checkActions(actions, this.numEnvs, this.singleActionSpace);
    this.state.beginStep();
    this.actions.set(actions);
  }

  async stepWait(): Promise<VecStepResult<O>> {
    return this.stepWaitSync();
  }

  /** `stepWait`, without the Promise. */
  stepWaitSync(): VecStepResult<O> {
    this.state.beginWait();
    const r = this.slice.step(this.actions);
    this.state.endWait();
    for (const fault of r.faults) this.args.onFault?.(fault);
    return {
      obs: this.obs,
      rewards: r.rewards,
      terminated: r.terminated,
      truncated: r.truncated,
      infos: r.infos,
    };
  }

  async step(actions: Int32Array): Promise<VecStepResult<O>> {
    return this.stepSync(actions);
  }

  /** `step`, without the Promise: for loops that want no await per step. */
  stepSync(actions: Int32Array): VecStepResult<O> {
    this.stepAsync(actions);
    return this.stepWaitSync();
  }

  /**
   * The envs' state between two steps, mid-episode: each env's snapshot, the current observations,
   * seeds and fault generations. Plain data and typed arrays (msgpack- and structured-clone-safe).
   */
  getState(): SyncVecEnvState {
    this.state.checkIdle('getState');
    if (!this.state.started)
      throw new Error('SyncVecEnv: call reset() before getState(); no episode has started');
    return this.slice.getState();
  }

  /**
   * Puts the envs in the state {@link getState} took, from a SyncVecEnv of the same recipe and
   * numEnvs. It may be called before the first reset: afterwards the vector env steps on from the
   * restored episodes, and a reset without a seed continues the restored RNGs.
   */
  setState(state: SyncVecEnvState): void {
    this.state.checkIdle('setState');
    const seeds = state.seeds ?? this.seeds;
    this.slice.setState({
      envs: state.envs,
      obs: state.obs,
      seeds,
      generations: state.generations ?? seeds.map(() => 0),
    });
    this.seeds = [...seeds];
    this.state.endReset();
  }

  async close(): Promise<void> {
    if (this.state.close()) this.slice.close();
  }
}
