import { describe, expect, it } from 'vitest';
import { SpaceInvadersGame } from '../../../envs/games/space-invaders.js';
import { hold, patch, started } from './helpers.js';

const PLAYER_Y = 185;
const COLS = 6;

function game(seed = 1) {
  return started(new SpaceInvadersGame(), seed);
}

describe('SpaceInvaders-v0 rules', () => {
  it('scores 5 for a bottom-row invader and 30 for a top-row one', () => {
    const a = game();
    const s = a.game.getState();
    patch(a.game, (st) => {
      Object.assign(st, { shotActive: true, shotX: s.gridX + 3, shotY: s.gridY + 5 * 14 + 11 });
    });
    expect(hold(a.game, a.rng, 'NOOP', 1)).toBe(5);
    expect(a.game.getState().alive[5 * COLS]).toBe(0);
    expect(a.game.getState().aliveCount).toBe(35);

    const b = game();
    patch(b.game, (st) => {
      for (let r = 1; r < 6; r++) st.alive[r * COLS] = 0;
      Object.assign(st, { aliveCount: 31, shotActive: true, shotX: s.gridX + 3, shotY: s.gridY + 10 });
    });
    expect(hold(b.game, b.rng, 'NOOP', 1)).toBe(30);
    expect(b.game.getState().score).toBe(30);
  });

  it('fires one shot at a time', () => {
    const { game: g, rng } = game();
    hold(g, rng, 'FIRE', 1);
    const y1 = g.getState().shotY;
    expect(g.getState().shotActive).toBe(true);
    hold(g, rng, 'FIRE', 1);
    expect(g.getState().shotY).toBe(y1 - 4);
  });

  it('costs a life when a bomb hits the cannon; the third ends the game', () => {
    const { game: g, rng } = game();
    for (let k = 1; k <= 3; k++) {
      patch(g, (st) => {
        Object.assign(st, { respawnTimer: 0 });
        st.bombOn[0] = true;
        st.bombX[0] = st.playerX + 3;
        st.bombY[0] = PLAYER_Y - 2;
      });
      hold(g, rng, 'NOOP', 1);
      expect(g.lives).toBe(3 - k);
    }
    expect(g.gameOver).toBe(true);
  });

  it('ends the game when the invaders reach the cannon', () => {
    const { game: g, rng } = game();
    patch(g, (st) => {
      Object.assign(st, { gridY: PLAYER_Y - 5 * 14 - 8, marchTimer: 1 });
    });
    hold(g, rng, 'NOOP', 1);
    expect(g.gameOver).toBe(true);
    expect(g.lives).toBe(0);
  });

  it('marches faster as the grid thins', () => {
    const full = game();
    patch(full.game, (st) => {
      st.marchTimer = 1;
    });
    hold(full.game, full.rng, 'NOOP', 1);
    expect(full.game.getState().marchTimer).toBe(14);
    const thin = game();
    patch(thin.game, (st) => {
      st.alive.fill(0);
      st.alive[0] = 1;
      st.alive[1] = 1;
      st.alive[2] = 1;
      Object.assign(st, { aliveCount: 3, marchTimer: 1 });
    });
    hold(thin.game, thin.rng, 'NOOP', 1);
    expect(thin.game.getState().marchTimer).toBe(3);
  });

  it('erodes a shield where a shot hits it', () => {
    const { game: g, rng } = game();
    const before = g.getState().shields.reduce((a, b) => a + b, 0);
    patch(g, (st) => {
      Object.assign(st, { shotActive: true, shotX: 38, shotY: 170 });
    });
    hold(g, rng, 'NOOP', 1);
    const after = g.getState();
    expect(after.shotActive).toBe(false);
    expect(after.shields[9 * 160 + 38]).toBe(0);
    expect(before - after.shields.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(4);
  });

  it('starts a lower wave when the grid is cleared', () => {
    const { game: g, rng } = game();
    const s = g.getState();
    patch(g, (st) => {
      st.alive.fill(0);
      st.alive[5 * COLS] = 1;
      Object.assign(st, {
        aliveCount: 1,
        shotActive: true,
        shotX: s.gridX + 3,
        shotY: s.gridY + 5 * 14 + 11,
      });
    });
    expect(hold(g, rng, 'NOOP', 1)).toBe(5);
    const next = g.getState();
    expect(next.wave).toBe(1);
    expect(next.aliveCount).toBe(36);
    expect(next.gridY).toBe(s.gridY + 8);
  });
});
