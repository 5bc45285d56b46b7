/** The bundled pixel games, in the order `pixelrl envs` lists them. */
import type { GameSpec } from '../atari/game.js';
import { asterixSpec } from './asterix.js';
import { breakoutSpec } from './breakout.js';
import { catchSpec } from './catch.js';
import { freewaySpec } from './freeway.js';
import { pongSpec } from './pong.js';
import { seaquestSpec } from './seaquest.js';
import { spaceInvadersSpec } from './space-invaders.js';

export const GAMES: readonly GameSpec[] = [
  catchSpec,
  pongSpec,
  breakoutSpec,
  spaceInvadersSpec,
  freewaySpec,
  seaquestSpec,
  asterixSpec,
];
