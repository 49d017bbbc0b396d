#!/usr/bin/env bash
# `hazard cox` end to end: JSON for R's data sets (CSV files written by
# tests/reference/cox/make_cox.R) against coxph on the same files (tests/reference/cox/cox_cli.json,
# to 1e-8 relative), --compat sas, and the usage and data errors with their exit codes.
# Usage: cox.sh /path/to/hazard   (HAZARD_SOURCE_DIR = repository root). Exit 77 = skipped.
set -u
hazard=$1
ref=${HAZARD_SOURCE_DIR:?}/tests/reference/cox
command -v Rscript >/dev/null || { echo "SKIP: Rscript not found (needed to compare JSON)"; exit 77; }
Rscript -e 'quit(status = !requireNamespace("jsonlite", quietly = TRUE))' ||
  { echo "SKIP: R package jsonlite not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0

run_case() {  # NAME TERMS ARGS...
  local name=$1 terms=$2; shift 2
  if ! "$hazard" cox "$@" --json >"$tmp/$name.json" 2>"$tmp/$name.err"; then
    echo "FAIL $name: hazard exited non-zero"; cat "$tmp/$name.err"; fail=1; return
  fi
  if Rscript "$(dirname "$0")/cox_compare.R" "$ref/cox_cli.json" "$name" "$tmp/$name.json" "$terms"; then
    echo "ok   $name"
  else
    echo "FAIL $name"; fail=1
  fi
}

run_case lung "age,sex,ph.ecog" --data "$ref/lung.csv" --time time --event status --covariates age,sex,ph.ecog
run_case veteran_breslow "trt,karno,celltype[large],celltype[smallcell],celltype[squamous]" \
  --data "$ref/veteran.csv" --time time --event status --covariates trt,karno,celltype --ties breslow --ph-test km
run_case bladder2_cluster "rx,number,size" --data "$ref/bladder2.csv" --start start --time stop --event event \
  --covariates rx,number,size --cluster id --ph-test rank
run_case aml_exact "x[Nonmaintained]" --data "$ref/aml.csv" --time time --event status --group x --ties exact
run_case bladder2_rx2_exact "number,size" --data "$ref/bladder2.csv" --where rx=2 --start start --time stop \
  --event event --covariates number,size --cluster id --ties exact
run_case lung_strata_weights "age,sex" --data "$ref/lung.csv" --time time --event status --covariates age,sex \
  --strata ph.ecog --weights w

# --compat sas: Breslow ties unless --ties is given, stated in the output
if "$hazard" cox --data "$ref/lung.csv" --time time --event status --covariates age,sex --compat sas --json >"$tmp/sas.json"; then
  if grep -q '"ties": "breslow"' "$tmp/sas.json" && grep -q '"compat": "sas"' "$tmp/sas.json" &&
     "$hazard" cox --data "$ref/lung.csv" --time time --event status --covariates age,sex --compat sas | grep -q 'SAS PHREG'; then
    echo "ok   compat sas"
  else
    echo "FAIL compat sas"; fail=1
  fi
else
  echo "FAIL compat sas: non-zero exit"; fail=1
fi

# monotone likelihood: a warning naming the covariate, exit 0
printf 'time,status,arm\n1,1,a\n2,1,a\n3,0,b\n4,1,a\n5,0,b\n6,1,a\n7,0,b\n' >"$tmp/mono.csv"
if "$hazard" cox --data "$tmp/mono.csv" --time time --event status --group arm >/dev/null 2>"$tmp/err" &&
   grep -q 'arm\[b\]' "$tmp/err" && grep -q 'infinite' "$tmp/err"; then
  echo "ok   monotone likelihood warning"
else
  echo "FAIL monotone likelihood warning"; cat "$tmp/err"; fail=1
fi

# --residuals: martingale and Schoenfeld CSV against R's residuals.coxph on the same file
if "$hazard" cox --data "$ref/lung.csv" --time time --event status --covariates age,sex --strata ph.ecog \
     --residuals martingale --out "$tmp/mart.csv" >/dev/null &&
   "$hazard" cox --data "$ref/lung.csv" --time time --event status --covariates age,sex --strata ph.ecog \
     --residuals schoenfeld --out "$tmp/sch.csv" >/dev/null &&
   Rscript -e 'suppressMessages(library(survival)); a <- commandArgs(TRUE)
     L <- read.csv(a[1]); f <- coxph(Surv(time, status) ~ age + sex + strata(ph.ecog), data = L)
     m <- read.csv(a[2]); s <- read.csv(a[3])
     ok <- max(abs(m$residual - residuals(f, "martingale"))) < 1e-8 &&
           max(abs(as.matrix(s[, c("age", "sex")]) - residuals(f, "schoenfeld"))) < 1e-8 &&
           identical(m$line, seq_len(nrow(L)) + 1L)
     quit(status = !ok)' "$ref/lung.csv" "$tmp/mart.csv" "$tmp/sch.csv"; then
  echo "ok   residuals csv"
else
  echo "FAIL residuals csv"; fail=1
fi

# --baseline: the cumulative hazard at the means against R's basehaz, per stratum
if "$hazard" cox --data "$ref/lung.csv" --time time --event status --covariates age,sex --strata ph.ecog \
     --baseline --json >"$tmp/base.json" &&
   Rscript -e 'suppressMessages(library(survival)); a <- commandArgs(TRUE)
     L <- read.csv(a[1]); f <- coxph(Surv(time, status) ~ age + sex + strata(ph.ecog), data = L)
     b <- basehaz(f); j <- jsonlite::fromJSON(a[2], simplifyVector = FALSE)$baseline
     h <- unlist(lapply(j, function(s) unlist(s$cumhaz))); t <- unlist(lapply(j, function(s) unlist(s$time)))
     ok <- length(h) == nrow(b) && max(abs(h - b$hazard) / b$hazard) < 1e-8 && all(t == b$time) &&
           identical(sapply(j, `[[`, "stratum"), levels(b$strata))
     quit(status = !ok)' "$ref/lung.csv" "$tmp/base.json"; then
  echo "ok   baseline"
else
  echo "FAIL baseline"; fail=1
fi

expect_exit() {  # CODE WHAT ARGS...
  local code=$1 what=$2; shift 2
  "$hazard" cox "$@" >/dev/null 2>"$tmp/err"; local got=$?
  if [[ $got == "$code" ]]; then echo "ok   $what (exit $code)"; else echo "FAIL $what: exit $got, want $code"; cat "$tmp/err"; fail=1; fi
}
expect_exit 2 "bad --ties" --data "$ref/lung.csv" --time time --event status --covariates age --ties foo
expect_exit 2 "no covariates" --data "$ref/lung.csv" --time time --event status
expect_exit 2 "exact with weights" --data "$ref/lung.csv" --time time --event status --covariates age --weights w --ties exact
expect_exit 2 "bad --ph-test" --data "$ref/lung.csv" --time time --event status --covariates age --ph-test foo
expect_exit 2 "--residuals without --out" --data "$ref/lung.csv" --time time --event status --covariates age --residuals martingale
expect_exit 2 "score residuals with exact ties" --data "$ref/lung.csv" --time time --event status --covariates age --ties exact --residuals score --out "$tmp/x.csv"
expect_exit 3 "unknown column" --data "$ref/lung.csv" --time time --event status --covariates nosuch
expect_exit 3 "unknown reference level" --data "$ref/veteran.csv" --time time --event status --covariates celltype --ref celltype=nosuch
# The text header counts the analysed rows (it read them after they had moved: "analysed: 0").
# The file (make_cox.R) holds the 212 complete rows of lung; R: coxph(Surv(time, status) ~ age) uses them all.
out=$("$hazard" cox --data "$ref/lung.csv" --time time --event status --covariates age 2>/dev/null)
if grep -q "rows read: 212, excluded: 0, analysed: 212)" <<<"$out"; then
  echo "ok   text header: analysed 212"
else
  echo "FAIL text header: $(head -3 <<<"$out")"; fail=1
fi
exit $fail
