import { describe, expect, it } from 'vitest';
import { Action, type AtariAction } from '../../envs/atari/actions.js';
import { AtariEnv } from '../../envs/atari/atari-env.js';
import { fillRect } from '../../envs/atari/draw.js';
import type { Game } from '../../envs/atari/game.js';
import { colour } from '../../envs/atari/palette.js';
import { CatchGame } from '../../envs/games/catch.js';
import { hashBytes } from '../../envs/hash.js';
import { rgbToGray } from '../../envs/preprocess/grayscale.js';
import { Rng } from '../../src/util/rng.js';

/**
 * Recorder: logs the full-set action of every frame, rewards 1 per frame, loses a life every
 * `lifeEvery` frames and ends when the lives are gone (or never, with lifeEvery 0). Its screen shows
 * a bar as long as the frame count, so that screens differ frame to frame.
 */
class Recorder implements Game {
  readonly minimalActions = ['NOOP', 'FIRE', 'RIGHT', 'LEFT'] as const;
  actions: AtariAction[] = [];
  frames = 0;
  lives = 3;
  constructor(readonly lifeEvery = 0) {}
  get gameOver(): boolean {
    return this.lives <= 0;
  }
  reset(): void {
    this.actions = [];
    this.frames = 0;
    this.lives = 3;
  }
  tick(action: AtariAction): number {
    this.actions.push(action);
    this.frames++;
    if (this.lifeEvery > 0 && this.frames % this.lifeEvery === 0) this.lives--;
    return 1;
  }
  draw(screen: Uint8Array): void {
    screen.fill(colour(0, 0));
    fillRect(screen, 0, 100, this.frames % 160, 10, colour(4, 5));
  }
  getState(): unknown {
    return { actions: [...this.actions], frames: this.frames, lives: this.lives };
  }
  setState(s: unknown): void {
    const st = s as { actions: AtariAction[]; frames: number; lives: number };
    this.actions = [...st.actions];
    this.frames = st.frames;
    this.lives = st.lives;
  }
  referenceAction(): AtariAction {
    return Action.RIGHTFIRE;
  }
}

function recorder(options: ConstructorParameters<typeof AtariEnv>[1], lifeEvery = 0): [AtariEnv, Recorder] {
  const game = new Recorder(lifeEvery);
  return [new AtariEnv(game, options, 1), game];
}

describe('AtariEnv (ALE v5 semantics)', () => {
  it('has ALE v5 defaults: frameskip 4, sticky 0.25, minimal actions, 108000 frames, rgb', () => {
    const [env] = recorder({});
    expect(env.options).toEqual({
      frameskip: 4,
      repeatActionProbability: 0.25,
      fullActionSpace: false,
      maxNumFramesPerEpisode: 108000,
      obsType: 'rgb',
    });
    expect(env.actionMeanings).toEqual(['NOOP', 'FIRE', 'RIGHT', 'LEFT']);
    expect(env.observationSpace.toString()).toBe('Box(0, 255, [210,160,3], uint8)');
  });

  it('repeats an action for frameskip frames, summing rewards, and counts frames in info', () => {
    const [env, game] = recorder({ frameskip: 4, repeatActionProbability: 0 });
    expect(env.reset().info).toEqual({ lives: 3, frameNumber: 0, episodeFrameNumber: 0 });
    const r = env.step(2);
    expect(r.reward).toBe(4);
    expect(game.actions).toEqual([Action.RIGHT, Action.RIGHT, Action.RIGHT, Action.RIGHT]);
    expect(r.info).toEqual({ lives: 3, frameNumber: 4, episodeFrameNumber: 4 });
    env.step(0);
    env.reset();
    expect(env.step(0).info).toEqual({ lives: 3, frameNumber: 12, episodeFrameNumber: 4 });
  });

  it('draws the frameskip per step from [min, max) when given a range', () => {
    const [env] = recorder({ frameskip: [2, 5], repeatActionProbability: 0 });
    env.reset();
    const seen = new Set<number>();
    for (let t = 0; t < 200; t++) seen.add(env.step(0).reward);
    expect([...seen].sort()).toEqual([2, 3, 4]);
  });

  it('maps agent actions to the full set, or takes all 18 with fullActionSpace', () => {
    const [env, game] = recorder({ frameskip: 1, repeatActionProbability: 0 });
    env.reset();
    for (const a of [0, 1, 2, 3]) env.step(a);
    expect(game.actions).toEqual([Action.NOOP, Action.FIRE, Action.RIGHT, Action.LEFT]);
    expect(() => env.step(4)).toThrow(/action 4 is outside Discrete\(4\)/);
    const [full, fullGame] = recorder({ frameskip: 1, repeatActionProbability: 0, fullActionSpace: true });
    expect(full.actionSpace.n).toBe(18);
    full.reset();
    full.step(17);
    expect(fullGame.actions).toEqual([Action.DOWNLEFTFIRE]);
    expect(env.referenceAction()).toBe(2); // RIGHTFIRE is not in the minimal set: RIGHT
    expect(full.referenceAction()).toBe(Action.RIGHTFIRE);
  });

  it("sticky actions: each frame keeps the previous frame's action with probability p", () => {
    // After a reset the previous action is NOOP, so a first frame under RIGHT shows NOOP with probability p.
    const [env, game] = recorder({ frameskip: 1, repeatActionProbability: 0.25 });
    const episodes = 4000;
    let noop = 0;
    for (let e = 0; e < episodes; e++) {
      env.reset();
      env.emulateFrame(2);
      if (game.actions[0] === Action.NOOP) noop++;
    }
    expect(noop / episodes).toBeGreaterThan(0.25 - 0.035); // ± 5 sd (sd = 0.0068)
    expect(noop / episodes).toBeLessThan(0.25 + 0.035);
    // Alternating RIGHT/LEFT each frame: the executed action repeats when the frame is sticky (p), or
    // when it is not but the frame before was (then it already showed this frame's action). The
    // chance q that a frame shows the stale action solves q = p(1 − q), so P(repeat) = p + (1 − p)·p/(1 + p) = 0.4.
    env.reset({ seed: 3 });
    const n = 20000;
    for (let t = 0; t < n; t++) env.emulateFrame(t % 2 === 0 ? 2 : 3);
    let repeats = 0;
    for (let t = 1; t < n; t++) if (game.actions[t] === game.actions[t - 1]) repeats++;
    expect(repeats / (n - 1)).toBeGreaterThan(0.4 - 0.02); // sd ≈ 0.0035 (correlated draws: a margin of ~6 sd)
    expect(repeats / (n - 1)).toBeLessThan(0.4 + 0.02);
    // p = 1: the action before the first frame, NOOP, forever.
    const [stuck, stuckGame] = recorder({ frameskip: 1, repeatActionProbability: 1 });
    stuck.reset();
    for (let t = 0; t < 10; t++) stuck.step(2);
    expect(new Set(stuckGame.actions)).toEqual(new Set([Action.NOOP]));
  });

  it('truncates at maxNumFramesPerEpisode, mid-skip, without terminating', () => {
    const [env] = recorder({ frameskip: 4, repeatActionProbability: 0, maxNumFramesPerEpisode: 10 });
    env.reset();
    expect(env.step(0)).toMatchObject({ truncated: false, terminated: false });
    env.step(0);
    const r = env.step(0); // frames 9, 10 only
    expect(r).toMatchObject({ reward: 2, truncated: true, terminated: false });
    expect(r.info.episodeFrameNumber).toBe(10);
    expect(() => env.emulateFrame(0)).toThrow(/call reset\(\) before step\(\)/);
  });

  it('terminates at game over, mid-skip, with lives in info', () => {
    const [env] = recorder({ frameskip: 4, repeatActionProbability: 0 }, 3); // a life every 3 frames
    env.reset();
    expect(env.step(0).info.lives).toBe(2); // frames 1–4
    const r1 = env.step(0); // frames 5–8
    expect(r1.info.lives).toBe(1);
    const r2 = env.step(0); // frame 9: the last life
    expect(r2).toMatchObject({ reward: 1, terminated: true, truncated: false });
    expect(r2.info.lives).toBe(0);
  });

  it('grayscale observations are the luminance of the RGB ones', () => {
    const rgb = new AtariEnv(new CatchGame(), { obsType: 'rgb' }, 4);
    const gray = new AtariEnv(new CatchGame(), { obsType: 'grayscale' }, 4);
    expect(gray.observationSpace.toString()).toBe('Box(0, 255, [210,160], uint8)');
    let a = rgb.reset({ seed: 4 }).obs;
    let b = gray.reset({ seed: 4 }).obs;
    for (let t = 0; t < 20; t++) {
      expect(Buffer.from(rgbToGray(a, new Uint8Array(b.length))).equals(b)).toBe(true);
      a = rgb.step(t % 3).obs;
      b = gray.step(t % 3).obs;
    }
  });

  it('round-trips its state, RNG included: a restored copy plays the same frames', () => {
    const a = new AtariEnv(new CatchGame(), {}, 5);
    a.reset();
    const rng = new Rng(2);
    for (let t = 0; t < 30; t++) a.step(rng.int(3));
    const b = new AtariEnv(new CatchGame(), {}, 999);
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    for (let t = 0; t < 100; t++) {
      const action = rng.int(3);
      const ra = a.step(action);
      const rb = b.step(action);
      expect([hashBytes(rb.obs), rb.reward, rb.terminated]).toEqual([
        hashBytes(ra.obs),
        ra.reward,
        ra.terminated,
      ]);
      if (ra.terminated || ra.truncated) break;
    }
  });

  it('refuses bad options, saying what is wrong', () => {
    const make = (o: object) => () => new AtariEnv(new Recorder(), o);
    expect(make({ frameskip: 0 })).toThrow(/frameskip must be an integer >= 1, got 0/);
    expect(make({ frameskip: [4, 2] })).toThrow(/frameskip range must be \[min, max\)/);
    expect(make({ repeatActionProbability: 1.5 })).toThrow(
      /repeatActionProbability must be in \[0, 1\], got 1.5/,
    );
    expect(make({ maxNumFramesPerEpisode: -1 })).toThrow(/maxNumFramesPerEpisode must be an integer >= 0/);
    expect(make({ obsType: 'rgba' })).toThrow(/obsType must be 'rgb' or 'grayscale'/);
    expect(() => new AtariEnv(new Recorder()).step(0)).toThrow(/call reset\(\) before step\(\)/);
  });
});
