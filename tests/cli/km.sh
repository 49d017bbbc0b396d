#!/usr/bin/env bash
# `hazard km` end to end: the JSON for R's data sets (CSV files written by
# tests/reference/km/make_km.R) against the R reference values in tests/reference/km/km.json
# (counts exactly, everything else to 1e-10 relative), the CSV output, and the usage errors.
# Usage: km.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
ref=${HAZARD_SOURCE_DIR:?}/tests/reference/km
command -v Rscript >/dev/null || { echo "SKIP: Rscript not found (needed to compare JSON)"; exit 77; }
Rscript -e 'quit(status = !requireNamespace("jsonlite", quietly = TRUE))' ||
  { echo "SKIP: R package jsonlite not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

# compare CASE JSONFILE: every group value of reference case CASE against hazard's JSON
compare() {
  Rscript "$(dirname "$0")/km_compare.R" "$ref/km.json" "$1" "$2"
}

run_case() {  # NAME ARGS...
  local name=$1; shift
  if ! "$hazard" km "$@" --json >"$tmp/$name.json" 2>"$tmp/$name.err"; then
    echo "FAIL $name: hazard exited non-zero"; cat "$tmp/$name.err"; fail=1; return
  fi
  if compare "$name" "$tmp/$name.json"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}

run_case "lung_sex_log-log" --data "$ref/lung.csv" --time time --event status=2 --group sex \
  --times 1,100,365,2000 --rmst 500
run_case "lung_overall_log" --data "$ref/lung.csv" --time time --event status=2 --conf-type log \
  --times 0,5,182.5,365 --rmst 730
run_case "aml_x_plain" --data "$ref/aml.csv" --time time --event status --group x --conf-type plain \
  --times 5,12,30,200 --rmst 40
run_case "ovarian_weights_frac_log-log" --data "$ref/ovarian.csv" --time time --event status \
  --weights wt --no-robust --times 100,365 --rmst 700
# non-integer weights: the robust (infinitesimal jackknife) variance by default, as R's survfit
run_case "ovarian_weights_frac_robust_log-log" --data "$ref/ovarian.csv" --time time --event status \
  --weights wt --times 100,365 --rmst 700
run_case "ovarian_weights_frac_robust_plain" --data "$ref/ovarian.csv" --time time --event status \
  --weights wt --conf-type plain --times 100,365 --rmst 700
run_case "ovarian_rx_weights_frac_robust" --data "$ref/ovarian.csv" --time time --event status \
  --group rx --weights wt --times 100,365 --rmst 700
run_case "lung_sex_weights_int_robust" --data "$ref/lung.csv" --time time --event status=2 \
  --group sex --weights wt --robust --times 100,365
run_case "lung_sex_robust_unweighted" --data "$ref/lung.csv" --time time --event status=2 \
  --group sex --robust --times 100,365
run_case "zero_weights_frac_robust" --data "$ref/zero_w.csv" --time time --event status \
  --weights w --times 2,4
run_case "lung_sex_level90" --data "$ref/lung.csv" --time time --event status=2 --group sex \
  --conf-level 0.9 --times 100,365 --rmst 500 --quantiles 0.1,0.25,0.5,0.75,0.9
run_case "flatend_log-log" --data "$ref/flatend.csv" --time time --event status \
  --times 0.5,2,4,100 --rmst 3.5

# CSV output: header and one row per distinct time per group (the count taken from R's tables)
if "$hazard" km --data "$ref/aml.csv" --time time --event status --group x --csv >"$tmp/aml.csv"; then
  head1=$(head -n1 "$tmp/aml.csv")
  rows=$(($(wc -l <"$tmp/aml.csv") - 1))
  want=$(Rscript -e 'r <- jsonlite::fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE);
    r <- r[[which(sapply(r, function(x) x$name) == "aml_x_log-log")]];
    cat(sum(sapply(r$groups, function(g) length(g$table$time))))' "$ref/km.json")
  if [[ $head1 == "group,time,n_risk,n_event,n_censor,surv,std_err,lower,upper,cumhaz,conf_type,conf_level" && $rows == "$want" ]]; then
    echo "ok   csv output"
  else
    echo "FAIL csv output: header '$head1', $rows rows (want $want)"; fail=1
  fi
else
  echo "FAIL csv output: non-zero exit"; fail=1
fi

# Text output: by default the summary as R's print(survfit) (one row per group: n, events, median
# and its limits; rmean and se(rmean) with --rmst), checked against the R values of km.json's
# lung_sex_log-log case; the table only with --table; a large file prints a short summary.
"$hazard" km --data "$ref/lung.csv" --time time --event status=2 --group sex --rmst 500 >"$tmp/summary.txt" 2>&1
"$hazard" km --data "$ref/lung.csv" --time time --event status=2 --group sex --table >"$tmp/table.txt" 2>&1
if Rscript - "$ref/km.json" "$tmp/summary.txt" <<'RS'; then echo "ok   text summary = R's print(survfit, rmean = 500)"; else echo "FAIL text summary"; cat "$tmp/summary.txt"; fail=1; fi
a <- commandArgs(TRUE)
ref <- jsonlite::fromJSON(a[1], simplifyVector = FALSE)
ref <- ref[[which(vapply(ref, function(x) x$name, "") == "lung_sex_log-log")]]
txt <- readLines(a[2])
head <- grep("^ +n events +rmean\\* se\\(rmean\\) median 95% LCL 95% UCL$", txt)
stopifnot(length(head) == 1, any(grepl("^    \\* restricted mean with upper limit = 500$", txt)))
for (i in 1:2) {
  g <- ref$groups[[i]]
  f <- strsplit(trimws(txt[head + i]), " +")[[1]]
  want <- c(g$n, g$events, g$rmst$estimate, g$rmst$std_err, g$median$estimate, g$median$lower, g$median$upper)
  got <- as.numeric(f[-1])
  stopifnot(f[1] == paste0("sex=", g$group), all(abs(got - want) <= 6e-6 * abs(want)))
}
stopifnot(!any(grepl("^Table:", txt)))
RS
if grep -q "^Table: sex=2" "$tmp/table.txt" && [ "$(grep -c '^ *[0-9]' "$tmp/table.txt")" -gt 200 ]; then
  echo "ok   --table prints the table"
else
  echo "FAIL --table"; fail=1
fi
awk 'BEGIN { srand(7); print "time,status"; for (i = 0; i < 200000; i++) printf "%.5f,%d\n", -log(rand()) * 10, rand() < 0.7 }' >"$tmp/big.csv"
"$hazard" km --data "$tmp/big.csv" --time time --event status >"$tmp/big.txt" 2>&1
bytes=$(wc -c <"$tmp/big.txt")
if [ "$bytes" -lt 2000 ]; then echo "ok   200,000 rows: a $bytes-byte summary"; else echo "FAIL 200,000 rows print $bytes bytes"; fail=1; fi

# The text summary (made without storing the curves): medians, landmarks and at-risk counts as R
# prints them, read from the reference case lung_sex_log-log (tests/reference/km/make_km.R).
"$hazard" km --data "$ref/lung.csv" --time time --event status=2 --group sex --times 1,100,365,2000 \
  --rmst 500 >"$tmp/lung.txt" 2>&1
if python3 - "$ref/km.json" "$tmp/lung.txt" <<'PY'; then echo "ok   text summary = R (lung by sex)"; else echo "FAIL text summary (lung by sex)"; fail=1; fi
import json, sys
case = next(c for c in json.load(open(sys.argv[1])) if c["name"] == "lung_sex_log-log")
text = open(sys.argv[2]).read()
lines = text.splitlines()
ok = True
for g in case["groups"]:
    m = g["median"]
    row = next((l.split() for l in lines if l.startswith(f"sex={g['group']} ")), None)
    want = [f"{m[k]:.6g}" for k in ("estimate", "lower", "upper")]
    if row is None or row[1] != str(g["n"]) or row[2] != str(g["events"]) or row[-3:] != want:
        print("median row", row, "want", g["n"], g["events"], want); ok = False
    a = g["at"]
    for k, t in enumerate(a["time"]):
        line = (f"S({t}) = {a['surv'][k]:.4f}  SE {a['std_err'][k]:.4f}  "
                f"(95% CI {a['lower'][k]:.4f}, {a['upper'][k]:.4f})  at risk {a['n_risk'][k]}")
        if line not in text:
            print("missing:", line); ok = False
sys.exit(0 if ok else 1)
PY
# R's 1/2 coding of the event (survival's lung): an error that names the way to read it
"$hazard" km --data "$ref/lung.csv" --time time --event status >/dev/null 2>"$tmp/err"; got=$?
if [[ $got == 3 ]] && grep -q "give --event status=2" "$tmp/err"; then echo "ok   1/2-coded event: the error names --event status=2"
else echo "FAIL 1/2-coded event: exit $got"; cat "$tmp/err"; fail=1; fi

# usage and data errors: exit codes 2 and 3
expect_exit() {  # CODE WHAT ARGS...
  local code=$1 what=$2; shift 2
  "$hazard" km "$@" >/dev/null 2>"$tmp/err"; local got=$?
  if [[ $got == "$code" ]]; then echo "ok   $what (exit $got)"; else echo "FAIL $what: exit $got, want $code"; cat "$tmp/err"; fail=1; fi
}
base=(--data "$ref/aml.csv" --time time --event status)
expect_exit 2 "bad --conf-type" "${base[@]}" --conf-type logit
expect_exit 2 "bad --conf-level" "${base[@]}" --conf-level 1.5
expect_exit 2 "bad --rmst" "${base[@]}" --rmst -1
expect_exit 2 "negative --times" "${base[@]}" --times -3
expect_exit 2 "bad --quantiles" "${base[@]}" --quantiles 0.5,2
expect_exit 2 "--json with --csv" "${base[@]}" --json --csv
expect_exit 2 "--strata" "${base[@]}" --strata x
expect_exit 2 "--robust with --no-robust" "${base[@]}" --robust --no-robust
expect_exit 2 "--summary with --table" "${base[@]}" --summary --table
expect_exit 3 "unknown column" --data "$ref/aml.csv" --time nosuch --event status

exit $fail
