#!/usr/bin/env bash
# Resource limits and extreme inputs (issue 19), on small generated files so that each case runs in
# a fraction of a second: every one ends with its documented exit code (docs/exit-codes.md) and a
# message naming the flag, column or count at fault, never by a signal, a hang or an internal
# error. The large cases (1e6-column header, 300 MB files, 1e7 simulated trials) run under memory
# and time limits in tests/limits/run.sh.
# Usage: limits.sh /path/to/hazard
set -u
hazard=${1:?usage: limits.sh HAZARD_BINARY}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# Peak-memory limits (KB); a sanitizer build (HAZARD_SANITIZED=1, set by tests/CMakeLists.txt) has
# shadow memory and reserves terabytes of address space: there the cases run and their results are
# checked, but not their memory, and the `ulimit -v` cases are skipped.
sim_kb=30000 cox_kb=40000 sanitized=${HAZARD_SANITIZED:-0}
if [ "$sanitized" = 1 ]; then sim_kb=100000000 cox_kb=100000000; echo "sanitizer build: memory limits not checked"; fi

# expect CODE PATTERN [--within SECONDS] ARGS...: the command ends with CODE (within SECONDS, 60 by
# default) and standard error matches the extended regular expression PATTERN ("-": not checked).
expect() {
  local code=$1 pattern=$2 limit=60; shift 2
  if [ "$1" = --within ]; then limit=$2; shift 2; fi
  local start end rc
  start=$(date +%s.%N)
  timeout "$limit" "$hazard" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
  end=$(date +%s.%N)
  local took
  took=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
  if [ "$rc" = 124 ]; then
    echo "FAIL (no answer within $limit s) hazard $*"; fail=1
  elif [ "$rc" != "$code" ]; then
    echo "FAIL (exit $rc, expected $code) hazard $*"; head -3 "$tmp/err"; fail=1
  elif [ "$pattern" != - ] && ! grep -Eq -- "$pattern" "$tmp/err"; then
    echo "FAIL (message) hazard $*: expected /$pattern/, got:"; head -3 "$tmp/err"; fail=1
  else
    echo "ok   exit $rc in $took s: hazard $*"
  fi
}

# ---- 1. a group or stratum with thousands of levels (a subject identifier given by mistake) ----
awk 'BEGIN { srand(1); print "USUBJID,AVAL,CNSR,ARM,SITE";
             for (i = 0; i < 10000; i++)
               printf "S%06d,%.3f,%d,%s,%s\n", i, -log(1 - rand()) * 10, rand() < 0.3, (i % 2 ? "A" : "B"), (i % 3 ? "EU" : "US") }' \
  >"$tmp/ids.csv"
lv="column 'USUBJID': the group \(--group\) has 10000 levels in 10000 analysed rows, more than the limit of 1000"
expect 3 "$lv" --within 2 logrank --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group USUBJID
expect 3 "$lv" --within 2 cox --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group USUBJID
expect 3 "$lv" --within 2 km --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group USUBJID
expect 3 "$lv" --within 2 report --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group USUBJID --out "$tmp/rep"
expect 3 "column 'USUBJID': the stratum \(--strata\) has 10000 levels" --within 2 \
  logrank --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group ARM --strata SITE,USUBJID
expect 3 "column 'USUBJID': the categorical covariate \(--covariates\) has 10000 levels" --within 2 \
  cox --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group ARM --covariates USUBJID
expect 2 "--max-levels 0: expected a whole number >= 1" \
  logrank --data "$tmp/ids.csv" --time AVAL --cnsr CNSR --group ARM --max-levels 0
# fewer rows than levels allow: more than half the rows (and more than 10)
head -41 "$tmp/ids.csv" >"$tmp/ids40.csv"
expect 3 "has 40 levels in 40 analysed rows, more than the limit of 20" \
  logrank --data "$tmp/ids40.csv" --time AVAL --cnsr CNSR --group USUBJID
# raised with --max-levels: the K-group test runs, in O(K) per row (1,000 levels, 2,000 rows)
awk 'BEGIN { srand(2); print "G,AVAL,CNSR";
             for (i = 0; i < 2000; i++) printf "L%04d,%.3f,%d\n", i % 1000, -log(1 - rand()) * 10, rand() < 0.3 }' \
  >"$tmp/g1000.csv"
expect 0 - --within 30 logrank --data "$tmp/g1000.csv" --time AVAL --cnsr CNSR --group G --max-levels 1000
grep -q "on 999 degrees of freedom" "$tmp/out" || { echo "FAIL: the 1000-group test's df"; fail=1; }

# ---- 2. reconstruct: counts are capped at 10 million per arm, every loop bounded ----
printf 'time,surv\n0,1\n5,0.8\n10,0.5\n' >"$tmp/curve.csv"
printf 'time,n_risk\n0,1e15\n5,8e14\n' >"$tmp/risk.csv"
expect 3 "n_risk.*value '1000000000000000'.*is above 10000000, the largest count reconstruct takes" --within 5 \
  reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --out "$tmp/rows.csv"
printf 'time,n_risk\n0,100\n5,80\n' >"$tmp/risk.csv"
expect 2 "total number of events 1e\+300 must be a whole number from 0 to 10000000" --within 5 \
  reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --out "$tmp/rows.csv" --events 1e300

# ---- 3. simulate: --reps out of range is a usage error; memory does not grow with --reps ----
SIM="simulate --n 24 --median-control 6 --hr 0.7 --accrual-time 6 --events 16 --looks 1"
for r in -1 1e12 0 2.5 many; do
  expect 2 "--reps $r: expected a whole number of trials from 1 to 1000000000" --within 5 $SIM --reps $r
done
if [ -x /usr/bin/time ]; then
  # 300,000 trials kept whole took about 150 bytes each (45 MB on top of the program): now flat
  /usr/bin/time -f "%M" -o "$tmp/rss" "$hazard" $SIM --reps 3e5 --json >"$tmp/sim.json" 2>"$tmp/err" ||
    { echo "FAIL: simulate --reps 3e5"; cat "$tmp/err"; fail=1; }
  rss=$(tail -1 "$tmp/rss")
  if [ "$rss" -lt "$sim_kb" ]; then echo "ok   simulate --reps 3e5: peak $rss KB"; else
    echo "FAIL: simulate --reps 3e5 peaked at $rss KB (>= 30 MB)"; fail=1; fi
fi

# ---- 4. tiny information fractions and a confidence level next to 1: no overflow ----
# rpact: getDesignGroupSequential(informationRates = c(1e-12, 1), typeOfDesign = "asOF") gives
# criticalValues Inf, 1.959964 (tests/reference/design/boundaries.json)
for info in 1e-12,1 1e-300,1; do
  expect 0 - --within 20 design --hr 0.7 --looks 2 --info $info --json
  command -v python3 >/dev/null || continue
  python3 -c "import json,sys; j=json.load(open('$tmp/out')); l=j['looks']; \
assert l[0]['z_efficacy'] is None and abs(l[1]['z_efficacy'] - 1.959964) < 1e-6, l" ||
    { echo "FAIL: --info $info: the bounds are not (Inf, 1.96)"; fail=1; }
done
expect 0 - --within 20 design --hr 0.7 --looks 3 --info 1e-12,0.5,1 --futility obf
expect 0 - --within 20 monitor --hr 0.7 --looks 3 --info 1e-12,0.5,1 --events 1e-9 --z 1 --max-events 100
printf 'time,status,arm\n1,1,A\n2,1,B\n3,0,A\n4,1,B\n5,1,A\n6,0,B\n7,1,A\n8,1,B\n' >"$tmp/small.csv"
C=0.9999999999999999
D="--data $tmp/small.csv --time time --event status --group arm"
expect 0 - km $D --conf-level $C
expect 0 - km $D --conf-level $C --rmst 5
expect 0 - cox $D --conf-level $C
expect 0 - cox $D --conf-level $C --survfit
expect 0 - report $D --conf-level $C --out "$tmp/report"
expect 0 - published --hr 0.7 --lower 0.5 --upper 0.9 --conf-level $C

# ---- 5. design: extreme inputs are refused by range (usage) or checked (numerical) ----
expect 2 "--hr 1e-300: expected a hazard ratio from 0.01 to 100" design --hr 1e-300
expect 2 "--ratio 1e-300: expected an allocation ratio from 0.01 to 100" design --hr 0.7 --ratio 1e-300
expect 2 "--alpha 1e-300: expected a one-sided level in \[1e-6, 0.5\)" design --hr 0.7 --alpha 1e-300
expect 2 "--median-control -1: expected a finite number > 0" design --hr 0.7 --median-control -1
expect 2 "spending 'kd:1e300': rho must be in \[0.4, 8\]" design --hr 0.7 --looks 2 --spending kd:1e300
expect 2 "spending 'hsd:-1e300': gamma must be in \[-10, 5\]" design --hr 0.7 --looks 2 --spending hsd:-1e300
# a control median of 1e10 gave N = -2.9e10 with exit 0; rpact 3.3.4 gives 232704922933.138
# (tests/reference/design/survival.json)
expect 0 - design --hr 0.7 --median-control 1e10 --accrual-time 12 --follow-up 12 --json
if command -v python3 >/dev/null; then
  python3 -c "import json; n=json.load(open('$tmp/out'))['sample_size']; assert abs(n / 232704922933.138 - 1) < 1e-9, n" ||
    { echo "FAIL: the sample size for a control median of 1e10"; fail=1; }
fi
expect 2 "z must be finite" monitor --hr 0.7 --looks 2 --events 50 --z inf

# ---- 6. logrank --rho far from 0: weights in log space, never chisq 0 from an overflow ----
# lung: survdiff(rho = -100) gives chisq 0.333333487228267 and fails at rho = -200; with the
# weights scaled hazard gives 0.3333 at -200 too (was chisq 0, p 1). The full reference
# (lung_sex_rho_minus200 in tests/reference/logrank/logrank.json) is run by tests/cli/logrank.sh.
lung=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/reference/logrank/lung.csv
for rho in -100 -200 -1000; do
  expect 0 - logrank --data "$lung" --time time --event status=2 --group sex --rho $rho
  grep -q "Chisq = 0.3 on 1 degrees of freedom, p = 0.56" "$tmp/out" ||
    { echo "FAIL: --rho $rho: $(grep Chisq "$tmp/out")"; fail=1; }
done
grep -q "weights divided by exp(" "$tmp/out" || { echo "FAIL: --rho -1000 does not say the weights are scaled"; fail=1; }

# ---- 7. out of memory: exit 1 and a message naming what was too large, never an abort ----
# 100,000 levels let through by --max-levels: an 80 GB variance matrix (or design matrix)
if [ "$sanitized" != 1 ] && (ulimit -v 4000000) 2>/dev/null; then
  awk 'BEGIN { srand(7); print "ID,AVAL,CNSR";
               for (i = 0; i < 100000; i++) printf "S%06d,%.3f,%d\n", i, -log(1 - rand()) * 10, rand() < 0.3 }' \
    >"$tmp/id100k.csv"
  for cmd in logrank cox; do
    (ulimit -v 4000000; "$hazard" $cmd --data "$tmp/id100k.csv" --time AVAL --cnsr CNSR --group ID \
       --max-levels 200000 >/dev/null 2>"$tmp/err"; echo $? >"$tmp/rc")
    rc=$(cat "$tmp/rc")
    if [ "$rc" = 1 ] && grep -Eq "^hazard: out of memory: the (100000-group log-rank test|Cox model's design matrix).*80 GB" "$tmp/err"; then
      echo "ok   exit 1 (out of memory, named): $cmd with 100,000 groups"
    else
      echo "FAIL: $cmd with 100,000 groups under 4 GB: exit $rc"; cat "$tmp/err"; fail=1
    fi
  done
else
  echo "skip the out-of-memory cases: ulimit -v is not available (or a sanitizer build)"
fi
# cox --newdata: the curves are written as they are computed (2,000 rows took 188 MB, 20,000
# ran out of memory at 3.9 GB; tests/limits/run.sh runs 20,000)
awk 'BEGIN { srand(8); print "time,status,sex,age";
             for (i = 0; i < 300; i++) printf "%.1f,%d,%d,%d\n", -log(1 - rand()) * 300, rand() < 0.7, 1 + (i % 2), 40 + int(rand() * 40) }' \
  >"$tmp/cox.csv"
awk 'BEGIN { srand(9); print "sex,age"; for (i = 0; i < 2000; i++) printf "%d,%d\n", 1 + (i % 2), 40 + int(rand() * 40) }' \
  >"$tmp/newdata.csv"
if [ -x /usr/bin/time ]; then
  for json in "" --json; do
    /usr/bin/time -f "%M" -o "$tmp/rss" "$hazard" cox --data "$tmp/cox.csv" --time time --event status --group sex \
      --covariates age --newdata "$tmp/newdata.csv" $json >"$tmp/curves" 2>"$tmp/err" ||
      { echo "FAIL: cox --newdata $json"; cat "$tmp/err"; fail=1; }
    rss=$(tail -1 "$tmp/rss")
    n=$(grep -c "newdata line\|newdata_line" "$tmp/curves")
    if [ "$rss" -lt "$cox_kb" ] && [ "$n" -ge 2000 ]; then echo "ok   cox --newdata (2,000 rows) $json: peak $rss KB"; else
      echo "FAIL: cox --newdata (2,000 rows) $json: peak $rss KB (>= 40 MB) or $n curves"; fail=1; fi
  done
  command -v python3 >/dev/null && { python3 -c "import json,sys; j=json.load(open('$tmp/curves')); assert len(j['survfit']['curves']) == 2000" ||
    { echo "FAIL: cox --newdata --json is not one JSON document with 2,000 curves"; fail=1; }; }
fi

exit $fail
