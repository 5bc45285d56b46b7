"""CleanRL dqn.py's algorithm on CartPole-v1 in PyTorch: the peer run of `npm run bench:dqn`.

An independent re-implementation (not CleanRL's code) of what cleanrl/dqn.py does with its
defaults, on the Gymnasium-exact CartPole of cartpole_py.py (no gym/gymnasium here):

- Q-network MLP 4 -> 120 -> 84 -> 2 (ReLU), PyTorch's default Linear init; a target copy;
- Adam(lr 2.5e-4), MSE TD loss, no gradient clipping;
- replay of 10,000 transitions (obs, next obs, action, reward, terminated), sampled uniformly
  with replacement; a truncated episode stores its final observation as the next one;
- epsilon linear from 1 to 0.05 over exploration_fraction (0.5) x total steps, then 0.05;
- for global_step in range(total): act epsilon-greedy, step, store; when global_step >
  learning_starts (10,000) and global_step % 10 == 0: one update on a batch of 128 with
  target r + 0.99 * max_a' Q_target(s', a') * (1 - terminated); when global_step % 500 == 0:
  target <- tau * online + (1 - tau) * target with tau = 1;
- timed as CleanRL times itself: start_time after building nets and envs, before the reset;
  SPS = global_step / (time.time() - start_time), here over the whole run.

Prints one JSON line: steps, seconds, sps, cpu_seconds, episodes, mean_return_100.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/cleanrl_dqn_torch.py --steps 100000 --seed 1
"""

import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cartpole_py import NUM_ACTIONS, OBS_DIM, VecCartPole  # noqa: E402


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=100_000, help="total timesteps")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--learning-rate", type=float, default=2.5e-4)
    p.add_argument("--buffer-size", type=int, default=10_000)
    p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--tau", type=float, default=1.0)
    p.add_argument("--target-network-frequency", type=int, default=500)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--start-e", type=float, default=1.0)
    p.add_argument("--end-e", type=float, default=0.05)
    p.add_argument("--exploration-fraction", type=float, default=0.5)
    p.add_argument("--learning-starts", type=int, default=10_000)
    p.add_argument("--train-frequency", type=int, default=10)
    return p.parse_args()


def make_q_network() -> nn.Module:
    return nn.Sequential(
        nn.Linear(OBS_DIM, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, NUM_ACTIONS),
    )


def epsilon_at(start: float, end: float, duration: float, t: int) -> float:
    """Linear from `start` at t = 0 to `end` at t = duration, then `end`."""
    return max(start + (end - start) * t / duration, end)


class Replay:
    """A ring of `capacity` transitions in numpy arrays; uniform sampling with replacement."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self.obs = np.zeros((capacity, OBS_DIM), dtype=np.float32)
        self.next_obs = np.zeros((capacity, OBS_DIM), dtype=np.float32)
        self.actions = np.zeros((capacity, 1), dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.dones = np.zeros(capacity, dtype=np.float32)
        self.pos = 0
        self.full = False

    def add(self, obs, next_obs, action, reward, done) -> None:
        i = self.pos
        self.obs[i] = obs
        self.next_obs[i] = next_obs
        self.actions[i, 0] = action
        self.rewards[i] = reward
        self.dones[i] = done
        self.pos = (i + 1) % self.capacity
        self.full = self.full or self.pos == 0

    def sample(self, n: int):
        idx = np.random.randint(0, self.capacity if self.full else self.pos, size=n)
        return (
            torch.from_numpy(self.obs[idx]),
            torch.from_numpy(self.next_obs[idx]),
            torch.from_numpy(self.actions[idx]),
            torch.from_numpy(self.rewards[idx]),
            torch.from_numpy(self.dones[idx]),
        )


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    envs = VecCartPole(1, args.seed)
    q_network = make_q_network()
    optimizer = torch.optim.Adam(q_network.parameters(), lr=args.learning_rate)
    target_network = make_q_network()
    target_network.load_state_dict(q_network.state_dict())
    rb = Replay(args.buffer_size)
    returns: list[float] = []

    start_time = time.time()
    cpu0 = time.process_time()
    obs = envs.reset()
    for global_step in range(args.steps):
        epsilon = epsilon_at(args.start_e, args.end_e, args.exploration_fraction * args.steps, global_step)
        if random.random() < epsilon:
            actions = np.array([random.randrange(NUM_ACTIONS) for _ in range(envs.num_envs)])
        else:
            with torch.no_grad():
                q_values = q_network(torch.from_numpy(obs))
            actions = torch.argmax(q_values, dim=1).numpy()
        next_obs, rewards, terminations, truncations, final_obs, episodes = envs.step(actions)
        returns.extend(r for r, _ in episodes)
        for i in range(envs.num_envs):
            real_next = final_obs[i] if truncations[i] else next_obs[i]
            rb.add(obs[i], real_next, actions[i], rewards[i], terminations[i])
        obs = next_obs

        if global_step > args.learning_starts:
            if global_step % args.train_frequency == 0:
                b_obs, b_next, b_actions, b_rewards, b_dones = rb.sample(args.batch_size)
                with torch.no_grad():
                    target_max, _ = target_network(b_next).max(dim=1)
                    td_target = b_rewards + args.gamma * target_max * (1 - b_dones)
                old_val = q_network(b_obs).gather(1, b_actions).squeeze(1)
                loss = F.mse_loss(td_target, old_val)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            if global_step % args.target_network_frequency == 0:
                with torch.no_grad():
                    for tp, qp in zip(target_network.parameters(), q_network.parameters()):
                        tp.copy_(args.tau * qp + (1.0 - args.tau) * tp)

    seconds = time.time() - start_time
    last = returns[-100:]
    print(
        json.dumps(
            {
                "steps": args.steps,
                "seconds": seconds,
                "sps": args.steps / seconds,
                "cpu_seconds": time.process_time() - cpu0,
                "episodes": len(returns),
                "mean_return_100": sum(last) / len(last) if last else None,
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
