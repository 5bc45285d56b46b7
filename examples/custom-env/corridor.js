/**
 * A custom env for `pixelrl train --env-module`: a corridor of 8 cells; start in the middle, reach
 * the right end (+1) before the left end (−1); 50 steps at most. The observation is a one-hot
 * vector of the position. Importing this module registers `Corridor-v0`:
 *
 *   npx pixelrl train --env-module examples/custom-env/corridor.js --env Corridor-v0 --steps 20000
 *
 * checkEnv runs on it before training and names whatever breaks the Env contract.
 */
import { Box, Discrete, Rng, register, TimeLimit } from 'pixelrl';

const CELLS = 8;

/** @typedef {import('pixelrl').Env<Float32Array, number>} CorridorContract */

/** @implements {CorridorContract} */
class CorridorEnv {
  observationSpace = new Box(0, 1, [CELLS], 'float32');
  actionSpace = new Discrete(2);
  actionMeanings = ['LEFT', 'RIGHT'];
  #obs = new Float32Array(CELLS);
  #pos = CELLS / 2;
  #rng;

  /** @param {number} seed */
  constructor(seed) {
    this.#rng = new Rng(seed);
  }

  /** @param {{ seed?: number }} [opts] */
  reset(opts = {}) {
    if (opts.seed !== undefined) this.#rng = new Rng(opts.seed);
    this.#pos = CELLS / 2 - 1 + this.#rng.int(2);
    return { obs: this.#observe(), info: {} };
  }

  /** @param {number} action */
  step(action) {
    if (!this.actionSpace.contains(action)) throw new Error(`action ${action} is not in ${this.actionSpace}`);
    this.#pos += action === 1 ? 1 : -1;
    const won = this.#pos === CELLS - 1;
    const terminated = won || this.#pos === 0;
    return {
      obs: this.#observe(),
      reward: won ? 1 : terminated ? -1 : 0,
      terminated,
      truncated: false,
      info: {},
    };
  }

  render() {
    const data = new Uint8Array(CELLS * 3).fill(40);
    data.fill(255, this.#pos * 3, this.#pos * 3 + 3);
    return { width: CELLS, height: 1, data };
  }

  close() {}

  #observe() {
    this.#obs.fill(0);
    this.#obs[this.#pos] = 1;
    return this.#obs;
  }
}

register({
  id: 'Corridor-v0',
  kind: 'classic',
  description: 'walk right along a corridor of 8 cells (+1 at the right end, -1 at the left)',
  defaults: {},
  create: (_options, seed) => new TimeLimit(new CorridorEnv(seed), 50),
});
