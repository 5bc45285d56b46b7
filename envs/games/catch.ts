/**
 * Catch-v0: the harness's proof game, small enough to read in one sitting.
 *
 * Rules: a ball falls straight down from a random column at the top; the player moves a paddle
 * along the bottom (LEFT / RIGHT / NOOP). Catching the ball scores +1; missing it scores −1 and
 * costs a life. A new ball drops at once. The game ends when the 3 lives are gone or 20 balls have
 * been caught. Every 5 catches the ball falls faster (difficulty ramps).
 */
import type { Rng } from '../../src/util/rng.js';
import { type AtariAction, joystick } from '../atari/actions.js';
import { drawNumber, fillRect } from '../atari/draw.js';
import { type Game, type GameSpec, SCREEN_WIDTH } from '../atari/game.js';
import { colour } from '../atari/palette.js';
import { clamp } from './sprites.js';

const PADDLE_W = 24;
const PADDLE_H = 4;
const PADDLE_Y = 190;
const PADDLE_SPEED = 3;
const BALL = 6;
const TOP = 30;
const START_LIVES = 3;
const CATCHES_TO_WIN = 20;

const BG = colour(0, 0);
const PADDLE = colour(2, 5);
const BALL_COLOUR = colour(5, 6);
const TEXT = colour(0, 6);
const WALL = colour(0, 3);

interface CatchState {
  paddleX: number;
  ballX: number;
  ballY: number;
  catches: number;
  lives: number;
}

export class CatchGame implements Game {
  readonly minimalActions = ['NOOP', 'RIGHT', 'LEFT'] as const;
  private s: CatchState = { paddleX: 0, ballX: 0, ballY: 0, catches: 0, lives: 0 };

  get gameOver(): boolean {
    return this.s.lives <= 0 || this.s.catches >= CATCHES_TO_WIN;
  }

  get lives(): number {
    return this.s.lives;
  }

  reset(rng: Rng): void {
    this.s = { paddleX: (SCREEN_WIDTH - PADDLE_W) / 2, ballX: 0, ballY: 0, catches: 0, lives: START_LIVES };
    this.dropBall(rng);
  }

  tick(action: AtariAction, rng: Rng): number {
    const s = this.s;
    s.paddleX = clamp(s.paddleX + joystick(action).dx * PADDLE_SPEED, 0, SCREEN_WIDTH - PADDLE_W);
    s.ballY += 1 + Math.floor(s.catches / 5);
    if (s.ballY + BALL < PADDLE_Y) return 0;
    const caught = s.ballX + BALL > s.paddleX && s.ballX < s.paddleX + PADDLE_W;
    if (caught) s.catches++;
    else s.lives--;
    if (!this.gameOver) this.dropBall(rng);
    return caught ? 1 : -1;
  }

  draw(screen: Uint8Array): void {
    screen.fill(BG);
    fillRect(screen, 0, TOP - 4, SCREEN_WIDTH, 2, WALL);
    drawNumber(screen, this.s.catches, 60, 8, TEXT);
    drawNumber(screen, this.s.lives, 150, 8, TEXT);
    fillRect(screen, this.s.ballX, this.s.ballY, BALL, BALL, BALL_COLOUR);
    fillRect(screen, this.s.paddleX, PADDLE_Y, PADDLE_W, PADDLE_H, PADDLE);
  }

  getState(): CatchState {
    return { ...this.s };
  }

  setState(state: unknown): void {
    this.s = { ...(state as CatchState) };
  }

  /** Reference policy: move the paddle's centre under the ball. Reads the state, not pixels. */
  referenceAction(): AtariAction {
    const centre = this.s.paddleX + PADDLE_W / 2;
    const target = this.s.ballX + BALL / 2;
    if (target > centre + 1) return 3; // RIGHT
    if (target < centre - 1) return 4; // LEFT
    return 0;
  }

  private dropBall(rng: Rng): void {
    this.s.ballX = rng.int(SCREEN_WIDTH - BALL);
    this.s.ballY = TOP;
  }
}

export const catchSpec: GameSpec = {
  id: 'Catch-v0',
  description:
    'Catch the falling ball with a paddle; +1 a catch, −1 and a life a miss; 3 lives, 20 catches win.',
  create: () => new CatchGame(),
  // Means over 30 episodes each, as printed by `npm run bench:games` (scripts/bench-games.ts).
  scores: { random: -2.5, reference: 19.7 },
};
