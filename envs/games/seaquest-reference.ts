/**
 * Seaquest's scripted reference policy. It reads the game state (not pixels) and plays like a
 * careful beginner: it stays level with a lane, turns to face the enemies coming along it and
 * fires; it picks up the divers it sees, leaves a lane whose enemies come too close to be shot in
 * time, and goes up for air with its divers when the oxygen left would only just get it there.
 */
import type { AtariAction } from '../atari/actions.js';
import {
  ENEMY_H,
  ENEMY_W,
  GROUP,
  LANES,
  laneEnemyY,
  MAX_DIVERS,
  MAX_OXYGEN,
  NO_ENEMY,
  OXYGEN_FRAMES,
  type SeaquestState,
  SPACING,
  SUB_H,
  SUB_W,
  SURFACE_Y,
  TORPEDO_W,
} from './seaquest-layout.js';
import { actionFor } from './steer.js';

/** Frames of oxygen kept in hand beyond the climb to the surface. */
const AIR_MARGIN_FRAMES = 200;
/** An enemy closer than this (px) along the sub's own lane is too close to fight. */
const CLOSE_PX = 14;

export function seaquestReference(s: Readonly<SeaquestState>): AtariAction {
  if (s.respawnTimer > 0) return actionFor(0, 0);
  const centre = s.subX + SUB_W / 2;
  const atSurface = s.subY <= SURFACE_Y;
  const climbFrames = s.subY - SURFACE_Y;
  const needAir =
    s.divers >= MAX_DIVERS || (s.divers > 0 && s.oxygen * OXYGEN_FRAMES < climbFrames + AIR_MARGIN_FRAMES);
  if (atSurface && s.oxygen < MAX_OXYGEN) return actionFor(0, 0);

  let targetY: number;
  let dxGoal = 0;
  if (needAir) {
    targetY = SURFACE_Y;
  } else {
    const lane = chooseLane(s);
    targetY = laneEnemyY(lane) + ENEMY_H / 2 - SUB_H / 2;
    if (s.diverOn[lane] && s.divers < MAX_DIVERS) dxGoal = Math.sign(s.diverX[lane] + 4 - centre);
    else dxGoal = Math.abs(centre - 80) > 6 ? Math.sign(80 - centre) : 0;
  }

  let dy = Math.abs(targetY - s.subY) >= 1 ? Math.sign(targetY - s.subY) : 0;
  if (dy !== 0 && threatAt(s, s.subY + dy * 4, centre) < 20) dy = 0;
  // Escape: something will hit the sub where it is and cannot be shot first.
  if (threatAt(s, s.subY, centre) < 12) {
    const up = threatAt(s, s.subY - 8, centre);
    const down = threatAt(s, s.subY + 8, centre);
    dy = up >= down ? -1 : 1;
  }

  // Face the nearest enemy of the sub's own band and shoot it.
  let dx = dxGoal;
  let fire = false;
  const nearest = nearestEnemyX(s, s.subY);
  if (nearest !== null) {
    const side = Math.sign(nearest - centre);
    if (side !== s.facing) dx = side;
    else fire = !s.torpOn;
  }
  return actionFor(dx, dy, fire && !atSurface);
}

/** The lane to hunt in: divers first, then enemies to shoot, near lanes before far ones. */
function chooseLane(s: Readonly<SeaquestState>): number {
  const current = Math.round(
    (s.subY + SUB_H / 2 - laneEnemyY(0) - ENEMY_H / 2) / (laneEnemyY(1) - laneEnemyY(0)),
  );
  let best = Math.max(0, Math.min(LANES - 1, current));
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let l = 0; l < LANES; l++) {
    let score = -Math.abs(l - current) * 0.3;
    if (s.diverOn[l] && s.divers < MAX_DIVERS) score += 3;
    if (s.laneKind[l] !== NO_ENEMY) score += 1;
    if (s.missileOn[l]) score -= 2;
    if (score > bestScore) {
      bestScore = score;
      best = l;
    }
  }
  return best;
}

/** x of the closest living enemy whose band overlaps a sub at height y, or null. */
function nearestEnemyX(s: Readonly<SeaquestState>, y: number): number | null {
  const centre = s.subX + SUB_W / 2;
  let best: number | null = null;
  for (let l = 0; l < LANES; l++) {
    const ey = laneEnemyY(l);
    if (s.laneKind[l] === NO_ENEMY || y + 3 < ey || y + 3 >= ey + ENEMY_H) continue;
    for (let i = 0; i < GROUP; i++) {
      if (!((s.laneAlive[l] >> i) & 1)) continue;
      const x = s.laneX[l] + i * SPACING + ENEMY_W / 2;
      if (x < -ENEMY_W || x > 160 + ENEMY_W) continue;
      if (best === null || Math.abs(x - centre) < Math.abs(best - centre)) best = x;
    }
  }
  return best;
}

/**
 * Frames until an enemy or enemy torpedo reaches a sub at height y (its x span around `centre`),
 * counting only enemies it could not shoot first; ∞ when none.
 */
function threatAt(s: Readonly<SeaquestState>, y: number, centre: number): number {
  let soonest = Number.POSITIVE_INFINITY;
  for (let l = 0; l < LANES; l++) {
    const ey = laneEnemyY(l);
    if (y + SUB_H <= ey - 1 || y >= ey + ENEMY_H + 1) continue;
    if (s.missileOn[l]) {
      const gap =
        s.missileDir[l] > 0
          ? centre - SUB_W / 2 - (s.missileX[l] + TORPEDO_W)
          : s.missileX[l] - (centre + SUB_W / 2);
      if (gap > -SUB_W) soonest = Math.min(soonest, Math.max(0, gap) / 2);
    }
    if (s.laneKind[l] === NO_ENEMY) continue;
    const speed = Math.max(0.1, s.laneSpeed[l]);
    for (let i = 0; i < GROUP; i++) {
      if (!((s.laneAlive[l] >> i) & 1)) continue;
      const x = s.laneX[l] + i * SPACING;
      const gap = x + ENEMY_W / 2 > centre ? x - (centre + SUB_W / 2) : centre - SUB_W / 2 - (x + ENEMY_W);
      const coming = x + ENEMY_W / 2 > centre === s.laneDir[l] < 0;
      if (gap < CLOSE_PX) soonest = Math.min(soonest, coming || gap < 2 ? Math.max(0, gap) / speed : 30);
    }
  }
  return soonest;
}
