#!/usr/bin/env bash
# The large cases of issue 19 under a memory limit (ulimit -v) and a time limit: the stage "limits"
# of scripts/test (and so of CI). tests/cli/limits.sh and tests/cli/input.sh run the same kinds of
# input at small sizes in the ordinary suite; this script runs them at the sizes the issue names:
#   * a 1,000,000-column header (CSV and Dataset-JSON) read in < 5 s of CPU;
#   * a 10,000-level --group (a subject identifier given by mistake) refused (exit 3) in < 2 s of CPU
#     by logrank and cox, in 10,000 rows (one level per row) and in 100,000 rows;
#   * a ~300 MB Dataset-JSON file read by `hazard km` with a peak resident memory at most 2x that of
#     the same data read as CSV, with the same output; under a 300 MB limit both end with exit 1 and
#     "out of memory" naming the file (never a signal);
#   * `hazard simulate --reps 1e7` with a peak below 100 MB (small trials, --n 8 and 4 events, so that
#     1e7 trials take about 5 s of CPU; 1e5 trials are run too, for comparison);
#   * `hazard cox --newdata` with 20,000 rows (20,000 curves, text and --json) below 100 MB;
#   * `hazard reconstruct` refusing an at-risk count of 1e15 at once (exit 3), and rebuilding
#     10,000,000 patients (its cap) in bounded time.
# Every case must end with its expected exit code: a run ended by a signal (exit >= 128, e.g. an
# abort on out of memory), a timeout or a limit exceeded fails the stage with a line saying which.
#
# Limits: the time limits are on CPU time (user + system, from /usr/bin/time), because this stage
# runs on shared machines where wall time varies 2-3x; each run is also stopped by `timeout` after a
# wall time of 4x its CPU limit + 30 s (a hang, e.g. blocked on a read, uses no CPU). Memory: every
# run is under `ulimit -v` (address space; generous, so that a run that grows without bound ends
# with bad_alloc -> exit 1 instead of taking the machine) and the peak resident set size ("Maximum
# resident set size" of /usr/bin/time, package `time`) is checked where the issue gives a bound.
# MALLOC_ARENA_MAX=2: glibc reserves 64 MB of address space per thread arena, which ulimit -v counts;
# without it the address-space limits would depend on the number of cores.
#
# Measured on the 2-core development VM (Release build, issue 19's final main), two runs of the whole
# stage: 41 s wall on a quiet machine (10 s of it generating the inputs), 90 s while other jobs used
# both cores (wall time ~2.5x the CPU time). Per case: CPU time (range over the runs), wall time of the
# quiet run, peak RSS; limits: CPU time, ulimit -v, and the peak RSS where the issue gives one:
#   case                                            exit  CPU s      wall s  peak RSS      limits
#   1e6-column header, CSV (km)                       0   0.5-0.6    1.1     109 MB        5 s, 1 GB
#   1e6-column header, Dataset-JSON (km)              0   1.8        2.2     218 MB        5 s, 1 GB
#   10,000 levels in 10,000 rows, logrank / cox       3   0.01/0.00  0.01    15 / 14 MB    2 s, 512 MB
#   10,000 levels in 100,000 rows, logrank / cox      3   0.10/0.11  0.11    36 MB         2 s, 512 MB
#   230 MB CSV, 10.5 M rows (km)                      0   2.4-4.3    4.0     635 MB        60 s, 2 GB
#   303 MB Dataset-JSON, the same rows (km)           0   7.0-8.4    7.0     632 MB        60 s, 2 GB, <= 2x CSV
#     (JSON/CSV peak ratio 0.99-1.00; the same km output)
#   the CSV / the JSON under ulimit -v 300 MB         1   0.18/0.00  0.26    245 / 12 MB   10 s
#   simulate --reps 1e5 / 1e7 (--n 8, 4 events)       0   0.05/4.7   4.9     13 / 24 MB    120 s, 256 MB, 100 MB
#   cox --newdata 20,000 rows, text / --json          0   3.9/4.3    4.0/4.6 13 / 13 MB    60 s, 256 MB, 100 MB
#   reconstruct n_risk 1e15                           3   0.00       0.01    13 MB         2 s, 256 MB
#   reconstruct n_risk 10,000,000 (the cap)           0   1.2-1.9    1.3     337 MB        30 s, 1 GB
# 1e7 simulated trials take 5 s with trials of 8 patients (with 24 patients and 16 events, about
# 40 s on 2 cores: too long for this stage). Memory is bounded, not strictly flat: 13 MB at 1e5
# trials, ~24 MB at 1e6 and 1e7 (the bounded windows of the HR quantiles), against 1.4 GB at 1e7
# before the fix.
#
# Usage: bash tests/limits/run.sh /path/to/hazard   (exit 0: every case within its limits)
set -u
hazard=${1:?usage: run.sh HAZARD_BINARY}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hazard-limits.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export MALLOC_ARENA_MAX=2
fail=0
stage_start=$(date +%s)
gen=0  # seconds spent generating inputs
# generated SINCE: adds the wall time since SINCE (date +%s.%N) to $gen, the time spent writing inputs
generated() { gen=$(awk -v g="$gen" -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", g + e - s }'); }

if [ ! -x /usr/bin/time ]; then
  echo "FAIL limits: /usr/bin/time is missing (Debian package 'time', installed by scripts/bootstrap)"
  exit 1
fi
if [ -n "${ASAN_OPTIONS:-}" ]; then
  echo "FAIL limits: run this stage on the Release build, not under AddressSanitizer (ulimit -v)"
  exit 1
fi

# run NAME CODE CPU_LIMIT_S VMEM_MB RSS_LIMIT_MB PATTERN ARGS...
#   runs `hazard ARGS` under ulimit -v VMEM_MB and timeout; fails unless it ends with CODE within
#   CPU_LIMIT_S seconds of CPU, with a peak resident set below RSS_LIMIT_MB ("-": not checked) and a
#   line of standard error matching PATTERN (grep -E; "-": not checked). Standard output goes to
#   $out (default $tmp/out), standard error to $tmp/err; sets $rss_kb, $cpu and $wall.
out=$tmp/out
run() {
  local name=$1 code=$2 cpu_limit=$3 vmem=$4 rss_limit=$5 pattern=$6; shift 6
  local wall_limit=$((cpu_limit * 4 + 30)) rc t
  (
    ulimit -v $((vmem * 1024)) || exit 99
    exec /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" timeout -k 5 "$wall_limit" "$hazard" "$@"
  ) >"$out" 2>"$tmp/err"
  rc=$?
  t=$(tail -1 "$tmp/time" 2>/dev/null)
  wall=$(echo "$t" | awk '{ print $1 }')
  cpu=$(echo "$t" | awk '{ printf "%.2f", $2 + $3 }')
  rss_kb=$(echo "$t" | awk '{ print $4 }')
  local figures="$cpu s CPU ($wall s wall), peak $((${rss_kb:-0} / 1024)) MB"
  local limits="limits: $cpu_limit s CPU, ulimit -v $vmem MB"
  [ "$rss_limit" != - ] && limits="$limits, peak $rss_limit MB"
  if [ "$rc" = 99 ]; then
    echo "FAIL $name: ulimit -v $vmem MB could not be set"; fail=1
  elif [ "$rc" = 124 ] || { [ "$rc" = 137 ] && awk -v w="$wall" -v l="$wall_limit" 'BEGIN { exit !(w >= l) }'; }; then
    echo "FAIL $name: no answer within $wall_limit s of wall time (stopped by timeout; $limits)"; fail=1
  elif [ "$rc" -ge 128 ]; then
    echo "FAIL $name: ended by signal $((rc - 128)) ($(grep -m1 'terminated by signal' "$tmp/time")); $figures; stderr: $(head -c 300 "$tmp/err")"
    fail=1
  elif [ "$rc" != "$code" ]; then
    echo "FAIL $name: exit $rc, expected $code; $figures; stderr: $(head -c 300 "$tmp/err")"; fail=1
  elif awk -v c="$cpu" -v l="$cpu_limit" 'BEGIN { exit !(c >= l) }'; then
    echo "FAIL $name: $cpu s of CPU, over the limit of $cpu_limit s ($wall s wall)"; fail=1
  elif [ "$rss_limit" != - ] && [ "$rss_kb" -ge $((rss_limit * 1024)) ]; then
    echo "FAIL $name: peak memory $((rss_kb / 1024)) MB, over the limit of $rss_limit MB"; fail=1
  elif [ "$pattern" != - ] && ! grep -Eq -- "$pattern" "$tmp/err"; then
    echo "FAIL $name: exit $rc but standard error does not match /$pattern/: $(head -c 300 "$tmp/err")"; fail=1
  else
    echo "ok   $name: exit $rc, $figures ($limits)"
    return 0
  fi
  return 1
}
bad() { echo "FAIL $*"; fail=1; }

# ---- 1. a 1,000,000-column header: the duplicate-name check is linear (it took 17 minutes) ----
t0=$(date +%s.%N)
seq -f 'c%.0f' 1 1000000 | paste -sd, >"$tmp/wide.csv"
yes 1 | head -n 1000000 | paste -sd, >>"$tmp/wide.csv"
awk 'BEGIN { printf "{\"columns\":["; for (i = 1; i <= 1000000; i++) printf "%s{\"name\":\"c%d\",\"dataType\":\"integer\"}", (i > 1 ? "," : ""), i
             printf "],\"rows\":[["; for (i = 1; i <= 1000000; i++) printf "%s1", (i > 1 ? "," : ""); print "]]}" }' >"$tmp/wide.json"
generated "$t0"
for x in csv json; do
  run "1e6-column $x header (km)" 0 5 1024 - - km --data "$tmp/wide.$x" --time c1 --event c2 --json &&
    { grep -q '"n": 1' "$out" || bad "1e6-column $x header: the one row is not analysed (no \"n\": 1)"; }
done
rm -f "$tmp/wide.csv" "$tmp/wide.json"

# ---- 2. a 10,000-level group (--group USUBJID by mistake) is refused at once, before any test ----
# 100,000 rows: USUBJID unique, SITE with 10,000 levels of 10 rows each (not more than half the rows:
# refused by the limit of 1,000 levels alone). The 10,000-row file is the first 10,000 rows.
t0=$(date +%s.%N)
awk 'BEGIN { srand(1); print "USUBJID,AVAL,CNSR,ARM,SITE"
  for (i = 0; i < 100000; i++) printf "S%07d,%.3f,%d,%s,SITE%05d\n", i, -log(1 - rand()) * 10, rand() < 0.3, (i % 2 ? "A" : "B"), i % 10000 }' \
  >"$tmp/lv.csv"
head -10001 "$tmp/lv.csv" >"$tmp/ids.csv"
generated "$t0"
for cmd in logrank cox; do
  run "$cmd --group USUBJID, 10,000 levels in 10,000 rows" 3 2 512 - \
    "column 'USUBJID': the group \(--group\) has 10000 levels in 10000 analysed rows, more than the limit of 1000" \
    $cmd --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group USUBJID
  run "$cmd --group SITE, 10,000 levels in 100,000 rows" 3 2 512 - \
    "column 'SITE': the group \(--group\) has 10000 levels in 100000 analysed rows, more than the limit of 1000" \
    $cmd --data "$tmp/lv.csv" --time AVAL --cnsr CNSR --group SITE
done
rm -f "$tmp/lv.csv" "$tmp/ids.csv"

# ---- 3. a 300 MB Dataset-JSON file is read as a stream: peak memory <= 2x the CSV's ----
# One awk pass writes the same 10,500,000 rows as CSV and as Dataset-JSON v1.1 (the format of
# tests/tools/csv_to_dataset_json.awk).
t0=$(date +%s.%N)
awk -v csv="$tmp/big.csv" -v json="$tmp/big.json" 'BEGIN {
  srand(7); n = 10500000
  print "TRT01P,SEX,AVAL,CNSR,AGE" >csv
  printf "{\"datasetJSONCreationDateTime\":\"2024-01-01T00:00:00\",\"datasetJSONVersion\":\"1.1.0\"," >json
  printf "\"itemGroupOID\":\"IG.T\",\"name\":\"T\",\"label\":\"test data\",\"records\":%d,\"columns\":[", n >json
  printf "{\"itemOID\":\"IT.TRT01P\",\"name\":\"TRT01P\",\"dataType\":\"string\"},{\"itemOID\":\"IT.SEX\",\"name\":\"SEX\",\"dataType\":\"string\"}," >json
  printf "{\"itemOID\":\"IT.AVAL\",\"name\":\"AVAL\",\"dataType\":\"double\"},{\"itemOID\":\"IT.CNSR\",\"name\":\"CNSR\",\"dataType\":\"integer\"}," >json
  printf "{\"itemOID\":\"IT.AGE\",\"name\":\"AGE\",\"dataType\":\"integer\"}],\"rows\":[\n" >json
  for (i = 1; i <= n; i++) {
    trt = rand() < 0.5 ? "Placebo" : "Drug X"; sex = rand() < 0.5 ? "M" : "F"
    aval = sprintf("%.4f", -log(1 - rand()) * 12); cnsr = rand() < 0.3; age = 40 + int(rand() * 40)
    printf "%s,%s,%s,%d,%d\n", trt, sex, aval, cnsr, age >csv
    printf "%s[\"%s\",\"%s\",%s,%d,%d]", (i > 1 ? ",\n" : ""), trt, sex, aval, cnsr, age >json
  }
  print "\n]}" >json }'
generated "$t0"
json_mb=$(($(stat -c %s "$tmp/big.json") / 1000000)); csv_mb=$(($(stat -c %s "$tmp/big.csv") / 1000000))
[ "$json_mb" -ge 300 ] || bad "the Dataset-JSON file has $json_mb MB, not 300"
KM=(--time AVAL --cnsr CNSR --group TRT01P)
for x in csv json; do
  out=$tmp/km.$x
  run "km on the $([ $x = json ] && echo "$json_mb MB Dataset-JSON" || echo "$csv_mb MB CSV") file" 0 60 2048 1536 - \
    km --data "$tmp/big.$x" "${KM[@]}"
  if [ $x = csv ]; then rss_csv=${rss_kb:-0}; else rss_json=${rss_kb:-0}; fi
done
out=$tmp/out
if [ "$rss_json" -gt 0 ] && [ "$rss_csv" -gt 0 ]; then
  ratio=$(awk -v a="$rss_json" -v b="$rss_csv" 'BEGIN { printf "%.2f", a / b }')
  if [ "$rss_json" -le $((2 * rss_csv)) ]; then
    echo "ok   Dataset-JSON peak $((rss_json / 1024)) MB <= 2 x CSV's $((rss_csv / 1024)) MB (ratio $ratio)"
  else bad "Dataset-JSON peak $((rss_json / 1024)) MB > 2 x CSV's $((rss_csv / 1024)) MB (ratio $ratio)"; fi
fi
grep -q "rows read: 10500000, excluded: 0, analysed: 10500000" "$tmp/km.json" ||
  bad "km on big.json did not read 10,500,000 rows: $(grep 'rows read' "$tmp/km.json")"
if cmp -s <(sed 's/big\.csv/X/' "$tmp/km.csv") <(sed 's/big\.json/X/' "$tmp/km.json"); then
  echo "ok   the Dataset-JSON and the CSV give the same km output"
else bad "km output differs between big.csv and big.json"; fi
# with too little memory for the data: exit 1 and a message naming the file, never an abort
for x in csv json; do
  run "km on the $x file under ulimit -v 300 MB" 1 10 300 - "^hazard: out of memory: .*/big\.$x: reading this" \
    km --data "$tmp/big.$x" "${KM[@]}"
done
rm -f "$tmp/big.csv" "$tmp/big.json" "$tmp/km.csv" "$tmp/km.json"

# ---- 4. simulate: the trials are folded into running sums, memory independent of --reps ----
# Small trials (8 patients, one look at 4 events) so that 1e7 of them take ~10 s on 2 cores; the
# memory held per trial does not depend on the trial's size. --threads 2: the same work on any CI
# machine.
SIM=(simulate --n 8 --median-control 6 --hr 0.7 --accrual-time 1 --events 4 --looks 1 --threads 2 --json)
for reps in 1e5 1e7; do
  run "simulate --reps $reps" 0 120 256 100 - "${SIM[@]}" --reps $reps &&
    { grep -q "\"reps\": $(awk -v r=$reps 'BEGIN { printf "%d", r }')," "$out" || bad "simulate --reps $reps: reps not in the JSON"; }
done

# ---- 5. cox --newdata with 20,000 rows: the curves are computed and written one at a time ----
# (20,000 rows ran out of memory at 3.9 GB; 2,000 took 188 MB.) 20,000 curves on ~200 event times:
# 340 MB of text, 690 MB of JSON, written to a file and counted.
t0=$(date +%s.%N)
awk 'BEGIN { srand(8); print "time,status,sex,age"
             for (i = 0; i < 300; i++) printf "%.1f,%d,%d,%d\n", -log(1 - rand()) * 300, rand() < 0.7, 1 + (i % 2), 40 + int(rand() * 40) }' \
  >"$tmp/cox.csv"
awk 'BEGIN { srand(9); print "sex,age"; for (i = 0; i < 20000; i++) printf "%d,%d\n", 1 + (i % 2), 40 + int(rand() * 40) }' \
  >"$tmp/newdata.csv"
generated "$t0"
for json in "" --json; do
  run "cox --newdata (20,000 rows) $json" 0 60 256 100 - \
    cox --data "$tmp/cox.csv" --time time --event status --group sex --covariates age --newdata "$tmp/newdata.csv" $json &&
    { n=$(grep -c 'newdata line\|"newdata_line"' "$out"); [ "$n" = 20000 ] || bad "cox --newdata $json: $n curves, not 20,000"; }
  : >"$out"
done

# ---- 6. reconstruct: counts capped at 10,000,000 per arm; an at-risk count of 1e15 spun forever ----
printf 'time,surv\n0,1\n5,0.8\n10,0.5\n' >"$tmp/curve.csv"
printf 'time,n_risk\n0,1e15\n5,8e14\n' >"$tmp/risk.csv"
run "reconstruct, at risk 1e15" 3 2 256 - "value '1000000000000000'.*is above 10000000, the largest count reconstruct takes" \
  reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --out "$tmp/rows.csv"
printf 'time,n_risk\n0,10000000\n5,8000000\n' >"$tmp/risk.csv"
run "reconstruct, at risk 10,000,000 (the cap)" 0 30 1024 - - \
  reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --out "$tmp/rows.csv" &&
  { n=$(($( (wc -l <"$tmp/rows.csv") 2>/dev/null || echo 0) - 1)); [ "$n" = 10000000 ] || bad "reconstruct at the cap wrote $n rows, not 10,000,000"; }

took="$(($(date +%s) - stage_start)) s (of which $gen s generating the inputs)"
[ "$fail" = 0 ] && echo "limits: every case within its limits, $took" || echo "limits: FAILED (see the FAIL lines above), $took"
exit $fail
