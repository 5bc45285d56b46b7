import { describe, expect, it } from 'vitest';
import { AsterixGame } from '../../../envs/games/asterix.js';
import { hold, patch, started } from './helpers.js';

const OBJECT = 1;
const LYRE = 2;

/** A game with empty lanes that stay empty for a while. */
function emptyLanes() {
  const { game, rng } = started(new AsterixGame());
  patch(game, (s) => {
    s.kind.fill(0);
    s.spawnTimer.fill(10_000);
  });
  return { game, rng };
}

/** Puts an item of `kind` on Asterix, and ticks once; returns the reward. */
function touch(game: AsterixGame, rng: Parameters<typeof hold>[1], kind: number): number {
  patch(game, (s) => {
    s.kind[s.heroLane] = kind;
    s.itemX[s.heroLane] = s.heroX;
    s.itemV[s.heroLane] = 1;
    s.spawnTimer.fill(10_000);
    s.respawnTimer = 0;
  });
  return hold(game, rng, 'NOOP', 1);
}

describe('Asterix-v0 rules', () => {
  it('collects an object for 50 points, more at later stages', () => {
    const { game, rng } = emptyLanes();
    expect(touch(game, rng, OBJECT)).toBe(50);
    expect(game.getState().kind[game.getState().heroLane]).toBe(0);
    for (const [collected, value] of [
      [15, 50],
      [16, 100],
      [32, 200],
      [80, 500],
      [400, 500],
    ]) {
      patch(game, (s) => {
        s.collected = collected;
      });
      expect(touch(game, rng, OBJECT)).toBe(value);
    }
  });

  it('costs a life on a lyre and clears the lanes; the third ends the game', () => {
    const { game, rng } = emptyLanes();
    patch(game, (s) => {
      s.kind[0] = OBJECT;
    });
    expect(touch(game, rng, LYRE)).toBe(0);
    expect(game.lives).toBe(2);
    expect(game.getState().kind.every((k) => k === 0)).toBe(true);
    touch(game, rng, LYRE);
    expect(game.gameOver).toBe(false);
    touch(game, rng, LYRE);
    expect(game.lives).toBe(0);
    expect(game.gameOver).toBe(true);
  });

  it('runs 2 px a frame and changes lane at most every 6 frames', () => {
    const { game, rng } = emptyLanes();
    const { heroX, heroLane } = game.getState();
    hold(game, rng, 'RIGHT', 3);
    expect(game.getState().heroX).toBe(heroX + 6);
    hold(game, rng, 'UP', 6);
    expect(game.getState().heroLane).toBe(heroLane - 1);
    hold(game, rng, 'UP', 1);
    expect(game.getState().heroLane).toBe(heroLane - 2);
    hold(game, rng, 'DOWNLEFT', 1);
    expect(game.getState().heroLane).toBe(heroLane - 2);
    expect(game.getState().heroX).toBe(heroX + 4);
  });

  it('sends items faster as the stages rise', () => {
    const speedAt = (collected: number): number => {
      const { game, rng } = emptyLanes();
      patch(game, (s) => {
        s.collected = collected;
        s.spawnTimer[0] = 1;
      });
      hold(game, rng, 'NOOP', 1);
      return Math.abs(game.getState().itemV[0]);
    };
    expect(speedAt(0)).toBeLessThanOrEqual(1.2);
    expect(speedAt(16 * 5)).toBeGreaterThanOrEqual(3 * 0.8);
  });
});
