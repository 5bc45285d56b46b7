/**
 * The page's {@link Policy}s over the env's frames, as Node's AgentPolicy
 * (src/cli/commands/agent-policy.ts) keeps them: the agent sees the last `historyLength` frames
 * (agents/frame-stacks.ts, zeros before the episode start) and answers greedily, the highest
 * Q-value or the most likely action (ties to the lowest action). The playback around it
 * (src/viz/playback.ts) adds ε-exploration exactly as `pixelrl play` does, so the page and Node
 * play the same episode for the same seed and weights.
 *
 * In "you play" mode the agent still looks at every state (its bars stay on screen) but the
 * action is the keyboard's.
 */
import { FrameStacks } from '../../../agents/frame-stacks.js';
import type { BoxArray } from '../../../envs/spaces.js';
import type { Decision, Policy } from '../../viz/playback.js';
import type { WebRun } from '../web-run.js';
import type { PageAgent } from './page-agent.js';

/** The latest decision with V(s), for the sparkline. */
export interface Looked {
  values: Float32Array;
  value: number;
  greedy: number;
}

export class PagePolicy {
  readonly policy: Policy<BoxArray>;
  last: Looked | null = null;
  private readonly history: FrameStacks;
  private readonly stack: Float32Array;

  /** `human` gives the action in "you play" mode, or null when the agent plays. */
  constructor(
    run: WebRun,
    private readonly agent: PageAgent,
    private readonly human: () => number | null,
  ) {
    const frameSize = run.frameShape.reduce((a, b) => a * b, 1);
    this.history = new FrameStacks(1, frameSize, run.historyLength);
    this.stack = new Float32Array(this.history.stackSize);
    this.policy = (obs, step) => this.decide(obs, step);
  }

  private decide(obs: BoxArray, step: number): Decision {
    if (step === 0) this.history.reset(0);
    this.history.push(0, obs);
    this.history.stackAll(this.stack);
    const { values, value } = this.agent.analyze(this.stack);
    let greedy = 0;
    for (let a = 1; a < values.length; a++) if (values[a] > values[greedy]) greedy = a;
    this.last = { values, value, greedy };
    const mine = this.human();
    return { action: mine ?? greedy, values };
  }
}
