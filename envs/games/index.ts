/** The bundled pixel games, in the order `pixelrl envs` lists them. */
import type { GameSpec } from '../atari/game.js';
import { catchSpec } from './catch.js';

export const GAMES: readonly GameSpec[] = [catchSpec];
