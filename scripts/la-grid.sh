#!/usr/bin/env bash
# The LA protocol grid of issue 10, one cell at a time in priority order (the headline pair first, seed by seed),
# resumable: `pmcm experiment` skips finished cells and resumes an interrupted one from its last checkpoint.
# After each cell its small files (run.json, logs, validation history, per-case result) are copied to
# docs/results-la-cpu/<cell>/ and committed, so a session that ends mid-grid loses at most the running cell's
# progress since its last checkpoint.
#   usage: scripts/la-grid.sh [PMCM_BINARY]     (default: the Release build of this checkout)
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
pmcm=${1:-$repo/src/Pmcm.Cli/bin/Release/net10.0/pmcm}
out=$repo/runs/la-grid
docs=$repo/docs/results-la-cpu
data=$(cd "$repo/../shared/data/la" && pwd)
scale=(--data "$data" --downsample 2 --patch 48,48,32 --n-filters 8 --iterations 3000 --val-every 100
       --validation 8 --ema-decay 0.99 --threads 2)
# method:labeled, in the order they run for each seed.
headline=(supervised:8 pmcm:8)
rest=(supervised:all pmcm-no-pml:8 pmcm-no-cml:8 mcnet:8 supervised:16 pmcm:16)
export OMP_WAIT_POLICY=PASSIVE

publish() {
  local cell=$1 src=$out/$1
  [ -f "$src/result.json" ] || return 0
  mkdir -p "$docs/$cell"
  cp "$src/run.json" "$src/log.csv" "$src/validation.csv" "$src/result.json" "$docs/$cell/"
  (cd "$repo" && git add "docs/results-la-cpu/$cell" && git commit -q -m "LA grid: $cell finished" -- "docs/results-la-cpu/$cell") || true
}

run_cell() {
  local method=${1%%:*} labeled=${1##*:} seed=$2
  local cell=$method-labeled$labeled-seed$seed
  [ -f "$docs/$cell/result.json" ] && [ -f "$out/$cell/result.json" ] && return 0
  echo "$(date -u +%FT%TZ) start $cell"
  "$pmcm" experiment "${scale[@]}" --out "$out" --methods "$method" --labeled "$labeled" --seeds "$seed" \
    > "$out/$cell.out" 2>&1
  local rc=$?
  echo "$(date -u +%FT%TZ) end $cell (exit $rc)"
  publish "$cell"
}

mkdir -p "$out"
for seed in 1 2 3; do for row in "${headline[@]}"; do run_cell "$row" "$seed"; done; done
for row in "${rest[@]}"; do for seed in 1 2 3; do run_cell "$row" "$seed"; done; done
