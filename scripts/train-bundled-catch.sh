#!/usr/bin/env bash
# Trains the bundled pixel agent checkpoints/bundled/catch-dqn (see checkpoints/README.md) and
# writes the sample outputs of `pixelrl play | plot | tsne` for it into docs/cli/.
#
#   scripts/train-bundled-catch.sh
#
# DQN from pixels on Catch-v0 with `pixelrl train`'s defaults for a pixel game on a CPU: φ at
# 42x42, the `compact` torso (16 4x4/2, 32 3x3/2, fc 128), 10-step Double DQN targets, 100k replay,
# learning from 5k steps, train every 4 steps, target every 1000, Adam 2.5e-4, ε 1 → 0.01 over
# 20% of 100k steps. The replay snapshot is left out so that the run directory stays small. Run
# from the repository root after `npm run build`.
set -euo pipefail

PIXELRL="node dist/src/cli/main.js"
RUN=catch-dqn-s0

rm -rf "checkpoints/$RUN"
$PIXELRL train --env Catch-v0 --seed 0 --no-save-replay --progress lines --run-name "$RUN"

# The bundled copy: config, logs and the final checkpoint (weights, optimizer moments, counters);
# the run's best/ copy is left out to halve the size.
rm -rf checkpoints/bundled/catch-dqn
mkdir -p checkpoints/bundled
cp -r "checkpoints/$RUN" checkpoints/bundled/catch-dqn
rm -rf checkpoints/bundled/catch-dqn/best checkpoints/bundled/catch-dqn/checkpoint.old \
  checkpoints/bundled/catch-dqn/checkpoint.tmp

AGENT=checkpoints/bundled/catch-dqn
$PIXELRL eval "$AGENT" --episodes 30
mkdir -p docs/cli
$PIXELRL plot "$AGENT" -o docs/cli/catch-reward-curve.png
$PIXELRL tsne "$AGENT" --steps 3000 --points 1000 --seed 1 \
  -o docs/cli/catch-tsne-map.png --value-plot docs/cli/catch-value-episode.png
$PIXELRL play "$AGENT" --seed 2 --max-steps 200 --out docs/cli/catch-agent.png
