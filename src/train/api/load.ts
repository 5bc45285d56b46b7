/** `load(dir)`: the model of any run directory, of the class its config.json names. */
import { readRunConfig } from '../../checkpoint/checkpoint.js';
import { DQN } from './dqn.js';
import { A2C, PPO, REINFORCE } from './on-policy.js';

export type Model = DQN | PPO | A2C | REINFORCE;

/** Loads the run in `dir` (written by `learn`, `save` or `pixelrl train`) as a DQN, PPO, A2C or REINFORCE model. */
export async function load(dir: string): Promise<Model> {
  const { algo } = await readRunConfig(dir);
  switch (algo) {
    case 'dqn':
      return DQN.load(dir);
    case 'ppo':
      return PPO.load(dir);
    case 'a2c':
      return A2C.load(dir);
    case 'reinforce':
      return REINFORCE.load(dir);
    default:
      throw new Error(`${dir} is a ${String(algo)} run; load reads dqn, ppo, a2c and reinforce runs`);
  }
}
