/**
 * EnvSlice: a contiguous run of a vector env's envs (global indices start .. start+count-1), stepped
 * one after the other with same-step autoreset (see vec-env.ts), writing observations straight into
 * the batch buffer it is given.
 *
 * It is the one stepping loop of pixelrl's vector envs: SyncVecEnv holds one slice over all envs,
 * each worker thread of ThreadedVecEnv holds one slice whose buffer is its part of a
 * SharedArrayBuffer. Same code, same seeds → the same streams in both.
 *
 * An env that throws (in step or in its autoreset) is handled here, where its neighbours can go on:
 * its episode is truncated with reward 0, `finalObs` is the last observation it produced, and it is
 * rebuilt from the recipe with the seed of its next generation and reset.
 */

import type { Info } from '../../envs/core.js';
import { type EnvSnapshot, restoreEnv, snapshotEnv } from '../../envs/env-state.js';
import type { BoxArray } from '../../envs/spaces.js';
import { buildEnv, type EnvRecipe, generationSeed } from './env-recipe.js';
import type { BoxEnv, VecEnvFault, VecInfo } from './vec-env.js';

export interface EnvSliceArgs {
  recipe: EnvRecipe;
  /** Global index (in the vector env) of the slice's first env. */
  start: number;
  /** Base seed of each env of the slice (generation 0); `seeds.length` is the slice's size. */
  seeds: readonly number[];
  /** How often each env has been rebuilt after faults so far; defaults to 0 for all. */
  generations?: readonly number[];
  /** Where observations go: count × obsSize elements, the slice's env k at `k * obsSize`. */
  obsOut: BoxArray;
  /** Elements per observation. */
  obsSize: number;
  /** The worker thread holding the slice (for fault reports), or -1 in the calling thread. */
  workerIndex: number;
  /**
   * Called with the global env index just before that env steps or resets, and with -1 when the
   * slice is done: a worker records it in shared memory so that, if the thread dies, the parent
   * knows which env killed it.
   */
  onEnvStart?: (envIndex: number) => void;
}

/** One step of a slice: arrays of the slice's length, env k of the slice at index k. */
export interface SliceStepResult {
  rewards: Float64Array;
  terminated: Uint8Array;
  truncated: Uint8Array;
  infos: VecInfo[];
  /** Faults handled during this step (also in `infos[k].fault`). */
  faults: VecEnvFault[];
}

/**
 * Everything a slice needs to continue its envs' episodes exactly: each env's state (see
 * envs/env-state.ts), the observations it last wrote, and the seeds and generations its envs are
 * (re)built from. Plain data and typed arrays, for a checkpoint.
 */
export interface EnvSliceState {
  /** Env k's snapshot. */
  envs: EnvSnapshot[];
  /** The slice's part of the observation buffer (count × obsSize). */
  obs: ArrayLike<number>;
  /** Env k's base seed. */
  seeds: number[];
  /** How often env k has been rebuilt after faults. */
  generations: number[];
}

export class EnvSlice {
  readonly count: number;
  private readonly envs: BoxEnv[];
  private readonly seeds: number[];
  private readonly generations: number[];
  private readonly onEnvStart: (envIndex: number) => void;

  constructor(private readonly args: EnvSliceArgs) {
    this.count = args.seeds.length;
    if (args.obsOut.length !== this.count * args.obsSize) {
      throw new Error(
        `EnvSlice: obsOut holds ${args.obsOut.length} elements, expected ${this.count} envs × ${args.obsSize}`,
      );
    }
    this.seeds = [...args.seeds];
    this.generations = args.generations ? [...args.generations] : this.seeds.map(() => 0);
    this.onEnvStart = args.onEnvStart ?? (() => {});
    this.envs = this.seeds.map((_, k) => this.build(k));
  }

  /**
   * Resets every env: with `seeds[k]` when given (a number), else continuing its RNG.
   * Errors propagate (a failing reset outside a step has no episode to truncate).
   */
  reset(seeds: readonly (number | null)[]): Info[] {
    for (let k = 0; k < this.count; k++) {
      const seed = seeds[k];
      if (typeof seed === 'number') this.seeds[k] = seed;
    }
    return this.resetAll((k) => seeds[k] ?? null);
  }

  /**
   * Resets every env with the seed of its current generation (base seeds unchanged): what a worker
   * restarted after a fault does with its freshly rebuilt envs.
   */
  resetFresh(): Info[] {
    return this.resetAll((k) => this.currentSeed(k));
  }

  /** Steps env k with `actions[k]`, autoresetting the envs whose episodes end. */
  step(actions: ArrayLike<number>): SliceStepResult {
    const n = this.count;
    const out: SliceStepResult = {
      rewards: new Float64Array(n),
      terminated: new Uint8Array(n),
      truncated: new Uint8Array(n),
      infos: new Array<VecInfo>(n),
      faults: [],
    };
    for (let k = 0; k < n; k++) {
      this.onEnvStart(this.args.start + k);
      let finalObs: BoxArray | undefined;
      try {
        const r = this.envs[k].step(actions[k]);
        out.rewards[k] = r.reward;
        if (r.terminated || r.truncated) {
          out.terminated[k] = r.terminated ? 1 : 0;
          out.truncated[k] = r.terminated ? 0 : 1;
          // Copied before reset: the env may reuse its observation buffer.
          finalObs = r.obs.slice();
          out.infos[k] = { ...r.info, finalObs };
          this.write(k, this.envs[k].reset().obs);
        } else {
          out.infos[k] = r.info;
          this.write(k, r.obs);
        }
      } catch (e) {
        const fault = this.recover(k, e, finalObs, out);
        out.faults.push(fault);
      }
    }
    this.onEnvStart(-1);
    return out;
  }

  /** The observation env k last wrote (a copy). */
  lastObs(k: number): BoxArray {
    const size = this.args.obsSize;
    return this.args.obsOut.slice(k * size, (k + 1) * size);
  }

  getState(): EnvSliceState {
    return {
      envs: this.envs.map((env) => snapshotEnv(env)),
      obs: this.args.obsOut.slice(),
      seeds: [...this.seeds],
      generations: [...this.generations],
    };
  }

  /**
   * Restores a state taken by {@link getState} from a slice built from the same recipe. An env whose
   * generation differs is rebuilt first, so that its wrapper stack is the one the state was taken
   * from (a fault-injecting wrapper only wraps generation 0).
   */
  setState(state: EnvSliceState): void {
    for (const key of ['envs', 'seeds', 'generations'] as const) {
      if (state[key].length !== this.count) {
        throw new Error(
          `env state holds ${state[key].length} ${key}, this vector env has ${this.count} envs`,
        );
      }
    }
    if (state.obs.length !== this.args.obsOut.length) {
      throw new Error(
        `env state holds ${state.obs.length} observation elements, this vector env has ${this.args.obsOut.length}`,
      );
    }
    for (let k = 0; k < this.count; k++) {
      this.seeds[k] = state.seeds[k];
      if (state.generations[k] !== this.generations[k]) {
        this.envs[k].close();
        this.generations[k] = state.generations[k];
        this.envs[k] = this.build(k);
      }
      restoreEnv(this.envs[k], state.envs[k]);
    }
    this.args.obsOut.set(state.obs);
  }

  close(): void {
    for (const env of this.envs) env.close();
  }

  private resetAll(seedOf: (k: number) => number | null): Info[] {
    const infos: Info[] = [];
    for (let k = 0; k < this.count; k++) {
      const seed = seedOf(k);
      this.onEnvStart(this.args.start + k);
      const r = seed === null ? this.envs[k].reset() : this.envs[k].reset({ seed });
      this.write(k, r.obs);
      infos.push(r.info);
    }
    this.onEnvStart(-1);
    return infos;
  }

  /** Truncates env k's episode after it threw, rebuilds and resets it; returns the fault. */
  private recover(
    k: number,
    error: unknown,
    finalObs: BoxArray | undefined,
    out: SliceStepResult,
  ): VecEnvFault {
    const envIndex = this.args.start + k;
    const fault: VecEnvFault = {
      envIndex,
      workerIndex: this.args.workerIndex,
      kind: 'env-error',
      message: error instanceof Error ? error.message : String(error),
      affectedEnvs: [envIndex],
    };
    out.rewards[k] = 0;
    out.terminated[k] = 0;
    out.truncated[k] = 1;
    out.infos[k] = { finalObs: finalObs ?? this.lastObs(k), fault };
    try {
      this.envs[k].close();
    } catch {
      // The env is being thrown away; a failing close must not hide the original fault.
    }
    this.generations[k]++;
    try {
      this.envs[k] = this.build(k);
      this.write(k, this.envs[k].reset({ seed: this.currentSeed(k) }).obs);
    } catch (e) {
      throw new Error(
        `env ${envIndex} failed (${fault.message}) and could not be rebuilt: ${(e as Error).message}`,
      );
    }
    return fault;
  }

  private build(k: number): BoxEnv {
    const envIndex = this.args.start + k;
    return buildEnv(this.args.recipe, this.currentSeed(k), { envIndex, generation: this.generations[k] });
  }

  private currentSeed(k: number): number {
    return generationSeed(this.seeds[k], this.generations[k]);
  }

  private write(k: number, obs: BoxArray): void {
    const size = this.args.obsSize;
    if (obs.length !== size || obs.constructor !== this.args.obsOut.constructor) {
      throw new Error(
        `env ${this.args.start + k} returned an observation of ${obs.length} ${obs.constructor.name} elements; its space says ${size} ${this.args.obsOut.constructor.name}`,
      );
    }
    this.args.obsOut.set(obs, k * size);
  }
}
