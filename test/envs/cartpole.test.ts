import { describe, expect, it } from 'vitest';
import { checkEnv } from '../../envs/check-env.js';
import { CartPoleEnv } from '../../envs/classic/cartpole.js';
import { createRegistry } from '../../envs/registry.js';
import { Rng } from '../../src/util/rng.js';

/** An env whose state is set by hand (the RNG is irrelevant once the state is set). */
function at(state: number[]): CartPoleEnv {
  const env = new CartPoleEnv(0);
  env.reset();
  env.setState({ ...env.getState(), state });
  return env;
}

describe('CartPole-v1', () => {
  it("takes one Euler step of Gymnasium's dynamics, worked out by hand from rest", () => {
    // From rest with F = +10 N: temp = F / (m_c + m_p) = 100/11;
    // θ̈ = (g sin θ − cos θ · temp) / (l (4/3 − m_p cos²θ / M)) = −(100/11) / (41/66) = −600/41;
    // ẍ = temp − m_p l θ̈ cos θ / M = 100/11 + 300/451 = 4400/451. Then x += τẋ, ẋ += τẍ, θ += τθ̇, θ̇ += τθ̈.
    const r = at([0, 0, 0, 0]).step(1);
    expect(r.reward).toBe(1);
    expect(r.terminated).toBe(false);
    expect(r.truncated).toBe(false);
    const [x, xDot, theta, thetaDot] = r.obs;
    expect(x).toBe(0);
    expect(xDot).toBeCloseTo((0.02 * 4400) / 451, 6);
    expect(theta).toBe(0);
    expect(thetaDot).toBeCloseTo((-0.02 * 600) / 41, 6);
    // Pushing left mirrors it.
    const l = at([0, 0, 0, 0]).step(0).obs;
    expect([l[1], l[3]]).toEqual([-xDot, -thetaDot]);
  });

  it('integrates with explicit Euler: positions move by the old velocities', () => {
    const env = at([1, 2, 0.1, -0.5]);
    env.step(1);
    const [x, xDot, theta] = env.state;
    expect(x).toBeCloseTo(1 + 0.02 * 2, 12); // not 1 + 0.02 · (new ẋ)
    expect(theta).toBeCloseTo(0.1 + 0.02 * -0.5, 12);
    expect(xDot).not.toBeCloseTo(2, 3);
  });

  it('keeps the state in float64 and observes it as float32', () => {
    const env = at([0.1, 0.2, 0.03, 0.04]);
    const { obs } = env.step(1);
    expect(env.state).toBeInstanceOf(Float64Array);
    expect(obs).toBeInstanceOf(Float32Array);
    for (let i = 0; i < 4; i++) expect(obs[i]).toBe(Math.fround(env.state[i]));
  });

  it('terminates past |x| = 2.4 or |θ| = 12°, with reward 1 on that step', () => {
    expect(at([2.39, 1, 0, 0]).step(1)).toMatchObject({ terminated: true, reward: 1 }); // x → 2.41
    expect(at([-2.39, -1, 0, 0]).step(0).terminated).toBe(true);
    expect(at([2.3, 1, 0, 0]).step(1).terminated).toBe(false); // x → 2.32
    const twelve = (12 * 2 * Math.PI) / 360;
    expect(at([0, 0, twelve - 0.001, 0.1]).step(1).terminated).toBe(true); // θ → 12° + 0.001 rad
    expect(at([0, 0, twelve - 0.003, 0.1]).step(1).terminated).toBe(false); // θ → 12° − 0.001 rad
  });

  it('resets each variable from U(−0.05, 0.05)', () => {
    const env = new CartPoleEnv(0);
    const values: number[][] = [[], [], [], []];
    for (let i = 0; i < 400; i++) {
      env.reset();
      for (let k = 0; k < 4; k++) values[k].push(env.state[k]);
    }
    for (const v of values) {
      expect(Math.min(...v)).toBeGreaterThanOrEqual(-0.05);
      expect(Math.max(...v)).toBeLessThan(0.05);
      expect(Math.min(...v)).toBeLessThan(-0.045); // 400 draws cover the range
      expect(Math.max(...v)).toBeGreaterThan(0.045);
      expect(Math.abs(v.reduce((a, b) => a + b, 0) / v.length)).toBeLessThan(0.006); // sd of the mean ≈ 0.0014
    }
  });

  it('truncates at 500 steps through the registry, under a balancing policy', () => {
    const env = createRegistry().make('CartPole-v1', {}, 0);
    let { obs } = env.reset({ seed: 3 });
    let steps = 0;
    for (;;) {
      const r = env.step(obs[2] + 0.5 * obs[3] > 0 ? 1 : 0);
      obs = r.obs;
      steps++;
      if (r.terminated || r.truncated) {
        expect(r.truncated).toBe(true);
        expect(r.terminated).toBe(false);
        break;
      }
    }
    expect(steps).toBe(500);
  });

  it('round-trips its state, RNG included: the copy continues exactly', () => {
    const a = new CartPoleEnv(7);
    a.reset();
    const rng = new Rng(1);
    for (let t = 0; t < 5; t++) a.step(rng.int(2));
    const b = new CartPoleEnv(99);
    b.setState(JSON.parse(JSON.stringify(a.getState())));
    for (let t = 0; t < 30; t++) {
      const action = rng.int(2);
      const ra = a.step(action);
      expect(Array.from(b.step(action).obs)).toEqual(Array.from(ra.obs));
      if (ra.terminated) break;
    }
    // The next reset draws the same start from the restored RNG.
    expect(Array.from(b.reset().obs)).toEqual(Array.from(a.reset().obs));
  });

  it('renders 600x400 RGB, the cart following x', () => {
    const blackColumns = (env: CartPoleEnv): number[] => {
      const { width, data } = env.render();
      const cols: number[] = [];
      const y = 297; // a row through the cart body, below the axle and above the track
      for (let x = 0; x < width; x++) if (data[(y * width + x) * 3] === 0) cols.push(x);
      return cols;
    };
    const centre = at([0, 0, 0, 0]);
    const frame = centre.render();
    expect([frame.width, frame.height, frame.data.length]).toEqual([600, 400, 600 * 400 * 3]);
    const c = blackColumns(centre);
    expect([c[0], c[c.length - 1], c.length]).toEqual([275, 324, 50]); // a 50 px cart centred at x = 0
    const right = blackColumns(at([1.2, 0, 0, 0])); // 600 px / 4.8 units = 125 px per unit
    expect([right[0], right[right.length - 1]]).toEqual([425, 474]);
  });

  it('refuses bad actions and steps before reset, and passes checkEnv', () => {
    const env = new CartPoleEnv(0);
    expect(() => env.step(0)).toThrow(/call reset\(\) before step\(\)/);
    env.reset();
    expect(() => env.step(2)).toThrow(/action must be 0 \(left\) or 1 \(right\), got 2/);
    expect(() => checkEnv(new CartPoleEnv(0))).not.toThrow();
  });
});
