/**
 * `pixelrl eval <run>`: plays N episodes with a run's saved agent, DQN or policy-gradient
 * (ε = 0.05 around its greedy action and no-op starts, as in the DQN paper) and prints the mean ± sd return, and the normalized score where the env has
 * random and reference scores: 100 · (return − random) / (reference − random).
 */

import { Command } from 'commander';
import { BACKEND_NAMES, type BackendName, initBackend } from '../../backend/select.js';
import { evaluate } from '../../train/evaluate.js';
import { loadAgent } from '../../train/load-agent.js';
import { fixed } from '../../util/fixed.js';
import { Rng } from '../../util/rng.js';
import { describeEnv } from './agent-policy.js';
import { backendArg, intArg, rangeArg, resolveRunDir } from './cli-args.js';

/** 100 · (score − random) / (reference − random). */
export function normalizedScore(score: number, scores: { random: number; reference: number }): number {
  return (100 * (score - scores.random)) / (scores.reference - scores.random);
}

export function evalCommand(): Command {
  const cmd = new Command('eval')
    .description('evaluate a trained run: N episodes, mean ± sd return and normalized score')
    .argument(
      '<run>',
      'run name under checkpoints/, a run directory, its checkpoint/ folder, or a bundled agent',
    )
    .option('--episodes <n>', 'episodes to play', intArg('--episodes', 1), 30)
    .option('--epsilon <x>', 'ε of the ε-greedy policy', rangeArg('--epsilon', 0, 1), 0.05)
    .option(
      '--noop-max <n>',
      'up to this many no-ops at episode start (pixel games)',
      intArg('--noop-max', 0),
      30,
    )
    .option('--seed <n>', 'seed of the evaluation episodes', intArg('--seed', 0), 12345)
    .option('--backend <name>', `tfjs backend: ${BACKEND_NAMES.join(', ')}`, backendArg)
    .option('--json', 'print the result as JSON');
  cmd.action(
    async (
      run: string,
      opts: {
        episodes: number;
        epsilon: number;
        noopMax: number;
        seed: number;
        backend?: BackendName;
        json?: boolean;
      },
    ) => {
      await initBackend({ backend: opts.backend });
      const runDir = resolveRunDir(run);
      const agent = await loadAgent(runDir).catch((err: Error) =>
        cmd.error(`error: cannot load ${runDir}: ${err.message}`, { exitCode: 2 }),
      );
      try {
        const setup = describeEnv(agent, opts.noopMax);
        const env = agent.makeEnv(opts.seed, opts.noopMax);
        const result = evaluate({
          agent,
          env,
          episodes: opts.episodes,
          epsilon: opts.epsilon,
          historyLength: agent.historyLength,
          rng: new Rng(opts.seed),
          seed: opts.seed,
        });
        env.close();
        const normalized = setup.scores ? normalizedScore(result.meanReturn, setup.scores) : null;
        if (opts.json) {
          process.stdout.write(
            `${JSON.stringify({ run: runDir, env: agent.config.env, step: agent.step, ...result, normalized })}\n`,
          );
        } else {
          const norm = normalized === null ? '' : `, normalized score ${fixed(normalized, 1)}%`;
          process.stdout.write(
            `${agent.config.env}, ${runDir} at step ${agent.step}: return ${fixed(result.meanReturn, 2)} ± ` +
              `${fixed(result.stdReturn, 2)} over ${opts.episodes} episodes (ε ${opts.epsilon})${norm}\n`,
          );
        }
      } finally {
        agent.dispose();
      }
    },
  );
  return cmd;
}
