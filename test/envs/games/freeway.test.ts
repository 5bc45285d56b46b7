import { describe, expect, it } from 'vitest';
import { FreewayGame, TIME_LIMIT_FRAMES } from '../../../envs/games/freeway.js';
import { hold, patch, started } from './helpers.js';

const START_Y = 192;

describe('Freeway-v0 rules', () => {
  it('lasts exactly 2 min 16 s of 60 Hz frames, with no lives', () => {
    expect(TIME_LIMIT_FRAMES).toBe(8160);
    const { game, rng } = started(new FreewayGame());
    expect(game.lives).toBe(0);
    hold(game, rng, 'NOOP', TIME_LIMIT_FRAMES - 1);
    expect(game.gameOver).toBe(false);
    hold(game, rng, 'NOOP', 1);
    expect(game.gameOver).toBe(true);
  });

  it('walks 1 px a frame, up on UP and down on DOWN, not below the kerb', () => {
    const { game, rng } = started(new FreewayGame());
    patch(game, (s) => {
      s.carX.fill(120); // keep the traffic away from the chicken's column
    });
    hold(game, rng, 'DOWN', 5);
    expect(game.getState().chickenY).toBe(START_Y);
    hold(game, rng, 'UP', 3);
    expect(game.getState().chickenY).toBe(START_Y - 3);
  });

  it('scores +1 a crossing and puts the chicken back at the bottom', () => {
    const { game, rng } = started(new FreewayGame());
    patch(game, (s) => {
      s.chickenY = 23;
    });
    expect(hold(game, rng, 'UP', 1)).toBe(1);
    expect(game.getState().score).toBe(1);
    expect(game.getState().chickenY).toBe(START_Y);
  });

  it('pushes a hit chicken back down and stuns it', () => {
    const { game, rng } = started(new FreewayGame());
    patch(game, (s) => {
      s.chickenY = 176; // in the bottom lane, whose cars drive right at 1.6 px a frame
      s.carX.fill(120);
      s.carX[9] = 44 - 1.6;
    });
    expect(hold(game, rng, 'NOOP', 1)).toBe(0);
    expect(game.getState().chickenY).toBe(190);
    expect(game.getState().stunTimer).toBe(30);
    hold(game, rng, 'UP', 10);
    expect(game.getState().chickenY).toBe(190);
  });

  it('speeds the traffic up with every crossing', () => {
    const { game, rng } = started(new FreewayGame());
    const x0 = game.getState().carX[4];
    hold(game, rng, 'NOOP', 1);
    const slow = x0 - game.getState().carX[4];
    patch(game, (s) => {
      s.score = 10;
    });
    const x1 = game.getState().carX[4];
    hold(game, rng, 'NOOP', 1);
    const fast = x1 - game.getState().carX[4];
    expect(slow).toBeCloseTo(0.5);
    expect(fast).toBeCloseTo(0.65);
  });
});
