#!/usr/bin/env bash
# The LA protocol grid of issue 10, cell by cell in priority order (the headline pair first, seed by seed), in
# WORKERS parallel single-threaded streams: on 2 cores, two 1-thread runs train about 1.5× faster in total than
# one 2-thread run. Resumable: `pmcm experiment` skips finished cells and resumes an interrupted one from its last
# checkpoint; a cell being trained by one stream is locked (flock, released if the stream dies) so the other
# stream moves on. After each cell its small files (run.json, logs, validation history, per-case result and the
# SHA-256 of best.pth) are copied to docs/results-la-cpu/<cell>/ and committed, so a session that ends mid-grid
# loses at most the running cells' progress since their last checkpoint.
#   usage: scripts/la-grid.sh [PMCM_BINARY]     (default: the Release build of this checkout)
#   Copy the binary's folder elsewhere first if you go on building this checkout while the grid runs.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
pmcm=${1:-$repo/src/Pmcm.Cli/bin/Release/net10.0/pmcm}
workers=${WORKERS:-2}
retries=${RETRIES:-3}
out=$repo/runs/la-grid
docs=$repo/docs/results-la-cpu
data=$(cd "$repo/../shared/data/la" && pwd)
scale=(--data "$data" --downsample 2 --patch 48,48,32 --n-filters 8 --iterations 3000 --val-every 100
       --validation 8 --ema-decay 0.99 --threads 1)
export OMP_WAIT_POLICY=PASSIVE
export PMCM_DEBUG=1   # a run that dies leaves its stack trace in <cell>.out

cells=()
for seed in 1 2 3; do for row in supervised:8 pmcm:8; do cells+=("$row:$seed"); done; done
for row in supervised:all pmcm-no-pml:8 pmcm-no-cml:8 mcnet:8 supervised:16 pmcm:16; do
  for seed in 1 2 3; do cells+=("$row:$seed"); done
done

publish() {
  local cell=$1 src=$out/$1
  mkdir -p "$docs/$cell"
  cp "$src/run.json" "$src/log.csv" "$src/validation.csv" "$src/result.json" "$docs/$cell/"
  # The weights stay in the run folder (models do not belong in the repository); their digest identifies them.
  (cd "$src" && sha256sum best.pth) > "$docs/$cell/best.pth.sha256"
  local paths="docs/results-la-cpu/$cell"
  (cd "$repo" && flock "$out/.git.lock" sh -c \
    "git add $paths && git commit -q -m 'LA grid: $cell finished' -- $paths") || true
}

worker() {
  for spec in "${cells[@]}"; do
    IFS=: read -r method labeled seed <<< "$spec"
    local cell=$method-labeled$labeled-seed$seed
    [ -f "$out/$cell/result.json" ] && { [ -f "$docs/$cell/result.json" ] || publish "$cell"; continue; }
    exec {lock}> "$out/$cell.lock"
    if flock -n "$lock"; then
      # A run that dies (e.g. TorchSharp's scalar use-after-free, docs/performance.md) resumes from its last
      # checkpoint, up to RETRIES times, rather than leaving a hole until the grid is started again.
      for attempt in $(seq 1 "$retries"); do
        echo "$(date -u +%FT%TZ) worker $1 start $cell (attempt $attempt)"
        "$pmcm" experiment "${scale[@]}" --out "$out" --methods "$method" --labeled "$labeled" --seeds "$seed" \
          >> "$out/$cell.out" 2>&1
        local rc=$?
        echo "$(date -u +%FT%TZ) worker $1 end $cell (exit $rc)"
        [ -f "$out/$cell/result.json" ] && { publish "$cell"; break; }
      done
    fi
    exec {lock}>&-
  done
}

mkdir -p "$out"
for w in $(seq 1 "$workers"); do worker "$w" & sleep 2; done
wait
