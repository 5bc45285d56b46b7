#!/usr/bin/env bash
# The quick-start run (`pixelrl train`: DQN from pixels on Catch-v0, 100k steps) on the ort
# engine for seeds 0-2, then `pixelrl eval` over 30 episodes; prints each run's summary.
#   bash scripts/learn-catch-ort.sh [seeds...]
# PIXELRL_CLI names another build of the CLI (e.g. a frozen copy while the tree changes).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=("${@:-0 1 2}")
cli="${PIXELRL_CLI:-dist/src/cli/main.js}"
for seed in ${seeds[@]}; do
  name="catch-ort-s${seed}-$(date +%s)"
  echo "== seed ${seed} (uptime: $(uptime))"
  node "${cli}" train --env Catch-v0 --seed "${seed}" --engine ort --no-save-replay --progress lines --run-name "${name}" 2>&1 | grep -v '^step '
  node "${cli}" eval "${name}" --episodes 30 --seed 0
done
