/**
 * The keyboard as a joystick for "you play" mode: arrow keys and space, composed into ALE's
 * action names (UP/DOWN, then RIGHT/LEFT, then FIRE: `UPRIGHTFIRE`, `LEFTFIRE`, `NOOP`) and
 * mapped onto the env's own actions. A key tapped between two steps still counts for the next
 * step, so a short press is never lost at low speeds.
 */

const KEYS: Record<string, Direction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ' ': 'fire',
};
type Direction = 'up' | 'down' | 'left' | 'right' | 'fire';

export class Joystick {
  private readonly held = new Set<Direction>();
  /** Keys pressed since the last {@link action} call. */
  private readonly tapped = new Set<Direction>();

  /** Starts listening on `target`; the returned function stops. */
  attach(target: Window): () => void {
    const down = (e: KeyboardEvent) => {
      const d = KEYS[e.key];
      if (!d) return;
      e.preventDefault();
      this.held.add(d);
      this.tapped.add(d);
    };
    const up = (e: KeyboardEvent) => {
      const d = KEYS[e.key];
      if (d) this.held.delete(d);
    };
    target.addEventListener('keydown', down);
    target.addEventListener('keyup', up);
    return () => {
      target.removeEventListener('keydown', down);
      target.removeEventListener('keyup', up);
    };
  }

  /** The env action for the keys now held (or tapped since the last call), given its action names. */
  action(meanings: readonly string[]): number {
    const on = new Set([...this.held, ...this.tapped]);
    this.tapped.clear();
    return actionFor(on, meanings);
  }
}

/** The action for a set of pressed directions: the closest name the env has, else NOOP (or action 0). */
export function actionFor(on: ReadonlySet<Direction>, meanings: readonly string[]): number {
  const vertical = on.has('up') && !on.has('down') ? 'UP' : on.has('down') && !on.has('up') ? 'DOWN' : '';
  const horizontal =
    on.has('right') && !on.has('left') ? 'RIGHT' : on.has('left') && !on.has('right') ? 'LEFT' : '';
  const fire = on.has('fire') ? 'FIRE' : '';
  // Nearest first: everything pressed, then without fire, then one direction alone.
  const names = [
    vertical + horizontal + fire,
    vertical + horizontal,
    horizontal + fire,
    vertical + fire,
    horizontal,
    vertical,
    fire,
  ];
  for (const name of names) {
    const a = name === '' ? -1 : meanings.indexOf(name);
    if (a >= 0) return a;
  }
  return Math.max(0, meanings.indexOf('NOOP'));
}
