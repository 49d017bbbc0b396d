#!/usr/bin/env bash
# `hazard crossover` end to end on examples/cabinet's crossover scenario: every case of
# tests/reference/crossover/crossover.json run with the flags recorded there and compared with R
# (crossover_compare.R), text output, reproducible bootstrap, and the usage and data errors.
# Usage: crossover.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
src=${HAZARD_SOURCE_DIR:?}
ref=$src/tests/reference/crossover/crossover.json
here=$(cd "$(dirname "$0")" && pwd)
command -v Rscript >/dev/null || { echo "SKIP: Rscript not found (needed to compare JSON)"; exit 77; }
Rscript -e 'quit(status = !requireNamespace("jsonlite", quietly = TRUE))' ||
  { echo "SKIP: R package jsonlite not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
cd "$src" || exit 1

# every reference case, with the flags the R script recorded for it
cases=$(Rscript -e 'r <- jsonlite::fromJSON(commandArgs(TRUE)[1], simplifyVector = FALSE); for (c in r$cases) cat(c$name, "\n")' "$ref")
for name in $cases; do
  mapfile -t flags < <(Rscript -e 'a <- commandArgs(TRUE); r <- jsonlite::fromJSON(a[1], simplifyVector = FALSE)
    c <- Filter(function(x) x$name == a[2], r$cases)[[1]]; writeLines(unlist(c$flags))' "$ref" "$name")
  if ! "$hazard" crossover "${flags[@]}" --json >"$tmp/$name.json" 2>"$tmp/$name.err"; then
    bad "$name: hazard exited non-zero"; cat "$tmp/$name.err"; continue
  fi
  if Rscript "$here/crossover_compare.R" "$tmp/$name.json" "$ref" "$name"; then ok "$name"; else bad "$name"; fi
done

base=(--data examples/cabinet/adtte_xo.csv --time AVAL --cnsr CNSR --group TRT01P --ref Placebo
      --switch-flag XOFL --switch-time XOTM)
# text output states the method
if "$hazard" crossover --method rpsftm "${base[@]}" --censor-time DCOTM --times 6,12,24 >"$tmp/t.txt" 2>&1 &&
   grep -q "psi = -0.4566 (95% CI -0.8439 to -0.0946, by test inversion)" "$tmp/t.txt" &&
   grep -q "re-censoring: on, C\* = min(C, C exp(psi)), C = column DCOTM" "$tmp/t.txt" &&
   grep -q "counterfactual control" "$tmp/t.txt"; then
  ok "rpsftm text"
else
  bad "rpsftm text"; cat "$tmp/t.txt"
fi
# bootstrap: the same seed gives the same interval, another seed another
b() { "$hazard" crossover --method rpsftm "${base[@]}" --censor-time DCOTM --boot 40 --seed "$1" --json |
      Rscript -e 'j <- jsonlite::fromJSON(file("stdin")); cat(sprintf("%.12g %.12g %d", j$bootstrap$hr_lower, j$bootstrap$hr_upper, j$bootstrap$replicates))'; }
b1=$(b 7); b2=$(b 7); b3=$(b 8)
if [ -n "$b1" ] && [ "$b1" = "$b2" ] && [ "$b1" != "$b3" ]; then ok "bootstrap reproducible ($b1)"; else bad "bootstrap reproducible: '$b1' '$b2' '$b3'"; fi

# hazard report's crossover section: the same numbers as hazard crossover
rep=(--data examples/cabinet/adtte_xo.csv --time AVAL --cnsr CNSR --group TRT01P --ref Placebo --units months
     --switch-flag XOFL --switch-time XOTM --censor-time DCOTM --progression-flag PDFL --progression-time PDTM)
if "$hazard" report "${rep[@]}" --out "$tmp/rep" >/dev/null 2>"$tmp/rep.err" &&
   "$hazard" crossover --method rpsftm "${base[@]}" --censor-time DCOTM --json >"$tmp/xr.json" 2>/dev/null &&
   "$hazard" crossover --method two-stage "${base[@]}" --censor-time DCOTM --progression-flag PDFL --progression-time PDTM \
     --json >"$tmp/xt.json" 2>/dev/null &&
   grep -q '<section id="crossover">' "$tmp/rep/report.html" && grep -q 'id="crossover-km"' "$tmp/rep/report.html" &&
   grep -q 'Table: Overall survival adjusted for crossover' "$tmp/rep/readout.rtf" &&
   grep -q ': overall survival adjusted for crossover' "$tmp/rep/readout.rtf" &&
   Rscript -e 'a <- commandArgs(TRUE); j <- jsonlite::fromJSON(a[1]); r <- jsonlite::fromJSON(a[2]); t <- jsonlite::fromJSON(a[3])
     x <- j$crossover; csv <- read.csv(a[4])
     v <- function(s) csv$value[csv$endpoint == "OS_XO" & csv$statistic == s]
     ok <- identical(x$rpsftm$psi, r$psi) && identical(x$rpsftm$hr, r$hr$hr) && identical(x$rpsftm$psi_upper, r$psi_upper) &&
       identical(x$two_stage$hr, t$hr$hr) && identical(x$two_stage$psi, t$psi) &&
       abs(v("rpsftm_hr") - r$hr$hr) < 1e-15 && abs(v("rpsftm_hr_upper_itt") - r$hr$upper_itt) < 1e-15 && x$switchers == 41
     quit(status = !ok)' "$tmp/rep/results.json" "$tmp/xr.json" "$tmp/xt.json" "$tmp/rep/results.csv"; then
  ok "report crossover section = hazard crossover"
else
  bad "report crossover section"; cat "$tmp/rep.err"
fi
"$hazard" report "${rep[@]:0:12}" --switch-flag XOFL --out "$tmp/rep2" >/dev/null 2>"$tmp/err"
if [ $? = 2 ] && grep -q "needs --switch-flag COL and --switch-time COL" "$tmp/err"; then ok "report: switch flag without time"; else bad "report: switch flag without time"; fi

expect_error() {  # NAME CODE PATTERN ARGS...
  local name=$1 code=$2 pattern=$3; shift 3
  "$hazard" crossover "$@" >/dev/null 2>"$tmp/err"
  local rc=$?
  if [ "$rc" = "$code" ] && grep -q -- "$pattern" "$tmp/err"; then ok "$name"; else bad "$name (exit $rc)"; cat "$tmp/err"; fi
}
expect_error "unknown method" 2 "expected rpsftm, ipcw or two-stage" --method g "${base[@]}" --no-recensor
expect_error "re-censoring needs a censoring time" 2 "no-recensor" --method rpsftm "${base[@]}"
expect_error "ipcw needs long data" 2 "needs the long data" --method ipcw "${base[@]}"
expect_error "method's flag on another" 2 "applies to --method ipcw only" --method rpsftm "${base[@]}" --no-recensor --truncate 0.1,0.9
expect_error "two-stage needs progression" 2 "progression" --method two-stage "${base[@]}" --no-recensor
expect_error "bad boot" 2 "--boot" --method rpsftm "${base[@]}" --no-recensor --boot -3
# data errors name file, line, column and value
sed 's/"CABSIM-epNET-0097","OS","Overall survival, crossover scenario (months)",13.4702,0,"Death","Cabozantinib","epNET","Yes","Other","N"/"CABSIM-epNET-0097","OS","Overall survival, crossover scenario (months)",13.4702,0,"Death","Cabozantinib","epNET","Yes","Other","Y"/' \
  examples/cabinet/adtte_xo.csv >"$tmp/sw_exp.csv"
expect_error "switch in the experimental arm" 3 "sw_exp.csv:3: column 'XOFL': value 'Y'" --method rpsftm --data "$tmp/sw_exp.csv" \
  --time AVAL --cnsr CNSR --group TRT01P --ref Placebo --switch-flag XOFL --switch-time XOTM --no-recensor
sed '2s/,"N",,"Y",0.46/,"maybe",,"Y",0.46/' examples/cabinet/adtte_xo.csv >"$tmp/flag.csv"
expect_error "bad switch flag" 3 "flag.csv:2: column 'XOFL': value 'maybe'" --method rpsftm --data "$tmp/flag.csv" \
  --time AVAL --cnsr CNSR --group TRT01P --ref Placebo --switch-flag XOFL --switch-time XOTM --no-recensor
sed '2s/,29.9959$/,0.5/' examples/cabinet/adtte_xo.csv >"$tmp/cens.csv"
expect_error "censor time below the time" 3 "cens.csv:2: column 'DCOTM': value '0.5'" --method rpsftm --data "$tmp/cens.csv" \
  --time AVAL --cnsr CNSR --group TRT01P --ref Placebo --switch-flag XOFL --switch-time XOTM --censor-time DCOTM
sed '3s/^"CABINET-SIM","CABSIM-epNET-0096","Placebo",0.46,0.8871/"CABINET-SIM","CABSIM-epNET-0096","Placebo",0.5,0.8871/' \
  examples/cabinet/adtv_xo.csv >"$tmp/gap.csv"
expect_error "gap in the long data" 3 "gap.csv:3: column 'ASTART': value '0.5'" --method ipcw "${base[@]}" \
  --long "$tmp/gap.csv" --interval-start ASTART --interval-end AEND --tv-covariates ECOG
expect_error "one arm is a data error" 3 "TRT01P has 1 level in the analysed rows" --method rpsftm "${base[@]}" --no-recensor --where TRT01P=Placebo
expect_error "no root in a narrow interval" 4 "no root" --method rpsftm "${base[@]}" --no-recensor --psi-min 0 --psi-max 1
exit $fail
