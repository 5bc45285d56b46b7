/**
 * The CartPole acceptance run: `pixelrl train --env CartPole-v1 --preset classic` (the RL Zoo's
 * tuned DQN, 50,000 steps) for several seeds, printing each seed's learning curve (mean return
 * of the last 100 training episodes every 5,000 steps), and 100-episode greedy evaluations (the RL
 * Zoo's protocol) of the final agent and of the best one (evaluated on 20 episodes every 5,000
 * steps during training, as SB3's EvalCallback keeps best_model).
 *
 *   npx tsx scripts/learn-cartpole-dqn.ts [--seeds 0,1,2] [--steps 50000] [--backend wasm]
 *
 * Run directories go to out/learn-cartpole/seed-<n>/.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CLASSIC_PRESET, type DqnConfig } from '../agents/dqn-config.js';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { setupEnv } from '../src/train/env-setup.js';
import { evaluate } from '../src/train/evaluate.js';
import { loadAgent } from '../src/train/load-agent.js';
import { runDqn } from '../src/train/run-dqn.js';
import { RUN_DEFAULTS } from '../src/train/train-config.js';
import { Rng } from '../src/util/rng.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2' },
    steps: { type: 'string', default: '50000' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'out/learn-cartpole' },
    /** Overrides of the classic preset, as JSON, e.g. '{"annealLr": true}'. */
    set: { type: 'string', default: '{}' },
  },
});
const steps = Number(values.steps);
const info = await initBackend({ backend: parseBackendName(values.backend as string) });
console.log(`backend ${info.name}; ${steps} steps per seed; preset classic (RL Zoo) with ${values.set}`);

for (const seed of (values.seeds as string).split(',').map(Number)) {
  const runDir = join(values.out as string, `seed-${seed}`);
  const returns: number[] = [];
  const curve: string[] = [];
  let nextMark = 5000;
  let firstSolved: number | null = null;
  const t0 = performance.now();
  await runDqn({
    runDir,
    config: {
      ...RUN_DEFAULTS,
      env: 'CartPole-v1',
      steps,
      seed,
      evalInterval: 5000,
      evalEpisodes: 20,
      evalNoopMax: 0,
      checkpointInterval: 0,
      saveReplay: false,
      dqn: { ...CLASSIC_PRESET, ...(JSON.parse(values.set as string) as Partial<DqnConfig>) },
    },
    progress: 'off',
    onRecord: (r) => {
      if (r.kind !== 'episode') return;
      returns.push(r.return);
      const last = returns.slice(-100);
      const mean = last.reduce((a, b) => a + b, 0) / last.length;
      if (firstSolved === null && last.length === 100 && mean >= 475) firstSolved = r.step;
      while (r.step >= nextMark) {
        curve.push(`${nextMark / 1000}k:${mean.toFixed(0)}`);
        nextMark += 5000;
      }
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  const setup = setupEnv('CartPole-v1', {});
  const evals: string[] = [];
  for (const [label, dir] of [
    ['final', runDir],
    ['best', join(runDir, 'best')],
  ] as const) {
    const agent = await loadAgent(dir);
    const env = setup.makeEval(1000 + seed);
    const r = evaluate({
      agent,
      env,
      episodes: 100,
      epsilon: 0,
      historyLength: 1,
      rng: new Rng(seed),
      seed: 1000 + seed,
    });
    evals.push(`${label} agent (step ${agent.step}) ${r.meanReturn.toFixed(1)} ± ${r.stdReturn.toFixed(1)}`);
    agent.dispose();
  }
  const last100 = returns.slice(-100);
  console.log(
    `seed ${seed}: ${seconds.toFixed(0)} s (${(steps / seconds).toFixed(0)} SPS), ${returns.length} episodes; ` +
      `last-100 training mean ${(last100.reduce((a, b) => a + b, 0) / last100.length).toFixed(1)}` +
      `${firstSolved === null ? '' : ` (first ≥ 475 at step ${firstSolved})`}; ` +
      `100-episode greedy evaluation: ${evals.join('; ')}`,
  );
  console.log(`  curve (last-100 training mean): ${curve.join(' ')}`);
}
