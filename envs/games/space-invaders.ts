/**
 * SpaceInvaders-v0: our own implementation of the rules of Atari Space Invaders.
 *
 * Rules: a grid of 6 x 6 invaders marches sideways, stepping down and turning at each edge of the
 * screen; it marches faster the fewer invaders are left. The agent's cannon moves along the ground
 * (RIGHT / LEFT) and FIRE shoots one shot at a time. Shooting an invader scores 5, 10, 15, 20, 25,
 * 30 points from the bottom row to the top. Invaders drop bombs from the lowest invader of a column;
 * a bomb that hits the cannon costs one of 3 lives. Three shields stand between; shots and bombs
 * erode them pixel by pixel. Clearing the grid starts a new wave that starts lower and bombs more
 * (difficulty ramps). The game ends when the last life is lost or the invaders reach the ground.
 */
import type { Rng } from '../../src/util/rng.js';
import { Action, type AtariAction, joystick } from '../atari/actions.js';
import { drawNumber, fillRect } from '../atari/draw.js';
import { type Game, type GameSpec, SCREEN_WIDTH } from '../atari/game.js';
import { colour } from '../atari/palette.js';
import { buildShields, INVADER_ART, PLAYER_ART, SHIELD_H } from './space-invaders-art.js';
import { clamp, drawSprite } from './sprites.js';
import { copyState, restoreState } from './state.js';

/** A local copy: some loaders make an imported binding a getter call per access (hot loops below). */
const WIDTH = SCREEN_WIDTH;
const ROWS = 6;
const COLS = 6;
const INV_W = 8;
const INV_H = 8;
const COL_STEP = 16;
const ROW_STEP = 14;
const GRID_LEFT = 22;
const GRID_RIGHT = 138;
const START_Y = 31;
const MARCH_PX = 2;
const DROP_PX = 8;
const GROUND_Y = 195;
const PLAYER_Y = 185;
const PLAYER_W = 7;
const PLAYER_SPEED = 2;
const SHOT_SPEED = 4;
const BOMB_SPEED = 2;
const MAX_BOMBS = 3;
const SHIELD_TOP = 157;
const START_LIVES = 3;
const RESPAWN_FRAMES = 60;
/** Points by row, top row first. */
const ROW_POINTS = [30, 25, 20, 15, 10, 5];

const BG = colour(0, 0);
const GROUND = colour(6, 3);
const PLAYER = colour(6, 5);
const INVADER = colour(8, 5);
const SHIELD = colour(10, 4);
const SHOT = colour(0, 7);
const BOMB = colour(0, 6);
const TEXT = colour(6, 5);

interface InvadersState {
  /** 1 where an invader lives, row-major ROWS x COLS. */
  alive: number[];
  aliveCount: number;
  gridX: number;
  gridY: number;
  dir: number;
  marchTimer: number;
  animFrame: number;
  /** 1 where a shield pixel stands: SHIELD_H rows x SCREEN_WIDTH columns from SHIELD_TOP. */
  shields: number[];
  playerX: number;
  shotActive: boolean;
  shotX: number;
  shotY: number;
  /** Bomb slots: x, y, active flag. */
  bombX: number[];
  bombY: number[];
  bombOn: boolean[];
  respawnTimer: number;
  wave: number;
  score: number;
  lives: number;
  ended: boolean;
}

export class SpaceInvadersGame implements Game {
  readonly minimalActions = ['NOOP', 'FIRE', 'RIGHT', 'LEFT', 'RIGHTFIRE', 'LEFTFIRE'] as const;
  private s: InvadersState = newState();

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
    if (s.respawnTimer > 0) {
      s.respawnTimer--;
      return 0;
    }
    const j = joystick(action);
    s.playerX = clamp(s.playerX + j.dx * PLAYER_SPEED, GRID_LEFT, GRID_RIGHT - PLAYER_W);
    if (j.fire && !s.shotActive) {
      s.shotActive = true;
      s.shotX = s.playerX + (PLAYER_W >> 1);
      s.shotY = PLAYER_Y - 4;
    }
    const reward = this.moveShot();
    this.moveBombs();
    this.dropBomb(rng);
    if (--s.marchTimer <= 0) this.march();
    if (s.aliveCount === 0) this.nextWave();
    return reward;
  }

  draw(screen: Uint8Array): void {
    const s = this.s;
    screen.fill(BG);
    drawNumber(screen, s.score, 50, 6, TEXT, 2);
    drawNumber(screen, s.lives, 150, 6, TEXT, 2);
    fillRect(screen, 0, GROUND_Y, SCREEN_WIDTH, 2, GROUND);
    for (let r = 0; r < SHIELD_H; r++) {
      const row = (SHIELD_TOP + r) * WIDTH;
      const shieldRow = r * WIDTH;
      for (let x = 0; x < WIDTH; x++) if (s.shields[shieldRow + x]) screen[row + x] = SHIELD;
    }
    for (let r = 0; r < ROWS; r++) {
      const art = INVADER_ART[(r >> 1) * 2 + s.animFrame];
      for (let c = 0; c < COLS; c++) {
        if (s.alive[r * COLS + c])
          drawSprite(screen, art, s.gridX + c * COL_STEP, s.gridY + r * ROW_STEP, INVADER);
      }
    }
    if (s.respawnTimer === 0) drawSprite(screen, PLAYER_ART, s.playerX, PLAYER_Y + 2, PLAYER);
    if (s.shotActive) fillRect(screen, s.shotX, s.shotY, 1, 4, SHOT);
    for (let b = 0; b < MAX_BOMBS; b++) if (s.bombOn[b]) fillRect(screen, s.bombX[b], s.bombY[b], 1, 4, BOMB);
  }

  getState(): InvadersState {
    return copyState(this.s);
  }

  setState(state: unknown): void {
    this.s = restoreState(state, newState(), 'SpaceInvaders-v0');
  }

  /**
   * Reference policy: aim at the column whose lowest invader will be straight above when a shot
   * fired now gets there, and fire; but never stand (or step) where a falling bomb will land.
   */
  referenceAction(): AtariAction {
    const s = this.s;
    const shotX = s.playerX + (PLAYER_W >> 1);
    let target = shotX;
    let fire = false;
    for (let c = 0; c < COLS; c++) {
      const r = this.lowest(c);
      if (r < 0) continue;
      const frames = Math.ceil((PLAYER_Y - 4 - (s.gridY + r * ROW_STEP + INV_H)) / SHOT_SPEED) + 1;
      const x = this.gridXAfter(frames) + c * COL_STEP;
      if (!s.shotActive && shotX >= x + 1 && shotX < x + INV_W - 1) fire = true;
      const mid = x + INV_W / 2;
      if (Math.abs(mid - shotX) < Math.abs(target - shotX) || target === shotX) target = mid;
    }
    const wanted = target > shotX + 2 ? 1 : target < shotX - 2 ? -1 : 0;
    // One agent step is about 4 frames: check where each move would leave the cannon.
    let dx = wanted;
    if (!this.safeAt(s.playerX + dx * PLAYER_SPEED * 4)) {
      if (this.safeAt(s.playerX)) dx = 0;
      else dx = this.safeAt(s.playerX + PLAYER_SPEED * 4) ? 1 : -1;
    }
    if (dx > 0) return fire ? Action.RIGHTFIRE : Action.RIGHT;
    if (dx < 0) return fire ? Action.LEFTFIRE : Action.LEFT;
    return fire ? Action.FIRE : Action.NOOP;
  }

  /** No falling bomb is about to land on a cannon at x (with a margin). */
  private safeAt(x: number): boolean {
    const s = this.s;
    if (x < GRID_LEFT || x > GRID_RIGHT - PLAYER_W) return false;
    for (let b = 0; b < MAX_BOMBS; b++) {
      if (!s.bombOn[b] || s.bombY[b] < PLAYER_Y - 50) continue;
      if (s.bombX[b] >= x - 3 && s.bombX[b] < x + PLAYER_W + 3) return false;
    }
    return true;
  }

  /** The grid's x `frames` frames from now, marching and turning at the edges as it does now. */
  private gridXAfter(frames: number): number {
    const s = this.s;
    let first = COLS;
    let last = -1;
    for (let i = 0; i < ROWS * COLS; i++) {
      if (!s.alive[i]) continue;
      first = Math.min(first, i % COLS);
      last = Math.max(last, i % COLS);
    }
    let x = s.gridX;
    let dir = s.dir;
    let timer = s.marchTimer;
    const interval = this.marchInterval();
    for (let f = 0; f < frames; f++) {
      if (--timer > 0) continue;
      timer = interval;
      const left = x + first * COL_STEP + dir * MARCH_PX;
      const right = x + last * COL_STEP + INV_W + dir * MARCH_PX;
      if (left < GRID_LEFT || right > GRID_RIGHT) dir = -dir;
      else x += dir * MARCH_PX;
    }
    return x;
  }

  /** Frames between march steps: the fewer invaders, the faster they go. */
  private marchInterval(): number {
    return 2 + Math.floor(this.s.aliveCount / 3);
  }

  /** Row of the lowest living invader in column c, or −1. */
  private lowest(c: number): number {
    for (let r = ROWS - 1; r >= 0; r--) if (this.s.alive[r * COLS + c]) return r;
    return -1;
  }

  private moveShot(): number {
    const s = this.s;
    if (!s.shotActive) return 0;
    for (let k = 0; k < SHOT_SPEED; k++) {
      s.shotY--;
      if (s.shotY < 20) {
        s.shotActive = false;
        return 0;
      }
      if (this.erode(s.shotX, s.shotY)) {
        s.shotActive = false;
        return 0;
      }
      const c = Math.floor((s.shotX - s.gridX) / COL_STEP);
      const r = Math.floor((s.shotY - s.gridY) / ROW_STEP);
      if (c < 0 || c >= COLS || r < 0 || r >= ROWS) continue;
      const inX = s.shotX - s.gridX - c * COL_STEP < INV_W;
      const inY = s.shotY - s.gridY - r * ROW_STEP < INV_H;
      if (inX && inY && s.alive[r * COLS + c]) {
        s.alive[r * COLS + c] = 0;
        s.aliveCount--;
        s.shotActive = false;
        s.score += ROW_POINTS[r];
        return ROW_POINTS[r];
      }
    }
    return 0;
  }

  private moveBombs(): void {
    const s = this.s;
    const centre = s.playerX;
    for (let b = 0; b < MAX_BOMBS; b++) {
      if (!s.bombOn[b]) continue;
      for (let k = 0; k < BOMB_SPEED && s.bombOn[b]; k++) {
        s.bombY[b]++;
        if (this.erode(s.bombX[b], s.bombY[b] + 3)) s.bombOn[b] = false;
        else if (s.bombY[b] + 4 >= GROUND_Y) s.bombOn[b] = false;
        else if (s.bombY[b] + 4 > PLAYER_Y + 2 && s.bombX[b] >= centre && s.bombX[b] < centre + PLAYER_W) {
          this.loseLife();
          return;
        }
      }
    }
  }

  private dropBomb(rng: Rng): void {
    const s = this.s;
    const slot = s.bombOn.indexOf(false);
    if (slot < 0 || !rng.bernoulli(Math.min(0.2, 0.03 + 0.01 * s.wave))) return;
    const c = rng.int(COLS);
    const r = this.lowest(c);
    if (r < 0) return;
    s.bombOn[slot] = true;
    s.bombX[slot] = s.gridX + c * COL_STEP + (INV_W >> 1);
    s.bombY[slot] = s.gridY + r * ROW_STEP + INV_H;
  }

  private march(): void {
    const s = this.s;
    s.marchTimer = this.marchInterval();
    s.animFrame ^= 1;
    let first = COLS;
    let last = -1;
    let bottom = -1;
    for (let i = 0; i < ROWS * COLS; i++) {
      if (!s.alive[i]) continue;
      first = Math.min(first, i % COLS);
      last = Math.max(last, i % COLS);
      bottom = Math.max(bottom, Math.floor(i / COLS));
    }
    if (last < 0) return;
    const nextLeft = s.gridX + first * COL_STEP + s.dir * MARCH_PX;
    const nextRight = s.gridX + last * COL_STEP + INV_W + s.dir * MARCH_PX;
    if (nextLeft < GRID_LEFT || nextRight > GRID_RIGHT) {
      s.dir = -s.dir;
      s.gridY += DROP_PX;
    } else {
      s.gridX += s.dir * MARCH_PX;
    }
    const bottomY = s.gridY + bottom * ROW_STEP + INV_H;
    // Invaders crush the shields they pass through, and win when they reach the cannon's row.
    if (bottomY > SHIELD_TOP) {
      for (let i = 0; i < ROWS * COLS; i++) {
        if (!s.alive[i]) continue;
        const x = s.gridX + (i % COLS) * COL_STEP;
        const y = s.gridY + Math.floor(i / COLS) * ROW_STEP;
        for (let yy = Math.max(y, SHIELD_TOP); yy < Math.min(y + INV_H, SHIELD_TOP + SHIELD_H); yy++) {
          s.shields.fill(
            0,
            (yy - SHIELD_TOP) * SCREEN_WIDTH + x,
            (yy - SHIELD_TOP) * SCREEN_WIDTH + x + INV_W,
          );
        }
      }
    }
    if (bottomY >= PLAYER_Y) {
      s.lives = 0;
      s.ended = true;
    }
  }

  /** If (x, y) is a shield pixel, knocks out a small patch around it and returns true. */
  private erode(x: number, y: number): boolean {
    const r = y - SHIELD_TOP;
    if (r < 0 || r >= SHIELD_H || x < 0 || x >= SCREEN_WIDTH) return false;
    const s = this.s;
    if (!s.shields[r * SCREEN_WIDTH + x]) return false;
    for (let rr = Math.max(0, r - 1); rr <= Math.min(SHIELD_H - 1, r + 1); rr++) {
      for (let xx = Math.max(0, x - 1); xx <= Math.min(SCREEN_WIDTH - 1, x + 1); xx++) {
        s.shields[rr * SCREEN_WIDTH + xx] = 0;
      }
    }
    return true;
  }

  private loseLife(): void {
    const s = this.s;
    s.lives--;
    s.bombOn.fill(false);
    s.shotActive = false;
    if (s.lives <= 0) s.ended = true;
    else s.respawnTimer = RESPAWN_FRAMES;
    s.playerX = GRID_LEFT;
  }

  private nextWave(): void {
    const s = this.s;
    s.wave++;
    s.alive.fill(1);
    s.aliveCount = ROWS * COLS;
    s.gridX = GRID_LEFT + 20;
    s.gridY = START_Y + Math.min(s.wave, 5) * DROP_PX;
    s.dir = 1;
    s.shields = buildShields();
    s.bombOn.fill(false);
  }
}

function newState(): InvadersState {
  return {
    alive: new Array<number>(ROWS * COLS).fill(1),
    aliveCount: ROWS * COLS,
    gridX: GRID_LEFT + 20,
    gridY: START_Y,
    dir: 1,
    marchTimer: 1,
    animFrame: 0,
    shields: buildShields(),
    playerX: GRID_LEFT,
    shotActive: false,
    shotX: 0,
    shotY: 0,
    bombX: new Array<number>(MAX_BOMBS).fill(0),
    bombY: new Array<number>(MAX_BOMBS).fill(0),
    bombOn: new Array<boolean>(MAX_BOMBS).fill(false),
    respawnTimer: 0,
    wave: 0,
    score: 0,
    lives: START_LIVES,
    ended: false,
  };
}

export const spaceInvadersSpec: GameSpec = {
  id: 'SpaceInvaders-v0',
  description:
    'Shoot a marching 6x6 grid of invaders (5–30 points a row) behind eroding shields; 3 lives; waves.',
  create: () => new SpaceInvadersGame(),
  // Means over 30 episodes each, as printed by `npm run bench:games` (scripts/bench-games.ts).
  scores: { random: 234.2, reference: 2918.3 },
};
