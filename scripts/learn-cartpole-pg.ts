/**
 * Acceptance run: trains REINFORCE, A2C or PPO on CartPole-v1 and prints the first step at which
 * the mean return of the last 100 training episodes reached 475 (or that it did not).
 *
 *   npx tsx scripts/learn-cartpole-pg.ts --algo ppo --seed 1 [--preset classic] [--steps N]
 *       [--backend wasm|cpu] [--out runs/ppo-s1] [--no-stop] [--quiet]
 *
 * Prints one JSON line at the end: solvedAtStep, wall-clock SPS and steps per CPU-second.
 */
import { parseArgs } from 'node:util';
import type { OnPolicyAlgo } from '../agents/pg-config.js';
import type { PresetKind } from '../agents/pg-presets.js';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { trainOnPolicy } from '../src/train/on-policy.js';
import { onPolicyPreset } from '../src/train/on-policy-config.js';

const { values } = parseArgs({
  options: {
    algo: { type: 'string', default: 'ppo' },
    preset: { type: 'string', default: 'classic' },
    seed: { type: 'string', default: '1' },
    steps: { type: 'string' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string' },
    'no-stop': { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
});

const backend = await initBackend({ backend: parseBackendName(values.backend ?? 'wasm') });
const config = onPolicyPreset(values.algo as OnPolicyAlgo, values.preset as PresetKind);
config.seed = Number(values.seed);
if (values.steps !== undefined) config.steps = Number(values.steps);
const cpuBefore = process.cpuUsage();
const result = await trainOnPolicy(config, values.out ?? null, {
  solvedThreshold: 475,
  stopWhenSolved: !values['no-stop'],
  log: values.quiet ? undefined : (line) => console.log(line),
});
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
result.agent.ac.dispose();
console.log(
  JSON.stringify({
    algo: config.algo,
    preset: values.preset,
    seed: config.seed,
    backend: backend.name,
    budgetSteps: config.steps,
    steps: result.steps,
    solvedAtStep: result.solvedAtStep,
    meanReturn100: Number(result.meanReturn100.toFixed(1)),
    episodes: result.episodes,
    timeSeconds: Number(result.timeSeconds.toFixed(1)),
    sps: Math.round(result.sps),
    cpuSeconds: Number(cpuSeconds.toFixed(1)),
    // Steps per CPU-second of this process: a figure less inflated by other load on a shared machine.
    stepsPerCpuSecond: Math.round(result.steps / cpuSeconds),
  }),
);
