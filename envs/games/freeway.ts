/**
 * Freeway-v0: our own implementation of the rules of Atari Freeway.
 *
 * Rules: a chicken crosses a ten-lane freeway from the bottom kerb to the top (UP / DOWN / NOOP).
 * Each crossing scores +1 and puts the chicken back at the bottom. A car that hits the chicken
 * pushes it back down about a lane and stuns it for half a second. Cars drive right in the
 * bottom five lanes and left in the top five, each lane at its own speed, and all traffic speeds up
 * a little with every crossing (difficulty ramps). The game ends when the clock runs out: 2 min 16 s
 * of 60 Hz frames. No lives (0), as ALE.
 */
import type { Rng } from '../../src/util/rng.js';
import { Action, type AtariAction, joystick } from '../atari/actions.js';
import { drawNumber, fillRect } from '../atari/draw.js';
import { type Game, type GameSpec, SCREEN_HEIGHT, SCREEN_WIDTH } from '../atari/game.js';
import { colour } from '../atari/palette.js';
import { clamp, drawSprite, sprite } from './sprites.js';
import { copyState, restoreState } from './state.js';

const LANES = 10;
const LANE_H = 16;
const ROAD_TOP = 30;
const ROAD_BOTTOM = ROAD_TOP + LANES * LANE_H;
const CHICKEN_X = 44;
const CHICKEN_W = 7;
const CHICKEN_H = 8;
const START_Y = ROAD_BOTTOM + 2;
const CAR_W = 8;
const CAR_H = 6;
/** Offset of a car's top inside its lane. */
const CAR_DY = 5;
const PUSHBACK_PX = 14;
const STUN_FRAMES = 30;
/** 2 min 16 s at 60 frames/s. */
export const TIME_LIMIT_FRAMES = 136 * 60;
/** Car speeds (px/frame) by lane, top lane first; the top five drive left. */
const LANE_SPEEDS = [-1.6, -1.2, -0.9, -0.7, -0.5, 0.5, 0.7, 0.9, 1.2, 1.6];
const MAX_SPEEDUP = 1.6;

const GREY = colour(0, 2);
const KERB = colour(0, 4);
const MARK = colour(0, 6);
const CENTRE = colour(8, 6);
const CHICKEN = colour(8, 7);
const BEAK = colour(9, 5);
const TEXT = colour(11, 6);
const CAR_COLOURS = [11, 13, 1, 5, 8, 9, 3, 14, 10, 6].map((h) => colour(h, 5));

const CHICKEN_ART = sprite([
  '..##...',
  '.###...',
  '.##....',
  '.####..',
  '######.',
  '#######',
  '.#####.',
  '..#.#..',
]);
const CAR_ART = sprite(['.######.', '########', '########', '########', '.##..##.', '.##..##.']);

interface FreewayState {
  chickenY: number;
  stunTimer: number;
  framesLeft: number;
  score: number;
  /** Left edge of each lane's car, in [0, SCREEN_WIDTH). */
  carX: number[];
}

export class FreewayGame implements Game {
  readonly minimalActions = ['NOOP', 'UP', 'DOWN'] as const;
  private s: FreewayState = newState();
  /** The road, drawn once: copied into the screen at the start of every draw(). */
  private readonly background = buildBackground();

  get gameOver(): boolean {
    return this.s.framesLeft <= 0;
  }

  get lives(): number {
    return 0;
  }

  reset(rng: Rng): void {
    this.s = newState();
    for (let l = 0; l < LANES; l++) this.s.carX[l] = rng.int(SCREEN_WIDTH);
  }

  tick(action: AtariAction, _rng: Rng): number {
    const s = this.s;
    if (s.framesLeft <= 0) return 0;
    s.framesLeft--;
    const speedup = this.speedup();
    for (let l = 0; l < LANES; l++) s.carX[l] = wrap(s.carX[l] + LANE_SPEEDS[l] * speedup);
    if (s.stunTimer > 0) {
      s.stunTimer--;
      return 0;
    }
    s.chickenY = clamp(s.chickenY + joystick(action).dy, ROAD_TOP - CHICKEN_H, START_Y);
    if (s.chickenY <= ROAD_TOP - CHICKEN_H) {
      s.score++;
      s.chickenY = START_Y;
      return 1;
    }
    if (this.hitAt(s.chickenY, 0, 0)) {
      s.chickenY = Math.min(START_Y, s.chickenY + PUSHBACK_PX);
      s.stunTimer = STUN_FRAMES;
    }
    return 0;
  }

  draw(screen: Uint8Array): void {
    const s = this.s;
    screen.set(this.background);
    drawNumber(screen, s.score, 60, 4, TEXT, 2);
    drawNumber(screen, Math.ceil(s.framesLeft / 60), 150, 4, KERB, 2);
    for (let l = 0; l < LANES; l++) {
      const y = ROAD_TOP + l * LANE_H + CAR_DY;
      const flip = LANE_SPEEDS[l] < 0;
      drawSprite(screen, CAR_ART, s.carX[l], y, CAR_COLOURS[l], flip);
      // A car leaving one side shows its rest entering at the other.
      drawSprite(screen, CAR_ART, s.carX[l] - SCREEN_WIDTH, y, CAR_COLOURS[l], flip);
    }
    drawSprite(screen, CHICKEN_ART, CHICKEN_X, s.chickenY, CHICKEN);
    fillRect(screen, CHICKEN_X - 1, s.chickenY + 1, 1, 1, BEAK);
  }

  getState(): FreewayState {
    return copyState(this.s);
  }

  setState(state: unknown): void {
    this.s = restoreState(state, newState(), 'Freeway-v0');
  }

  /**
   * Reference policy: looking ahead over the cars' straight-line paths, walk up if the chicken
   * would stay clear (with a margin) for the next stretch of frames; else wait if waiting is
   * safe; else step back down.
   */
  referenceAction(): AtariAction {
    const s = this.s;
    const lookahead = 24;
    let upSafe = true;
    let waitSafe = true;
    for (let t = 1; t <= lookahead; t++) {
      if (upSafe && this.hitAt(s.chickenY - t, t, 3)) upSafe = false;
      if (waitSafe && this.hitAt(s.chickenY, t, 3)) waitSafe = false;
    }
    if (upSafe || s.stunTimer > 0) return Action.UP;
    return waitSafe ? Action.NOOP : Action.DOWN;
  }

  private speedup(): number {
    return Math.min(MAX_SPEEDUP, 1 + 0.03 * this.s.score);
  }

  /** Does a car overlap the chicken at height y, `t` frames from now, with cars widened by `margin`? */
  private hitAt(y: number, t: number, margin: number): boolean {
    const s = this.s;
    const first = Math.max(0, Math.floor((y - ROAD_TOP) / LANE_H));
    const last = Math.min(LANES - 1, Math.floor((y + CHICKEN_H - 1 - ROAD_TOP) / LANE_H));
    const speedup = this.speedup();
    for (let l = first; l <= last; l++) {
      const carTop = ROAD_TOP + l * LANE_H + CAR_DY;
      if (y + CHICKEN_H <= carTop || y >= carTop + CAR_H) continue;
      const x = wrap(s.carX[l] + LANE_SPEEDS[l] * speedup * t);
      // The car also shows at x − SCREEN_WIDTH while it wraps round.
      if (overlapsChicken(x, margin) || overlapsChicken(x - SCREEN_WIDTH, margin)) return true;
    }
    return false;
  }
}

function newState(): FreewayState {
  return {
    chickenY: START_Y,
    stunTimer: 0,
    framesLeft: TIME_LIMIT_FRAMES,
    score: 0,
    carX: new Array<number>(LANES).fill(0),
  };
}

function overlapsChicken(carX: number, margin: number): boolean {
  return carX - margin < CHICKEN_X + CHICKEN_W && CHICKEN_X < carX + CAR_W + margin;
}

function wrap(x: number): number {
  return x >= SCREEN_WIDTH ? x - SCREEN_WIDTH : x < 0 ? x + SCREEN_WIDTH : x;
}

function buildBackground(): Uint8Array {
  const bg = new Uint8Array(SCREEN_WIDTH * SCREEN_HEIGHT).fill(GREY);
  fillRect(bg, 0, 0, SCREEN_WIDTH, ROAD_TOP - 6, colour(0, 0));
  fillRect(bg, 0, ROAD_TOP - 6, SCREEN_WIDTH, 6, KERB);
  fillRect(bg, 0, ROAD_BOTTOM, SCREEN_WIDTH, 12, KERB);
  fillRect(bg, 0, ROAD_BOTTOM + 12, SCREEN_WIDTH, SCREEN_HEIGHT - ROAD_BOTTOM - 12, colour(0, 0));
  for (let l = 1; l < LANES; l++) {
    const y = ROAD_TOP + l * LANE_H;
    if (l === LANES / 2) {
      fillRect(bg, 0, y - 1, SCREEN_WIDTH, 1, CENTRE);
      fillRect(bg, 0, y + 1, SCREEN_WIDTH, 1, CENTRE);
    } else {
      for (let x = 0; x < SCREEN_WIDTH; x += 8) fillRect(bg, x, y, 4, 1, MARK);
    }
  }
  return bg;
}

export const freewaySpec: GameSpec = {
  id: 'Freeway-v0',
  description: 'Walk a chicken across ten lanes of traffic; +1 a crossing; a hit pushes it back; 2 min 16 s.',
  create: () => new FreewayGame(),
  // Means over 30 episodes each, as printed by `npm run bench:games` (scripts/bench-games.ts).
  scores: { random: 0.0, reference: 35.9 },
};
