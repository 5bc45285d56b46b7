/**
 * Space Invaders' sprites and its shields' starting bitmap (kept apart from the rules in
 * space-invaders.ts so that both read in one sitting).
 */
import { SCREEN_WIDTH } from '../atari/game.js';
import { type Sprite, sprite } from './sprites.js';

/** Shield bitmap rows, from the top. */
export const SHIELD_H = 10;
export const SHIELD_W = 16;
/** Left edges of the three shields. */
export const SHIELD_XS = [36, 72, 108];

export const SHIELD_ART = sprite([
  '...##########...',
  '..############..',
  '.##############.',
  '################',
  '################',
  '################',
  '################',
  '#####......#####',
  '####........####',
  '####........####',
]);
export const PLAYER_ART = sprite(['...#...', '..###..', '.#####.', '#######', '#######', '#######']);
/** Two animation frames of each of three invader kinds (top two rows, middle two, bottom two). */
export const INVADER_ART: readonly Sprite[] = [
  sprite(['...##...', '..####..', '.######.', '##.##.##', '########', '..#..#..', '.#.##.#.', '#.#..#.#']),
  sprite(['...##...', '..####..', '.######.', '##.##.##', '########', '.#.##.#.', '#......#', '.#....#.']),
  sprite(['.#....#.', '..#..#..', '.######.', '##.##.##', '########', '#.####.#', '#.#..#.#', '..#..#..']),
  sprite(['.#....#.', '#.#..#.#', '#.####.#', '###..###', '########', '.######.', '..#..#..', '.#....#.']),
  sprite(['..####..', '.######.', '########', '##.##.##', '########', '..#..#..', '.#.##.#.', '#......#']),
  sprite(['..####..', '.######.', '########', '##.##.##', '########', '.##..##.', '#..##..#', '.#....#.']),
];

/** The three shields, whole: SHIELD_H rows x SCREEN_WIDTH columns, 1 where a pixel stands. */
export function buildShields(): number[] {
  const shields = new Array<number>(SHIELD_H * SCREEN_WIDTH).fill(0);
  for (const left of SHIELD_XS) {
    for (let r = 0; r < SHIELD_H; r++) {
      for (let c = 0; c < SHIELD_W; c++) {
        if ((SHIELD_ART.rows[r] >> (SHIELD_W - 1 - c)) & 1) shields[r * SCREEN_WIDTH + left + c] = 1;
      }
    }
  }
  return shields;
}
