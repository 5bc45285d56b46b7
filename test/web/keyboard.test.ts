/** The "you play" joystick's mapping from arrow keys and space to an env's actions (page/keyboard.ts). */
import { describe, expect, test } from 'vitest';
import { actionFor } from '../../src/web/page/keyboard.js';

type Key = 'up' | 'down' | 'left' | 'right' | 'fire';
const keys = (...k: Key[]) => new Set<Key>(k);
const CATCH = ['NOOP', 'RIGHT', 'LEFT'];
const BREAKOUT = ['NOOP', 'FIRE', 'RIGHT', 'LEFT'];
const SEAQUEST = [
  'NOOP',
  'FIRE',
  'UP',
  'RIGHT',
  'LEFT',
  'DOWN',
  'UPRIGHT',
  'UPLEFT',
  'DOWNRIGHT',
  'DOWNLEFT',
  'UPFIRE',
  'RIGHTFIRE',
  'LEFTFIRE',
  'DOWNFIRE',
  'UPRIGHTFIRE',
  'UPLEFTFIRE',
  'DOWNRIGHTFIRE',
  'DOWNLEFTFIRE',
];

describe('actionFor', () => {
  test('nothing pressed is NOOP', () => {
    expect(actionFor(keys(), CATCH)).toBe(0);
    expect(actionFor(keys(), SEAQUEST)).toBe(0);
  });
  test('arrows map to the env’s own action indices', () => {
    expect(actionFor(keys('left'), CATCH)).toBe(2);
    expect(actionFor(keys('right'), CATCH)).toBe(1);
    expect(actionFor(keys('right'), BREAKOUT)).toBe(2);
    expect(actionFor(keys('fire'), BREAKOUT)).toBe(1);
  });
  test('combinations compose ALE names, and fall back to what the env has', () => {
    expect(SEAQUEST[actionFor(keys('up', 'left', 'fire'), SEAQUEST)]).toBe('UPLEFTFIRE');
    expect(SEAQUEST[actionFor(keys('down', 'right'), SEAQUEST)]).toBe('DOWNRIGHT');
    // Catch has no FIRE and no UP: the horizontal part is kept.
    expect(CATCH[actionFor(keys('left', 'fire'), CATCH)]).toBe('LEFT');
    expect(CATCH[actionFor(keys('up', 'right'), CATCH)]).toBe('RIGHT');
    // Opposite arrows cancel.
    expect(actionFor(keys('left', 'right'), CATCH)).toBe(0);
  });
  test('an env without NOOP (CartPole) gets action 0 when nothing is pressed', () => {
    expect(actionFor(keys(), ['LEFT', 'RIGHT'])).toBe(0);
    expect(actionFor(keys('right'), ['LEFT', 'RIGHT'])).toBe(1);
  });
});
