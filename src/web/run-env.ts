/**
 * The env a page plays, built from a {@link WebRun} exactly as Node's loaders build a run's
 * evaluation env (src/train/load-agent.ts: setupEnv for DQN, policyRunEnv for
 * REINFORCE / A2C / PPO): whole games, raw rewards, random no-op starts. Browser-safe: the
 * games, φ and wrappers are the same TypeScript in Node and in the page (esbuild bundles envs/).
 * test/web/run-env.test.ts checks that it emits what the Node loader's env emits.
 */
import type { Env } from '../../envs/core.js';
import { makeAtari } from '../../envs/make-atari.js';
import { createRegistry } from '../../envs/registry.js';
import type { BoxArray } from '../../envs/spaces.js';
import { setupEnv } from '../train/env-setup.js';
import type { WebRun } from './web-run.js';

export function makeRunEnv(run: Pick<WebRun, 'env' | 'noopMax'>, seed: number): Env<BoxArray, number> {
  const recipe = run.env;
  if (recipe.kind === 'dqn') {
    return setupEnv(recipe.id, recipe.options, recipe.frameSize, run.noopMax).makeEval(seed);
  }
  return recipe.atari !== null
    ? makeAtari(
        recipe.id,
        { ...recipe.atari, terminalOnLifeLoss: false, clipReward: false, noopMax: run.noopMax },
        seed,
      )
    : createRegistry().make(recipe.id, recipe.options, seed);
}
