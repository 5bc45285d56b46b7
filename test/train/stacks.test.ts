import { describe, expect, it } from 'vitest';
import { FrameHistory } from '../../agents/frame-history.js';
import { ReplayBuffer } from '../../replay/replay-buffer.js';
import { Rng } from '../../src/util/rng.js';

describe('the agent’s stacks and the replay’s', () => {
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
    const history = new FrameHistory(1, 6, h);
    const rng = new Rng(1);
    const frame = () => Uint8Array.from({ length: 6 }, () => rng.int(256));
    const agentStacks: number[][] = [];
    let current = frame();
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
  });
});
