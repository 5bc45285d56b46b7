/** DQN on CartPole in ten lines: train, evaluate greedily, save a run directory the CLI reads. */
import { backend, DQN } from 'pixelrl';

await backend.initBackend(); // the fastest tfjs backend that loads (tfjs-node, wasm, cpu)
const quick = process.env.PIXELRL_EXAMPLE_QUICK === '1'; // CI: a tiny budget, same code path
const model = new DQN('CartPole-v1', { seed: 0, steps: quick ? 1200 : 50_000 });
const summary = await model.learn({ progress: quick ? 'off' : 'auto' });
console.log(
  `trained ${summary.steps} steps, ${summary.episodes} episodes in ${summary.seconds.toFixed(0)} s`,
);
const { meanReturn, stdReturn } = await model.evaluate('CartPole-v1', 10);
console.log(`greedy evaluation: ${meanReturn.toFixed(1)} ± ${stdReturn.toFixed(1)}`);
await model.save(process.argv[2] ?? 'checkpoints/cartpole-dqn-example'); // pixelrl eval | play | plot <dir>
