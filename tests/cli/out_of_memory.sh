#!/usr/bin/env bash
# Out of memory at any allocation of the work gives exit 1 and a message, never an abort (issue 19,
# "no input crashes the program"). The shim tests/tools/fail_alloc.cpp (LD_PRELOAD, path in
# HAZARD_FAIL_ALLOC) makes every allocation fail from the N-th on, as memory that has run out;
# each N is tried in turn:
#  - every allocation made on a worker thread (the CSV reader's chunk threads, the two-thread
#    passes): an exception escaping a thread ends the program with std::terminate (session 16 saw
#    one: `hazard km` under `ulimit -v 40000` aborted with an uncaught std::bad_alloc);
#  - every allocation on the main thread from the point where the command starts reading its data
#    (the count of a run whose --data does not exist, less a margin) to the end of the run (km on
#    the whole file, logrank and cox on its first 20,000 rows, to save time). Before
#    that the program builds its command-line parser (CLI11, which checks flag names in noexcept
#    functions that copy vectors): out of memory there, in the first ~2 MB of the program's life,
#    cannot be reported.
# The independent truth: exit 0 (the failing allocation was not needed) or exit 1 with "out of
# memory" on stderr; any other exit (134 = abort, 139 = segfault) fails.
# Usage: out_of_memory.sh /path/to/hazard (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped (a sanitizer build: its runtime
# replaces malloc and must come first, so the shim is not built).
set -u
hazard=$1
shim=${HAZARD_FAIL_ALLOC:-}
if [ "${HAZARD_SANITIZED:-0}" = 1 ] || [ -z "$shim" ] || [ ! -f "$shim" ]; then
  echo "skip: no allocation-failure shim (sanitizer build)"; exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }

# 350,000 rows, 9.8 MB: above the CSV reader's 8 MiB, so it reads in chunks on two threads
awk 'BEGIN { srand(7); print "TRT01P,SEX,AVAL,CNSR,AGE,X1"
             for (i = 1; i <= 350000; i++) printf "%s,%s,%.4f,%d,%d,%.3f\n", (rand() < 0.5 ? "Placebo" : "Drug X"), (rand() < 0.5 ? "M" : "F"), -log(rand()) * 12, (rand() < 0.3), 40 + int(rand() * 40), rand() }' >"$tmp/d.csv"

# count THREADS CMD...: the number of allocations CMD makes (on worker threads only if THREADS=1)
count() {
  local threads=$1; shift
  HAZARD_FAIL_THREADS=$threads HAZARD_FAIL_COUNT="$tmp/count" LD_PRELOAD="$shim" "$@" >/dev/null 2>&1
  cat "$tmp/count"
}

# sweep NAME THREADS FROM TO CMD...: CMD with allocations FROM..TO-1 failing in turn
sweep() {
  local name=$1 threads=$2 from=$3 to=$4; shift 4
  local n rc tried=0 aborted=0 first=""
  for ((n = from; n < to; n++)); do
    # (in a subshell: its shell, not this one, reports an abort, into the error file)
    (HAZARD_FAIL_THREADS=$threads HAZARD_FAIL_AT=$n LD_PRELOAD="$shim" "$@") >/dev/null 2>"$tmp/err"
    rc=$?
    tried=$((tried + 1))
    if ! { [ $rc = 0 ] || { [ $rc = 1 ] && grep -q "out of memory" "$tmp/err"; }; }; then
      aborted=$((aborted + 1))
      [ -z "$first" ] && first="allocation $n: exit $rc: $(head -c 200 "$tmp/err" | tr '\n' ' ')"
    fi
  done
  if [ $tried -lt 10 ]; then bad "$name: only $tried allocations to fail (the shim did not count?)"
  elif [ $aborted = 0 ]; then ok "$name: $tried failing allocations, each exit 0 or 1 with 'out of memory'"
  else bad "$name: $aborted of $tried failing allocations did not end with 'out of memory'; first: $first"; fi
}

# the first 20,000 rows: the main thread's allocations of logrank and cox are swept on these
# (a tenth of the time; km's are swept on the whole file, read in chunks)
head -20001 "$tmp/d.csv" >"$tmp/small.csv"

for cmd in "km --group TRT01P" "logrank --group TRT01P" "cox --covariates TRT01P,AGE,X1,SEX"; do
  set -- $cmd
  sub=$1; shift
  run=("$hazard" "$sub" --data "$tmp/d.csv" --time AVAL --cnsr CNSR "$@")
  threads=$(count 1 "${run[@]}")
  sweep "$sub, worker threads" 1 0 "$threads" "${run[@]}"
  [ "$sub" = km ] || run=("$hazard" "$sub" --data "$tmp/small.csv" --time AVAL --cnsr CNSR "$@")
  start=$(count 0 "$hazard" "$sub" --data "$tmp/none.csv" --time AVAL --cnsr CNSR "$@")
  total=$(count 0 "${run[@]}")
  sweep "$sub, main thread from the read on ($(basename "${run[3]}"))" 0 $((start - 100)) "$total" "${run[@]}"
done

# Dataset-JSON (simdjson's fast path, nlohmann's SAX handler for the metadata): km, the worker
# threads on the whole file, the main thread on its first 20,000 rows. (nlohmann::json destroys a
# non-empty array or object through a vector it allocates, in a noexcept destructor; simdjson
# chooses its implementation at first use, allocating in a noexcept function: both aborted here.)
awk -v types=string,string,double,integer,integer,double -f "${HAZARD_SOURCE_DIR:?}/tests/tools/csv_to_dataset_json.awk" "$tmp/d.csv" >"$tmp/d.json"
awk -v types=string,string,double,integer,integer,double -f "${HAZARD_SOURCE_DIR:?}/tests/tools/csv_to_dataset_json.awk" "$tmp/small.csv" >"$tmp/small.json"
run=("$hazard" km --data "$tmp/d.json" --time AVAL --cnsr CNSR --group TRT01P)
sweep "km on Dataset-JSON, worker threads" 1 0 "$(count 1 "${run[@]}")" "${run[@]}"
run=("$hazard" km --data "$tmp/small.json" --time AVAL --cnsr CNSR --group TRT01P)
start=$(count 0 "$hazard" km --data "$tmp/none.json" --time AVAL --cnsr CNSR --group TRT01P)
sweep "km on Dataset-JSON, main thread from the read on (small.json)" 0 $((start - 100)) "$(count 0 "${run[@]}")" "${run[@]}"

exit $fail
