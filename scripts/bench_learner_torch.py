#!/usr/bin/env python3
"""The DQN learner step of scripts/bench-learner.ts, in PyTorch, for a side-by-side figure.

One step = online forward on the batch, target forward on the next states (no grad), Huber
(smooth L1) loss on Q(s, a) against r + gamma * (1 - done) * max_a' Q_target(s', a'), backward,
Adam. Same networks as src/nets (NHWC there, NCHW here; the nets divide by 255 themselves).

Run it the way bench-learner.ts does, with OpenBLAS held to one thread so torch's own pool of
`--threads` is the only parallelism (the fastest configuration on a 2-core machine):

    OPENBLAS_NUM_THREADS=1 python3 scripts/bench_learner_torch.py --threads 2 --nets nature,mlp

Prints one JSON object per network on stdout. With --serve (one net), it instead reads
'run SECONDS' and 'act' lines on stdin and answers each with a JSON line, so that
bench-learner.ts can alternate PyTorch and tfjs in short rounds on a shared machine.
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn


def nature(in_ch, actions):
    return nn.Sequential(
        nn.Conv2d(in_ch, 32, 8, 4), nn.ReLU(),
        nn.Conv2d(32, 64, 4, 2), nn.ReLU(),
        nn.Conv2d(64, 64, 3, 1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 512), nn.ReLU(),
        nn.Linear(512, actions))


def dqn2013(in_ch, actions):
    return nn.Sequential(
        nn.Conv2d(in_ch, 16, 8, 4), nn.ReLU(),
        nn.Conv2d(16, 32, 4, 2), nn.ReLU(),
        nn.Flatten(), nn.Linear(32 * 9 * 9, 256), nn.ReLU(),
        nn.Linear(256, actions))


def minatar(in_ch, actions):
    return nn.Sequential(
        nn.Conv2d(in_ch, 16, 3, 1), nn.ReLU(),
        nn.Flatten(), nn.Linear(16 * 8 * 8, 128), nn.ReLU(),
        nn.Linear(128, actions))


def compact(in_ch, actions):
    return nn.Sequential(
        nn.Conv2d(in_ch, 16, 4, 2), nn.ReLU(),
        nn.Conv2d(16, 32, 3, 2), nn.ReLU(),
        nn.Flatten(), nn.Linear(32 * 9 * 9, 128), nn.ReLU(),
        nn.Linear(128, actions))


def mlp(size, actions):
    return nn.Sequential(nn.Linear(size, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, actions))


class Scaled(nn.Module):
    """Divides uint8-valued image inputs by 255, as the tfjs networks do."""

    def __init__(self, body):
        super().__init__()
        self.body = body

    def forward(self, x):
        return self.body(x / 255.0)


# name -> (builder, input shape (C, H, W) or (size,), actions); mirrors LEARNER_CASES.
CASES = {
    'nature': (nature, (4, 84, 84), 6),
    'dqn2013': (dqn2013, (4, 84, 84), 6),
    'minatar': (minatar, (4, 10, 10), 6),
    'compact': (compact, (4, 42, 42), 3),
    'mlp': (mlp, (4,), 2),
}


def blas_in_use():
    """Which BLAS library torch loaded (Debian's torch uses the libblas.so.3 alternative)."""
    try:
        with open('/proc/self/maps') as f:
            libs = {line.split()[-1] for line in f if 'blas' in line.lower()}
    except OSError:
        return 'unknown'
    for lib in sorted(libs):
        if 'openblas' in lib:
            return f'openblas ({lib}, OPENBLAS_NUM_THREADS={os.environ.get("OPENBLAS_NUM_THREADS", "unset")})'
    real = {os.path.realpath(lib) for lib in libs}
    return ', '.join(sorted(real)) or 'none loaded'


def make_learner(name, batch):
    """The DQN step and a batch-1 act() for one network, on a fixed random batch."""
    build, shape, actions = CASES[name]
    image = len(shape) == 3
    online = build(shape[0], actions)
    target = build(shape[0], actions)
    if image:
        online, target = Scaled(online), Scaled(target)
    target.load_state_dict(online.state_dict())
    opt = torch.optim.Adam(online.parameters(), lr=1e-4)
    g = torch.Generator().manual_seed(0)
    if image:
        obs = torch.randint(0, 256, (batch, *shape), generator=g).float()
        next_obs = torch.randint(0, 256, (batch, *shape), generator=g).float()
        one = torch.randint(0, 256, (1, *shape), generator=g).float()
    else:
        obs, next_obs, one = (torch.randn((b, *shape), generator=g) for b in (batch, batch, 1))
    act = torch.randint(0, actions, (batch,), generator=g)
    rew = torch.rand(batch, generator=g)
    not_done = (torch.rand(batch, generator=g) > 0.05).float()

    def step():
        with torch.no_grad():
            y = rew + 0.99 * not_done * target(next_obs).max(1).values
        q = online(obs).gather(1, act.unsqueeze(1)).squeeze(1)
        loss = nn.functional.smooth_l1_loss(q, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    def act_once():
        with torch.no_grad():
            return int(online(one).argmax(1).item())

    return step, act_once


def time_steps(step, seconds, min_steps):
    """Median wall and CPU time (process, all threads) of steps run for `seconds`."""
    times, cpu_times = [], []
    start = time.perf_counter()
    while len(times) < min_steps or time.perf_counter() - start < seconds:
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        cpu_times.append(time.process_time() - c0)
        times.append(time.perf_counter() - t0)
    times.sort()
    cpu_times.sort()
    return {
        'steps_per_s': 1.0 / times[len(times) // 2],
        'cpu_steps_per_s': 1.0 / cpu_times[len(cpu_times) // 2],
        'steps_timed': len(times),
    }


def time_act(act_once):
    for _ in range(20):
        act_once()
    acts = []
    for _ in range(200):
        t0 = time.perf_counter()
        act_once()
        acts.append(time.perf_counter() - t0)
    acts.sort()
    return {'act_ms': acts[len(acts) // 2] * 1000}


def bench(name, batch, seconds, min_steps):
    step, act_once = make_learner(name, batch)
    for _ in range(3):
        step()
    return {'net': name, **time_steps(step, seconds, min_steps), **time_act(act_once)}


def serve(name, batch, min_steps):
    """Line protocol for side-by-side timing: 'run SECONDS' -> steps JSON, 'act' -> act JSON."""
    step, act_once = make_learner(name, batch)
    for _ in range(3):
        step()
    print(json.dumps({'ready': True}), flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd or cmd[0] == 'quit':
            break
        if cmd[0] == 'run':
            print(json.dumps(time_steps(step, float(cmd[1]), min_steps)), flush=True)
        elif cmd[0] == 'act':
            print(json.dumps(time_act(act_once)), flush=True)
        else:
            print(json.dumps({'error': f'unknown command {cmd[0]!r}'}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--nets', default=','.join(CASES), help=f'comma-separated, from {",".join(CASES)}')
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--threads', type=int, default=2, help='torch.set_num_threads (torch defaults to 1 here)')
    p.add_argument('--seconds', type=float, default=3.0, help='minimum timing time per network')
    p.add_argument('--min-steps', type=int, default=5)
    p.add_argument('--serve', action='store_true', help='one net; read run/act commands from stdin')
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    names = args.nets.split(',')
    for name in names:
        if name not in CASES:
            raise SystemExit(f'unknown net {name!r}: use one of {", ".join(CASES)}')
    if args.serve:
        print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas_in_use()}), flush=True)
        serve(names[0], args.batch, args.min_steps)
        return
    for name in names:
        result = bench(name, args.batch, args.seconds, args.min_steps)
        result.update(torch=torch.__version__, threads=torch.get_num_threads(), blas=blas_in_use())
        print(json.dumps(result), flush=True)


if __name__ == '__main__':
    main()
