"""CartPole-v1 in plain Python, with Gymnasium's dynamics, for the PyTorch peers of bench-dqn/bench-ppo.

No gym/gymnasium is installed on the bench machines (and none may be downloaded), so this module
re-states Gymnasium's classic_control/cartpole.py (Barto, Sutton & Anderson 1983):

- state [x, x_dot, theta, theta_dot] in float64, observations as float32;
- force +-10 N (action 1 pushes right), explicit Euler with tau = 0.02 s;
- reward 1.0 every step, the terminating one included;
- terminated when |x| > 2.4 or |theta| > 12 degrees; CartPole-v1's TimeLimit truncates at 500;
- reset draws each state variable from U(-0.05, 0.05) with the env's numpy Generator.

`VecCartPole` is the part of Gymnasium's SyncVectorEnv + RecordEpisodeStatistics that CleanRL's
scripts rely on: batched numpy observations, autoreset (the next observation of a finished env is
its reset observation; the final one is returned apart), and each finished episode's return and
length. It does less work per step than Gymnasium's wrapper stack (no env checker, no info dicts),
so the PyTorch figures it gives are, if anything, faster than CleanRL run on real Gymnasium.
"""

import math

import numpy as np

GRAVITY = 9.8
MASS_CART = 1.0
MASS_POLE = 0.1
TOTAL_MASS = MASS_POLE + MASS_CART
LENGTH = 0.5  # half the pole's length
POLE_MASS_LENGTH = MASS_POLE * LENGTH
FORCE_MAG = 10.0
TAU = 0.02
THETA_THRESHOLD = 12 * 2 * math.pi / 360
X_THRESHOLD = 2.4
MAX_EPISODE_STEPS = 500

OBS_DIM = 4
NUM_ACTIONS = 2


class CartPole:
    """One CartPole-v1 env (with its 500-step time limit)."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)
        self.state = (0.0, 0.0, 0.0, 0.0)
        self.elapsed = 0

    def reset(self) -> np.ndarray:
        self.state = tuple(float(v) for v in self.rng.uniform(-0.05, 0.05, size=(4,)))
        self.elapsed = 0
        return np.array(self.state, dtype=np.float32)

    def step(self, action: int) -> tuple[np.ndarray, float, bool, bool]:
        x, x_dot, theta, theta_dot = self.state
        force = FORCE_MAG if action == 1 else -FORCE_MAG
        costheta = math.cos(theta)
        sintheta = math.sin(theta)
        temp = (force + POLE_MASS_LENGTH * theta_dot * theta_dot * sintheta) / TOTAL_MASS
        thetaacc = (GRAVITY * sintheta - costheta * temp) / (
            LENGTH * (4.0 / 3.0 - MASS_POLE * costheta * costheta / TOTAL_MASS)
        )
        xacc = temp - POLE_MASS_LENGTH * thetaacc * costheta / TOTAL_MASS
        x = x + TAU * x_dot
        x_dot = x_dot + TAU * xacc
        theta = theta + TAU * theta_dot
        theta_dot = theta_dot + TAU * thetaacc
        self.state = (x, x_dot, theta, theta_dot)
        self.elapsed += 1
        terminated = x < -X_THRESHOLD or x > X_THRESHOLD or theta < -THETA_THRESHOLD or theta > THETA_THRESHOLD
        truncated = self.elapsed >= MAX_EPISODE_STEPS  # TimeLimit: regardless of terminated
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated


class VecCartPole:
    """`num_envs` CartPoles stepped in turn, with autoreset and episode statistics."""

    def __init__(self, num_envs: int, seed: int):
        self.envs = [CartPole(seed + i) for i in range(num_envs)]
        self.num_envs = num_envs
        self.returns = np.zeros(num_envs)
        self.lengths = np.zeros(num_envs, dtype=np.int64)

    def reset(self) -> np.ndarray:
        self.returns[:] = 0
        self.lengths[:] = 0
        return np.stack([env.reset() for env in self.envs])

    def step(self, actions: np.ndarray):
        """Returns obs, rewards, terminations, truncations, final_obs (per env, None unless it ended), episodes [(return, length)]."""
        n = self.num_envs
        obs = np.empty((n, OBS_DIM), dtype=np.float32)
        rewards = np.empty(n, dtype=np.float32)
        terminations = np.zeros(n, dtype=bool)
        truncations = np.zeros(n, dtype=bool)
        final_obs: list = [None] * n
        episodes = []
        for i, env in enumerate(self.envs):
            o, r, term, trunc = env.step(int(actions[i]))
            rewards[i] = r
            terminations[i] = term
            truncations[i] = trunc
            self.returns[i] += r
            self.lengths[i] += 1
            if term or trunc:
                episodes.append((float(self.returns[i]), int(self.lengths[i])))
                self.returns[i] = 0
                self.lengths[i] = 0
                final_obs[i] = o
                o = env.reset()
            obs[i] = o
        return obs, rewards, terminations, truncations, final_obs, episodes
