#!/usr/bin/env bash
# Issue 27: whole `hazard` commands (read included) side by side with R, in one run, and the CSV
# read throughput. Writes bench/RESULTS_read.md (and prints it). Not part of the test run.
#
# For each command: hazard's whole command (process start, memory-mapped CSV read of the used
# columns, validation, fit, output to /dev/null) and R 4.2.2 + survival's fit alone on the data
# frame already in memory (as issue 6's table), interleaved run by run (bench/side_by_side.py with
# bench/r_serve.R: an R fit, then two hazard runs, the first timed apart as the "first run after
# R's fit"), best of 5 on each side (3 at 1e7), and hazard's largest peak resident set;
# then R's whole user path inside one R process (R's own start-up not counted):
# data.table::fread or utils::read.csv, the factor, the fit and print() of the result, best of 3
# (2 at 1e7). Read throughput: api_time's `readall` task
# (read_data of every column of a numeric CSV: time, status, x1..x5) in MB/s of file. By format
# (1e6 only): `logrank` on the same data as CSV, Dataset-JSON v1.1 and Dataset-NDJSON.
#
# Usage: bash bench/read_path.sh [--quick]     (--quick: 1e6 only)
# Environment: HAZARD_BENCH_DATA (default /tmp/hazard-bench), HAZARD_BENCH_BUILD (default build-bench).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
cd "$SRC"
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
DATA=${HAZARD_BENCH_DATA:-/tmp/hazard-bench}
BUILD=${HAZARD_BENCH_BUILD:-build-bench}
OUT=bench/RESULTS_read.md
mkdir -p "$DATA"
bash scripts/bootstrap
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DHAZARD_BUILD_BENCH=ON >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target hazard api_time bench_generate >/dev/null
H="$BUILD/hazard"

gen() { [ -s "$1" ] || "$BUILD/bench/bench_generate" "$2" 1 "$1"; }
# "seconds peak_kB": the best wall time of 3 runs, the largest peak RSS
measure() {
  python3 - "$@" <<'PY'
import resource, subprocess, sys, time
best = float("inf")
for _ in range(3):
    t0 = time.perf_counter()
    subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
    best = min(best, time.perf_counter() - t0)
print(f"{best:.4g} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}")
PY
}
# R's whole path: "fread_seconds read.csv_seconds" (read.csv skipped at 1e7: "NA")
r_whole() {  # r_whole FILE TASK REPS WITH_READCSV
  Rscript - "$SRC/bench/r_tasks.R" "$@" <<'R'
suppressPackageStartupMessages({ library(survival); library(data.table) })
a <- commandArgs(trailingOnly = TRUE)
source(a[1])
f <- a[2]; task <- a[3]; reps <- as.integer(a[4]); with_csv <- a[5] == "1"
fit <- function(d) capture.output(print(fit_task(task, as_arm(d))))
best <- function(read) {
  t <- Inf
  for (i in seq_len(reps)) { gc(); t <- min(t, system.time(fit(read(f)))[["elapsed"]]) }
  t
}
tf <- best(function(f) fread(f, showProgress = FALSE, nThread = 2))
tc <- if (with_csv) best(utils::read.csv) else NA
cat(tf, tc, "\n")
R
}

SIZES=(1000000)
((QUICK)) || SIZES+=(10000000)
RAW=$DATA/read_path.tsv
: > "$RAW"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for n in "${SIZES[@]}"; do
  f=$DATA/surv_$n.csv
  gen "$f" "$n"
  mb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$f")
  reps=5; ((n >= 10000000)) && reps=3
  wreps=3; ((n >= 10000000)) && wreps=2
  tasks="survfit survdiff"; ((n <= 1000000)) && tasks="$tasks cox6"
  for task in $tasks; do
    echo "bench: $task n = $n" >&2
    case $task in
      survfit) cmd=("$H" km --data "$f" --time time --event status --group arm --ref control) ;;
      survdiff) cmd=("$H" logrank --data "$f" --time time --event status --group arm --ref control) ;;
      cox6) cmd=("$H" cox --data "$f" --time time --event status --group arm --ref control
                 --covariates x1,x2,x3,x4,x5) ;;
    esac
    read -r hs rfit kb hfirst < <(python3 bench/side_by_side.py "$f" "$task" "$reps" -- "${cmd[@]}")
    csv=1; ((n >= 10000000)) && csv=0
    read -r rfread rcsv < <(r_whole "$f" "$task" "$wreps" "$csv")
    # used columns in memory (R's representation: doubles, the factor as 4-byte codes)
    case $task in cox6) used=$((n * (8 + 8 + 4 + 5 * 8))) ;; *) used=$((n * (8 + 8 + 4))) ;; esac
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$task" "$n" "$mb" "$hs" "$kb" "$rfit" "$rfread" "$rcsv" "$used" "$hfirst" >> "$RAW"
  done
  # numeric CSV read throughput
  num=$DATA/numeric_$n.csv
  [ -s "$num" ] || cut -d, -f2,3,5- "$f" > "$num"
  nmb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$num")
  read -r _ rs < <("$BUILD/bench/api_time" "$num" readall 5)
  printf 'readall\t%s\t%s\t%s\n' "$n" "$nmb" "$rs" >> "$RAW"
  # the same data as Dataset-JSON v1.1 and Dataset-NDJSON: `logrank --group arm`, whole command
  if ((n <= 1000000)); then
    dj=$DATA/surv_$n.json
    nd=$DATA/surv_$n.ndjson
    [ -s "$dj" ] || awk -v types=integer,double,integer,string,double,double,double,double,double \
                        -f tests/tools/csv_to_dataset_json.awk "$f" > "$dj"
    [ -s "$nd" ] || sed -e '1s/,"rows":\[$/}/' -e 's/^\(\[.*\]\),$/\1/' -e '/^\],"records":/d' "$dj" > "$nd"
    for g in "$f" "$dj" "$nd"; do
      echo "bench: logrank ${g##*.} n = $n" >&2
      gmb=$(python3 -c "import os,sys; print(os.path.getsize(sys.argv[1]) / 1e6)" "$g")
      read -r gs gkb < <(measure "$H" logrank --data "$g" --time time --event status --group arm --ref control)
      printf 'format\t%s\t%s\t%s\t%s\t%s\n' "${g##*.}" "$n" "$gmb" "$gs" "$gkb" >> "$RAW"
    done
  fi
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$RAW" "$OUT" "$load_before" "$load_after" "$(nproc)" "$QUICK" <<'PY'
import sys, platform, subprocess
raw, out, lb, la, cores, quick = sys.argv[1:]
rows = [l.rstrip("\n").split("\t") for l in open(raw) if l.strip()]
label = {"survfit": "`km --group arm`", "survdiff": "`logrank --group arm`",
         "cox6": "`cox --group arm --covariates x1,...,x5`"}
target = {"survfit": {1000000: 10, 10000000: 20}, "survdiff": {1000000: 10, 10000000: 20},
          "cox6": {1000000: 10}}
def rver():
    try:
        return subprocess.run(["Rscript", "-e", "cat(R.version.string, 'survival', as.character(packageVersion('survival')), 'data.table', as.character(packageVersion('data.table')))"],
                              capture_output=True, text=True).stdout.strip()
    except Exception:
        return "R"
L = []
L.append("# Whole commands vs R, read path included (issue 27)\n")
L.append(f"Written by `bash bench/read_path.sh{' --quick' if quick == '1' else ''}` (one run; every number below "
         f"comes from that run). Machine: {cores} cores, {platform.processor() or platform.machine()}; "
         f"load average before {lb}, after {la}. {rver()}.\n")
L.append("hazard: the whole command (process start, CSV read of the used columns, validation, fit, default "
         "text output); peak RSS is the largest of its runs. R fit alone: the call on the data frame "
         "already in memory. The two alternate run by run (`bench/side_by_side.py`, `bench/r_serve.R`: "
         "R fits once, then hazard runs twice; 5 rounds at 1e6, 3 at 1e7), so both sides see the same "
         "machine conditions, and each side's best wall-clock time is shown. hazard's time is the best "
         "of its second runs (each after an untimed warm-up run, as a benchmark tool's warm-up); its "
         "first run after each R fit is shown apart (\"hazard first run\"): on this VM memory a process "
         "frees goes back to the host within seconds, so a process that starts after R's fit pays more "
         "for each fresh page, while R's fits reuse the memory of the warm R process. R whole path: in one R process "
         "(R's start-up not counted), `data.table::fread` (2 threads) or `read.csv`, the factor, the fit "
         "and `print()`, best of 3 (2 at 1e7). Ratios are R's time over hazard's.\n")
L.append("| command | n | file MB | hazard s | R fit alone s | ratio (target) | hazard first run s (ratio) | R fread+fit+print s | ratio | R read.csv+fit+print s | ratio | peak RSS MB | used columns MB | RSS / used |")
L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    if r[0] in ("readall", "format"):
        continue
    task, n, mb, hs, kb, rfit, rfr, rcsv, used, hfirst = r
    n = int(n); hs = float(hs); kb = float(kb); used = float(used)
    def ratio(x):
        try:
            x = float(x)
        except ValueError:
            return "", ""
        if x != x:
            return "-", "-"
        return f"{x:.3g}", f"{x / hs:.1f}x"
    f1, r1 = ratio(rfit); f2, r2 = ratio(rfr); f3, r3 = ratio(rcsv)
    t = target.get(task, {}).get(n)
    first = f"{float(hfirst):.3g} ({float(rfit) / float(hfirst):.1f}x)"
    L.append(f"| {label[task]} | {n:,} | {float(mb):.0f} | {hs:.3g} | {f1} | {r1} (>= {t}x) | {first} | {f2} | {r2} | {f3} | {r3} | "
             f"{kb / 1024:.0f} | {used / 2**20:.0f} | {kb * 1024 / used:.2f} |")
L.append("")
L.append("Read throughput (numeric CSV: time, status, x1..x5; `api_time FILE readall`: read_data of every "
         "column, both cores, best of 5):\n")
L.append("| n | file MB | seconds | MB/s (target >= 500) |")
L.append("|---|---|---|---|")
for r in rows:
    if r[0] != "readall":
        continue
    _, n, mb, s = r
    L.append(f"| {int(n):,} | {float(mb):.0f} | {float(s):.3g} | {float(mb) / float(s):.0f} |")
L.append("")
L.append("Read path by format (the same data as CSV, Dataset-JSON v1.1 and Dataset-NDJSON; `logrank --group arm`, "
         "whole command, best of 3; Dataset-JSON rows parsed by simdjson On-Demand in 1 MB windows):\n")
L.append("| format | n | file MB | seconds | MB/s | peak RSS MB |")
L.append("|---|---|---|---|---|---|")
for r in rows:
    if r[0] != "format":
        continue
    _, fmt, n, mb, s, kb = r
    L.append(f"| {fmt} | {int(n):,} | {float(mb):.0f} | {float(s):.3g} | {float(mb) / float(s):.0f} | {float(kb) / 1024:.0f} |")
L.append("")
open(out, "w").write("\n".join(L) + "\n")
PY
cat "$OUT"
