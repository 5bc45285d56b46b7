import { describe, expect, it } from 'vitest';
import { BreakoutGame } from '../../../envs/games/breakout.js';
import { hold, patch, started } from './helpers.js';

const BRICK_TOP = 57;
const BRICK_H = 6;
const COLS = 18;

/** A game with the ball in play at (x, y) moving (vx, vy). */
function withBall(x: number, y: number, vx: number, vy: number) {
  const { game, rng } = started(new BreakoutGame());
  patch(game, (s) => {
    Object.assign(s, { inPlay: true, ballX: x, ballY: y, vx, vy });
  });
  return { game, rng };
}

describe('Breakout-v0 rules', () => {
  it('waits for FIRE to launch the ball', () => {
    const { game, rng } = started(new BreakoutGame());
    hold(game, rng, 'NOOP', 50);
    hold(game, rng, 'RIGHT', 10);
    expect(game.getState().inPlay).toBe(false);
    hold(game, rng, 'FIRE', 1);
    expect(game.getState().inPlay).toBe(true);
    expect(game.getState().vy).toBeGreaterThan(0);
  });

  it('scores 1, 4 and 7 for bricks of the bottom, middle and top rows', () => {
    for (const [row, points] of [
      [5, 1],
      [4, 1],
      [3, 4],
      [2, 4],
      [1, 7],
      [0, 7],
    ]) {
      const { game, rng } = withBall(40, BRICK_TOP + (row + 1) * BRICK_H + 0.5, 0.5, -1);
      patch(game, (s) => {
        for (let r = row + 1; r < 6; r++) for (let c = 0; c < COLS; c++) s.bricks[r * COLS + c] = 0;
      });
      expect(hold(game, rng, 'NOOP', 1)).toBe(points);
      expect(game.getState().bricks[row * COLS + 4]).toBe(0);
      expect(game.getState().vy).toBeGreaterThan(0);
    }
  });

  it('costs a life when the ball falls past the paddle; the fifth loss ends the game', () => {
    const { game, rng } = withBall(20, 192, 0, 2);
    patch(game, (s) => {
      s.paddleX = 120;
    });
    hold(game, rng, 'NOOP', 10);
    expect(game.lives).toBe(4);
    expect(game.getState().inPlay).toBe(false);
    expect(game.gameOver).toBe(false);
    for (let k = 0; k < 4; k++) {
      patch(game, (s) => {
        Object.assign(s, { inPlay: true, ballX: 20, ballY: 192, vx: 0, vy: 2, paddleX: 120 });
      });
      hold(game, rng, 'NOOP', 10);
    }
    expect(game.lives).toBe(0);
    expect(game.gameOver).toBe(true);
  });

  it('bounces the ball off the paddle and shrinks the paddle once the ball hits the ceiling', () => {
    const { game, rng } = withBall(78, 183, 0.5, 1.5);
    patch(game, (s) => {
      s.paddleX = 72;
    });
    hold(game, rng, 'NOOP', 3);
    expect(game.getState().vy).toBeLessThan(0);
    expect(game.getState().hits).toBe(1);
    const top = withBall(78, 33, 0.5, -1.5);
    expect(top.game.getState().paddleW).toBe(16);
    hold(top.game, top.rng, 'NOOP', 2);
    expect(top.game.getState().paddleW).toBe(8);
    expect(top.game.getState().vy).toBeGreaterThan(0);
  });

  it('speeds the ball up after 4 and 12 paddle hits', () => {
    const { game, rng } = withBall(78, 183, 0.5, 1.5);
    const speeds: number[] = [];
    for (let h = 0; h < 13; h++) {
      patch(game, (s) => {
        Object.assign(s, { paddleX: 72, ballX: 78, ballY: 183, vx: 0.5, vy: 1.5 });
      });
      hold(game, rng, 'NOOP', 3);
      speeds.push(-game.getState().vy);
    }
    expect(speeds[0]).toBe(1.5);
    expect(speeds[3]).toBe(2);
    expect(speeds[11]).toBe(2.5);
  });

  it('ends the game after the second wall is cleared', () => {
    const { game, rng } = withBall(40, BRICK_TOP + 6 * BRICK_H + 0.5, 0.5, -1);
    patch(game, (s) => {
      s.bricks.fill(0);
      s.bricks[5 * COLS + 4] = 1;
      s.bricksLeft = 1;
    });
    hold(game, rng, 'NOOP', 1);
    expect(game.getState().wall).toBe(2);
    expect(game.getState().bricksLeft).toBe(108);
    expect(game.gameOver).toBe(false);
    patch(game, (s) => {
      s.bricks.fill(0);
      s.bricks[5 * COLS + 4] = 1;
      Object.assign(s, { bricksLeft: 1, ballX: 40, ballY: BRICK_TOP + 6 * BRICK_H + 0.5, vx: 0.5, vy: -1 });
    });
    hold(game, rng, 'NOOP', 1);
    expect(game.gameOver).toBe(true);
  });
});
