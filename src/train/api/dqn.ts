/**
 * `DQN`: a DQN model in Stable-Baselines3's habits.
 *
 *   const model = new DQN('CartPole-v1', { steps: 50_000, seed: 0 });
 *   await model.learn({ callbacks: [new StopTrainingOnRewardThreshold({ threshold: 475 })] });
 *   const [action] = await model.predict(obs);
 *   await model.save('checkpoints/cartpole');        // a run directory: pixelrl eval/play/plot read it
 *   const again = await DQN.load('checkpoints/cartpole');
 *
 * It is a handle on a run directory: `learn` runs `runDqn` there (config.json, metrics, TensorBoard
 * events, checkpoints), a later `learn` resumes it for more steps, and `predict`/`evaluate` load
 * the agent from its checkpoint (through `loadAgent`, as `pixelrl eval` does).
 */
import { readRunConfig } from '../../checkpoint/checkpoint.js';
import { Rng, splitmix32 } from '../../util/rng.js';
import { type EvaluationResult, evaluate } from '../evaluate.js';
import { type LoadedAgent, loadAgent } from '../load-agent.js';
import { runDqn } from '../run-dqn.js';
import { type RunConfig, validateRunConfig } from '../train-config.js';
import { type DqnSettings, dqnRunConfig } from './configs.js';
import { type BoxEnv, type EnvSource, resolveEnv } from './env-source.js';
import { freshRunDir, saveRun } from './run-files.js';
import type { LearnOptions, LearnSummary, PredictOptions } from './types.js';

export interface DqnOptions extends DqnSettings {
  /** The run directory; default a new folder under the OS's temp folder. */
  runDir?: string;
  /** The id to register an env instance under (default: its class name, `MyEnv-v0`). */
  envId?: string;
}

/** Evaluation options of `evaluate`. */
export interface EvaluateOptions {
  /** Greedy (default true); false uses the run's evaluation ε. */
  deterministic?: boolean;
  /** Seeds the first reset and the evaluation's RNG. Default: the run's seed. */
  seed?: number;
  /** No-op starts on a pixel game's own env (default the run's evalNoopMax). */
  noopMax?: number;
}

export class DQN {
  readonly config: RunConfig;
  readonly runDir: string;
  /** Agent steps done (0 before the first `learn`). */
  steps = 0;
  private started: boolean;
  private agent: LoadedAgent | null = null;
  private readonly rng: Rng;

  constructor(env: EnvSource, options: DqnOptions = {}) {
    const { runDir, envId, ...settings } = options;
    const resolved = resolveEnv(env, envId, settings);
    if (resolved.vecEnv) {
      throw new Error('DQN builds its vector env from the env id: pass the id and numEnvs (and workers)');
    }
    Object.assign(settings, resolved.fixed);
    this.config = dqnRunConfig(resolved.id, settings);
    this.runDir = runDir ?? freshRunDir();
    this.started = false;
    this.rng = new Rng(splitmix32(this.config.seed + 1));
  }

  /** The model of a run directory written by `learn`, `save` or `pixelrl train`; `learn` continues it. */
  static async load(dir: string): Promise<DQN> {
    const { format: _format, ...saved } = await readRunConfig(dir);
    if (saved.algo !== 'dqn')
      throw new Error(`${dir} is a ${String(saved.algo)} run, not dqn: load it with its own class`);
    const config = validateRunConfig(saved as unknown as RunConfig);
    const model = new DQN(config.env, { ...config, runDir: dir });
    model.started = true;
    model.agent = await loadAgent(dir);
    model.steps = model.agent.step;
    return model;
  }

  /** Trains for `steps` (default the config's); a second call continues for that many more. */
  async learn(options: LearnOptions = {}): Promise<LearnSummary> {
    const { steps, callbacks, signal, progress = 'off', log, engine, rollout } = options;
    this.disposeAgent();
    const r = this.started
      ? await runDqn({
          runDir: this.runDir,
          resume: true,
          steps: this.steps + (steps ?? this.config.steps),
          callbacks,
          signal,
          progress,
          log,
          engine,
          rollout,
        })
      : await runDqn({
          runDir: this.runDir,
          config: validateRunConfig({ ...this.config, steps: steps ?? this.config.steps }),
          callbacks,
          signal,
          progress,
          log,
          engine,
          rollout,
        });
    this.started = true;
    this.steps = r.step;
    return {
      runDir: this.runDir,
      steps: r.step,
      episodes: r.episodes,
      meanRecentReturn: r.meanRecentReturn,
      lastEval: r.lastEval,
      stopped: r.stopped,
      seconds: r.seconds,
    };
  }

  /**
   * Actions for one or more network inputs: `obs` holds `count × inputSize` numbers (for pixel
   * runs each input is the last `historyLength` φ frames, channels last, as `inputShape` says).
   */
  async predict(obs: ArrayLike<number>, options: PredictOptions = {}): Promise<Int32Array> {
    const agent = await this.loadedAgent();
    const size = agent.inputShape.reduce((a, b) => a * b, 1);
    const count = obs.length / size;
    if (!Number.isInteger(count) || count < 1) {
      throw new Error(
        `predict: obs has ${obs.length} numbers; one input of this agent has ${size} (shape [${agent.inputShape}])`,
      );
    }
    const epsilon = options.deterministic === false ? this.config.evalEpsilon : 0;
    return agent.act(Float32Array.from(obs), count, epsilon, this.rng, new Int32Array(count));
  }

  /** The network input shape of one observation, e.g. [4] or [42, 42, 4]. */
  async inputShape(): Promise<readonly number[]> {
    return (await this.loadedAgent()).inputShape;
  }

  /**
   * Plays `episodes` whole episodes and returns their returns: on `env` (an env whose
   * observations are the run's frames), or the run's own evaluation env when `env` is omitted or
   * is the run's env id.
   */
  async evaluate(
    env?: BoxEnv | string,
    episodes = 10,
    options: EvaluateOptions = {},
  ): Promise<EvaluationResult> {
    const agent = await this.loadedAgent();
    const seed = options.seed ?? this.config.seed;
    return evaluateAgent(agent, env, this.config.env, episodes, {
      epsilon: options.deterministic === false ? this.config.evalEpsilon : 0,
      seed,
      noopMax: options.noopMax ?? this.config.evalNoopMax,
    });
  }

  /** Writes the run into `dir` (new or empty) as a run directory; see run-files.ts. */
  async save(dir: string): Promise<void> {
    if (!this.started) throw new Error('save: nothing trained yet; call learn() first');
    await saveRun(this.runDir, dir, 'dqn');
  }

  /** Frees the loaded agent (predict/evaluate load it again when called). */
  dispose(): void {
    this.disposeAgent();
  }

  private async loadedAgent(): Promise<LoadedAgent> {
    if (!this.started)
      throw new Error('predict/evaluate: nothing trained yet; call learn() or DQN.load(dir) first');
    this.agent ??= await loadAgent(this.runDir);
    return this.agent;
  }

  private disposeAgent(): void {
    this.agent?.dispose();
    this.agent = null;
  }
}

/** Evaluates a loaded agent on `env`, or on its own evaluation env when `env` is its env id or absent. */
export function evaluateAgent(
  agent: LoadedAgent,
  env: BoxEnv | string | undefined,
  ownEnv: string,
  episodes: number,
  o: { epsilon: number; seed: number; noopMax: number },
): EvaluationResult {
  if (!Number.isSafeInteger(episodes) || episodes < 1) {
    throw new Error(`evaluate: episodes must be an integer >= 1, got ${episodes}`);
  }
  if (typeof env === 'string' && env !== ownEnv) {
    throw new Error(
      `evaluate: the agent was trained on ${ownEnv}; pass that id, or an env instance, not ${env}`,
    );
  }
  const own = env === undefined || typeof env === 'string';
  const evalEnv = own ? agent.makeEnv(o.seed, o.noopMax) : env;
  try {
    return evaluate({
      agent,
      env: evalEnv,
      episodes,
      epsilon: o.epsilon,
      historyLength: agent.historyLength,
      rng: new Rng(o.seed),
      seed: o.seed,
    });
  } finally {
    if (own) evalEnv.close();
  }
}
