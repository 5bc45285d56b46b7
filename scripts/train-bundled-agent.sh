#!/usr/bin/env bash
# Trains the bundled agent checkpoints/bundled/catch-dqn (see checkpoints/README.md) and writes
# the sample outputs of `pixelrl play | plot | tsne` into docs/cli/.
#
#   scripts/train-bundled-agent.sh [steps]        # default 200000 agent steps
#
# DQN on Catch-v0 with the CLI's CPU defaults for pixel games (42x42 φ frames, 4-frame stacks,
# the 2013 "small" network, Adam 2.5e-4, replay 100k, ε 1 → 0.01 over the first 20%), without the
# replay snapshot so that the run directory stays small (~1.5 MB). Run from the repository root
# after `npm run build`. On the shared 2-core sandbox it ran at 40–70 steps/s.
set -euo pipefail

STEPS="${1:-200000}"
RUN=checkpoints/catch-dqn-s1
PIXELRL="node dist/src/cli/main.js"

$PIXELRL train --env Catch-v0 --steps "$STEPS" --seed 1 \
  --eval-interval 20000 --eval-episodes 5 --checkpoint-interval 20000 \
  --no-save-replay --progress lines --run-name "$(basename "$RUN")"

# The bundled copy: config, logs and the checkpoint (weights, optimizer moments, counters).
rm -rf checkpoints/bundled/catch-dqn
mkdir -p checkpoints/bundled
cp -r "$RUN" checkpoints/bundled/catch-dqn
rm -rf checkpoints/bundled/catch-dqn/checkpoint.old checkpoints/bundled/catch-dqn/checkpoint.tmp

AGENT=checkpoints/bundled/catch-dqn
$PIXELRL eval "$AGENT" --episodes 30
mkdir -p docs/cli
# Catch-v0 has no registered random/reference scores: these are the random and the scripted
# reference policy's means over 30 episodes under eval's conditions (ε 0.05, sticky actions).
$PIXELRL plot "$AGENT" --scores -2.2,19.0 -o docs/cli/reward-curve.png -o docs/cli/reward-curve.svg
$PIXELRL tsne "$AGENT" --steps 3000 --points 1000 --seed 1 \
  -o docs/cli/tsne-map.png -o docs/cli/tsne-embedding.csv --value-plot docs/cli/value-episode.png
$PIXELRL play "$AGENT" --seed 2 --max-steps 300 --scale 2 --out docs/cli/catch-agent.png
$PIXELRL play "$AGENT" --seed 2 --max-steps 300 --scale 2 --out docs/cli/catch-agent.gif
