#!/usr/bin/env bash
# The same problem gets the same exit code and message in every analysis command (km, logrank,
# cox, report; docs/exit-codes.md), checked on survival's lung (tests/reference/data/lung.csv,
# written by make_where.R; status is 1 = censored, 2 = dead):
#   * an event coding that yields no events (--cnsr status, --event status=3) is a data error
#     (exit 3) that lists the column's values and suggests --event status=2;
#   * a group without events is a warning on standard error (and in the JSON's "warnings").
# Usage: commands.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail)
set -uo pipefail
HAZARD=${1:?usage: commands.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
lung=$SRC/tests/reference/data/lung.csv
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

expect() {  # CODE PATTERN COMMAND ARGS...: exit code and a line of stderr matching PATTERN (grep -E)
  local code=$1 pattern=$2; shift 2
  "$HAZARD" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = "$code" ] && grep -Eq -- "$pattern" "$tmp/err"; then
    echo "ok   $1 exit $code: $(head -c 200 "$tmp/err" | tr '\n' ' ')"
  else
    echo "FAIL $* : expected exit $code and /$pattern/, got $rc: $(cat "$tmp/err")"; fail=1
  fi
}
report_out() { echo "$tmp/report_$RANDOM"; }

# --- an event coding with no events: exit 3 with a hint, in every command ---
hint="no events: .*\(its values: 1, 2\); did you mean --event status=2\?"
for cmd in km logrank cox; do
  expect 3 "--cnsr status: $hint" $cmd --data "$lung" --time time --cnsr status --group sex
  expect 3 "--event status=3: $hint" $cmd --data "$lung" --time time --event status=3 --group sex
done
expect 3 "--cnsr status: $hint" report --data "$lung" --time time --cnsr status --group sex --out "$(report_out)"
expect 3 "--event status=3: $hint" report --data "$lung" --time time --event status=3 --group sex --out "$(report_out)"
# an indicator that is 0 everywhere (hand-made): the hint is --cnsr
printf 't,e,g\n1,0,A\n2,0,B\n3,0,B\n' >"$tmp/zero.csv"
expect 3 "--event e: no events: e is 0 \(false\) in every analysed row; did you mean --cnsr e" \
  km --data "$tmp/zero.csv" --time t --event e
# 0/1 given as --event e=2: the hint is the indicator form
printf 't,e,g\n1,0,A\n2,1,B\n3,0,B\n' >"$tmp/01.csv"
expect 3 "--event e=2: no events: no analysed row has e = 2 \(its values: 0, 1\); did you mean --event e\?" \
  logrank --data "$tmp/01.csv" --time t --event e=2 --group g
# text values: a case-insensitive match is suggested
printf 't,e\n1,DEAD\n2,ALIVE\n' >"$tmp/text.csv"
expect 3 "--event e=dead: no events: .*did you mean --event e=DEAD\?" km --data "$tmp/text.csv" --time t --event e=dead

# --- a group without events: a warning, and the command still runs ---
printf 't,e,g\n1,0,A\n2,0,A\n3,1,B\n4,1,B\n5,0,B\n' >"$tmp/noev.csv"
for cmd in km logrank; do
  expect 0 "warning: --group g: level 'A' has no events in the analysed rows \(2 rows\)" \
    $cmd --data "$tmp/noev.csv" --time t --event e --group g
  "$HAZARD" $cmd --data "$tmp/noev.csv" --time t --event e --group g --json 2>/dev/null >"$tmp/j"
  if [ "$(jq -r '.warnings[0]' "$tmp/j")" = "--group g: level 'A' has no events in the analysed rows (2 rows)" ]; then
    echo "ok   $cmd --json has the warning"
  else
    echo "FAIL $cmd --json warnings: $(jq -c '.warnings' "$tmp/j")"; fail=1
  fi
done
expect 0 "warning: --group g: level 'A' has no events" cox --data "$tmp/noev.csv" --time t --event e --group g

# --- the same kind of bad data, the same exit code (3) in every command ---
# a --group with one level in the analysed rows (km describes one curve: no error there)
one="has 1 level in the analysed rows \(1\)"
expect 3 "--group sex $one; the log-rank test compares two or more groups" \
  logrank --data "$lung" --time time --event status=2 --group sex --where sex=1
expect 3 "--group sex $one; a Cox model compares the arms of --group" \
  cox --data "$lung" --time time --event status=2 --group sex --where sex=1
expect 3 "--group sex $one; a Cox model compares" \
  cox --data "$lung" --time time --event status=2 --group sex --covariates age --where sex=1
expect 3 "--group sex $one; monitoring compares two arms" \
  monitor --data "$lung" --time time --event status=2 --group sex --where sex=1 --hr 0.7 \
  --median-control 300 --accrual-time 12 --follow-up 12
expect 3 "--group ph.ecog has 4 levels in the analysed rows \(0, 1, 2, 3\); monitoring compares two arms" \
  monitor --data "$lung" --time time --event status=2 --group ph.ecog --hr 0.7 \
  --median-control 300 --accrual-time 12 --follow-up 12
# an unknown level: --ref in km/logrank/cox, an arm of --events in reconstruct
expect 3 "value 'X': the reference level is not a level of the column" \
  cox --data "$lung" --time time --event status=2 --group sex --ref X
printf 'arm,time,surv\nA,0,1\nA,5,0.5\nB,0,1\nB,5,0.7\n' >"$tmp/curve.csv"
printf 'arm,time,n_risk\nA,0,10\nB,0,10\n' >"$tmp/risk.csv"
printf 'time,n_risk\n0,10\n' >"$tmp/risk1.csv"
expect 3 "--events: no arm 'C' in .*curve.csv \(arms: A, B\)" \
  reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk.csv" --events C=3 --out "$tmp/ipd.csv"
expect 3 "curve.csv has arms but .*risk1.csv has no arm column" \
  reconstruct --curve "$tmp/curve.csv" --at-risk "$tmp/risk1.csv" --out "$tmp/ipd.csv"
# a Cox model needs positive weights (R's coxph refuses zero): a data error naming the row
printf 't,e,g,w\n1,1,A,1\n2,0,A,0\n3,1,B,1\n4,1,B,2\n' >"$tmp/w0.csv"
expect 3 "w0.csv:3: column 'w': value '0': a Cox model needs positive case weights" \
  cox --data "$tmp/w0.csv" --time t --event e --group g --weights w

# --- unknown or misplaced flags: named, with the nearest valid flag (exit 2) ---
expect 2 "^hazard: error: km: unknown flag --no-timefx; did you mean --no-timefix\?" \
  km --data "$lung" --time time --event status=2 --no-timefx
expect 2 "^hazard: error: cox: unknown flag --covariate; did you mean --covariates\?" \
  cox --data "$lung" --time time --event status=2 --covariate age
expect 2 "^hazard: error: km: --ties is not a flag of km \(it is a flag of (report, cox|cox, report)(, crossover)?\)" \
  km --data "$lung" --time time --event status=2 --ties efron
expect 2 "^hazard: error: --json goes after the command: hazard logrank ... --json" \
  --json logrank --data "$lung" --time time --event status=2 --group sex
expect 2 "^hazard: error: unknown command 'logrnak'; did you mean logrank\?" \
  logrnak --data "$lung" --time time --event status=2 --group sex
expect 2 "^hazard: error: km: unknown flag --dat; did you mean --data\?" km --dat "$lung" --time time --event status=2
# values that look like flags are values (a negative z), and other parse errors keep CLI11's text
expect 2 "^hazard: error: monitor: unknown flag --jsn; did you mean --json\?" \
  monitor --events 10,20 --z -1.5,-2.1 --hr 0.7 --median-control 10 --accrual-time 12 --follow-up 12 --jsn
expect 2 "^hazard: error: Could not convert: --conf-level = abc" km --data "$lung" --time time --event status=2 --conf-level abc

exit $fail
