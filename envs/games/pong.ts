/**
 * Pong-v0: our own implementation of the rules of Atari Pong.
 *
 * Rules: two paddles and a ball between a top and a bottom wall. The agent plays the green paddle
 * on the right (RIGHT moves it up, LEFT down, as ALE's Pong); the computer plays the orange one
 * on the left. A ball that passes a paddle scores a point for the other side: +1 reward when the
 * agent scores, −1 when the computer does. The first side to 21 points ends the game. The ball
 * leaves the paddle at an angle set by where it hits (the edges send it steeply), and it speeds up
 * every 4 returns of a rally (difficulty ramps). The computer follows the ball with a limited speed
 * and a small aiming error drawn at each return, so steep shots beat it. FIRE does nothing: the
 * ball is served automatically, towards the side that lost the last point. No lives (0), as ALE.
 */
import type { Rng } from '../../src/util/rng.js';
import { Action, type AtariAction, joystick } from '../atari/actions.js';
import { drawNumber, fillRect } from '../atari/draw.js';
import { type Game, type GameSpec, SCREEN_WIDTH } from '../atari/game.js';
import { colour } from '../atari/palette.js';
import { clamp } from './sprites.js';
import { copyState, restoreState } from './state.js';

const TOP = 34;
const BOTTOM = 194;
const PADDLE_H = 16;
const PADDLE_W = 4;
const PLAYER_X = 140;
const CPU_X = 16;
const BALL_W = 2;
const BALL_H = 4;
const PLAYER_SPEED = 3;
const CPU_SPEED = 1.75;
/** Largest vertical ball speed (px/frame), from a hit at a paddle's very edge. */
const MAX_VY = 2.6;
const BASE_VX = 2;
const MAX_VX = 3.5;
const SERVE_DELAY_FRAMES = 40;
const WINNING_SCORE = 21;

const BG = colour(9, 3);
const WALL = colour(0, 6);
const PLAYER = colour(5, 5);
const CPU = colour(9, 5);
const BALL = colour(0, 7);

interface PongState {
  playerY: number;
  cpuY: number;
  ballX: number;
  ballY: number;
  vx: number;
  vy: number;
  /** Frames until the next serve; the ball is off the field while > 0. */
  serveTimer: number;
  /** Paddle returns in the current rally (sets the ball's speed). */
  rallyHits: number;
  /** The computer's aiming error (px), redrawn at each return. */
  cpuError: number;
  playerScore: number;
  cpuScore: number;
  /** +1: next serve goes to the agent (right), −1: to the computer. */
  serveDir: number;
}

export class PongGame implements Game {
  readonly minimalActions = ['NOOP', 'FIRE', 'RIGHT', 'LEFT', 'RIGHTFIRE', 'LEFTFIRE'] as const;
  private s: PongState = newState();

  get gameOver(): boolean {
    return this.s.playerScore >= WINNING_SCORE || this.s.cpuScore >= WINNING_SCORE;
  }

  get lives(): number {
    return 0;
  }

  reset(rng: Rng): void {
    this.s = newState();
    this.s.serveDir = rng.bernoulli(0.5) ? 1 : -1;
  }

  tick(action: AtariAction, rng: Rng): number {
    const s = this.s;
    // RIGHT is up on ALE's Pong paddle.
    s.playerY = clamp(s.playerY - joystick(action).dx * PLAYER_SPEED, TOP, BOTTOM - PADDLE_H);
    this.moveCpu();
    if (s.serveTimer > 0) {
      if (--s.serveTimer === 0) this.serve(rng);
      return 0;
    }
    const oldX = s.ballX;
    s.ballX += s.vx;
    s.ballY += s.vy;
    if (s.ballY < TOP) {
      s.ballY = 2 * TOP - s.ballY;
      s.vy = -s.vy;
    } else if (s.ballY + BALL_H > BOTTOM) {
      s.ballY = 2 * (BOTTOM - BALL_H) - s.ballY;
      s.vy = -s.vy;
    }
    // Swept test against each paddle's front face, so a fast ball cannot pass through.
    if (s.vx > 0 && oldX + BALL_W <= PLAYER_X && s.ballX + BALL_W > PLAYER_X && this.meets(s.playerY)) {
      s.ballX = PLAYER_X - BALL_W;
      this.returnBall(s.playerY, -1, rng);
    } else if (s.vx < 0 && oldX >= CPU_X + PADDLE_W && s.ballX < CPU_X + PADDLE_W && this.meets(s.cpuY)) {
      s.ballX = CPU_X + PADDLE_W;
      this.returnBall(s.cpuY, 1, rng);
    }
    if (s.ballX > SCREEN_WIDTH) {
      s.cpuScore++;
      this.pointOver(1);
      return -1;
    }
    if (s.ballX + BALL_W < 0) {
      s.playerScore++;
      this.pointOver(-1);
      return 1;
    }
    return 0;
  }

  draw(screen: Uint8Array): void {
    const s = this.s;
    screen.fill(BG);
    fillRect(screen, 0, TOP - 10, SCREEN_WIDTH, 10, WALL);
    fillRect(screen, 0, BOTTOM, SCREEN_WIDTH, 16, WALL);
    drawNumber(screen, s.cpuScore, 52, 4, CPU, 3);
    drawNumber(screen, s.playerScore, 132, 4, PLAYER, 3);
    fillRect(screen, CPU_X, s.cpuY, PADDLE_W, PADDLE_H, CPU);
    fillRect(screen, PLAYER_X, s.playerY, PADDLE_W, PADDLE_H, PLAYER);
    if (s.serveTimer === 0) fillRect(screen, s.ballX, s.ballY, BALL_W, BALL_H, BALL);
  }

  getState(): PongState {
    return copyState(this.s);
  }

  setState(state: unknown): void {
    this.s = restoreState(state, newState(), 'Pong-v0');
  }

  /**
   * Reference policy: when the ball comes towards us, predict where it crosses our paddle (with wall
   * bounces) and meet it off-centre, so it leaves steeply towards the wall away from the computer's
   * paddle; otherwise wait in the middle.
   */
  referenceAction(): AtariAction {
    const s = this.s;
    let target = (TOP + BOTTOM) / 2;
    if (s.serveTimer === 0 && s.vx > 0) {
      const y = predictY(s.ballX, s.ballY, s.vx, s.vy, PLAYER_X - BALL_W) + BALL_H / 2;
      // Hit with the paddle's edge on the side the computer is not: a quarter paddle off centre.
      const away = s.cpuY + PADDLE_H / 2 < (TOP + BOTTOM) / 2 ? 1 : -1;
      target = y - away * PADDLE_H * 0.25;
    }
    // A dead band of 5 px: one agent step (4 frames) moves the paddle 12 px, so a narrower band
    // would make it overshoot back and forth around the target.
    const centre = s.playerY + PADDLE_H / 2;
    if (target < centre - 5) return Action.RIGHT;
    if (target > centre + 5) return Action.LEFT;
    return Action.NOOP;
  }

  private meets(paddleY: number): boolean {
    const y = this.s.ballY;
    return y + BALL_H > paddleY && y < paddleY + PADDLE_H;
  }

  /** Sends the ball back in direction `dir`, angled by where it met the paddle. */
  private returnBall(paddleY: number, dir: number, rng: Rng): void {
    const s = this.s;
    s.rallyHits++;
    const offset = (s.ballY + BALL_H / 2 - (paddleY + PADDLE_H / 2)) / ((PADDLE_H + BALL_H) / 2);
    s.vy = clamp(offset, -1, 1) * MAX_VY;
    const speed = Math.min(MAX_VX, BASE_VX + 0.25 * Math.floor(s.rallyHits / 4));
    s.vx = dir * speed;
    s.cpuError = (rng.float() * 2 - 1) * 9;
  }

  private moveCpu(): void {
    const s = this.s;
    // The computer follows the ball only while it comes its way, and recentres otherwise.
    const target = s.serveTimer === 0 && s.vx < 0 ? s.ballY + BALL_H / 2 + s.cpuError : (TOP + BOTTOM) / 2;
    const delta = clamp(target - (s.cpuY + PADDLE_H / 2), -CPU_SPEED, CPU_SPEED);
    s.cpuY = clamp(s.cpuY + delta, TOP, BOTTOM - PADDLE_H);
  }

  private pointOver(nextServeDir: number): void {
    const s = this.s;
    s.serveTimer = SERVE_DELAY_FRAMES;
    s.serveDir = nextServeDir;
    s.rallyHits = 0;
  }

  private serve(rng: Rng): void {
    const s = this.s;
    s.ballX = SCREEN_WIDTH / 2 - BALL_W / 2;
    s.ballY = TOP + 20 + rng.int(BOTTOM - TOP - 40);
    s.vx = s.serveDir * BASE_VX;
    s.vy = (rng.bernoulli(0.5) ? 1 : -1) * (0.5 + rng.float());
    s.cpuError = 0;
  }
}

function newState(): PongState {
  const mid = (TOP + BOTTOM - PADDLE_H) / 2;
  return {
    playerY: mid,
    cpuY: mid,
    ballX: 0,
    ballY: 0,
    vx: 0,
    vy: 0,
    serveTimer: SERVE_DELAY_FRAMES,
    rallyHits: 0,
    cpuError: 0,
    playerScore: 0,
    cpuScore: 0,
    serveDir: 1,
  };
}

/** The ball's y when its left edge reaches `x`, folding its path between the walls. */
export function predictY(x: number, y: number, vx: number, vy: number, toX: number): number {
  const frames = (toX - x) / vx;
  const span = BOTTOM - BALL_H - TOP;
  let p = (y - TOP + vy * frames) % (2 * span);
  if (p < 0) p += 2 * span;
  return TOP + (p > span ? 2 * span - p : p);
}

export const pongSpec: GameSpec = {
  id: 'Pong-v0',
  description: 'Return the ball past a beatable computer paddle; +1 / −1 a point; first to 21 wins.',
  create: () => new PongGame(),
  // Means over 30 episodes each, as printed by `npm run bench:games` (scripts/bench-games.ts).
  scores: { random: -20.3, reference: 18.7 },
};
