/**
 * Seaquest-v0: our own implementation of the rules of Atari Seaquest.
 *
 * Rules: the agent's submarine moves in 8 directions under the sea's surface and FIRE launches a
 * torpedo the way it faces (one at a time). Sharks and enemy subs cross four lanes in small
 * groups; enemy subs fire torpedoes along their lane. Shooting a shark or a sub scores 20 points,
 * 10 more for every completed rescue, up to 90. Divers swim across the lanes: touching one picks it
 * up (at most 6). Oxygen runs out under water; surfacing refills it, but costs one picked-up diver,
 * and surfacing with none costs a life. Surfacing with all 6 divers scores a bonus (50 per diver
 * and 1 per unit of oxygen left, times the rescue count + 1), clears the sea and raises the level:
 * enemies swim faster and fire more (difficulty ramps). Running out of oxygen or touching an enemy
 * or its torpedo costs one of 4 lives; the game ends when they are gone. All 18 actions are valid.
 */
import type { Rng } from '../../src/util/rng.js';
import { type AtariAction, FULL_ACTION_MEANINGS, joystick } from '../atari/actions.js';
import { drawNumber, fillRect } from '../atari/draw.js';
import { type Game, type GameSpec, SCREEN_HEIGHT, SCREEN_WIDTH } from '../atari/game.js';
import { colour } from '../atari/palette.js';
import {
  DIVER_SPEED,
  ENEMY_H,
  ENEMY_SUB,
  ENEMY_W,
  GROUP,
  LANES,
  laneEnemyY,
  MAX_DIVERS,
  MAX_OXYGEN,
  NO_ENEMY,
  OXYGEN_FRAMES,
  RESPAWN_FRAMES,
  SEABED_Y,
  type SeaquestState,
  SHARK,
  SPACING,
  START_LIVES,
  SUB_H,
  SUB_MAX_X,
  SUB_MAX_Y,
  SUB_MIN_X,
  SUB_SPEED_X,
  SUB_SPEED_Y,
  SUB_W,
  SURFACE_Y,
  TORPEDO_SPEED,
  TORPEDO_W,
} from './seaquest-layout.js';
import { seaquestReference } from './seaquest-reference.js';
import { clamp, drawSprite, overlaps, sprite } from './sprites.js';
import { copyState, restoreState } from './state.js';

const SKY = colour(1, 4);
const WATER = colour(1, 1);
const WAVE = colour(2, 3);
const SEABED = colour(0, 3);
const PLAYER = colour(8, 6);
const ENEMY_SUB_COLOUR = colour(0, 5);
const SHARK_COLOURS = [5, 12, 9, 3, 10, 6].map((h) => colour(h, 5));
const DIVER = colour(2, 6);
const TORPEDO = colour(8, 6);
const ENEMY_TORPEDO = colour(0, 7);
const OXYGEN = colour(0, 7);
const OXYGEN_LOW = colour(10, 4);
const TEXT = colour(8, 6);

const SUB_ART = sprite([
  '......##........',
  '.....####.......',
  '.###########....',
  '##############..',
  '################',
  '.##############.',
  '..############..',
]);
const SHARK_ART = sprite([
  '.....#......',
  '....##.....#',
  '.##########.',
  '############',
  '.#########..',
  '...#....#...',
]);
const ENEMY_SUB_ART = sprite([
  '.....##.....',
  '....####....',
  '.##########.',
  '############',
  '############',
  '.##########.',
]);
const DIVER_ART = sprite(['..#.....', '.###.#..', '#######.', '.#.###.#', '...#..#.']);
const LIFE_ART = sprite(['..##....', '.######.', '########']);

export class SeaquestGame implements Game {
  /** Seaquest's minimal set is the full set. */
  readonly minimalActions = FULL_ACTION_MEANINGS;
  private s: SeaquestState = newState();

  get gameOver(): boolean {
    return this.s.lives <= 0;
  }

  get lives(): number {
    return this.s.lives;
  }

  /** The live state, read by the reference policy (never written by it). */
  get state(): Readonly<SeaquestState> {
    return this.s;
  }

  reset(rng: Rng): void {
    this.s = newState();
    for (let l = 0; l < LANES; l++) this.s.laneTimer[l] = 30 + rng.int(120);
  }

  tick(action: AtariAction, rng: Rng): number {
    const s = this.s;
    if (s.lives <= 0) return 0;
    if (s.respawnTimer > 0) {
      s.respawnTimer--;
      return 0;
    }
    const j = joystick(action);
    if (j.dx !== 0) s.facing = j.dx;
    s.subX = clamp(s.subX + j.dx * SUB_SPEED_X, SUB_MIN_X, SUB_MAX_X);
    s.subY = clamp(s.subY + j.dy * SUB_SPEED_Y, SURFACE_Y, SUB_MAX_Y);
    if (j.fire && !s.torpOn && s.subY > SURFACE_Y) {
      s.torpOn = true;
      s.torpDir = s.facing;
      s.torpX = s.facing > 0 ? s.subX + SUB_W : s.subX - TORPEDO_W;
      s.torpY = s.subY + 3;
    }
    let reward = this.surfaceOrBreathe();
    if (s.respawnTimer > 0 || s.lives <= 0) return reward;
    reward += this.moveTorpedo();
    for (let l = 0; l < LANES; l++) this.updateLane(l, rng);
    if (this.touchesDanger()) this.loseLife();
    return reward;
  }

  draw(screen: Uint8Array): void {
    const s = this.s;
    screen.fill(WATER);
    fillRect(screen, 0, 0, SCREEN_WIDTH, SURFACE_Y, SKY);
    for (let x = 0; x < SCREEN_WIDTH; x += 8) fillRect(screen, x, SURFACE_Y, 5, 2, WAVE);
    fillRect(screen, 0, SEABED_Y, SCREEN_WIDTH, SCREEN_HEIGHT - SEABED_Y, SEABED);
    drawNumber(screen, s.score, 110, 8, TEXT, 2);
    for (let i = 0; i < s.lives - 1; i++) drawSprite(screen, LIFE_ART, 56 + i * 12, 24, PLAYER);
    const oxygenColour = s.oxygen < 16 ? OXYGEN_LOW : OXYGEN;
    fillRect(screen, 48, SEABED_Y + 10, MAX_OXYGEN, 5, colour(0, 1));
    fillRect(screen, 48, SEABED_Y + 10, s.oxygen, 5, oxygenColour);
    for (let i = 0; i < s.divers; i++) drawSprite(screen, DIVER_ART, 50 + i * 10, SEABED_Y + 22, DIVER);
    const sharkColour = SHARK_COLOURS[s.rescues % SHARK_COLOURS.length];
    for (let l = 0; l < LANES; l++) {
      const y = laneEnemyY(l);
      if (s.diverOn[l]) drawSprite(screen, DIVER_ART, s.diverX[l], y + 1, DIVER, s.diverDir[l] < 0);
      if (s.missileOn[l]) fillRect(screen, s.missileX[l], y + 3, TORPEDO_W, 1, ENEMY_TORPEDO);
      if (s.laneKind[l] === NO_ENEMY) continue;
      const art = s.laneKind[l] === SHARK ? SHARK_ART : ENEMY_SUB_ART;
      const c = s.laneKind[l] === SHARK ? sharkColour : ENEMY_SUB_COLOUR;
      for (let i = 0; i < GROUP; i++) {
        if ((s.laneAlive[l] >> i) & 1)
          drawSprite(screen, art, s.laneX[l] + i * SPACING, y, c, s.laneDir[l] < 0);
      }
    }
    if (s.torpOn) fillRect(screen, s.torpX, s.torpY, TORPEDO_W, 1, TORPEDO);
    if (s.respawnTimer === 0) drawSprite(screen, SUB_ART, s.subX, s.subY, PLAYER, s.facing < 0);
  }

  getState(): SeaquestState {
    return copyState(this.s);
  }

  setState(state: unknown): void {
    this.s = restoreState(state, newState(), 'Seaquest-v0');
  }

  referenceAction(): AtariAction {
    return seaquestReference(this.s);
  }

  /** Oxygen, and what surfacing does: returns the rescue bonus, if any. */
  private surfaceOrBreathe(): number {
    const s = this.s;
    if (s.subY > SURFACE_Y) {
      if (!s.submerged && s.subY > SURFACE_Y + 4) s.submerged = true;
      if (s.submerged && ++s.oxygenClock >= OXYGEN_FRAMES) {
        s.oxygenClock = 0;
        if (--s.oxygen <= 0) this.loseLife();
      }
      return 0;
    }
    const reward = s.submerged ? this.surfaced() : 0;
    if (s.oxygen < MAX_OXYGEN && s.lives > 0) s.oxygen++;
    return reward;
  }

  /** The sub has just come up from below: the divers decide what that costs or earns. */
  private surfaced(): number {
    const s = this.s;
    s.submerged = false;
    if (s.divers === 0) {
      this.loseLife();
      return 0;
    }
    if (s.divers < MAX_DIVERS) {
      s.divers--;
      return 0;
    }
    const bonus = (50 * MAX_DIVERS + s.oxygen) * (s.rescues + 1);
    s.score += bonus;
    s.divers = 0;
    s.rescues++;
    this.clearSea();
    return bonus;
  }

  private moveTorpedo(): number {
    const s = this.s;
    if (!s.torpOn) return 0;
    s.torpX += s.torpDir * TORPEDO_SPEED;
    if (s.torpX < -TORPEDO_W || s.torpX > SCREEN_WIDTH) {
      s.torpOn = false;
      return 0;
    }
    for (let l = 0; l < LANES; l++) {
      const y = laneEnemyY(l);
      if (s.laneKind[l] === NO_ENEMY || s.torpY < y || s.torpY >= y + ENEMY_H) continue;
      for (let i = 0; i < GROUP; i++) {
        if (!((s.laneAlive[l] >> i) & 1)) continue;
        const x = s.laneX[l] + i * SPACING;
        if (s.torpX < x + ENEMY_W && x < s.torpX + TORPEDO_W) {
          s.laneAlive[l] &= ~(1 << i);
          s.torpOn = false;
          const points = Math.min(90, 20 + 10 * s.rescues);
          s.score += points;
          return points;
        }
      }
    }
    return 0;
  }

  private updateLane(l: number, rng: Rng): void {
    const s = this.s;
    if (s.diverOn[l]) {
      s.diverX[l] += s.diverDir[l] * DIVER_SPEED;
      if (s.diverX[l] < -8 || s.diverX[l] > SCREEN_WIDTH) s.diverOn[l] = false;
      else if (
        s.divers < MAX_DIVERS &&
        overlaps(s.subX, s.subY, SUB_W, SUB_H, s.diverX[l], laneEnemyY(l), 8, 5)
      ) {
        s.diverOn[l] = false;
        s.divers++;
      }
    } else if (rng.bernoulli(0.003)) {
      s.diverOn[l] = true;
      s.diverDir[l] = rng.bernoulli(0.5) ? 1 : -1;
      s.diverX[l] = s.diverDir[l] > 0 ? -8 : SCREEN_WIDTH;
    }
    if (s.missileOn[l]) {
      s.missileX[l] += s.missileDir[l] * (2 + 0.25 * s.rescues);
      if (s.missileX[l] < -TORPEDO_W || s.missileX[l] > SCREEN_WIDTH) s.missileOn[l] = false;
    }
    if (s.laneKind[l] === NO_ENEMY) {
      if (--s.laneTimer[l] <= 0) this.spawnGroup(l, rng);
      return;
    }
    s.laneX[l] += s.laneDir[l] * s.laneSpeed[l];
    const left = s.laneX[l];
    const right = s.laneX[l] + (GROUP - 1) * SPACING + ENEMY_W;
    const gone = s.laneDir[l] > 0 ? left > SCREEN_WIDTH : right < 0;
    if (s.laneAlive[l] === 0 || gone) {
      s.laneKind[l] = NO_ENEMY;
      s.laneTimer[l] = 20 + rng.int(100);
      return;
    }
    if (s.laneKind[l] === ENEMY_SUB && !s.missileOn[l] && rng.bernoulli(0.01 + 0.003 * s.rescues)) {
      const lead = s.laneDir[l] > 0 ? highestBit(s.laneAlive[l]) : lowestBit(s.laneAlive[l]);
      const x = s.laneX[l] + lead * SPACING;
      if (x > 0 && x < SCREEN_WIDTH - ENEMY_W) {
        s.missileOn[l] = true;
        s.missileDir[l] = s.laneDir[l];
        s.missileX[l] = s.laneDir[l] > 0 ? x + ENEMY_W : x - TORPEDO_W;
      }
    }
  }

  private spawnGroup(l: number, rng: Rng): void {
    const s = this.s;
    const count = 1 + rng.int(GROUP);
    s.laneKind[l] = rng.bernoulli(0.5) ? SHARK : ENEMY_SUB;
    s.laneDir[l] = rng.bernoulli(0.5) ? 1 : -1;
    s.laneSpeed[l] = Math.min(2.5, 0.5 + 0.2 * s.rescues) * (0.8 + 0.4 * rng.float());
    s.laneAlive[l] = (1 << count) - 1;
    s.laneX[l] = s.laneDir[l] > 0 ? -(count - 1) * SPACING - ENEMY_W : SCREEN_WIDTH;
  }

  private touchesDanger(): boolean {
    const s = this.s;
    for (let l = 0; l < LANES; l++) {
      const y = laneEnemyY(l);
      if (s.subY + SUB_H <= y || s.subY >= y + ENEMY_H) continue;
      if (s.missileOn[l] && overlaps(s.subX, s.subY, SUB_W, SUB_H, s.missileX[l], y + 3, TORPEDO_W, 1))
        return true;
      if (s.laneKind[l] === NO_ENEMY) continue;
      for (let i = 0; i < GROUP; i++) {
        if (!((s.laneAlive[l] >> i) & 1)) continue;
        const x = s.laneX[l] + i * SPACING;
        if (overlaps(s.subX + 1, s.subY + 1, SUB_W - 2, SUB_H - 2, x + 1, y, ENEMY_W - 2, ENEMY_H))
          return true;
      }
    }
    return false;
  }

  private loseLife(): void {
    const s = this.s;
    s.lives--;
    s.respawnTimer = RESPAWN_FRAMES;
    s.subX = (SCREEN_WIDTH - SUB_W) / 2;
    s.subY = SURFACE_Y;
    s.submerged = false;
    s.oxygen = MAX_OXYGEN;
    s.oxygenClock = 0;
    this.clearSea();
  }

  private clearSea(): void {
    const s = this.s;
    s.torpOn = false;
    for (let l = 0; l < LANES; l++) {
      s.laneKind[l] = NO_ENEMY;
      s.laneTimer[l] = 30 + 20 * l;
      s.missileOn[l] = false;
    }
  }
}

function highestBit(mask: number): number {
  return 31 - Math.clz32(mask);
}

function lowestBit(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}

function newState(): SeaquestState {
  const lanes = (v: number): number[] => new Array<number>(LANES).fill(v);
  return {
    subX: (SCREEN_WIDTH - SUB_W) / 2,
    subY: SURFACE_Y,
    facing: 1,
    submerged: false,
    oxygen: MAX_OXYGEN,
    oxygenClock: 0,
    divers: 0,
    torpOn: false,
    torpX: 0,
    torpY: 0,
    torpDir: 1,
    laneKind: lanes(NO_ENEMY),
    laneDir: lanes(1),
    laneSpeed: lanes(0),
    laneX: lanes(0),
    laneAlive: lanes(0),
    laneTimer: lanes(1),
    missileOn: new Array<boolean>(LANES).fill(false),
    missileX: lanes(0),
    missileDir: lanes(1),
    diverOn: new Array<boolean>(LANES).fill(false),
    diverX: lanes(0),
    diverDir: lanes(1),
    respawnTimer: 0,
    rescues: 0,
    score: 0,
    lives: START_LIVES,
  };
}

export const seaquestSpec: GameSpec = {
  id: 'Seaquest-v0',
  description:
    'Shoot sharks and subs, pick up divers, surface for oxygen; 6 divers rescued score a bonus; 4 lives.',
  create: () => new SeaquestGame(),
  // Means over 30 episodes each, as printed by `npm run bench:games` (scripts/bench-games.ts).
  scores: { random: 44.0, reference: 22865.6 },
};
