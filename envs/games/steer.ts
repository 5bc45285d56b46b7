/**
 * The inverse of `joystick()`: the full-set action for a direction and the fire button, which the
 * reference policies use to turn "go up-left and shoot" into an action id.
 */
import { Action, type AtariAction } from '../atari/actions.js';

/** Indexed by (dy + 1) * 3 + (dx + 1), then fire (0 or 1). */
const TABLE: readonly (readonly [AtariAction, AtariAction])[] = [
  [Action.UPLEFT, Action.UPLEFTFIRE],
  [Action.UP, Action.UPFIRE],
  [Action.UPRIGHT, Action.UPRIGHTFIRE],
  [Action.LEFT, Action.LEFTFIRE],
  [Action.NOOP, Action.FIRE],
  [Action.RIGHT, Action.RIGHTFIRE],
  [Action.DOWNLEFT, Action.DOWNLEFTFIRE],
  [Action.DOWN, Action.DOWNFIRE],
  [Action.DOWNRIGHT, Action.DOWNRIGHTFIRE],
];

/** The action for joystick direction (dx, dy) in {−1, 0, 1}² (dy = −1 is up), with or without FIRE. */
export function actionFor(dx: number, dy: number, fire = false): AtariAction {
  const row = TABLE[(Math.sign(dy) + 1) * 3 + Math.sign(dx) + 1];
  return row[fire ? 1 : 0];
}
