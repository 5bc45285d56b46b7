#!/usr/bin/env bash
# Trains the bundled agent checkpoints/bundled/cartpole-dqn (see checkpoints/README.md) and writes
# the sample outputs of `pixelrl play | plot | tsne` into docs/cli/.
#
#   scripts/train-bundled-agent.sh
#
# DQN on CartPole-v1 with the `classic` preset (the RL Zoo's tuned CartPole DQN: [256, 256] MLP,
# Adam 2.3e-3, batch 64, train every 256 steps with 128 gradient steps, target every 10 steps,
# ε 1 → 0.04 over 16% of 50k steps) plus a linear learning-rate decay to 0, which steadies the
# final policy (without it the same seed evaluated 500 at 40k steps and 177 at 50k). The replay
# snapshot is left out so that the run directory stays small (1.3 MB). Run from the repository
# root after `npm run build`. On the shared 2-core sandbox it took 319 s. `--no-double-dqn` keeps
# the settings the bundled agent was trained with (the preset has since gained Double DQN).
set -euo pipefail

PIXELRL="node dist/src/cli/main.js"
RUN=cartpole-dqn-lrdecay

$PIXELRL train --env CartPole-v1 --steps 50000 --seed 0 --anneal-lr --no-double-dqn \
  --eval-interval 10000 --eval-episodes 10 --no-save-replay --progress lines --run-name "$RUN"

# The bundled copy: config, logs and the checkpoint (weights, optimizer moments, counters).
rm -rf checkpoints/bundled/cartpole-dqn
mkdir -p checkpoints/bundled
cp -r "checkpoints/$RUN" checkpoints/bundled/cartpole-dqn
rm -rf checkpoints/bundled/cartpole-dqn/checkpoint.old checkpoints/bundled/cartpole-dqn/checkpoint.tmp

AGENT=checkpoints/bundled/cartpole-dqn
$PIXELRL eval "$AGENT" --episodes 30
mkdir -p docs/cli
# CartPole-v1 has no registered random/reference scores: 22.1 is the random policy's mean over
# 30 episodes (pixelrl play --env CartPole-v1 --policy random --episodes 30), 500 the time limit.
$PIXELRL plot "$AGENT" --scores 22.1,500 -o docs/cli/reward-curve.png -o docs/cli/reward-curve.svg
$PIXELRL tsne "$AGENT" --steps 3000 --points 1000 --seed 1 \
  -o docs/cli/tsne-map.png -o docs/cli/tsne-embedding.csv --value-plot docs/cli/value-episode.png
$PIXELRL play "$AGENT" --seed 2 --max-steps 120 --out docs/cli/cartpole-agent.png
