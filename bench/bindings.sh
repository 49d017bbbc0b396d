#!/usr/bin/env bash
# The bindings' overhead (issue 23): a Cox fit (Efron, arm + x1..x5) on N rows (default 1e5) from
# the C++ API, from Python (hazard.cox on a pandas DataFrame) and from R (hz_cox on a data frame),
# side by side on the same generated file, each the best of REPS runs (default 11) with the data
# already in memory, wall and CPU time. Writes bench/RESULTS_bindings.md (bench/run copies it into
# bench/RESULTS.md).
#   C++ API: api_time coxmodel6 = cox_model_data + cox_fit from the table in memory (what the
#            packages call), and cox6 = cox_fit alone on the model's data (bench/RESULTS.md's API);
#   Python:  bench/bindings_time.py;  R: bench/bindings_time.R (and survival's coxph for scale).
# Usage: bash bench/bindings.sh [N] [REPS]   (builds build-bench with -DHAZARD_PYTHON=ON)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
N=${1:-100000}
REPS=${2:-11}
BUILD=${HAZARD_BENCH_BUILD:-build-bench}
DATA=${HAZARD_BENCH_DATA:-/tmp/hazard-bench}
PY=/usr/bin/python3
mkdir -p "$DATA" "$BUILD"
BUILD=$(cd "$BUILD" && pwd)
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHAZARD_BUILD_BENCH=ON -DHAZARD_PYTHON=ON \
      -DPython3_EXECUTABLE=$PY >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target api_time bench_generate hazard_python hazard_python_files >/dev/null
rm -rf "$BUILD/prefix" "$BUILD/r-lib" "$BUILD/r-src"
cmake --install "$BUILD" --prefix "$BUILD/prefix" >/dev/null
mkdir -p "$BUILD/r-lib"
cp -r r "$BUILD/r-src"
HAZARD_PREFIX=$BUILD/prefix R CMD INSTALL --no-test-load -l "$BUILD/r-lib" "$BUILD/r-src" >"$BUILD/r-install.log" 2>&1
FILE=$DATA/bindings_$N.csv
[ -s "$FILE" ] || "$BUILD/bench/bench_generate" "$N" 1 "$FILE"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A t
# three rounds, alternating the three front ends, so that the machine's other work falls on all
for round in 1 2 3; do
  while read -r k v; do t[$k]=$(printf '%s\n%s\n' "${t[$k]:-1e9}" "$v" | sort -g | head -1); done \
    < <(HAZARD_BENCH_CPU=1 "$BUILD/bench/api_time" "$FILE" cox6,coxmodel6 "$REPS"
        PYTHONPATH=$BUILD/python $PY bench/bindings_time.py "$FILE" "$REPS"
        R_LIBS=$BUILD/r-lib Rscript bench/bindings_time.R "$FILE" "$REPS" $([ "$round" = 1 ] && echo coxph))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f%%", 100 * (a / b - 1) }'; }
row() {  # LABEL CALL KEY
  echo "| $1 | $2 | ${t[$3]} | $(pct "${t[$3]}" "${t[coxmodel6]}") | ${t[$3.cpu]} | $(pct "${t[$3.cpu]}" "${t[coxmodel6.cpu]}") |"
}
out=bench/RESULTS_bindings.md
{
  echo "Produced by \`bash bench/bindings.sh $N $REPS\` on $(date -u '+%Y-%m-%d %H:%M') UTC, commit $(git rev-parse --short=12 HEAD),"
  echo "$(nproc) cores, load average $load_before (before) / $load_after (after)."
  echo "Data: \`bench_generate $N 1\` (arm 2:1 as text, five normal covariates, ~30% censored, ties); model"
  echo "\`Surv(time, status) ~ arm + x1 + ... + x5\`, Efron ties. Each time is the best of $REPS calls in each of"
  echo "three rounds that alternate the three front ends, with the data already in memory (the CSV read is"
  echo "not timed): wall time, and the process's CPU time (all threads; it moves less than wall time when"
  echo "other work shares the cores)."
  echo
  echo "| front end | call | wall s | vs C++ | CPU s | vs C++ |"
  echo "|---|---|---|---|---|---|"
  row "C++ API" "\`cox_model_data(table, spec)\` + \`cox_fit\` (api_time coxmodel6)" coxmodel6
  row "Python" "\`hazard.cox(df, time=, event=, group=\"arm\", covariates=[...])\`" python_cox6
  row "R" "\`hz_cox(Surv(time, status) ~ arm + x1 + ... + x5, data = d)\`" r_cox6
  echo
  echo "The C++ row is the library call the packages make, from a table in memory. \`cox_fit\` alone on the"
  echo "model's data already built (bench/RESULTS.md's \"C++ API\", api_time cox6): ${t[cox6]} s wall, ${t[cox6.cpu]} s CPU;"
  echo "Python's conversion of the DataFrame's columns alone: ${t[python_columns]} s; survival's \`coxph\` on the same"
  echo "data frame: ${t[r_coxph6]:-n/a} s. The arm's coefficient from Python $(printf '%.15g' "${t[python_coef]}"), from R $(printf '%.15g' "${t[r_coef]}")."
} >"$out"
cat "$out"
