/**
 * Asterix-v0: our own implementation of the rules of Atari Asterix.
 *
 * Rules: Asterix runs along 8 horizontal lanes (the joystick's 8 directions: left/right within a
 * lane, up/down to the next lane). Objects and lyres fly across the lanes, at most one per lane at
 * a time. Touching an object collects it: 50 points at first, then 100, 200, 300, 400, 500 as
 * every 16 collected objects raise the stage; each stage also makes items fly faster, come more
 * often and more often be lyres (difficulty ramps). Touching a lyre costs one of 3 lives and clears the lanes. The game ends
 * when the last life is lost.
 */
import type { Rng } from '../../src/util/rng.js';
import { type AtariAction, joystick } from '../atari/actions.js';
import { drawNumber, fillRect } from '../atari/draw.js';
import { type Game, type GameSpec, SCREEN_HEIGHT, SCREEN_WIDTH } from '../atari/game.js';
import { colour } from '../atari/palette.js';
import { clamp, drawSprite, sprite } from './sprites.js';
import { copyState, restoreState } from './state.js';
import { actionFor } from './steer.js';

const LANES = 8;
const LANE_TOP = 30;
const LANE_H = 18;
const FIELD_LEFT = 8;
const FIELD_RIGHT = 152;
const HERO_W = 8;
const ITEM_W = 8;
const HERO_SPEED = 2;
/** Frames between two lane changes. */
const LANE_CHANGE_FRAMES = 5;
const START_LIVES = 3;
const RESPAWN_FRAMES = 40;
const OBJECTS_PER_STAGE = 16;
const STAGE_VALUES = [50, 100, 200, 300, 400, 500];
/** Chance that a new item is a lyre at stage 0; it grows by 0.05 a stage up to 0.75. */
const LYRE_PROBABILITY = 0.45;
/** Fastest item speed (px/frame) the stages ramp up to. */
const MAX_SPEED = 6;

const NONE = 0;
const OBJECT = 1;
const LYRE = 2;

const BG = colour(3, 1);
const HEDGE = colour(4, 3);
const HERO = colour(8, 6);
const HERO_TUNIC = colour(1, 4);
const LYRE_COLOUR = colour(12, 6);
const OBJECT_COLOURS = [9, 10, 2, 7, 11, 6].map((h) => colour(h, 5));
const TEXT = colour(8, 6);

const HERO_ART = sprite([
  '#......#',
  '##.##.##',
  '.######.',
  '..####..',
  '..#..#..',
  '.######.',
  '.######.',
  '..#..#..',
  '.##..##.',
]);
const TUNIC_ART = sprite(['.######.', '.######.']);
const LYRE_ART = sprite([
  '#......#',
  '#.####.#',
  '##....##',
  '.#.##.#.',
  '.#.##.#.',
  '.#.##.#.',
  '..####..',
  '...##...',
]);
const OBJECT_ART = sprite([
  '.#....#.',
  '########',
  '.######.',
  '########',
  '########',
  '########',
  '.######.',
  '..####..',
]);

interface AsterixState {
  heroX: number;
  heroLane: number;
  laneCooldown: number;
  /** Per lane: NONE, OBJECT or LYRE; its x and velocity; frames until the next spawn. */
  kind: number[];
  itemX: number[];
  itemV: number[];
  spawnTimer: number[];
  respawnTimer: number;
  collected: number;
  score: number;
  lives: number;
}

export class AsterixGame implements Game {
  readonly minimalActions = [
    'NOOP',
    'UP',
    'RIGHT',
    'LEFT',
    'DOWN',
    'UPRIGHT',
    'UPLEFT',
    'DOWNRIGHT',
    'DOWNLEFT',
  ] as const;
  private s: AsterixState = newState();

  get gameOver(): boolean {
    return this.s.lives <= 0;
  }

  get lives(): number {
    return this.s.lives;
  }

  reset(rng: Rng): void {
    this.s = newState();
    for (let l = 0; l < LANES; l++) this.s.spawnTimer[l] = 1 + rng.int(60);
  }

  tick(action: AtariAction, rng: Rng): number {
    const s = this.s;
    if (s.lives <= 0) return 0;
    if (s.respawnTimer > 0) {
      s.respawnTimer--;
      return 0;
    }
    const j = joystick(action);
    s.heroX = clamp(s.heroX + j.dx * HERO_SPEED, FIELD_LEFT, FIELD_RIGHT - HERO_W);
    if (s.laneCooldown > 0) s.laneCooldown--;
    else if (j.dy !== 0) {
      const lane = clamp(s.heroLane + j.dy, 0, LANES - 1);
      if (lane !== s.heroLane) {
        s.heroLane = lane;
        s.laneCooldown = LANE_CHANGE_FRAMES;
      }
    }
    let reward = 0;
    for (let l = 0; l < LANES; l++) {
      if (s.kind[l] === NONE) {
        if (--s.spawnTimer[l] <= 0) this.spawn(l, rng);
        continue;
      }
      s.itemX[l] += s.itemV[l];
      if (s.itemX[l] < FIELD_LEFT - ITEM_W || s.itemX[l] > FIELD_RIGHT) this.clearLane(l, rng);
    }
    const l = s.heroLane;
    if (s.kind[l] !== NONE && s.itemX[l] < s.heroX + HERO_W && s.heroX < s.itemX[l] + ITEM_W) {
      if (s.kind[l] === OBJECT) {
        reward = this.value();
        s.score += reward;
        s.collected++;
        this.clearLane(l, rng);
      } else {
        this.loseLife(rng);
      }
    }
    return reward;
  }

  draw(screen: Uint8Array): void {
    const s = this.s;
    screen.fill(BG);
    for (let l = 0; l <= LANES; l++) fillRect(screen, 0, LANE_TOP + l * LANE_H - 2, SCREEN_WIDTH, 2, HEDGE);
    fillRect(screen, 0, 0, SCREEN_WIDTH, LANE_TOP - 2, colour(0, 0));
    fillRect(screen, 0, LANE_TOP + LANES * LANE_H, SCREEN_WIDTH, SCREEN_HEIGHT, colour(0, 0));
    drawNumber(screen, s.score, 100, 180, TEXT, 2);
    for (let i = 0; i < s.lives - 1; i++) drawSprite(screen, HERO_ART, 20 + i * 12, 196, HERO);
    const objectColour = OBJECT_COLOURS[Math.min(this.stage(), OBJECT_COLOURS.length - 1)];
    for (let l = 0; l < LANES; l++) {
      if (s.kind[l] === NONE) continue;
      const y = LANE_TOP + l * LANE_H + 4;
      if (s.kind[l] === LYRE) drawSprite(screen, LYRE_ART, s.itemX[l], y, LYRE_COLOUR);
      else drawSprite(screen, OBJECT_ART, s.itemX[l], y, objectColour);
    }
    if (s.respawnTimer === 0 || (s.respawnTimer & 4) === 0) {
      const y = LANE_TOP + s.heroLane * LANE_H + 3;
      drawSprite(screen, HERO_ART, s.heroX, y, HERO);
      drawSprite(screen, TUNIC_ART, s.heroX, y + 5, HERO_TUNIC);
    }
  }

  getState(): AsterixState {
    return copyState(this.s);
  }

  setState(state: unknown): void {
    this.s = restoreState(state, newState(), 'Asterix-v0');
  }

  /**
   * Reference policy: rate every lane by the object in it (its value over the frames needed to
   * reach it) and by how soon a lyre in it would reach Asterix; head for the best lane through
   * lanes that stay clear long enough, and run towards the object (or away from the lyre) in it.
   */
  referenceAction(): AtariAction {
    const s = this.s;
    const cur = s.heroLane;
    let bestLane = cur;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let l = 0; l < LANES; l++) {
      const steps = Math.abs(l - cur);
      if (!this.pathClear(cur, l)) continue;
      let score = -steps * 0.01 - Math.abs(l - (LANES - 1) / 2) * 0.001;
      if (this.lyreContact(l, 0) < LANE_CHANGE_FRAMES * (steps + 1) + 10) score -= 100;
      if (s.kind[l] === OBJECT && this.approaching(l)) score += 10 / (1 + steps * LANE_CHANGE_FRAMES);
      if (score > bestScore) {
        bestScore = score;
        bestLane = l;
      }
    }
    let dy = Math.sign(bestLane - cur);
    if (dy !== 0 && this.lyreContact(cur + dy, 0) < LANE_CHANGE_FRAMES + 6) dy = 0;
    const lane = cur + dy;
    let dx = 0;
    const centre = s.heroX + HERO_W / 2;
    if (s.kind[lane] === OBJECT) dx = Math.sign(s.itemX[lane] + ITEM_W / 2 - centre);
    else if (s.kind[lane] === LYRE) dx = s.itemX[lane] + ITEM_W / 2 > centre ? -1 : 1;
    else dx = Math.abs(centre - SCREEN_WIDTH / 2) > 8 ? Math.sign(SCREEN_WIDTH / 2 - centre) : 0;
    return actionFor(dx, dy);
  }

  /** Every lane from `from` to `to` (excluded `from`) stays clear of lyres while Asterix passes. */
  private pathClear(from: number, to: number): boolean {
    const dir = Math.sign(to - from);
    for (let l = from + dir, k = 1; dir !== 0 && l !== to + dir; l += dir, k++) {
      if (this.lyreContact(l, 0) < LANE_CHANGE_FRAMES * (k + 1) + 4) return false;
    }
    return true;
  }

  /** Frames until the lyre in lane l touches Asterix's current span (with a margin); ∞ if none. */
  private lyreContact(l: number, margin: number): number {
    const s = this.s;
    if (l < 0 || l >= LANES || s.kind[l] !== LYRE) return Number.POSITIVE_INFINITY;
    const gapLeft = s.heroX - (s.itemX[l] + ITEM_W) - margin - 4;
    const gapRight = s.itemX[l] - (s.heroX + HERO_W) - margin - 4;
    if (gapLeft < 0 && gapRight < 0) return 0;
    if (gapLeft >= 0) return s.itemV[l] > 0 ? gapLeft / s.itemV[l] : Number.POSITIVE_INFINITY;
    return s.itemV[l] < 0 ? gapRight / -s.itemV[l] : Number.POSITIVE_INFINITY;
  }

  /** The item in lane l is still on its way towards (or at) Asterix. */
  private approaching(l: number): boolean {
    const s = this.s;
    const x = s.itemX[l] + ITEM_W / 2;
    const centre = s.heroX + HERO_W / 2;
    return s.itemV[l] > 0 ? x <= centre + 24 : x >= centre - 24;
  }

  private stage(): number {
    return Math.floor(this.s.collected / OBJECTS_PER_STAGE);
  }

  private value(): number {
    return STAGE_VALUES[Math.min(this.stage(), STAGE_VALUES.length - 1)];
  }

  private spawn(l: number, rng: Rng): void {
    const s = this.s;
    const stage = this.stage();
    const speed = Math.min(MAX_SPEED, 1 + 0.4 * stage) * (0.8 + 0.4 * rng.float());
    const right = rng.bernoulli(0.5);
    s.kind[l] = rng.bernoulli(Math.min(0.75, LYRE_PROBABILITY + 0.05 * stage)) ? LYRE : OBJECT;
    s.itemV[l] = right ? speed : -speed;
    s.itemX[l] = right ? FIELD_LEFT - ITEM_W : FIELD_RIGHT;
  }

  private clearLane(l: number, rng: Rng): void {
    this.s.kind[l] = NONE;
    this.s.spawnTimer[l] = Math.ceil((10 + rng.int(70)) / (1 + 0.25 * this.stage()));
  }

  private loseLife(rng: Rng): void {
    const s = this.s;
    s.lives--;
    s.respawnTimer = RESPAWN_FRAMES;
    for (let l = 0; l < LANES; l++) this.clearLane(l, rng);
  }
}

function newState(): AsterixState {
  return {
    heroX: (SCREEN_WIDTH - HERO_W) / 2,
    heroLane: LANES >> 1,
    laneCooldown: 0,
    kind: new Array<number>(LANES).fill(NONE),
    itemX: new Array<number>(LANES).fill(0),
    itemV: new Array<number>(LANES).fill(0),
    spawnTimer: new Array<number>(LANES).fill(1),
    respawnTimer: 0,
    collected: 0,
    score: 0,
    lives: START_LIVES,
  };
}

export const asterixSpec: GameSpec = {
  id: 'Asterix-v0',
  description:
    'Collect objects and dodge lyres across 8 lanes; objects 50–500 points by stage; 3 lives; speeds up.',
  create: () => new AsterixGame(),
  // Means over 30 episodes each, as printed by `npm run bench:games` (scripts/bench-games.ts).
  scores: { random: 185.0, reference: 80000.0 },
};
