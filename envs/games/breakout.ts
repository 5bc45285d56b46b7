/**
 * Breakout-v0: our own implementation of the rules of Atari Breakout.
 *
 * Rules: six rows of 18 bricks under a grey ceiling; rows are worth 7, 7, 4, 4, 1, 1 points from
 * the top (red, orange, yellow, green, aqua, blue). FIRE launches a ball from above the paddle;
 * the paddle (RIGHT / LEFT) bounces it back up at an angle set by where it hits. A ball that falls
 * past the paddle costs one of 5 lives and must be launched again with FIRE. The ball speeds up
 * after 4 and after 12 paddle hits and when it first breaks a brick of the orange or red rows;
 * the paddle shrinks to half its width once the ball reaches the ceiling (until the next wall).
 * A cleared wall is replaced once; clearing the second wall, or losing the last life, ends the game.
 */
import type { Rng } from '../../src/util/rng.js';
import { Action, type AtariAction, joystick } from '../atari/actions.js';
import { drawNumber, fillRect } from '../atari/draw.js';
import { type Game, type GameSpec, SCREEN_HEIGHT, SCREEN_WIDTH } from '../atari/game.js';
import { colour } from '../atari/palette.js';
import { clamp } from './sprites.js';
import { copyState, restoreState } from './state.js';

/** A local copy: some loaders make an imported binding a getter call per access. */
const WIDTH = SCREEN_WIDTH;
const WALL_LEFT = 8;
const WALL_RIGHT = 152;
const CEILING = 32;
const BRICK_TOP = 57;
const BRICK_W = 8;
const BRICK_H = 6;
const ROWS = 6;
const COLS = 18;
const ROW_POINTS = [7, 7, 4, 4, 1, 1];
const PADDLE_Y = 189;
const PADDLE_H = 4;
const PADDLE_W = 16;
const PADDLE_SPEED = 3;
const BALL_W = 2;
const BALL_H = 4;
const START_LIVES = 5;
const WALLS = 2;
/** Ball speed (vertical px/frame) by speed level 0..4. */
const SPEEDS = [1.5, 2, 2.5, 3, 3.5];

const BG = colour(0, 0);
const GREY = colour(0, 4);
const ROW_COLOURS = [colour(10, 4), colour(9, 4), colour(8, 4), colour(5, 4), colour(3, 4), colour(1, 4)];
const PADDLE_COLOUR = colour(10, 4);
const BALL_COLOUR = colour(10, 4);

interface BreakoutState {
  /** 1 where a brick stands, row-major ROWS x COLS. */
  bricks: number[];
  bricksLeft: number;
  wall: number;
  paddleX: number;
  paddleW: number;
  ballX: number;
  ballY: number;
  vx: number;
  vy: number;
  inPlay: boolean;
  hits: number;
  /** Speed level from hits; the level from hitting the top rows is kept apart so both count. */
  topRowBonus: number;
  score: number;
  lives: number;
  ended: boolean;
}

export class BreakoutGame implements Game {
  readonly minimalActions = ['NOOP', 'FIRE', 'RIGHT', 'LEFT'] as const;
  private s: BreakoutState = newState();
  /** Ceiling and side walls, drawn once: copied into the screen at the start of every draw(). */
  private readonly background = buildBackground();

  get gameOver(): boolean {
    return this.s.ended;
  }

  get lives(): number {
    return this.s.lives;
  }

  reset(_rng: Rng): void {
    this.s = newState();
  }

  tick(action: AtariAction, rng: Rng): number {
    const s = this.s;
    if (s.ended) return 0;
    const j = joystick(action);
    s.paddleX = clamp(s.paddleX + j.dx * PADDLE_SPEED, WALL_LEFT, WALL_RIGHT - s.paddleW);
    if (!s.inPlay) {
      if (j.fire) this.launch(rng);
      return 0;
    }
    const n = Math.ceil(Math.max(Math.abs(s.vx), Math.abs(s.vy)));
    let reward = 0;
    for (let i = 0; i < n && s.inPlay; i++) reward += this.substep(s.vx / n, s.vy / n);
    return reward;
  }

  draw(screen: Uint8Array): void {
    const s = this.s;
    screen.set(this.background);
    drawNumber(screen, s.score, 72, 4, GREY, 2);
    drawNumber(screen, s.lives, 112, 4, GREY, 2);
    drawNumber(screen, s.wall, 144, 4, GREY, 2);
    // Each brick row is drawn on its first pixel row, then copied down (fewer, longer writes).
    for (let r = 0; r < ROWS; r++) {
      const top = (BRICK_TOP + r * BRICK_H) * WIDTH;
      for (let c = 0; c < COLS; c++) {
        const x = top + WALL_LEFT + c * BRICK_W;
        if (s.bricks[r * COLS + c]) screen.fill(ROW_COLOURS[r], x, x + BRICK_W);
      }
      for (let k = 1; k < BRICK_H; k++)
        screen.copyWithin(top + k * WIDTH + WALL_LEFT, top + WALL_LEFT, top + WALL_RIGHT);
    }
    fillRect(screen, s.paddleX, PADDLE_Y, s.paddleW, PADDLE_H, PADDLE_COLOUR);
    if (s.inPlay) fillRect(screen, s.ballX, s.ballY, BALL_W, BALL_H, BALL_COLOUR);
  }

  getState(): BreakoutState {
    return copyState(this.s);
  }

  setState(state: unknown): void {
    this.s = restoreState(state, newState(), 'Breakout-v0');
  }

  /**
   * Reference policy: FIRE when no ball is in play; otherwise put the paddle under the point where
   * the falling ball will reach it (side-wall bounces folded in), hitting it a little off centre on
   * the side of the wall that has more bricks left, so the ball is sent towards them.
   */
  referenceAction(): AtariAction {
    const s = this.s;
    if (!s.inPlay) return Action.FIRE;
    let target = s.ballX + BALL_W / 2;
    if (s.vy > 0) {
      const frames = (PADDLE_Y - BALL_H - s.ballY) / s.vy;
      target = foldX(s.ballX + s.vx * frames) + BALL_W / 2;
      target -= this.richerSide() * s.paddleW * 0.2;
    }
    const centre = s.paddleX + s.paddleW / 2;
    if (target > centre + 3) return Action.RIGHT;
    if (target < centre - 3) return Action.LEFT;
    return Action.NOOP;
  }

  /** +1 if more bricks stand in the right half, −1 otherwise. */
  private richerSide(): number {
    let balance = 0;
    for (let i = 0; i < ROWS * COLS; i++) if (this.s.bricks[i]) balance += i % COLS < COLS / 2 ? -1 : 1;
    return balance > 0 ? 1 : -1;
  }

  private launch(rng: Rng): void {
    const s = this.s;
    s.inPlay = true;
    s.ballX = WALL_LEFT + 10 + rng.int(WALL_RIGHT - WALL_LEFT - 20);
    s.ballY = BRICK_TOP + ROWS * BRICK_H + 20;
    const speed = this.speed();
    s.vx = (rng.bernoulli(0.5) ? 1 : -1) * speed * 0.6;
    s.vy = speed;
  }

  private speed(): number {
    const s = this.s;
    const level = (s.hits >= 4 ? 1 : 0) + (s.hits >= 12 ? 1 : 0) + s.topRowBonus;
    return SPEEDS[Math.min(level, SPEEDS.length - 1)];
  }

  /** Moves the ball by (dx, dy) (at most 1 px each) and resolves what it meets. */
  private substep(dx: number, dy: number): number {
    const s = this.s;
    const x = s.ballX + dx;
    const y = s.ballY + dy;
    if (x < WALL_LEFT || x + BALL_W > WALL_RIGHT) {
      s.vx = -s.vx;
      return 0;
    }
    if (y < CEILING) {
      s.vy = -s.vy;
      s.paddleW = PADDLE_W / 2;
      return 0;
    }
    const brick = this.brickAt(x, y);
    if (brick >= 0) {
      // Bounce vertically if the move along y alone meets the brick, else horizontally.
      if (this.brickAt(s.ballX, y) >= 0) s.vy = -s.vy;
      else s.vx = -s.vx;
      return this.breakBrick(brick);
    }
    if (s.vy > 0 && y + BALL_H >= PADDLE_Y && s.ballY + BALL_H < PADDLE_Y + 1) {
      if (x + BALL_W > s.paddleX && x < s.paddleX + s.paddleW) {
        this.bounceOffPaddle(x);
        return 0;
      }
    }
    s.ballX = x;
    s.ballY = y;
    if (y > PADDLE_Y + PADDLE_H + 6) this.loseBall();
    return 0;
  }

  /** Index of a standing brick that the ball at (x, y) overlaps, or −1. */
  private brickAt(x: number, y: number): number {
    const r0 = Math.floor((y - BRICK_TOP) / BRICK_H);
    const r1 = Math.floor((y + BALL_H - 1e-6 - BRICK_TOP) / BRICK_H);
    const c0 = Math.floor((x - WALL_LEFT) / BRICK_W);
    const c1 = Math.floor((x + BALL_W - 1e-6 - WALL_LEFT) / BRICK_W);
    for (let r = Math.max(r0, 0); r <= Math.min(r1, ROWS - 1); r++) {
      for (let c = Math.max(c0, 0); c <= Math.min(c1, COLS - 1); c++) {
        if (this.s.bricks[r * COLS + c]) return r * COLS + c;
      }
    }
    return -1;
  }

  private breakBrick(i: number): number {
    const s = this.s;
    s.bricks[i] = 0;
    s.bricksLeft--;
    const row = Math.floor(i / COLS);
    if (row === 1 && s.topRowBonus < 1) s.topRowBonus = 1;
    if (row === 0) s.topRowBonus = 2;
    this.rescale();
    const points = ROW_POINTS[row];
    s.score += points;
    if (s.bricksLeft === 0) {
      if (s.wall >= WALLS) s.ended = true;
      else this.newWall();
    }
    return points;
  }

  private bounceOffPaddle(x: number): void {
    const s = this.s;
    s.hits++;
    const offset = (x + BALL_W / 2 - (s.paddleX + s.paddleW / 2)) / (s.paddleW / 2 + BALL_W / 2);
    const speed = this.speed();
    // The ball never leaves straight up: a centre hit keeps its horizontal direction at a shallow angle.
    let factor = clamp(offset, -1, 1) * 1.1;
    if (Math.abs(factor) < 0.25) factor = s.vx >= 0 ? 0.25 : -0.25;
    s.vx = factor * speed;
    s.vy = -speed;
  }

  /** Keeps the ball's direction but sets its speed to the current level. */
  private rescale(): void {
    const s = this.s;
    const speed = this.speed();
    const k = speed / Math.abs(s.vy);
    s.vx *= k;
    s.vy *= k;
  }

  private loseBall(): void {
    const s = this.s;
    s.inPlay = false;
    s.lives--;
    if (s.lives <= 0) s.ended = true;
  }

  private newWall(): void {
    const s = this.s;
    s.wall++;
    s.bricks.fill(1);
    s.bricksLeft = ROWS * COLS;
    s.paddleW = PADDLE_W;
  }
}

function newState(): BreakoutState {
  return {
    bricks: new Array<number>(ROWS * COLS).fill(1),
    bricksLeft: ROWS * COLS,
    wall: 1,
    paddleX: (SCREEN_WIDTH - PADDLE_W) / 2,
    paddleW: PADDLE_W,
    ballX: 0,
    ballY: 0,
    vx: 0,
    vy: 0,
    inPlay: false,
    hits: 0,
    topRowBonus: 0,
    score: 0,
    lives: START_LIVES,
    ended: false,
  };
}

function buildBackground(): Uint8Array {
  const bg = new Uint8Array(SCREEN_WIDTH * SCREEN_HEIGHT).fill(BG);
  fillRect(bg, 0, CEILING - 15, SCREEN_WIDTH, 15, GREY);
  fillRect(bg, 0, CEILING, WALL_LEFT, 164, GREY);
  fillRect(bg, WALL_RIGHT, CEILING, SCREEN_WIDTH - WALL_RIGHT, 164, GREY);
  fillRect(bg, 0, PADDLE_Y, WALL_LEFT, 6, colour(3, 4));
  fillRect(bg, WALL_RIGHT, PADDLE_Y, SCREEN_WIDTH - WALL_RIGHT, 6, colour(10, 4));
  return bg;
}

/** Folds an x coordinate of the ball's left edge back between the side walls. */
function foldX(x: number): number {
  const span = WALL_RIGHT - BALL_W - WALL_LEFT;
  let p = (x - WALL_LEFT) % (2 * span);
  if (p < 0) p += 2 * span;
  return WALL_LEFT + (p > span ? 2 * span - p : p);
}

export const breakoutSpec: GameSpec = {
  id: 'Breakout-v0',
  description:
    'Break six rows of bricks (7/7/4/4/1/1 points) with a ball; FIRE launches; 5 lives; two walls.',
  create: () => new BreakoutGame(),
  // Means over 30 episodes each, as printed by `npm run bench:games` (scripts/bench-games.ts).
  scores: { random: 0.6, reference: 474.3 },
};
