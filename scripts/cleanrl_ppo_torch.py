"""CleanRL ppo.py's algorithm on CartPole-v1 in PyTorch: the peer run of scripts/bench-ppo.ts.

An independent re-implementation (not CleanRL's code) of what cleanrl/ppo.py does with its
defaults, on the Gymnasium-exact CartPole of cartpole_py.py (no gym/gymnasium here):

- 4 envs x 128 steps per rollout (batch 512), iterations = total_steps // 512;
- actor and critic apart, each MLP 4 -> 64 -> 64 (tanh), orthogonal init (gain sqrt 2, biases 0),
  actor head gain 0.01, critic head gain 1; a categorical policy;
- Adam(lr 2.5e-4, eps 1e-5), lr annealed linearly to 0 over the iterations;
- GAE (gamma 0.99, lambda 0.95), done = terminated or truncated (ppo.py does not bootstrap
  truncations);
- 4 epochs x 4 minibatches of 128, advantages normalised per minibatch, clip 0.2, clipped value
  loss, entropy 0.01, value 0.5, global gradient norm clipped to 0.5;
- timed as CleanRL times itself: start_time before the reset, SPS = global_step / elapsed.

Prints one JSON line: steps, seconds, sps, cpu_seconds, episodes, mean_return_100.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 scripts/cleanrl_ppo_torch.py --steps 100000 --seed 1
"""

import argparse
import json
import os
import random
import sys
import time

import numpy as np
import torch
from torch import nn
from torch.distributions.categorical import Categorical

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cartpole_py import NUM_ACTIONS, OBS_DIM, VecCartPole  # noqa: E402


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=100_000, help="total timesteps")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--learning-rate", type=float, default=2.5e-4)
    p.add_argument("--num-envs", type=int, default=4)
    p.add_argument("--num-steps", type=int, default=128)
    p.add_argument("--gamma", type=float, default=0.99)
    p.add_argument("--gae-lambda", type=float, default=0.95)
    p.add_argument("--num-minibatches", type=int, default=4)
    p.add_argument("--update-epochs", type=int, default=4)
    p.add_argument("--clip-coef", type=float, default=0.2)
    p.add_argument("--ent-coef", type=float, default=0.01)
    p.add_argument("--vf-coef", type=float, default=0.5)
    p.add_argument("--max-grad-norm", type=float, default=0.5)
    return p.parse_args()


def dense(n_in: int, n_out: int, gain: float = float(np.sqrt(2))) -> nn.Linear:
    layer = nn.Linear(n_in, n_out)
    nn.init.orthogonal_(layer.weight, gain)
    nn.init.zeros_(layer.bias)
    return layer


class ActorCritic(nn.Module):
    def __init__(self):
        super().__init__()
        self.critic = nn.Sequential(dense(OBS_DIM, 64), nn.Tanh(), dense(64, 64), nn.Tanh(), dense(64, 1, 1.0))
        self.actor = nn.Sequential(
            dense(OBS_DIM, 64), nn.Tanh(), dense(64, 64), nn.Tanh(), dense(64, NUM_ACTIONS, 0.01)
        )

    def value(self, x: torch.Tensor) -> torch.Tensor:
        return self.critic(x).squeeze(-1)

    def policy(self, x: torch.Tensor, action: torch.Tensor | None = None):
        dist = Categorical(logits=self.actor(x))
        if action is None:
            action = dist.sample()
        return action, dist.log_prob(action), dist.entropy()


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    n, t_max = args.num_envs, args.num_steps
    batch = n * t_max
    minibatch = batch // args.num_minibatches
    iterations = args.steps // batch
    envs = VecCartPole(n, args.seed)
    agent = ActorCritic()
    optimizer = torch.optim.Adam(agent.parameters(), lr=args.learning_rate, eps=1e-5)

    obs = torch.zeros((t_max, n, OBS_DIM))
    actions = torch.zeros((t_max, n), dtype=torch.int64)
    logprobs = torch.zeros((t_max, n))
    rewards = torch.zeros((t_max, n))
    dones = torch.zeros((t_max, n))
    values = torch.zeros((t_max, n))
    returns_seen: list[float] = []

    global_step = 0
    start_time = time.time()
    cpu0 = time.process_time()
    next_obs = torch.from_numpy(envs.reset())
    next_done = torch.zeros(n)
    for iteration in range(1, iterations + 1):
        optimizer.param_groups[0]["lr"] = (1.0 - (iteration - 1.0) / iterations) * args.learning_rate
        for step in range(t_max):
            global_step += n
            obs[step] = next_obs
            dones[step] = next_done
            with torch.no_grad():
                action, logprob, _ = agent.policy(next_obs)
                values[step] = agent.value(next_obs)
            actions[step] = action
            logprobs[step] = logprob
            o, r, term, trunc, _, episodes = envs.step(action.numpy())
            returns_seen.extend(ret for ret, _ in episodes)
            rewards[step] = torch.from_numpy(r)
            next_obs = torch.from_numpy(o)
            next_done = torch.from_numpy(np.logical_or(term, trunc).astype(np.float32))

        with torch.no_grad():
            next_value = agent.value(next_obs)
            advantages = torch.zeros_like(rewards)
            gae = torch.zeros(n)
            for t in reversed(range(t_max)):
                if t == t_max - 1:
                    not_done, v_next = 1.0 - next_done, next_value
                else:
                    not_done, v_next = 1.0 - dones[t + 1], values[t + 1]
                delta = rewards[t] + args.gamma * v_next * not_done - values[t]
                gae = delta + args.gamma * args.gae_lambda * not_done * gae
                advantages[t] = gae
            returns = advantages + values

        b_obs = obs.reshape(-1, OBS_DIM)
        b_actions = actions.reshape(-1)
        b_logprobs = logprobs.reshape(-1)
        b_adv = advantages.reshape(-1)
        b_returns = returns.reshape(-1)
        b_values = values.reshape(-1)
        order = np.arange(batch)
        for _ in range(args.update_epochs):
            np.random.shuffle(order)
            for start in range(0, batch, minibatch):
                mb = torch.from_numpy(order[start : start + minibatch])
                _, new_logprob, entropy = agent.policy(b_obs[mb], b_actions[mb])
                new_value = agent.value(b_obs[mb])
                ratio = (new_logprob - b_logprobs[mb]).exp()
                adv = b_adv[mb]
                adv = (adv - adv.mean()) / (adv.std() + 1e-8)
                pg_loss = torch.max(
                    -adv * ratio, -adv * torch.clamp(ratio, 1 - args.clip_coef, 1 + args.clip_coef)
                ).mean()
                v_clipped = b_values[mb] + torch.clamp(new_value - b_values[mb], -args.clip_coef, args.clip_coef)
                v_loss = 0.5 * torch.max((new_value - b_returns[mb]) ** 2, (v_clipped - b_returns[mb]) ** 2).mean()
                loss = pg_loss - args.ent_coef * entropy.mean() + args.vf_coef * v_loss
                optimizer.zero_grad()
                loss.backward()
                nn.utils.clip_grad_norm_(agent.parameters(), args.max_grad_norm)
                optimizer.step()

    seconds = time.time() - start_time
    last = returns_seen[-100:]
    print(
        json.dumps(
            {
                "steps": global_step,
                "seconds": seconds,
                "sps": global_step / seconds,
                "cpu_seconds": time.process_time() - cpu0,
                "episodes": len(returns_seen),
                "mean_return_100": sum(last) / len(last) if last else None,
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
