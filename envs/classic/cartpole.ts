/**
 * CartPole-v1 with exactly Gymnasium's dynamics (Barto, Sutton & Anderson 1983): a pole hinged on a
 * cart that is pushed left (0) or right (1) with a force of 10 N. Explicit Euler integration with
 * τ = 0.02 s, in float64; observations [x, ẋ, θ, θ̇] as float32. Reward +1 every step, the last one
 * included. Terminates when |θ| > 12° or |x| > 2.4; the registry adds the 500-step time limit.
 * Reset draws each state variable from U(−0.05, 0.05).
 */
import { Rng } from '../../src/util/rng.js';
import type { Env, ResetOptions, ResetResult, RgbFrame, StepResult } from '../core.js';
import { Box, Discrete } from '../spaces.js';

const GRAVITY = 9.8;
const MASS_CART = 1.0;
const MASS_POLE = 0.1;
const TOTAL_MASS = MASS_CART + MASS_POLE;
const LENGTH = 0.5; // half the pole's length
const POLE_MASS_LENGTH = MASS_POLE * LENGTH;
const FORCE_MAG = 10.0;
const TAU = 0.02;
const THETA_THRESHOLD = (12 * 2 * Math.PI) / 360;
const X_THRESHOLD = 2.4;

const FLOAT32_MAX = 3.4028234663852886e38;
const RENDER_W = 600;
const RENDER_H = 400;

export interface CartPoleState {
  state: number[];
  rng: ReturnType<Rng['getState']>;
  needsReset: boolean;
}

export class CartPoleEnv implements Env<Float32Array, number> {
  readonly observationSpace = new Box(
    [-X_THRESHOLD * 2, -FLOAT32_MAX, -THETA_THRESHOLD * 2, -FLOAT32_MAX],
    [X_THRESHOLD * 2, FLOAT32_MAX, THETA_THRESHOLD * 2, FLOAT32_MAX],
    [4],
    'float32',
  );
  readonly actionSpace = new Discrete(2);
  readonly actionMeanings = ['LEFT', 'RIGHT'] as const;
  /** [x, ẋ, θ, θ̇] in float64. */
  readonly state = new Float64Array(4);
  private readonly obs = new Float32Array(4);
  private rng: Rng;
  private needsReset = true;

  constructor(seed = 0) {
    this.rng = new Rng(seed);
  }

  reset(opts: ResetOptions = {}): ResetResult<Float32Array> {
    if (opts.seed !== undefined) this.rng = new Rng(opts.seed);
    for (let i = 0; i < 4; i++) this.state[i] = this.rng.uniform(-0.05, 0.05);
    this.needsReset = false;
    return { obs: this.observe(), info: {} };
  }

  step(action: number): StepResult<Float32Array> {
    if (action !== 0 && action !== 1)
      throw new Error(`CartPole: action must be 0 (left) or 1 (right), got ${action}`);
    if (this.needsReset)
      throw new Error('CartPole: call reset() before step() (and again after an episode ends)');
    const s = this.state;
    const [x, xDot, theta, thetaDot] = s;
    const force = action === 1 ? FORCE_MAG : -FORCE_MAG;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // Grouped as Gymnasium's cartpole.py (np.square first), so that one step agrees bit for bit.
    const temp = (force + POLE_MASS_LENGTH * (thetaDot * thetaDot) * sin) / TOTAL_MASS;
    const thetaAcc =
      (GRAVITY * sin - cos * temp) / (LENGTH * (4.0 / 3.0 - (MASS_POLE * (cos * cos)) / TOTAL_MASS));
    const xAcc = temp - (POLE_MASS_LENGTH * thetaAcc * cos) / TOTAL_MASS;
    s[0] = x + TAU * xDot;
    s[1] = xDot + TAU * xAcc;
    s[2] = theta + TAU * thetaDot;
    s[3] = thetaDot + TAU * thetaAcc;
    const terminated =
      s[0] < -X_THRESHOLD || s[0] > X_THRESHOLD || s[2] < -THETA_THRESHOLD || s[2] > THETA_THRESHOLD;
    if (terminated) this.needsReset = true;
    return { obs: this.observe(), reward: 1, terminated, truncated: false, info: {} };
  }

  /** The cart on its track, as Gymnasium draws it (600x400), without anti-aliasing. */
  render(): RgbFrame {
    const data = new Uint8Array(RENDER_W * RENDER_H * 3).fill(255);
    const scale = RENDER_W / (X_THRESHOLD * 2);
    const cartY = 300; // from the top
    const cartX = this.state[0] * scale + RENDER_W / 2;
    const rect = (x0: number, y0: number, x1: number, y1: number, rgb: readonly number[]): void => {
      for (let y = Math.max(0, Math.floor(y0)); y < Math.min(RENDER_H, Math.ceil(y1)); y++) {
        for (let x = Math.max(0, Math.floor(x0)); x < Math.min(RENDER_W, Math.ceil(x1)); x++) {
          const k = (y * RENDER_W + x) * 3;
          data[k] = rgb[0];
          data[k + 1] = rgb[1];
          data[k + 2] = rgb[2];
        }
      }
    };
    rect(0, cartY, RENDER_W, cartY + 1, [0, 0, 0]);
    rect(cartX - 25, cartY - 15, cartX + 25, cartY + 15, [0, 0, 0]);
    const poleLen = scale * 2 * LENGTH;
    const theta = this.state[2];
    for (let t = 0; t <= poleLen; t += 0.5) {
      const px = cartX + Math.sin(theta) * t;
      const py = cartY - 10 - Math.cos(theta) * t;
      rect(px - 5, py - 1, px + 5, py + 1, [202, 152, 101]);
    }
    rect(cartX - 5, cartY - 15, cartX + 5, cartY - 5, [129, 132, 203]);
    return { width: RENDER_W, height: RENDER_H, data };
  }

  close(): void {}

  getState(): CartPoleState {
    return { state: Array.from(this.state), rng: this.rng.getState(), needsReset: this.needsReset };
  }

  setState(st: CartPoleState): void {
    this.state.set(st.state);
    this.rng = Rng.fromState(st.rng);
    this.needsReset = st.needsReset;
  }

  private observe(): Float32Array {
    this.obs.set(this.state);
    return this.obs;
  }
}
