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
#   REPORTS_ONLY=1 scripts/la-grid.sh [PMCM_BINARY] regenerates and commits every grid's report, training nothing.
set -u
repo=$(cd "$(dirname "$0")/.." && pwd)
pmcm=${1:-$repo/src/Pmcm.Cli/bin/Release/net10.0/pmcm}
workers=${WORKERS:-2}
retries=${RETRIES:-3}
data=$(cd "$repo/../shared/data/la" && pwd)
scale=(--data "$data" --downsample 2 --n-filters 8 --validation 8 --ema-decay 0.99 --threads 1)
export OMP_WAIT_POLICY=PASSIVE
export PMCM_DEBUG=1   # a run that dies leaves its stack trace in <cell>.out

# Ten grids, each in its own folder. `main` is the issue's protocol with the reference's training (no gradient
# clipping); `clip` is the same with each step's gradient clipped at norm 10, the stable training every row after
# the headline pair runs with (docs/la-protocol-notes.md, "2026-11-27 (fourth session)"); `poly` is supervised-8
# with the poly learning rate; `equal-time` is supervised-8 given the training time of a PMCM-8 run (a PMCM step
# costs about 4 supervised ones here), validated less often so validation does not dominate it; `pml-ce` is the
# standardised PMCM-8 with the corrected PML cross-entropy (standardised, because on the stored data RSZY's swings
# would drown a small effect; the reference's cross-entropy on probabilities cannot fall below about 0.31 per voxel,
# and PML's term stays at 0.67 to the end of every run); `standardise` is the clipped grid with every image z-scored again after
# loading, because the LA files were z-scored over the whole scan before cropping and RSZY, the validation case
# only PMCM segments, has its atrium at a quarter of the labeled cases' intensity; `ramp-reference` is the clipped
# grid with the reference's absolute ramp-up (full unsupervised weight at iteration 6000, so 0.05 of it at 1500
# and 0.25 at the run's end), because `pmcm-supervised-terms` showed the unsupervised terms costing Dice and HD95
# on the seven ordinary validation cases. `standardise-6000` is the standardised grid trained twice as long, because
# PMCM's best standardised checkpoints came at iterations 2500–2800 (the supervised baseline's at 2100–2600) and
# the unsupervised terms reach full weight only at 40 % of a run. `standardise-64` is the standardised grid with the
# issue's 64×64×32 patches (a step costs 1.7× a 48×48×32 one), because at 48×48×32 supervised-all is only 3 Dice
# points above supervised-8, leaving no room for a +5 gain; `clip-64` is the clipped grid at those patches.
# `equal-time-64` is `standardise-64`'s supervised-8 given PMCM-8's training time there (53.6 against 18.6 minutes:
# 9000 iterations, validated as often in all as the 3000-iteration rows). `cml-x10` is `standardise-64` with CML's
# weights γ and μ ten times the paper's (`--loss-weights`, a build from 2026-11-28 or later), because at the paper's
# weights CML moves about 1 % of PMCM-8's step (`pmcm gradients`).
declare -A grid_out=([main]=$repo/runs/la-grid [poly]=$repo/runs/la-diag-poly [equal-time]=$repo/runs/la-grid-equal-time
                     [pml-ce]=$repo/runs/la-grid-standardise-pml-ce [clip]=$repo/runs/la-grid-clip
                     [standardise]=$repo/runs/la-grid-standardise [ramp-reference]=$repo/runs/la-grid-ramp-reference
                     [standardise-6000]=$repo/runs/la-grid-standardise-6000 [standardise-64]=$repo/runs/la-grid-standardise-64
                     [clip-64]=$repo/runs/la-grid-clip-64 [cml-x10]=$repo/runs/la-grid-cml-x10
                     [equal-time-64]=$repo/runs/la-grid-equal-time-64)
declare -A grid_docs=([main]=docs/results-la-cpu [poly]=docs/results-la-cpu/poly [equal-time]=docs/results-la-cpu/equal-time
                      [pml-ce]=docs/results-la-cpu/standardise-pml-ce [clip]=docs/results-la-cpu/clip
                      [standardise]=docs/results-la-cpu/standardise [ramp-reference]=docs/results-la-cpu/ramp-reference
                      [standardise-6000]=docs/results-la-cpu/standardise-6000 [standardise-64]=docs/results-la-cpu/standardise-64
                      [clip-64]=docs/results-la-cpu/clip-64 [cml-x10]=docs/results-la-cpu/cml-x10
                      [equal-time-64]=docs/results-la-cpu/equal-time-64)
clip="--clip-grad-norm 10" p48="--patch 48,48,32"
declare -A grid_args=([main]="$p48 --iterations 3000 --val-every 100 --clip-grad-norm 0" [poly]="$p48 --iterations 3000 --val-every 100 --lr-schedule poly --clip-grad-norm 0"
                      [equal-time]="$p48 --iterations 12000 --val-every 300 $clip" [pml-ce]="$p48 --iterations 3000 --val-every 100 --correct pml-ce $clip --standardise"
                      [clip]="$p48 --iterations 3000 --val-every 100 $clip" [standardise]="$p48 --iterations 3000 --val-every 100 $clip --standardise"
                      [ramp-reference]="$p48 --iterations 3000 --val-every 100 $clip --ramp reference"
                      [standardise-6000]="$p48 --iterations 6000 --val-every 200 $clip --standardise"
                      [standardise-64]="--patch 64,64,32 --iterations 3000 --val-every 100 $clip --standardise"
                      [clip-64]="--patch 64,64,32 --iterations 3000 --val-every 100 $clip"
                      [cml-x10]="--patch 64,64,32 --iterations 3000 --val-every 100 $clip --standardise --loss-weights gamma=0.5,mu=0.05"
                      [equal-time-64]="--patch 64,64,32 --iterations 9000 --val-every 300 $clip --standardise")

# The headline pair with the reference's training, three seeds (finished), and the poly baseline's first seed.
cells=()
for seed in 1 2 3; do for row in supervised:8 pmcm:8; do cells+=("main:$row:$seed"); done; done
cells+=("poly:supervised:8:1")
# The headline pair again with clipped gradients: seed 3 of the reference's PMCM-8 lost what it had learned at
# iteration 656 in one step whose gradient norm was 442 (the UAL cosine of a near-zero prototype).
for seed in 3 1 2; do cells+=("clip:pmcm:8:$seed"); done
for seed in 1 2 3; do cells+=("clip:supervised:8:$seed"); done
# The issue's other rows, all clipped, seed by seed, so that every row has a first answer before any has its
# third. After the first seed's rows: the equal-time baseline's first seed, and PMCM's supervised part alone (its
# network and batches, no term on the unlabeled cases), because MC-Net's first seed had PMCM's ordinary-case
# boundaries beaten (HD95 6.5 against 11.7) and this row tells whether PMCM's supervised part is the reason.
issue_rows=(pmcm-no-pml:8 pmcm-no-cml:8 supervised:all supervised:16 pmcm:16 mcnet:8)
for seed in 1 2 3; do
  for row in "${issue_rows[@]}"; do cells+=("clip:$row:$seed"); done
  [ "$seed" = 1 ] && cells+=("equal-time:supervised:8:1" "clip:pmcm-supervised-terms:8:1")
  # Is PMCM's gain at 8 labels robustness to the intensity scale (standardised baseline and PMCM-8), and does a
  # slower ramp keep the gain on RSZY without the cost on the ordinary cases?
  [ "$seed" = 1 ] && cells+=("standardise:supervised:8:1" "standardise:pmcm:8:1" "ramp-reference:pmcm:8:1"
                             "standardise:supervised:8:2" "standardise:supervised:8:3" "standardise:pmcm:8:2" "standardise:pmcm:8:3")
  # The standardised pair's three seeds put PMCM 2 Dice points above supervised training; supervised-all on
  # standardised data says how much of the gap to full labels that closes.
  [ "$seed" = 2 ] && cells+=("standardise:supervised:all:1")
done
# Is the standardised gain (2 Dice points) semi-supervision at all, or PMCM's network (two decoders, an SDF head)
# trained on the 8 labels alone? On the stored data that control had PMCM's Dice with better boundaries.
cells+=("standardise:pmcm-supervised-terms:8:1")
# Does PMCM's standardised gain (2 Dice points at 3000 iterations) grow with training? The baseline first; its PMCM
# partner (the grid's longest cell, about 110 minutes) comes after the cells that decide the issue, because a session's
# machine keeps only what is committed and a cell that cannot finish within the session is lost.
cells+=("standardise-6000:supervised:8:1")
# Does a larger patch (the issue's 64×64×32) give supervised training with every label, and PMCM, more room?
cells+=("standardise-64:supervised:8:1" "standardise-64:pmcm:8:1")
# The standardised pmcm-supervised-terms' first seed (84.66 %) beat every PMCM-8 seed at its best checkpoint, though
# not over its last third (79.17 % against PMCM's 81.13): whether the unlabeled scans add anything needs its seeds.
cells+=("standardise:pmcm-supervised-terms:8:2" "standardise:pmcm-supervised-terms:8:3")
# At 64×64×32 PMCM-8 passed 83 % by iteration 1100, where supervised-8 peaked at 78.24 %: whether that is the unlabeled
# scans needs PMCM's supervised part at that patch too; then the ceiling, and the pair's second seed.
cells+=("standardise-64:pmcm-supervised-terms:8:1" "standardise-64:supervised:all:1"
        "standardise-64:pmcm:8:2" "standardise-64:supervised:8:2")
# The 64×64×32 PMCM-8's first seed scored 86.17 % against supervised-8's 78.24 % there (+7.93 [+1.64, +17.02], HD95
# ratio 0.74), ahead on every validation case: the regime where the gain appears. Its third seeds and ablations,
# then the same pair on the data as stored (the issue's default row), before the other extras. Against its own
# supervised part (pmcm-supervised-terms) that PMCM-8 was +3.11 [+0.50, +6.83]: the first gain from the unlabeled terms.
# The short supervised cells (15–25 minutes) first, so that the end of a session cuts off less; then PMCM-8's third
# seed beside the ablations the issue's targets name, then the pair on the data as stored (the issue's default row),
# then the control's seeds. The control's unlabeled crops pass through its network, so its BatchNorm normalises over
# them as PMCM's does and the supervised baseline's does not: `supervised-unlabeled-bn` (the baseline given PMCM's
# batches, no loss on the unlabeled crops, about 25 minutes) measures what that alone gives.
cells+=("standardise-64:supervised:8:3" "standardise-64:supervised:all:2" "standardise-64:supervised:all:3"
        "standardise-64:pmcm:8:3" "standardise-64:pmcm-no-pml:8:1" "standardise-64:pmcm-no-cml:8:1"
        "clip-64:pmcm:8:1" "clip-64:supervised:8:1"
        "standardise-64:supervised-unlabeled-bn:8:1")
# `pmcm-no-cml`'s first seed at 64×64×32 (87.41 %, HD95 3.97) beat every PMCM-8 seed (86.03 ± 0.67 %, HD95 5.36) and
# nearly matched supervised-all: whether the cyclic half costs accuracy there needs its seeds, beside the control's.
# On the data as stored the pair's first seed met every target at 64×64×32 (+19.39 [+5.03, +37.90], HD95 ratio 0.37):
# its seeds 2–3 come with them. `supervised-unlabeled-bn`'s first seed (82.96 %) matched the control's Dice: BatchNorm
# over the unlabeled crops alone gave supervised-8 4.7 points, so its seeds come beside the control's. The issue's
# ablations (its targets name them) go before the controls' third seeds, the short cells before a PMCM one.
cells+=("standardise-64:pmcm-no-cml:8:2" "standardise-64:pmcm-supervised-terms:8:2" "standardise-64:supervised-unlabeled-bn:8:2"
        "clip-64:pmcm:8:2" "standardise-64:pmcm-no-pml:8:2" "clip-64:supervised:8:2"
        "standardise-64:pmcm-no-cml:8:3" "standardise-64:pmcm-no-pml:8:3" "clip-64:supervised:8:3"
        "standardise-64:supervised-unlabeled-bn:8:3" "clip-64:pmcm:8:3" "standardise-64:pmcm-supervised-terms:8:3")
# The issue's other rows at 64×64×32, so that every row it names has three seeds at one scale: MC-Net with 8 labels,
# supervised and PMCM with 16; first seeds first. The third seed's PMCM-16 (about 55 minutes) goes before its
# supervised-16 (about 18), so that the end of a session cuts off the short cell rather than the long one.
for seed in 1 2; do
  cells+=("standardise-64:mcnet:8:$seed" "standardise-64:supervised:16:$seed" "standardise-64:pmcm:16:$seed")
done
cells+=("standardise-64:mcnet:8:3" "standardise-64:pmcm:16:3" "standardise-64:supervised:16:3")
# The issue compares at equal training time too: at 64×64×32 supervised-8's validation peaks early (iteration 1100 on
# seed 1) and its last third averages 1.9 points below its best, so more iterations may not help it; measured, not
# assumed.
cells+=("equal-time-64:supervised:8:1")
# Does CML cost boundaries, or help them, once it moves the network? At the paper's weights it is about 1 % of
# PMCM-8's step, and without it PMCM-8's HD95 was 1.21× lower over three seeds; ten times the weights answer which
# way it pushes (compare with `pmcm compare --grid runs/la-grid-cml-x10 --row pmcm:8 --baseline-grid
# runs/la-grid-standardise-64 --baseline-row pmcm:8`, and against `pmcm-no-cml:8`).
cells+=("cml-x10:pmcm:8:1")
cells+=("standardise-6000:pmcm:8:1")
# Does the paper's PML cross-entropy (on log-probabilities, not the reference's on probabilities; ALGORITHM.md's
# quirk) add to it? An extra named row, never in place of the default one.
cells+=("pml-ce:pmcm:8:1")
# Does the gain grow where labels are scarcer (4 labels, the 5 % setting of many LA papers)?
cells+=("standardise:supervised:4:1" "standardise:pmcm:4:1")
# Which of PMCM's halves gives the standardised pair's gain; and the ceiling (standardised supervised-all, 83.96 %
# on seed 1, only 3 points above supervised-8) on three seeds.
cells+=("standardise:pmcm-no-pml:8:1" "standardise:pmcm-no-cml:8:1" "standardise:supervised:all:2" "standardise:supervised:all:3")
# Seeds 2–3 of rows on the stored data whose first seed already answered their question.
for seed in 2 3; do cells+=("equal-time:supervised:8:$seed"); done
for seed in 2 3; do cells+=("clip:pmcm-supervised-terms:8:$seed"); done
for seed in 2 3; do cells+=("pml-ce:pmcm:8:$seed"); done

# The committed reports, regenerated (and committed) after each of their grid's cells: the issue's report with its
# hand-written findings, the standardised rows' at each patch size, and the pair's on the stored data at 64×64×32.
declare -A grid_report=(
  [clip]="--rows supervised:8,pmcm:8,supervised:all,pmcm-no-pml:8,pmcm-no-cml:8,mcnet:8,supervised:16,pmcm:16,pmcm-supervised-terms:8 --report docs/results-la-cpu.md --findings docs/results-la-cpu-findings.md"
  [standardise]="--rows supervised:8,pmcm:8,supervised:all,pmcm-no-pml:8,pmcm-no-cml:8,pmcm-supervised-terms:8,supervised:4,pmcm:4 --report docs/results-la-cpu-standardise.md"
  [standardise-64]="--rows supervised:8,pmcm:8,supervised:all,pmcm-no-pml:8,pmcm-no-cml:8,mcnet:8,supervised:16,pmcm:16,pmcm-supervised-terms:8,supervised-unlabeled-bn:8 --report docs/results-la-cpu-standardise-64.md"
  [clip-64]="--rows supervised:8,pmcm:8 --report docs/results-la-cpu-64.md")

publish() {
  local grid=$1 cell=$2 src=${grid_out[$1]}/$2 dst=${grid_docs[$1]}/$2
  mkdir -p "$repo/$dst"
  cp "$src/run.json" "$src/log.csv" "$src/validation.csv" "$src/result.json" "$repo/$dst/"
  # The weights stay in the run folder (models do not belong in the repository); their digest identifies them.
  (cd "$src" && sha256sum best.pth) > "$repo/$dst/best.pth.sha256"
  (cd "$repo" && flock "${grid_out[main]}/.git.lock" sh -c \
    "git add $dst && git commit -q -m 'LA grid: $grid/$cell finished' -- $dst") || true
  report "$grid" "$grid/$cell"
}

# Regenerates and commits a grid's report, if it has one; $2 says after what, for the commit message.
report() {
  local grid=$1 after=$2
  [ -n "${grid_report[$grid]:-}" ] || return 0
  local report=${grid_report[$grid]#*--report } && report=${report%% *}
  local pictures=${report%.md}
  # report.out is the last report's output; report.log keeps every report's messages (warnings, cells scored again).
  local log=${grid_out[$grid]}/report
  # shellcheck disable=SC2086 # grid_args and grid_report hold several options
  (cd "$repo" && flock "${grid_out[main]}/.git.lock" sh -c \
    "'$pmcm' experiment ${scale[*]} ${grid_args[$grid]} --out '${grid_out[$grid]}' --seeds 1,2,3 ${grid_report[$grid]} --collect \
       > '$log.out' 2>&1; rc=\$?; { date -u +%FT%TZ; grep -v '^|' '$log.out'; } >> '$log.log'; [ \$rc = 0 ] \
       && git add $report $pictures && git commit -q -m 'LA grid: $report after $after' -- $report $pictures") || true
}

worker() {
  for spec in "${cells[@]}"; do
    IFS=: read -r grid method labeled seed <<< "$spec"
    local cell=$method-labeled$labeled-seed$seed out=${grid_out[$grid]}
    # A published result.json that differs (a report since added its largest-component scores) is published again.
    [ -f "$out/$cell/result.json" ] && { cmp -s "$out/$cell/result.json" "$repo/${grid_docs[$grid]}/$cell/result.json" || publish "$grid" "$cell"; continue; }
    mkdir -p "$out"
    exec {lock}> "$out/$cell.lock"
    if flock -n "$lock"; then
      # A run that dies (e.g. TorchSharp's scalar use-after-free, docs/performance.md) resumes from its last
      # checkpoint, up to RETRIES times, rather than leaving a hole until the grid is started again.
      for attempt in $(seq 1 "$retries"); do
        echo "$(date -u +%FT%TZ) worker $1 start $grid/$cell (attempt $attempt)"
        # shellcheck disable=SC2086 # grid_args holds several options
        "$pmcm" experiment "${scale[@]}" ${grid_args[$grid]} --out "$out" --methods "$method" --labeled "$labeled" \
          --seeds "$seed" >> "$out/$cell.out" 2>&1
        local rc=$?
        echo "$(date -u +%FT%TZ) worker $1 end $grid/$cell (exit $rc)"
        [ -f "$out/$cell/result.json" ] && { publish "$grid" "$cell"; break; }
      done
    fi
    exec {lock}>&-
  done
}

# A new machine has no runs/: each cell published under docs/ is restored into its grid's folder from its published
# small files, so that the grid goes on where it stopped instead of training finished cells again (reports need only
# those files). The models committed under docs/results-la-cpu/models/ become their cells' best.pth again where the
# digests match, so the issue's report still draws its overlays.
restore() {
  local grid=$1 cell=$2 src=$repo/${grid_docs[$1]}/$2 dst=${grid_out[$1]}/$2
  [ -f "$src/result.json" ] && [ ! -f "$dst/result.json" ] || return 0
  mkdir -p "$dst" && cp "$src/run.json" "$src/log.csv" "$src/validation.csv" "$src/result.json" "$dst/"
  echo "$(date -u +%FT%TZ) restored $grid/$cell from ${grid_docs[$grid]}"
  local model
  for model in "$repo"/docs/results-la-cpu/models/*/best.pth; do
    [ -f "$dst/best.pth" ] || [ "$(cd "$(dirname "$model")" && sha256sum best.pth)" != "$(cat "$src/best.pth.sha256")" ] \
      || { cp "$model" "$dst/best.pth" && echo "$(date -u +%FT%TZ) restored $grid/$cell/best.pth from $model"; }
  done
}

mkdir -p "${grid_out[main]}"   # publish() takes its commit lock there
for spec in "${cells[@]}"; do
  IFS=: read -r grid method labeled seed <<< "$spec"
  restore "$grid" "$method-labeled$labeled-seed$seed"
done
# Earlier versions linked the reference's supervised-8 cells into the clipped grid's folder; the clipped grid now
# trains its own, so a leftover link must not pass for a finished cell.
for seed in 1 2 3; do
  link=${grid_out[clip]}/supervised-labeled8-seed$seed
  [ -L "$link" ] && rm "$link"
done
# REPORTS_ONLY=1 regenerates every report with the given binary (after a change to the reports) and trains nothing.
if [ -n "${REPORTS_ONLY:-}" ]; then
  for grid in "${!grid_report[@]}"; do report "$grid" "a change to the reports"; done
  exit 0
fi
for w in $(seq 1 "$workers"); do worker "$w" & sleep 2; done
wait
