/**
 * Schedules: a hyperparameter as a pure function of the step, so that resuming at step t gives
 * exactly the value an uninterrupted run had (no state to save). The training loops own every
 * schedule (DQN's ε, learning rate and PER β; the on-policy learning rate and PPO's clip range)
 * and pass each step's value to the agent or the replay through a setter.
 */

/** A value that depends on the agent step. */
export type Schedule = (step: number) => number;

/**
 * Goes linearly from `start` at step 0 to `end` at step `duration`, then stays at `end`
 * (CleanRL's `linear_schedule`; the DQN paper's ε annealing).
 */
export function linearSchedule(start: number, end: number, duration: number): Schedule {
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new Error(`linearSchedule: start and end must be finite, got ${start} and ${end}`);
  }
  if (!(duration >= 0)) throw new Error(`linearSchedule: duration must be >= 0, got ${duration}`);
  if (duration === 0) return () => end;
  const slope = (end - start) / duration;
  return (step) => (step >= duration ? end : start + slope * Math.max(0, step));
}

/** Always `value`. */
export function constantSchedule(value: number): Schedule {
  return () => value;
}

/**
 * `value` annealed linearly to 0 over `steps` agent steps when `anneal`, else constant: the
 * on-policy learning rate and PPO's clip range (CleanRL's `frac = 1 − update / num_updates`).
 */
export function annealedSchedule(value: number, anneal: boolean, steps: number): Schedule {
  return anneal ? linearSchedule(value, 0, steps) : constantSchedule(value);
}
