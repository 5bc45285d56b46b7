/**
 * Seaquest's playfield geometry, speeds and state record, shared by the rules (seaquest.ts) and
 * the reference policy (seaquest-reference.ts).
 */
export const SURFACE_Y = 46;
export const LANES = 4;
export const LANE_TOP = 58;
export const LANE_H = 24;
export const SEABED_Y = LANE_TOP + LANES * LANE_H;
export const SUB_W = 16;
export const SUB_H = 7;
export const SUB_MIN_X = 21;
export const SUB_MAX_X = 139 - SUB_W;
export const SUB_MAX_Y = SEABED_Y - SUB_H - 2;
export const ENEMY_W = 12;
export const ENEMY_H = 6;
/** Distance between the members of a group. */
export const SPACING = 28;
export const GROUP = 3;
export const TORPEDO_SPEED = 5;
export const TORPEDO_W = 6;
export const SUB_SPEED_X = 1.5;
export const SUB_SPEED_Y = 1;
export const MAX_OXYGEN = 64;
/** Frames per unit of oxygen used under water. */
export const OXYGEN_FRAMES = 16;
export const MAX_DIVERS = 6;
export const DIVER_SPEED = 0.5;
export const START_LIVES = 4;
export const RESPAWN_FRAMES = 60;

export const NO_ENEMY = 0;
export const SHARK = 1;
export const ENEMY_SUB = 2;

export interface SeaquestState {
  subX: number;
  subY: number;
  /** +1 facing right, −1 left. */
  facing: number;
  submerged: boolean;
  oxygen: number;
  oxygenClock: number;
  divers: number;
  torpOn: boolean;
  torpX: number;
  torpY: number;
  torpDir: number;
  /** Per lane: enemy kind, group direction, speed, x of member 0, living members (bit mask). */
  laneKind: number[];
  laneDir: number[];
  laneSpeed: number[];
  laneX: number[];
  laneAlive: number[];
  laneTimer: number[];
  /** Per lane: the enemy subs' torpedo. */
  missileOn: boolean[];
  missileX: number[];
  missileDir: number[];
  /** Per lane: a diver. */
  diverOn: boolean[];
  diverX: number[];
  diverDir: number[];
  respawnTimer: number;
  rescues: number;
  score: number;
  lives: number;
}

/** Top of the enemies (and divers) of lane l. */
export function laneEnemyY(l: number): number {
  return LANE_TOP + l * LANE_H + ((LANE_H - ENEMY_H) >> 1);
}
