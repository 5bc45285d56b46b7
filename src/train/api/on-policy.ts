/**
 * `PPO`, `A2C`, `REINFORCE`: the on-policy models, with the same methods as `DQN` (learn, predict,
 * evaluate, save, load) over `trainOnPolicy`. One implementation, {@link OnPolicyModel}, with the
 * algorithm as a type parameter; the three classes only fix it.
 */

import { join } from 'node:path';
import type { OnPolicyAgent } from '../../../agents/on-policy-types.js';
import { ON_POLICY_ALGOS, type OnPolicyAlgo } from '../../../agents/pg-config.js';
import { disposeCheckpoint, readCheckpoint, readRunConfig } from '../../checkpoint/checkpoint.js';
import { checkingFile } from '../../checkpoint/run-config.js';
import { Rng, splitmix32 } from '../../util/rng.js';
import type { EvaluationResult } from '../evaluate.js';
import { type LoadedAgent, loadAgent, restoreAgent } from '../load-agent.js';
import { trainOnPolicy } from '../on-policy.js';
import {
  type OnPolicyRunConfig,
  type OnPolicyRunConfigOf,
  validateOnPolicyRunConfig,
} from '../on-policy-config.js';
import { makeOnPolicyAgent } from '../on-policy-loop.js';
import { type OnPolicySettings, onPolicyRunConfig } from './configs.js';
import { type EvaluateOptions, evaluateAgent } from './dqn.js';
import { type BoxEnv, type EnvSource, type ResolvedEnv, resolveEnv } from './env-source.js';
import { freshRunDir, saveRun } from './run-files.js';
import type { LearnOptions, LearnSummary, PredictOptions } from './types.js';

export type OnPolicyOptions<A extends OnPolicyAlgo> = OnPolicySettings<A> & {
  /** The run directory; default a new folder under the OS's temp folder. */
  runDir?: string;
  /** The id of an env instance (default its class name) or of the env a vector env steps (required). */
  envId?: string;
};

export class OnPolicyModel<A extends OnPolicyAlgo> {
  readonly config: OnPolicyRunConfigOf<A>;
  readonly runDir: string;
  /** Agent steps done (0 before the first `learn`). */
  steps = 0;
  private started = false;
  /** The trained agent, for predict; from the last learn or loaded from the checkpoint. */
  private agent: OnPolicyAgent | null = null;
  private viewer: LoadedAgent | null = null;
  private readonly env: ResolvedEnv;
  private readonly rng: Rng;

  constructor(algo: A, env: EnvSource, options: OnPolicyOptions<A> = {} as OnPolicyOptions<A>) {
    const { runDir, envId, ...settings } = options;
    this.env = resolveEnv(env, envId, settings);
    const fixed = this.env.fixed;
    this.config = onPolicyRunConfig(algo, this.env.id, { ...settings, ...fixed } as OnPolicySettings<A>);
    this.runDir = runDir ?? freshRunDir();
    this.rng = new Rng(splitmix32(this.config.seed + 1));
  }

  /** Trains for `steps` (default the config's); a second call continues for that many more. */
  async learn(options: LearnOptions = {}): Promise<LearnSummary> {
    const { steps, callbacks, signal, progress = 'off', log, engine } = options;
    this.disposeAgent();
    const total = (this.started ? this.steps : 0) + (steps ?? this.config.steps);
    const vecEnv = this.env.vecEnv;
    const config: OnPolicyRunConfig = { ...this.config, steps: total };
    const r = await trainOnPolicy(config, this.runDir, {
      resume: this.started,
      callbacks,
      signal,
      progress,
      log,
      engine,
      ...(vecEnv ? { makeEnvs: () => vecEnv } : {}),
    });
    this.started = true;
    this.steps = r.steps;
    this.agent = r.agent;
    return {
      runDir: this.runDir,
      steps: r.steps,
      episodes: r.episodes,
      meanRecentReturn: r.meanReturn100,
      lastEval: r.lastEval,
      stopped: r.stopped,
      seconds: r.timeSeconds,
    };
  }

  /** Actions for one or more observations (`count × obsSize` numbers; pixel runs: stacked frames). */
  async predict(obs: ArrayLike<number>, options: PredictOptions = {}): Promise<Int32Array> {
    const agent = await this.trainedAgent();
    const size = agent.ac.inputShape.reduce((a, b) => a * b, 1);
    const count = obs.length / size;
    if (!Number.isInteger(count) || count < 1) {
      throw new Error(`predict: obs has ${obs.length} numbers; one observation of this agent has ${size}`);
    }
    const input = this.config.atari !== null ? Uint8Array.from(obs) : Float32Array.from(obs);
    return agent.ac.act(input, count, this.rng, options.deterministic !== false).actions;
  }

  /** Whole episodes with the greedy policy on `env`, or on the run's evaluation env by default. */
  async evaluate(
    env?: BoxEnv | string,
    episodes = 10,
    options: EvaluateOptions = {},
  ): Promise<EvaluationResult> {
    this.viewer ??= await loadAgent(this.runDir);
    return evaluateAgent(this.viewer, env, this.config.env, episodes, {
      epsilon: 0,
      seed: options.seed ?? this.config.seed,
      noopMax: options.noopMax ?? 30,
    });
  }

  /** Writes the run into `dir` (new or empty) as a run directory. */
  async save(dir: string): Promise<void> {
    if (!this.started) throw new Error('save: nothing trained yet; call learn() first');
    await saveRun(this.runDir, dir, this.config.algo);
  }

  dispose(): void {
    this.disposeAgent();
  }

  /** Marks a model made by {@link loadOnPolicy} as trained (its run directory has a checkpoint). */
  protected markLoaded(steps: number): void {
    this.started = true;
    this.steps = steps;
  }

  private async trainedAgent(): Promise<OnPolicyAgent> {
    if (!this.started) throw new Error('predict: nothing trained yet; call learn() or load(dir) first');
    if (this.agent) return this.agent;
    this.viewer ??= await loadAgent(this.runDir);
    const agent = makeOnPolicyAgent(
      this.config,
      [...this.viewer.inputShape],
      this.viewer.numActions,
      new Rng(0),
    );
    await restoreAgent(this.runDir, this.config.algo, agent, () => agent.ac.dispose());
    this.agent = agent;
    return agent;
  }

  private disposeAgent(): void {
    this.agent?.ac.dispose();
    this.agent = null;
    this.viewer?.dispose();
    this.viewer = null;
  }
}

/** Reads an on-policy run's config.json (older runs: old names read, missing fields take the shared defaults). */
export async function readOnPolicyConfig(dir: string, algo?: OnPolicyAlgo): Promise<OnPolicyRunConfig> {
  const { format: _format, ...saved } = await readRunConfig(dir);
  if (!ON_POLICY_ALGOS.includes(saved.algo as OnPolicyAlgo)) {
    throw new Error(`${dir} is a ${String(saved.algo)} run, not an on-policy one`);
  }
  if (algo !== undefined && saved.algo !== algo) {
    throw new Error(`${dir} is a ${String(saved.algo)} run, not ${algo}: load it with its own class`);
  }
  return checkingFile(join(dir, 'config.json'), () => validateOnPolicyRunConfig(saved));
}

/** Proximal policy optimisation (Schulman et al. 2017). */
export class PPO extends OnPolicyModel<'ppo'> {
  constructor(env: EnvSource, options: OnPolicyOptions<'ppo'> = {}) {
    super('ppo', env, options);
  }

  static async load(dir: string): Promise<PPO> {
    const { algo: _a, env, ...config } = (await readOnPolicyConfig(dir, 'ppo')) as OnPolicyRunConfigOf<'ppo'>;
    const model = new PPO(env, { ...config, runDir: dir });
    model.markLoaded(await checkpointStep(dir, 'ppo'));
    return model;
  }
}

/** Synchronous advantage actor-critic (Mnih et al. 2016). */
export class A2C extends OnPolicyModel<'a2c'> {
  constructor(env: EnvSource, options: OnPolicyOptions<'a2c'> = {}) {
    super('a2c', env, options);
  }

  static async load(dir: string): Promise<A2C> {
    const { algo: _a, env, ...config } = (await readOnPolicyConfig(dir, 'a2c')) as OnPolicyRunConfigOf<'a2c'>;
    const model = new A2C(env, { ...config, runDir: dir });
    model.markLoaded(await checkpointStep(dir, 'a2c'));
    return model;
  }
}

/** REINFORCE with a learned baseline (Williams 1992). */
export class REINFORCE extends OnPolicyModel<'reinforce'> {
  constructor(env: EnvSource, options: OnPolicyOptions<'reinforce'> = {}) {
    super('reinforce', env, options);
  }

  static async load(dir: string): Promise<REINFORCE> {
    const {
      algo: _a,
      env,
      ...config
    } = (await readOnPolicyConfig(dir, 'reinforce')) as OnPolicyRunConfigOf<'reinforce'>;
    const model = new REINFORCE(env, { ...config, runDir: dir });
    model.markLoaded(await checkpointStep(dir, 'reinforce'));
    return model;
  }
}

/** The model for an on-policy config (the CLI's flags build one), training into `runDir`. */
export function onPolicyModelFor(config: OnPolicyRunConfig, runDir: string): PPO | A2C | REINFORCE {
  switch (config.algo) {
    case 'ppo': {
      const { algo: _a, env, ...rest } = config;
      return new PPO(env, { ...rest, runDir });
    }
    case 'a2c': {
      const { algo: _a, env, ...rest } = config;
      return new A2C(env, { ...rest, runDir });
    }
    case 'reinforce': {
      const { algo: _a, env, ...rest } = config;
      return new REINFORCE(env, { ...rest, runDir });
    }
  }
}

async function checkpointStep(dir: string, algo: string): Promise<number> {
  const loaded = await readCheckpoint(dir, algo);
  disposeCheckpoint(loaded);
  return loaded.manifest.step;
}
