/**
 * The {@link RunView} a training loop hands its callbacks, built from the few things a loop knows
 * (its counters, its agent's actor, how it builds evaluation envs, how it saves), so that DQN and
 * the on-policy loops give callbacks the same view; and `saveAgentDir`, the agent-only run
 * directory (`best/`, EvalCallback's best model, CheckpointCallback's copies).
 */
import { writeCheckpoint, writeRunConfig } from '../checkpoint/checkpoint.js';
import { Rng, splitmix32 } from '../util/rng.js';
import type { StateBundle } from '../util/state-bundle.js';
import type { BoxEnv, CallbackList, RunActor, RunView } from './callbacks.js';
import { evaluate } from './evaluate.js';
import type { MetricRecord } from './metrics.js';

/** What a loop tells {@link makeRunView}. */
export interface RunInternals {
  algo: string;
  runDir: string;
  totalSteps: number;
  seed: number;
  step(): number;
  episodes(): number;
  meanRecentReturn(): number;
  actor: RunActor;
  makeEvalEnv(seed: number): BoxEnv;
  /** Emulator frames at `step` (for the eval record). */
  frames(step: number): number;
  timeSeconds(): number;
  /** Logs a metrics record (metrics.jsonl, tfevents). */
  emit(record: MetricRecord): void;
  saveAgent(dir: string): Promise<void>;
  checkpoint(): Promise<void>;
}

export function makeRunView(run: RunInternals, callbacks: CallbackList): RunView {
  let evaluations = 0;
  return {
    algo: run.algo,
    runDir: run.runDir,
    totalSteps: run.totalSteps,
    get step() {
      return run.step();
    },
    get episodes() {
      return run.episodes();
    },
    get meanRecentReturn() {
      return run.meanRecentReturn();
    },
    actor: run.actor,
    makeEvalEnv: (seed) => run.makeEvalEnv(seed),
    async evaluate(episodes, env) {
      if (!Number.isSafeInteger(episodes) || episodes < 1) {
        throw new Error(`evaluate: episodes must be an integer >= 1, got ${episodes}`);
      }
      const step = run.step();
      // A seed of its own per evaluation, a pure function of the run's seed (reproducible).
      const seed = splitmix32(run.seed * 7919 + step * 31 + ++evaluations);
      const evalEnv = env ?? run.makeEvalEnv(seed);
      let result: ReturnType<typeof evaluate>;
      try {
        result = evaluate({
          agent: run.actor,
          env: evalEnv,
          episodes,
          epsilon: run.actor.evalEpsilon,
          historyLength: run.actor.historyLength,
          rng: new Rng(seed),
          seed,
        });
      } finally {
        if (!env) evalEnv.close();
      }
      run.emit({
        kind: 'eval',
        step,
        frames: run.frames(step),
        timeSeconds: run.timeSeconds(),
        meanReturn: result.meanReturn,
        stdReturn: result.stdReturn,
        episodes,
      });
      await callbacks.eval(step, result);
      return result;
    },
    saveAgent: (dir) => run.saveAgent(dir),
    checkpoint: () => run.checkpoint(),
  };
}

/**
 * Writes `agent` as a run directory of its own: config.json (the run's, plus `extra`) and a
 * checkpoint holding only the agent, which `loadAgent` (pixelrl eval | play | tsne) reads.
 */
export async function saveAgentDir(
  dir: string,
  algo: string,
  config: object,
  step: number,
  agent: StateBundle,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await writeRunConfig(dir, { ...(config as Record<string, unknown>), ...extra });
  await writeCheckpoint(dir, algo, step, { agent });
}
