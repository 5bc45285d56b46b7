import { describe, expect, it } from 'vitest';
import { PongGame, predictY } from '../../../envs/games/pong.js';
import { hold, patch, started } from './helpers.js';

/** A game with the ball in play at (x, y) moving (vx, vy). */
function withBall(x: number, y: number, vx: number, vy: number) {
  const { game, rng } = started(new PongGame());
  patch(game, (s) => {
    Object.assign(s, { serveTimer: 0, ballX: x, ballY: y, vx, vy });
  });
  return { game, rng };
}

describe('Pong-v0 rules', () => {
  it('scores +1 when the ball passes the computer, −1 when it passes the agent', () => {
    const a = withBall(-1, 100, -2, 0);
    expect(hold(a.game, a.rng, 'NOOP', 1)).toBe(1);
    expect(a.game.getState().playerScore).toBe(1);
    const b = withBall(159, 100, 2, 0);
    expect(hold(b.game, b.rng, 'NOOP', 1)).toBe(-1);
    expect(b.game.getState().cpuScore).toBe(1);
  });

  it('ends the game when a side reaches 21, and has no lives', () => {
    const { game, rng } = withBall(-1, 100, -2, 0);
    patch(game, (s) => {
      s.playerScore = 20;
    });
    expect(game.gameOver).toBe(false);
    hold(game, rng, 'NOOP', 1);
    expect(game.gameOver).toBe(true);
    expect(game.lives).toBe(0);
  });

  it('moves the paddle up on RIGHT and down on LEFT, 3 px a frame; FIRE does nothing', () => {
    const { game, rng } = started(new PongGame());
    const y0 = game.getState().playerY;
    hold(game, rng, 'RIGHT', 2);
    expect(game.getState().playerY).toBe(y0 - 6);
    hold(game, rng, 'LEFT', 3);
    expect(game.getState().playerY).toBe(y0 + 3);
    const before = game.getState();
    hold(game, rng, 'FIRE', 1);
    const other = started(new PongGame());
    other.game.setState(before);
    hold(other.game, other.rng, 'NOOP', 1);
    expect(game.getState().playerY).toBe(other.game.getState().playerY);
  });

  it('returns a ball that meets the paddle, steeper off its edge than off its centre', () => {
    const centreHit = withBall(136, 0, 2, 0);
    patch(centreHit.game, (s) => {
      s.ballY = s.playerY + 6; // ball centre = paddle centre
    });
    hold(centreHit.game, centreHit.rng, 'NOOP', 2);
    const c = centreHit.game.getState();
    expect(c.vx).toBeLessThan(0);
    expect(Math.abs(c.vy)).toBeLessThan(0.01);
    const edgeHit = withBall(136, 0, 2, 0);
    patch(edgeHit.game, (s) => {
      s.ballY = s.playerY - 2;
    });
    hold(edgeHit.game, edgeHit.rng, 'NOOP', 2);
    const e = edgeHit.game.getState();
    expect(e.vx).toBeLessThan(0);
    expect(e.vy).toBeLessThan(-1.5);
  });

  it('serves the ball after a point, towards the side that lost it', () => {
    const { game, rng } = withBall(159, 100, 2, 0);
    hold(game, rng, 'NOOP', 1);
    expect(game.getState().serveTimer).toBeGreaterThan(0);
    hold(game, rng, 'NOOP', game.getState().serveTimer);
    expect(game.getState().serveTimer).toBe(0);
    expect(game.getState().vx).toBeGreaterThan(0);
  });

  it('predicts where the ball meets the paddle line, folding wall bounces', () => {
    // From y = 50 going down 1 px per px of x: 100 px later it has bounced off the floor (190).
    expect(predictY(40, 50, 1, 1, 140)).toBeCloseTo(150);
    expect(predictY(40, 50, 1, 2, 140)).toBeCloseTo(190 - (50 + 200 - 190));
  });
});
