/**
 * A naive replay buffer for property tests: it stores every transition with its full stacks
 * (built the way a FrameStack wrapper builds them, from a rolling window), keeps everything
 * forever, and decides what should still be sampleable from slot numbers alone.
 */
type Frame = number[];

interface RefTransition {
  slot: number;
  obs: Frame[];
  action: number;
  reward: number;
  terminated: boolean;
  truncated: boolean;
  episodeStartSlot: number;
  /** Stack of s' for the episode's last step. */
  finalStack?: Frame[];
  finalSlot?: number;
}

interface RefEnv {
  slotsWritten: number;
  transitions: RefTransition[];
  window: Frame[] | null;
  episodeStartSlot: number;
}

export interface RefRow {
  obs: number[];
  nextObs: number[];
  action: number;
  reward: number;
  done: number;
  discount: number;
}

export class ReferenceBuffer {
  readonly envs: RefEnv[];

  constructor(
    numEnvs: number,
    readonly ringCapacity: number,
    readonly historyLength: number,
    readonly nStep: number,
    readonly gamma: number,
    readonly frameSize: number,
    readonly layout: 'channels-last' | 'channels-first',
  ) {
    this.envs = Array.from({ length: numEnvs }, () => ({
      slotsWritten: 0,
      transitions: [],
      window: null,
      episodeStartSlot: 0,
    }));
  }

  add(
    env: number,
    frame: Frame,
    action: number,
    reward: number,
    terminated: boolean,
    truncated: boolean,
    nextFrame: Frame,
  ): void {
    const e = this.envs[env];
    if (e.window === null) {
      e.window = Array.from({ length: this.historyLength }, () => new Array(this.frameSize).fill(0));
      e.episodeStartSlot = e.slotsWritten;
    }
    e.window = [...e.window.slice(1), frame];
    const t: RefTransition = {
      slot: e.slotsWritten++,
      obs: e.window,
      action,
      reward,
      terminated,
      truncated,
      episodeStartSlot: e.episodeStartSlot,
    };
    e.transitions.push(t);
    if (terminated || truncated) {
      t.finalStack = [...e.window.slice(1), nextFrame];
      t.finalSlot = e.slotsWritten++;
      e.window = null;
    }
  }

  /** The expected row of env `env`'s transition at absolute slot `slot`, or null if not sampleable. */
  expected(env: number, i: number): RefRow | null {
    const e = this.envs[env];
    const t = e.transitions[i];
    const oldest = e.slotsWritten - this.ringCapacity;
    if (Math.max(t.episodeStartSlot, t.slot - this.historyLength + 1) < oldest) return null;
    let reward = 0;
    let discount = 1;
    for (let j = 0; j < this.nStep; j++) {
      const u = e.transitions[i + j];
      if (u === undefined) return null;
      reward += discount * u.reward;
      discount *= this.gamma;
      if (u.terminated || u.truncated) {
        return this.row(t, u.finalStack as Frame[], reward, u.terminated ? 0 : discount, u.terminated);
      }
    }
    const next = e.transitions[i + this.nStep];
    if (next === undefined) return null;
    return this.row(t, next.obs, reward, discount, false);
  }

  /** Every sampleable transition: [env, slot, row]. */
  *sampleable(): Generator<[number, number, RefRow]> {
    for (let env = 0; env < this.envs.length; env++) {
      const e = this.envs[env];
      for (let i = e.transitions.length - 1; i >= 0; i--) {
        const t = e.transitions[i];
        if (t.slot < e.slotsWritten - this.ringCapacity) break;
        const row = this.expected(env, i);
        if (row !== null) yield [env, t.slot, row];
      }
    }
  }

  private row(
    t: RefTransition,
    next: Frame[],
    reward: number,
    discount: number,
    terminated: boolean,
  ): RefRow {
    return {
      obs: this.flatten(t.obs),
      nextObs: this.flatten(next),
      action: t.action,
      reward,
      done: terminated ? 1 : 0,
      discount,
    };
  }

  private flatten(stack: Frame[]): number[] {
    if (this.layout === 'channels-first') return stack.flat();
    const out: number[] = [];
    for (let p = 0; p < this.frameSize; p++) for (const f of stack) out.push(f[p]);
    return out;
  }
}
