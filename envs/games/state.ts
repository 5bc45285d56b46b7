/**
 * Copying a game's plain-data state in and out (getState / setState), with a check on the way in:
 * a checkpoint from another game or another version should fail loudly, not corrupt a game.
 * Used only when saving or restoring, never per frame.
 */

/** A deep copy of plain data (numbers, booleans, arrays, nested objects). */
export function copyState<T>(state: T): T {
  return structuredClone(state);
}

/**
 * A copy of `state` after checking that it has the shape of `template`: the same fields, each of
 * the same type, arrays of the same length. Throws an Error naming the first field that differs.
 */
export function restoreState<T extends object>(state: unknown, template: T, game: string): T {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new Error(`${game}: setState needs the object that getState() returned, got ${describe(state)}`);
  }
  const given = state as Record<string, unknown>;
  for (const [key, expected] of Object.entries(template)) {
    const value = given[key];
    const ok = Array.isArray(expected)
      ? Array.isArray(value) &&
        value.length === expected.length &&
        value.every((v) => typeof v === typeof expected[0])
      : typeof value === typeof expected;
    if (!ok) {
      throw new Error(
        `${game}: setState field "${key}" should be ${describe(expected)}, got ${describe(value)}; ` +
          "pass a state returned by this game's getState()",
      );
    }
  }
  return copyState(given as T);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return v === null ? 'null' : typeof v;
}
