/**
 * The on-policy training loop shared by REINFORCE, A2C and PPO:
 *
 *     repeat until totalSteps:  batch ← collect(policy)  →  agent.update(batch, progress)  →  log
 *
 * A2C and PPO collect fixed T × N rollouts with GAE advantages (on-policy-rollout.ts); REINFORCE
 * collects whole episodes with Monte-Carlo returns (on-policy-episodes.ts). Everything random
 * derives from `config.seed`. Writes `metrics.jsonl` (episode and train lines, the project's
 * format) and `config.json` into `runDir` when one is given.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { A2CAgent } from '../../agents/a2c.js';
import type { OnPolicyAgent, UpdateStats } from '../../agents/on-policy-types.js';
import { type OnPolicyConfig, validateOnPolicyConfig } from '../../agents/pg-config.js';
import { PPOAgent } from '../../agents/ppo.js';
import { ReinforceAgent } from '../../agents/reinforce.js';
import { SyncVecEnv } from '../rollout/sync-vec-env.js';
import type { VecEnv } from '../rollout/vec-env.js';
import { Rng } from '../util/rng.js';
import { EpisodeCollector } from './on-policy-episodes.js';
import { type MetricsSink, openMetrics, ProgressLine, RunningMean } from './on-policy-metrics.js';
import { type EpisodeListener, RolloutCollector } from './on-policy-rollout.js';

export interface OnPolicyHooks {
  /** Human-readable progress lines (one per log interval). Default: none. */
  log?: (line: string) => void;
  /** Draw a progress bar on stderr. */
  progressBar?: boolean;
  /** Called after every update. */
  onUpdate?: (u: { step: number; update: number; stats: UpdateStats }) => void;
  /** Called for every finished episode. */
  onEpisode?: EpisodeListener;
  /** Record the first step at which the mean return of the last 100 episodes reaches this. */
  solvedThreshold?: number;
  /** Stop as soon as `solvedThreshold` is reached (saves time in acceptance runs). */
  stopWhenSolved?: boolean;
  /** Build the vector env yourself (e.g. a ThreadedVecEnv); default: a SyncVecEnv from the config. */
  makeEnvs?: (config: OnPolicyConfig) => VecEnv | Promise<VecEnv>;
}

export interface OnPolicyResult {
  /** Agent steps taken, summed over envs. */
  steps: number;
  updates: number;
  episodes: number;
  timeSeconds: number;
  /** Agent steps per second of wall time, over the whole run. */
  sps: number;
  /** Mean return of the last 100 episodes at the end (NaN if none finished). */
  meanReturn100: number;
  /** The first step at which the 100-episode mean reached `hooks.solvedThreshold`, or null. */
  solvedAtStep: number | null;
  /** The trained agent (the caller disposes `agent.ac`). */
  agent: OnPolicyAgent;
}

/** Builds the agent named by `config.algo`. */
export function makeOnPolicyAgent(
  config: OnPolicyConfig,
  inputShape: number[],
  numActions: number,
  rng: Rng,
): OnPolicyAgent {
  switch (config.algo) {
    case 'reinforce':
      return new ReinforceAgent(config, inputShape, numActions, rng);
    case 'a2c':
      return new A2CAgent(config, inputShape, numActions, rng);
    case 'ppo':
      return new PPOAgent(config, inputShape, numActions, rng);
  }
}

function defaultEnvs(config: OnPolicyConfig): VecEnv {
  if (config.workers > 0) {
    throw new Error(
      `workers = ${config.workers}: pass hooks.makeEnvs to build a ThreadedVecEnv (or set workers to 0)`,
    );
  }
  return new SyncVecEnv({
    recipe: { id: config.env, options: config.envOptions },
    numEnvs: config.numEnvs,
    seed: config.seed,
  });
}

/**
 * Trains an on-policy agent from scratch.
 * @param runDir where metrics.jsonl and config.json go; `null` writes nothing (tests).
 */
export async function trainOnPolicy(
  config: OnPolicyConfig,
  runDir: string | null,
  hooks: OnPolicyHooks = {},
): Promise<OnPolicyResult> {
  validateOnPolicyConfig(config);
  const rng = new Rng(config.seed);
  const weightRng = rng.spawn();
  const actRng = rng.spawn();
  const envs = await (hooks.makeEnvs ?? defaultEnvs)(config);
  if (envs.numEnvs !== config.numEnvs) {
    await envs.close();
    throw new Error(`makeEnvs built ${envs.numEnvs} envs but config.numEnvs is ${config.numEnvs}`);
  }
  if (runDir !== null) mkdirSync(runDir, { recursive: true });
  const metrics: MetricsSink = openMetrics(runDir === null ? null : join(runDir, 'metrics.jsonl'));
  if (runDir !== null) metrics.writeJson(join(runDir, 'config.json'), config);
  const agent = makeOnPolicyAgent(config, [...envs.obsShape], envs.singleActionSpace.n, weightRng);
  const framesPerStep = Number(config.envOptions.frameskip ?? (config.atari !== null ? 4 : 1));
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const recent = new RunningMean(100);
  let episodes = 0;
  let solvedAtStep: number | null = null;
  const onEpisode: EpisodeListener = (ep) => {
    episodes++;
    recent.push(ep.return);
    metrics.line({
      kind: 'episode',
      step: ep.step,
      frames: ep.step * framesPerStep,
      timeSeconds: seconds(),
      return: ep.return,
      length: ep.length,
      envIndex: ep.envIndex,
    });
    if (solvedAtStep === null && hooks.solvedThreshold !== undefined && recent.count >= 100) {
      if (recent.mean() >= hooks.solvedThreshold) solvedAtStep = ep.step;
    }
    hooks.onEpisode?.(ep);
  };
  const collector =
    config.algo === 'reinforce'
      ? new EpisodeCollector({
          envs,
          ac: agent.ac,
          episodesPerUpdate: config.episodesPerUpdate,
          gamma: config.gamma,
          rng: actRng,
          onEpisode,
        })
      : new RolloutCollector({
          envs,
          ac: agent.ac,
          numSteps: config.numSteps,
          gamma: config.gamma,
          gaeLambda: config.gaeLambda,
          rng: actRng,
          onEpisode,
        });
  const progress = new ProgressLine(config.totalSteps, hooks.progressBar === true);
  let updates = 0;
  try {
    await collector.start(config.seed);
    while (collector.step < config.totalSteps) {
      const fraction = collector.step / config.totalSteps;
      const batch = await collector.collect();
      const stats = agent.update(batch, fraction);
      updates++;
      const step = collector.step;
      hooks.onUpdate?.({ step, update: updates, stats });
      if (updates % config.logEveryUpdates === 0) {
        const t = seconds();
        metrics.line({
          kind: 'train',
          step,
          frames: step * framesPerStep,
          timeSeconds: t,
          sps: step / t,
          ...stats,
        });
        hooks.log?.(
          `step ${step} | ${(step / t).toFixed(0)} sps | mean100 ${recent.mean().toFixed(1)} | ` +
            `loss ${stats.loss.toFixed(4)} ent ${stats.entropy.toFixed(3)}` +
            (stats.approxKl !== undefined ? ` kl ${stats.approxKl.toFixed(4)}` : ''),
        );
      }
      progress.update(step, recent.mean());
      if (hooks.stopWhenSolved && solvedAtStep !== null) break;
    }
  } finally {
    progress.stop();
    await metrics.close();
    await envs.close();
  }
  const timeSeconds = seconds();
  return {
    steps: collector.step,
    updates,
    episodes,
    timeSeconds,
    sps: collector.step / timeSeconds,
    meanReturn100: recent.mean(),
    solvedAtStep,
    agent,
  };
}
