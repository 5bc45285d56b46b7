/**
 * The Atari 2600 joystick's 18 actions (ALE's full action set), in ALE's order, and how a game
 * reads one: as a direction plus a fire button.
 */
export const FULL_ACTION_MEANINGS = [
  'NOOP',
  'FIRE',
  'UP',
  'RIGHT',
  'LEFT',
  'DOWN',
  'UPRIGHT',
  'UPLEFT',
  'DOWNRIGHT',
  'DOWNLEFT',
  'UPFIRE',
  'RIGHTFIRE',
  'LEFTFIRE',
  'DOWNFIRE',
  'UPRIGHTFIRE',
  'UPLEFTFIRE',
  'DOWNRIGHTFIRE',
  'DOWNLEFTFIRE',
] as const;

export type ActionMeaning = (typeof FULL_ACTION_MEANINGS)[number];

/** An action of the full set: its index in {@link FULL_ACTION_MEANINGS}. */
export type AtariAction = number;

export const Action = Object.fromEntries(FULL_ACTION_MEANINGS.map((m, i) => [m, i])) as Readonly<
  Record<ActionMeaning, AtariAction>
>;

/** The joystick as a game sees it. dx, dy in {-1, 0, 1}; dy = -1 is up. */
export interface Joystick {
  readonly dx: number;
  readonly dy: number;
  readonly fire: boolean;
}

const JOYSTICKS: readonly Joystick[] = FULL_ACTION_MEANINGS.map((m) => ({
  dx: m.includes('RIGHT') ? 1 : m.includes('LEFT') ? -1 : 0,
  dy: m.includes('UP') ? -1 : m.includes('DOWN') ? 1 : 0,
  fire: m.includes('FIRE'),
}));

/** The joystick state of a full-set action. */
export function joystick(action: AtariAction): Joystick {
  const j = JOYSTICKS[action];
  if (j === undefined) throw new Error(`not an Atari action: ${action} (expected 0..17)`);
  return j;
}

/** Full-set action ids of a list of meanings, e.g. a game's minimal set. */
export function actionsOf(meanings: readonly ActionMeaning[]): AtariAction[] {
  return meanings.map((m) => Action[m]);
}
