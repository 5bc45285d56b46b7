/**
 * End-to-end DQN training speed (acting + env + replay + updates), with the share of time in
 * each part, on CartPole with CleanRL's `dqn.py` defaults and on a pixel game.
 *
 *   npx tsx scripts/bench-dqn.ts [--backend wasm] [--steps 30000] [--pixel-steps 3000] [--game Catch-v0]
 *
 * CartPole, CleanRL's defaults: MLP 120-84 (relu), batch 128, train every 10 steps, target every
 * 500, buffer 10k, Adam 2.5e-4, learning starts 10k, ε 1 → 0.05 over half of a 500k-step run.
 * The measured window starts at learning starts and runs `--steps` steps with ε already at its
 * final 0.05 (the most expensive phase: 95% of actions need a forward pass), so the figure is a
 * lower bound of the 500k-run average. CleanRL's peer figure on this machine: 4,100–4,400 SPS.
 *
 * The machine is shared: wall-clock SPS depends on the load (printed), so the script also prints
 * steps per CPU-second of this process, which the load changes much less.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { ATARI_PRESET, CLASSIC_PRESET, type DqnConfig } from '../agents/dqn-config.js';
import { initBackend, parseBackendName } from '../src/backend/select.js';
import { DqnLoop } from '../src/train/dqn-loop.js';
import { RUN_DEFAULTS } from '../src/train/train-config.js';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    steps: { type: 'string', default: '30000' },
    'pixel-steps': { type: 'string', default: '3000' },
    game: { type: 'string', default: 'Catch-v0' },
    net: { type: 'string', default: 'small' },
    'frame-size': { type: 'string', default: '84' },
    skip: { type: 'string', default: '' },
  },
});

const info = await initBackend({ backend: parseBackendName(values.backend as string) });
console.log(
  `backend ${info.name} (threads ${info.threads}, simd ${info.simd}); load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);

async function bench(
  name: string,
  env: string,
  dqn: DqnConfig,
  warmup: number,
  steps: number,
  totalSteps: number,
): Promise<void> {
  const loop = new DqnLoop({
    ...RUN_DEFAULTS,
    frameSize: Number(values['frame-size']),
    env,
    steps: totalSteps,
    seed: 1,
    evalEpisodes: 0,
    dqn,
  });
  const t0 = performance.now();
  await loop.start();
  while (loop.step < warmup) await loop.iterate();
  const fill = (performance.now() - t0) / 1000;
  for (const k of Object.keys(loop.timing) as (keyof typeof loop.timing)[]) loop.timing[k] = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  const from = loop.step;
  while (loop.step < from + steps) await loop.iterate();
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const t = loop.timing;
  const total = t.env + t.replay + t.forward + t.backward;
  const share = (x: number) => `${((100 * x) / (seconds * 1000)).toFixed(0)}%`;
  console.log(
    `${name}: ${(steps / seconds).toFixed(0)} SPS wall-clock, ${(steps / cpuSeconds).toFixed(0)} steps per CPU-second ` +
      `(${cpuSeconds.toFixed(1)} CPU-s in ${seconds.toFixed(1)} s), over ${steps} steps after ${warmup} (fill ${fill.toFixed(1)} s), ` +
      `${loop.agent.gradientSteps} gradient steps, ε ${loop.currentEpsilon().toFixed(3)}`,
  );
  console.log(
    `  time: env ${share(t.env)}, replay ${share(t.replay)}, forward (acting) ${share(t.forward)}, ` +
      `backward (updates) ${share(t.backward)}, other ${share(seconds * 1000 - total)}`,
  );
  await loop.close();
}

const skip = (values.skip as string).split(',');
if (!skip.includes('cartpole')) {
  const cleanrl: DqnConfig = {
    ...CLASSIC_PRESET,
    net: '[120,relu:84,relu]',
    batchSize: 128,
    trainFrequency: 10,
    gradientSteps: 1,
    targetUpdateInterval: 500,
    bufferSize: 10_000,
    learningRate: 2.5e-4,
    learningStarts: 10_000,
    epsilonEnd: 0.05,
    // ε reaches 0.05 at learning starts: the measured window is all at the final ε.
    explorationFraction: 10_000 / 500_000,
    maxGradNorm: 0,
  };
  bench(
    'CartPole-v1, CleanRL dqn.py settings',
    'CartPole-v1',
    cleanrl,
    10_000,
    Number(values.steps),
    500_000,
  );
}
if (!skip.includes('pixel')) {
  const pixel: DqnConfig = {
    ...ATARI_PRESET,
    net: values.net as string,
    bufferSize: 20_000,
    learningStarts: 1000,
    epsilonEnd: 0.01,
    explorationFraction: 0.001,
  };
  bench(
    `${values.game} at ${values['frame-size']}x${values['frame-size']}, DQN '${values.net}' net, batch 32, train every 4`,
    values.game as string,
    pixel,
    1000,
    Number(values['pixel-steps']),
    1_000_000,
  );
}
