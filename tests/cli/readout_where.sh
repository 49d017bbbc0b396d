#!/usr/bin/env bash
# CLI test: `hazard safety`, `hazard response` and `hazard deterioration` parse --where with the
# shared grammar of every command (parse_where: =, !=, <, <=, >, >=, in; docs/cli/data.md). Each
# subset written with another operator must give the R reference values of the subset written
# with `=` (tests/reference/{safety,response,qol}: base R tallies, binom.test, mantelhaen.test,
# survfit), compared to 1e-10 relative (tol::closed_form); a malformed clause is a usage error
# naming --where.
# Usage: readout_where.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: readout_where.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples/cabinet
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

run() {  # run OUT hazard-args...: the JSON output, or FAIL
  local out=$1; shift
  "$HAZARD" "$@" --json >"$TMP/$out" 2>"$TMP/$out.err" || { echo "FAIL exit $?: hazard $*"; cat "$TMP/$out.err"; fail=1; }
}
# pNET written as "not epNET", "in (pNET)" and with a numeric comparison on an ADSL column that
# holds for everyone (AGE >= 0).
run safety.json safety --data "$EX/adae.csv" --adsl "$EX/adsl.csv" --group TRT01A --ref Placebo \
  --where 'COHORT in pNET' --where 'AGE>=0' --conf-level 0.9 --min-percent 5
run response.json response --data "$EX/adrs.csv" --adsl "$EX/adsl.csv" --where PARAMCD=BOR \
  --where 'COHORT!=pNET' --group TRT01P --ref Placebo --strata STRAT1R,STRAT2R --adtte "$EX/adtte_dor.csv"
run ttd.json deterioration --data "$EX/adqs.csv" --param PARAMCD=GHS --mid 10 --group TRT01P --ref Placebo \
  --where 'COHORT!=epNET' --units months

[ $fail -eq 0 ] && { TMP="$TMP" SRC="$SRC" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
src <- Sys.getenv("SRC"); tmp <- Sys.getenv("TMP")
ref <- function(area, file) fromJSON(file.path(src, "tests", "reference", area, file), simplifyVector = FALSE)
case <- function(r, name) Filter(function(c) c$name == name, r$cases)[[1]]
bad <- 0; compared <- 0
check <- function(what, ok) if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 }
cmp_tree <- function(path, h, r) {
  if (is.null(r)) check(paste(path, "= NA in R, not in hazard"), is.null(h))
  else if (is.list(r)) {
    if (is.null(names(r))) {
      check(paste(path, "length"), length(h) == length(r))
      for (k in seq_along(r)) cmp_tree(paste0(path, "[", k, "]"), h[[k]], r[[k]])
    } else for (k in setdiff(names(r), "label")) cmp_tree(paste0(path, "$", k), h[[k]], r[[k]])
  } else if (is.numeric(r)) {
    compared <<- compared + 1
    check(paste(path, "=", format(h, digits = 17), "vs R", format(r, digits = 17)),
          !is.null(h) && abs(h - r) <= max(1e-10 * abs(r), 1e-14))
  } else if (is.character(r)) check(paste(path, ":", h, "vs", r), identical(h, r))
}
h <- fromJSON(file.path(tmp, "safety.json"), simplifyVector = FALSE)
cmp_tree("safety COHORT in pNET", h$analyses, case(ref("safety", "cabinet.json"), "pnet_cl90")$analyses)
h <- fromJSON(file.path(tmp, "response.json"), simplifyVector = FALSE)
cmp_tree("response COHORT!=pNET", h$analyses[[1]],
         case(ref("response", "cabinet.json"), "by_cohort_stratified")$analyses[[1]])  # epNET
h <- fromJSON(file.path(tmp, "ttd.json"), simplifyVector = FALSE)
cmp_tree("deterioration COHORT!=epNET", h$analyses[[1]],
         case(ref("qol", "deterioration.json"), "ghs_first_by_cohort_months")$analyses[[2]])  # pNET
cat(compared, "numbers compared with R\n")
if (bad > 0) quit(status = 1)
RS
}

# A clause without an operator is a usage error naming --where, in every readout command.
for cmd in "safety --data $EX/adae.csv --adsl $EX/adsl.csv --group TRT01A" \
           "response --data $EX/adrs.csv --group TRT01P" \
           "deterioration --data $EX/adqs.csv --group TRT01P --mid 10"; do
  msg=$($HAZARD $cmd --where COHORT 2>&1 >/dev/null); rc=$?
  [ $rc -eq 2 ] && grep -q -- "--where" <<<"$msg" || { echo "FAIL: $cmd --where COHORT: exit $rc: $msg"; fail=1; }
done
exit $fail
