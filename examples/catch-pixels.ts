/**
 * DQN from pixels on Catch-v0 (42x42 φ frames, the CPU preset), evaluated every 10k steps by an
 * EvalCallback that keeps the best agent, and stopped by StopTrainingOnRewardThreshold once an
 * evaluation averages 15 (of 20 balls). A callback of our own prints each evaluation; TensorBoard
 * curves are in the run directory (`tensorboard --logdir checkpoints/`).
 */
import { backend, type Callback, DQN, EvalCallback, StopTrainingOnRewardThreshold } from 'pixelrl';

await backend.initBackend();
const quick = process.env.PIXELRL_EXAMPLE_QUICK === '1'; // CI: a tiny budget, same code path
const runDir = process.argv[2] ?? 'checkpoints/catch-dqn-example';

const model = new DQN('Catch-v0', {
  runDir,
  seed: 0,
  steps: quick ? 400 : 150_000,
  evalEpisodes: 0, // evaluation is the callback's job here
  ...(quick ? { dqn: { learningStarts: 100, bufferSize: 2000, batchSize: 8 } } : {}),
});

const report: Callback = {
  onEval: ({ step, result }) => {
    console.log(`step ${step}: evaluation ${result.meanReturn.toFixed(2)} ± ${result.stdReturn.toFixed(2)}`);
  },
};

const summary = await model.learn({
  progress: quick ? 'off' : 'auto',
  callbacks: [
    new EvalCallback({
      everySteps: quick ? 200 : 10_000,
      episodes: quick ? 1 : 5,
      bestModelDir: `${runDir}/best`,
    }),
    // In the quick run any return passes, so the first evaluation stops training.
    new StopTrainingOnRewardThreshold({ threshold: quick ? -1000 : 15 }),
    report,
  ],
});
console.log(
  `${summary.stopped ? 'stopped' : 'finished'} at step ${summary.steps}; best agent in ${runDir}/best`,
);
model.dispose();
