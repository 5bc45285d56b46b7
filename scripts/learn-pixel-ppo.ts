/**
 * PPO on a bundled pixel game through the makeAtari stack (φ 84x84 gray, stack 4, episodic life,
 * reward clipping), with CleanRL ppo_atari.py's hyperparameters unless flags say otherwise, and
 * a uniform-random baseline for the normalised score. Defaults: PPO_PIXEL_CPU_OVERRIDES (42x42 φ,
 * a small conv torso, lr 1e-3).
 *
 *   npx tsx scripts/learn-pixel-ppo.ts --env Catch-v0 --steps 200000 [--net SPEC] [--screen 42] [--lr 1e-3] [--workers 2]
 *       [--envs 8] [--num-steps 128] [--seed 1] [--backend wasm] [--out runs/ppo-catch]
 *       [--random-episodes 100] [--resume]
 *
 * Prints progress lines, then one JSON line: steps, frames, wall time, SPS, the final 100-episode
 * mean return, the random policy's mean, and (mean − random) / (reference − random).
 */
import { parseArgs } from 'node:util';
import { PPO_PIXEL_CPU_OVERRIDES } from '../agents/pg-presets.js';
import { makeAtari } from '../envs/make-atari.js';
import { createRegistry } from '../envs/registry.js';
import { Discrete } from '../envs/spaces.js';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { trainOnPolicy } from '../src/train/on-policy.js';
import { onPolicyPreset } from '../src/train/on-policy-config.js';
import { Rng } from '../src/util/rng.js';

const { values } = parseArgs({
  options: {
    env: { type: 'string', default: 'Catch-v0' },
    steps: { type: 'string', default: '200000' },
    net: { type: 'string', default: PPO_PIXEL_CPU_OVERRIDES.ppo.net },
    screen: { type: 'string', default: String(PPO_PIXEL_CPU_OVERRIDES.atari.screenSize) },
    lr: { type: 'string', default: String(PPO_PIXEL_CPU_OVERRIDES.ppo.learningRate) },
    workers: { type: 'string', default: '0' },
    envs: { type: 'string', default: '8' },
    'num-steps': { type: 'string', default: '128' },
    seed: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string' },
    'random-episodes': { type: 'string', default: '100' },
    resume: { type: 'boolean', default: false },
  },
});

/** Mean full-game return of a uniform-random policy (the makeAtari stack in evaluation mode). */
function randomBaseline(env: string, episodes: number, seed: number): number {
  const e = makeAtari(
    env,
    { terminalOnLifeLoss: false, clipReward: false, historyLength: false, screenSize: 42 },
    seed,
  );
  const rng = new Rng(seed);
  if (!(e.actionSpace instanceof Discrete)) throw new Error(`${env}: expected discrete actions`);
  const n = e.actionSpace.n;
  let total = 0;
  for (let k = 0; k < episodes; k++) {
    e.reset();
    let ret = 0;
    for (;;) {
      const r = e.step(rng.int(n));
      ret += r.reward;
      if (r.terminated || r.truncated) break;
    }
    total += ret;
  }
  e.close();
  return total / episodes;
}

await initBackend({ backend: parseBackendName(values.backend ?? 'wasm') });
const config = onPolicyPreset('ppo', 'atari');
config.env = values.env ?? 'Catch-v0';
config.ppo.net = values.net ?? 'small';
config.steps = Number(values.steps);
config.workers = Number(values.workers);
config.numEnvs = Number(values.envs);
config.ppo.numSteps = Number(values['num-steps']);
config.seed = Number(values.seed);
config.atari = { ...config.atari, screenSize: Number(values.screen) };
if (values.lr !== undefined) config.ppo.learningRate = Number(values.lr);
config.checkpointInterval = 50_000;

const random = randomBaseline(config.env, Number(values['random-episodes']), 12345);
const spec = createRegistry().spec(config.env);
console.log(
  `${config.env}: random policy mean ${random.toFixed(2)} over ${values['random-episodes']} episodes`,
);
const cpuBefore = process.cpuUsage();
const result = await trainOnPolicy(config, values.out ?? null, {
  log: (l) => console.log(l),
  // Continue the run in --out (its own config; --steps may extend the budget).
  resume: values.resume,
});
const cpu = process.cpuUsage(cpuBefore);
result.agent.ac.dispose();
const reference = spec.scores?.reference ?? null;
console.log(
  JSON.stringify({
    env: config.env,
    net: config.ppo.net,
    workers: config.workers,
    steps: result.steps,
    frames: result.steps * 4,
    timeSeconds: Number(result.timeSeconds.toFixed(1)),
    sps: Math.round(result.sps),
    stepsPerCpuSecond: Math.round(result.steps / ((cpu.user + cpu.system) / 1e6)),
    episodes: result.episodes,
    meanReturn100: Number(result.meanReturn100.toFixed(2)),
    randomMean: Number(random.toFixed(2)),
    reference,
    normalizedScore:
      reference === null ? null : Number(((result.meanReturn100 - random) / (reference - random)).toFixed(3)),
  }),
);
