#!/usr/bin/env bash
# `hazard cox` diagnostics end to end: --residuals/--out, --ph-test, --survfit, --newdata on
# CSV copies of R's data sets (written by tests/reference/cox_diag/make_cox_diag.R), compared by
# tests/cli/cox_diag_compare.R with R's values in tests/reference/cox_diag/cox_diag_cli.json
# (to 1e-6), plus the usage errors and their exit codes.
# Usage: cox_diag.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
ref=${HAZARD_SOURCE_DIR:?}/tests/reference/cox_diag
command -v Rscript >/dev/null || { echo "SKIP: Rscript not found (needed to compare)"; exit 77; }
Rscript -e 'quit(status = !requireNamespace("jsonlite", quietly = TRUE))' ||
  { echo "SKIP: R package jsonlite not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

run() {  # NAME ARGS...: hazard cox ARGS --json > $tmp/NAME.json
  local name=$1; shift
  if ! "$hazard" cox "$@" --json >"$tmp/$name.json" 2>"$tmp/$name.err"; then
    echo "FAIL $name: hazard exited non-zero"; cat "$tmp/$name.err"; fail=1
  fi
}

lung=(--data "$ref/lung.csv" --time time --event status --covariates age,sex,ph.ecog)
run lung_mart "${lung[@]}" --residuals martingale --out "$tmp/lung_mart.csv"
run lung_dfbeta "${lung[@]}" --residuals dfbeta --out "$tmp/lung_dfbeta.csv"
run lung_sch "${lung[@]}" --residuals schoenfeld --out "$tmp/lung_sch.csv"
run lung_zph "${lung[@]}" --ph-test km --survfit
run lung_new "${lung[@]}" --newdata "$ref/lung_newdata.csv"
vet=(--data "$ref/veteran.csv" --time time --event status --covariates trt,karno,celltype --ties breslow)
run vet_dev "${vet[@]}" --residuals deviance --out "$tmp/vet_dev.csv" --ph-test rank
bl=(--data "$ref/bladder2.csv" --start start --time stop --event event --covariates rx,number,size --strata enum)
run bl_score "${bl[@]}" --residuals score --out "$tmp/bl_score.csv" --ph-test log

if Rscript "$(dirname "$0")/cox_diag_compare.R" "$ref/cox_diag_cli.json" "$tmp"; then :; else fail=1; fi

# human-readable output carries the tables
if "$hazard" cox "${lung[@]}" --ph-test identity --survfit | grep -q "GLOBAL"; then
  echo "ok   text output"
else
  echo "FAIL text output"; fail=1
fi

expect_exit() {  # CODE WHAT ARGS...
  local code=$1 what=$2; shift 2
  "$hazard" cox "$@" >/dev/null 2>"$tmp/err"; local got=$?
  if [[ $got == "$code" ]]; then echo "ok   $what (exit $code)"; else echo "FAIL $what: exit $got, want $code"; cat "$tmp/err"; fail=1; fi
}
expect_exit 2 "--residuals without --out" "${lung[@]}" --residuals martingale
expect_exit 2 "unknown residual type" "${lung[@]}" --residuals pearson --out "$tmp/x.csv"
expect_exit 2 "unknown --ph-test transform" "${lung[@]}" --ph-test sqrt
expect_exit 2 "schoenfeld with exact ties" "${lung[@]}" --ties exact --residuals schoenfeld --out "$tmp/x.csv"
printf 'age,sex\n50,1\n' >"$tmp/nd_missing.csv"
expect_exit 3 "--newdata without a covariate column" "${lung[@]}" --newdata "$tmp/nd_missing.csv"
exit $fail
