#!/usr/bin/env bash
# CLI test of `hazard safety` on the simulated example (examples/cabinet/adae.csv, adsl.csv,
# adex.csv): every case of tests/reference/safety/cabinet.json (counts tallied twice in base R,
# poisson.test, prop.test, Newcombe written out; see make_safety.R) is run through the command
# line and the JSON compared with R's values: counts and row order exactly, the rest to 1e-10
# relative (tol::closed_form). Then the error paths: each names file, line, column and value.
# Usage: safety.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: safety.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples/cabinet
REF=$SRC/tests/reference/safety
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

HAZARD="$HAZARD" REF="$REF" EX="$EX" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ex <- Sys.getenv("EX")
ref <- fromJSON(file.path(Sys.getenv("REF"), "cabinet.json"), simplifyVector = FALSE)
tol <- 1e-10
bad <- 0
check <- function(what, ok) if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 }
near <- function(a, b) !is.null(a) && abs(a - b) <= max(tol * abs(b), 1e-14)
cmp_tree <- function(path, h, r) {
  if (is.null(r)) {
    check(paste(path, "= NA in R, not in hazard"), is.null(h))
  } else if (is.list(r)) {
    if (is.null(names(r))) {
      check(paste(path, "length", length(h), "vs", length(r)), length(h) == length(r))
      for (k in seq_along(r)) cmp_tree(paste0(path, "[", k, "]"), h[[k]], r[[k]])
    } else {
      for (k in names(r)) cmp_tree(paste0(path, "$", k), h[[k]], r[[k]])
    }
  } else if (is.numeric(r)) {
    check(paste(path, "=", format(h, digits = 17), "vs R", format(r, digits = 17)), near(h, r))
  } else if (is.character(r)) {
    check(paste(path, ":", h, "vs", r), identical(h, r))
  }
}
rows <- 0
for (cs in ref$cases) {
  cli <- unlist(cs$cli)
  cli[cli == "ADEX"] <- file.path(ex, "adex.csv")
  args <- c("safety", "--data", shQuote(file.path(ex, "adae.csv")), "--adsl", shQuote(file.path(ex, "adsl.csv")),
            shQuote(cli), "--json")
  out <- suppressWarnings(system2(hazard, args, stdout = TRUE, stderr = TRUE))
  if (!is.null(attr(out, "status"))) { cat("FAIL", cs$name, "exit", attr(out, "status"), out, sep = "\n"); bad <- bad + 1; next }
  h <- fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
  check(paste(cs$name, "n"), h$n == cs$n)
  cmp_tree(cs$name, h$analyses, cs$analyses)
  for (a in cs$analyses) rows <- rows + length(a$summary) + length(a$terms)
}
cat(length(ref$cases), "cases,", rows, "table rows compared with R\n")
if (bad > 0) quit(status = 1)
RS

expect_error() {  # expect_error EXIT PATTERN hazard-args...
  local want=$1 pattern=$2; shift 2
  local msg
  msg=$("$HAZARD" "$@" 2>&1 >/dev/null)
  local got=$?
  if [ "$got" -ne "$want" ]; then echo "FAIL exit $got (want $want): hazard $*"; echo "$msg"; fail=1; return; fi
  if ! grep -qE -- "$pattern" <<<"$msg"; then echo "FAIL message (want /$pattern/): $msg"; fail=1; fi
}
ADAE=$EX/adae.csv
ADSL=$EX/adsl.csv
# A subject of ADAE missing from ADSL.
grep -v '"CABSIM-pNET-0001"' "$ADSL" >"$TMP/adsl_short.csv"
line=$(grep -n '"CABSIM-pNET-0001"' "$ADAE" | head -1 | cut -d: -f1)
expect_error 3 "adae.csv:$line: column 'USUBJID': value 'CABSIM-pNET-0001': subject CABINET-SIM/CABSIM-pNET-0001 is not in the ADSL file" \
  safety --data "$ADAE" --adsl "$TMP/adsl_short.csv" --group TRT01A
# A grade outside 1-5 (line 10 of the file).
awk -F, 'NR == 10 { sub(/"[1-5]","[YN]",/, "\"7\",\"N\",") } { print }' "$ADAE" >"$TMP/bad_grade.csv"
grep -q '"7","N",' "$TMP/bad_grade.csv" || { echo "FAIL: test setup (bad_grade.csv)"; fail=1; }
expect_error 3 "bad_grade.csv:10: column 'AETOXGR': value '7': the adverse event grade must be 1, 2, 3, 4 or 5" \
  safety --data "$TMP/bad_grade.csv" --adsl "$ADSL" --group TRT01A
# An action taken outside the ACN codelist.
sed '5s/"DOSE NOT CHANGED"/"STOPPED"/; 5s/"DOSE REDUCED"/"STOPPED"/; 5s/"DRUG INTERRUPTED"/"STOPPED"/; 5s/"NOT APPLICABLE"/"STOPPED"/' \
  "$ADAE" >"$TMP/bad_acn.csv"
expect_error 3 "bad_acn.csv:5: column 'AEACN': value 'STOPPED': not a CDISC action taken" \
  safety --data "$TMP/bad_acn.csv" --adsl "$ADSL" --group TRT01A
# Usage errors: no --adsl, --where on a column neither file has, --min-percent out of range.
expect_error 2 "--adsl is required" safety --data "$ADAE" --group TRT01A
expect_error 2 "no column NOPE" safety --data "$ADAE" --adsl "$ADSL" --group TRT01A --where NOPE=1
expect_error 2 "min-percent" safety --data "$ADAE" --adsl "$ADSL" --group TRT01A --min-percent 150
expect_error 3 "no such level" safety --data "$ADAE" --adsl "$ADSL" --group TRT01A --ref Nothing

# ADEX and ADSL dates give the same exposure; --no-rates gives none.
a=$("$HAZARD" safety --data "$ADAE" --adsl "$ADSL" --group TRT01A --ref Placebo --csv)
b=$("$HAZARD" safety --data "$ADAE" --adsl "$ADSL" --group TRT01A --ref Placebo --csv --adex "$EX/adex.csv")
[ "$a" = "$b" ] || { echo "FAIL: exposure from ADEX differs from TRTEDT - TRTSDT + 1"; fail=1; }
head -1 <<<"$a" | grep -q "^analysis,table,id,soc,term,group,N,n,percent," || { echo "FAIL csv header"; fail=1; }
c=$("$HAZARD" safety --data "$ADAE" --adsl "$ADSL" --group TRT01A --no-rates --json)
grep -q '"computed": false' <<<"$c" || { echo "FAIL: --no-rates still computes rates"; fail=1; }
t=$("$HAZARD" safety --data "$ADAE" --adsl "$ADSL" --group TRT01A --ref Placebo --min-percent 10)
grep -q "Any TEAE" <<<"$t" && grep -q "terms in >= 10% of an arm" <<<"$t" && grep -q "exact Poisson" <<<"$t" \
  || { echo "FAIL text output"; echo "$t" | head -20; fail=1; }
exit $fail
