/** Frame stacking's three sides (the env's FrameStack, the actor's FrameStacks, the replay's) agree. */
import { describe, expect, it } from 'vitest';
import { FrameStacks } from '../../agents/frame-stacks.js';
import type { Env, ResetResult, RgbFrame, StepResult } from '../../envs/core.js';
import { Box, Discrete } from '../../envs/spaces.js';
import { FrameStack } from '../../envs/wrappers/frame-stack.js';
import { ReplayBuffer } from '../../replay/replay-buffer.js';
import { Rng } from '../../src/util/rng.js';

/**
 * Emits the given frames in order, one per reset or step; the steps in `terminatesAfter` (counted
 * from 0) terminate with a throwaway final frame instead, and the next reset emits the next frame.
 */
class ListEnv implements Env<Uint8Array, number> {
  readonly observationSpace = new Box(0, 255, [2, 3], 'uint8');
  readonly actionSpace = new Discrete(3);
  private next = 0;
  private steps = 0;
  constructor(
    readonly frames: Uint8Array[],
    readonly terminatesAfter: Set<number>,
  ) {}
  reset(): ResetResult<Uint8Array> {
    return { obs: this.frames[this.next++], info: {} };
  }
  step(): StepResult<Uint8Array> {
    const terminated = this.terminatesAfter.has(this.steps++);
    return {
      obs: terminated ? new Uint8Array(6).fill(255) : this.frames[this.next++],
      reward: 0,
      terminated,
      truncated: false,
      info: {},
    };
  }
  render(): RgbFrame {
    return { width: 1, height: 1, data: new Uint8Array(3) };
  }
  close(): void {}
}

describe('the agent’s stacks, the replay’s and the FrameStack wrapper’s', () => {
  it('are the same arrays for the same frames, episode starts included', () => {
    const frameShape = [2, 3];
    const h = 4;
    const replay = new ReplayBuffer<'uint8'>({
      capacity: 64,
      numEnvs: 1,
      frameShape,
      frameDtype: 'uint8',
      historyLength: h,
      nStep: 1,
      gamma: 0.9,
      sampler: { kind: 'uniform' },
      layout: 'channels-last',
      checkContinuity: true,
    });
    const history = new FrameStacks(1, 6, h);
    const rng = new Rng(1);
    const frame = () => Uint8Array.from({ length: 6 }, () => rng.int(256));
    const agentStacks: number[][] = [];
    const shown: Uint8Array[] = [];
    let current = frame();
    shown.push(current);
    history.push(0, current);
    for (let t = 0; t < 20; t++) {
      agentStacks.push(Array.from(history.stackAll(new Float32Array(6 * h))));
      const next = frame();
      const terminated = t === 6; // an episode boundary: the next stack starts from zeros
      replay.add(0, {
        frame: current,
        action: t % 3,
        reward: t,
        terminated,
        truncated: false,
        nextFrame: next,
      });
      if (terminated) {
        history.reset(0);
        current = frame();
      } else current = next;
      shown.push(current);
      history.push(0, current);
    }
    // Gather each stored transition by index and compare its obs with what the agent saw.
    const batch = replay.batchFor(1);
    let checked = 0;
    for (let index = 0; index < replay.capacity; index++) {
      if (!replay.isSampleable(index)) continue;
      (batch.indices as Int32Array)[0] = index;
      replay.gather(batch);
      const t = batch.rewards[0];
      expect(Array.from(batch.obs)).toEqual(agentStacks[t]);
      checked++;
    }
    expect(checked).toBeGreaterThan(15);
    // The wrapper, fed the frames the agent was shown (a reset after the terminal step 6).
    const env = new FrameStack(new ListEnv(shown, new Set([6])), h);

    const wrapperStacks: number[][] = [Array.from(env.reset().obs)];
    for (let t = 0; t < 19; t++) {
      const r = env.step(0);
      wrapperStacks.push(Array.from(r.terminated ? env.reset().obs : r.obs));
    }
    expect(wrapperStacks).toEqual(agentStacks);
  });
});
