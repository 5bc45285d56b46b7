import { describe, expect, it } from 'vitest';
import { SeaquestGame } from '../../../envs/games/seaquest.js';
import { laneEnemyY, SHARK } from '../../../envs/games/seaquest-layout.js';
import { hold, patch, started } from './helpers.js';

/** A game with an empty sea (no spawns for a while) and the sub level with lane `lane`. */
function calmSea(lane = 0) {
  const { game, rng } = started(new SeaquestGame());
  patch(game, (s) => {
    s.laneTimer.fill(10_000);
    Object.assign(s, { subX: 60, subY: laneEnemyY(lane) - 1, submerged: true, facing: 1 });
  });
  return { game, rng };
}

describe('Seaquest-v0 rules', () => {
  it('scores 20 for a shark shot, 10 more per completed rescue', () => {
    for (const [rescues, points] of [
      [0, 20],
      [2, 40],
      [9, 90],
    ]) {
      const { game, rng } = calmSea(0);
      patch(game, (s) => {
        Object.assign(s, { rescues });
        s.laneKind[0] = SHARK;
        s.laneAlive[0] = 1;
        s.laneX[0] = 110;
        s.laneDir[0] = -1;
        s.laneSpeed[0] = 0.5;
      });
      expect(hold(game, rng, 'FIRE', 8)).toBe(points);
      expect(game.getState().laneAlive[0]).toBe(0);
    }
  });

  it('costs a life on touching an enemy; the fourth loss ends the game', () => {
    const { game, rng } = calmSea(2);
    for (let k = 1; k <= 4; k++) {
      patch(game, (s) => {
        Object.assign(s, { respawnTimer: 0, subX: 60, subY: laneEnemyY(2) - 1, submerged: true });
        s.laneTimer.fill(10_000);
        s.laneKind[2] = SHARK;
        s.laneAlive[2] = 1;
        s.laneX[2] = 62;
        s.laneSpeed[2] = 0.5;
      });
      hold(game, rng, 'NOOP', 1);
      expect(game.lives).toBe(4 - k);
    }
    expect(game.gameOver).toBe(true);
  });

  it('costs a life when the oxygen runs out', () => {
    const { game, rng } = calmSea(1);
    patch(game, (s) => {
      Object.assign(s, { oxygen: 1, oxygenClock: 14 });
    });
    hold(game, rng, 'NOOP', 1);
    expect(game.lives).toBe(4);
    hold(game, rng, 'NOOP', 1);
    expect(game.lives).toBe(3);
    expect(game.getState().oxygen).toBe(64);
  });

  it('picks up a diver it touches, at most 6', () => {
    const { game, rng } = calmSea(1);
    patch(game, (s) => {
      s.diverOn[1] = true;
      s.diverX[1] = 64;
    });
    hold(game, rng, 'NOOP', 1);
    expect(game.getState().divers).toBe(1);
    patch(game, (s) => {
      s.divers = 6;
      s.diverOn[1] = true;
      s.diverX[1] = 64;
    });
    hold(game, rng, 'NOOP', 1);
    expect(game.getState().divers).toBe(6);
    expect(game.getState().diverOn[1]).toBe(true);
  });

  it('surfacing: no divers costs a life, some cost one diver, six earn the bonus', () => {
    const up = (divers: number) => {
      const { game, rng } = calmSea(0);
      patch(game, (s) => {
        Object.assign(s, { subY: 47, divers, oxygen: 40 });
      });
      return { game, reward: hold(game, rng, 'UP', 1) };
    };
    const none = up(0);
    expect(none.game.lives).toBe(3);
    const three = up(3);
    expect(three.game.lives).toBe(4);
    expect(three.game.getState().divers).toBe(2);
    expect(three.reward).toBe(0);
    const six = up(6);
    expect(six.reward).toBe(50 * 6 + 40);
    expect(six.game.getState().divers).toBe(0);
    expect(six.game.getState().rescues).toBe(1);
  });

  it('refills the oxygen at the surface and does not fire from there', () => {
    const { game, rng } = calmSea(0);
    patch(game, (s) => {
      Object.assign(s, { subY: 46, submerged: false, oxygen: 10 });
    });
    hold(game, rng, 'FIRE', 5);
    expect(game.getState().oxygen).toBe(15);
    expect(game.getState().torpOn).toBe(false);
  });
});
