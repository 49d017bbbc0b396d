#!/usr/bin/env bash
# Issue 26: km, logrank and cox over files read by MPI ranks, side by side with one process on one
# file (docs/scale.md, "Measured here"). Not part of the test run.
#
# Data: bench_generate's 1e6-row survival CSV (time, status, arm, x1..x5), cut into two files of
# 5e5 rows; and the same with the times rounded up to whole days (time x 30.4375), which makes the
# frequency tables small. Each cell: the best of 3 wall-clock seconds, mpirun's start included.
# Usage: bash bench/mpi_scale.sh     Environment: HAZARD_BENCH_DATA (default /tmp/hazard-bench),
# HAZARD_BENCH_BUILD (default build-bench, configured with -DHAZARD_MPI=ON).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
DATA=${HAZARD_BENCH_DATA:-/tmp/hazard-bench}
BUILD=${HAZARD_BENCH_BUILD:-build-bench}
mkdir -p "$DATA/cont" "$DATA/days"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHAZARD_BUILD_BENCH=ON -DHAZARD_MPI=ON >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target hazard bench_generate >/dev/null
H="$BUILD/hazard"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
export OMPI_MCA_btl=self,vader OMPI_MCA_btl_vader_single_copy_mechanism=none
whole=$DATA/surv_1000000.csv
[ -s "$whole" ] || "$BUILD/bench/bench_generate" 1000000 1 "$whole"
awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $2 = int($2 * 30.4375) + 1; print }' "$whole" > "$DATA/days_1000000.csv"
split_two() {  # split_two CSV DIR: DIR/part-p00.csv, DIR/part-p01.csv
  head -1 "$1" > "$2/h"
  tail -n +2 "$1" | split -n l/2 -d - "$2/p" 2>/dev/null || { tail -n +2 "$1" > "$2/body"; split -n l/2 -d "$2/body" "$2/p"; rm "$2/body"; }
  for f in "$2"/p0?; do cat "$2/h" "$f" > "$2/part-$(basename "$f").csv"; rm "$f"; done
  rm "$2/h"
}
split_two "$whole" "$DATA/cont"
split_two "$DATA/days_1000000.csv" "$DATA/days"
best() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
best = float("inf")
for _ in range(3):
    t = time.perf_counter()
    r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode != 0: sys.exit(f"failed: {' '.join(sys.argv[1:])}")
    best = min(best, time.perf_counter() - t)
print(f"{best:.2f}")
PY
}
echo "| command | one file | two files, one process | mpirun -np 1 | mpirun -np 2 |"
echo "|---|---|---|---|---|"
for kind in cont days; do
  one=$whole; [ "$kind" = days ] && one=$DATA/days_1000000.csv
  for cmd in "km --time time --event status --group arm --summary" "logrank --time time --event status --group arm --json" \
             "cox --time time --event status --group arm --covariates x1,x2,x3,x4,x5 --json"; do
    # shellcheck disable=SC2086
    echo "| $kind: $cmd | $(best $H $cmd --data "$one") | $(best $H $cmd --data "$DATA/$kind/part-*.csv") |" \
         "$(best mpirun -np 1 $H $cmd --data "$DATA/$kind/part-*.csv") | $(best mpirun -np 2 $H $cmd --data "$DATA/$kind/part-*.csv") |"
  done
done
