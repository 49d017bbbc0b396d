#!/usr/bin/env bash
# CLI test of `hazard response` on the simulated example (examples/cabinet/adrs.csv, adtte_dor.csv):
# every case of tests/reference/response/cabinet.json (R binom.test, prop.test, mantelhaen.test,
# Newcombe and MH/Sato written out, survfit; see make_response.R) is run through the command line
# and the JSON compared with R's values (counts exactly, the rest to 1e-10 relative,
# tol::closed_form). Then the error paths: each names file, line, column and value.
# Usage: response.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: response.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples/cabinet
REF=$SRC/tests/reference/response
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

HAZARD="$HAZARD" REF="$REF" EX="$EX" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ref <- fromJSON(file.path(Sys.getenv("REF"), "cabinet.json"), simplifyVector = FALSE)
ex <- Sys.getenv("EX")
tol <- 1e-10
bad <- 0
near <- function(a, b) {
  if (is.null(b)) return(is.null(a))
  if (is.null(a)) return(FALSE)
  abs(a - b) <= max(tol * abs(b), 1e-14)
}
check <- function(what, ok) if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 }
cmp_tree <- function(path, h, r) {
  # every number of the reference must be in hazard's output at the same path
  if (is.null(r)) {
    check(paste(path, "= NA in R, not in hazard"), is.null(h))
  } else if (is.list(r)) {
    for (k in names(r)) cmp_tree(paste0(path, "$", k), h[[k]], r[[k]])
  } else if (is.numeric(r)) {
    check(paste(path, "=", format(h, digits = 17), "vs R", format(r, digits = 17)), near(h, r))
  } else if (is.character(r)) {
    check(paste(path, ":", h, "vs", r), identical(h, r))
  }
}
n_checked <- 0
for (cs in ref$cases) {
  args <- c("response", "--data", shQuote(file.path(ex, "adrs.csv")), shQuote(unlist(cs$cli)),
            "--adtte", shQuote(file.path(ex, "adtte_dor.csv")), "--json")
  out <- suppressWarnings(system2(hazard, args, stdout = TRUE, stderr = TRUE))
  if (!is.null(attr(out, "status"))) { cat("FAIL", cs$name, "exit", attr(out, "status"), out, sep = "\n"); bad <- bad + 1; next }
  h <- fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
  check(paste(cs$name, "n"), h$n == cs$n)
  check(paste(cs$name, "number of analyses"), length(h$analyses) == length(cs$analyses))
  for (k in seq_along(cs$analyses)) {
    r <- cs$analyses[[k]]; a <- h$analyses[[k]]
    p <- paste0(cs$name, "/", r$label)
    check(paste(p, "label"), identical(a$label, r$label))
    for (j in seq_along(r$arms)) {
      cmp_tree(paste0(p, "/arm", j), a$arms[[j]], r$arms[[j]])
      n_checked <- n_checked + 1
    }
    cmp_tree(paste0(p, "/comparison"), a$comparisons[[1]], r$comparisons[[1]])
    cmp_tree(paste0(p, "/dor"), a$duration_of_response, r$duration_of_response)
  }
}
cat(length(ref$cases), "cases,", n_checked, "arm analyses compared with R\n")
if (bad > 0) quit(status = 1)
RS

expect_error() {  # expect_error EXIT PATTERN hazard-args...: exit code and a message matching PATTERN
  local want=$1 pattern=$2; shift 2
  local msg
  msg=$("$HAZARD" "$@" 2>&1 >/dev/null)
  local got=$?
  if [ "$got" -ne "$want" ]; then echo "FAIL exit $got (want $want): hazard $*"; echo "$msg"; fail=1; return; fi
  if ! grep -qE -- "$pattern" <<<"$msg"; then echo "FAIL message (want /$pattern/): $msg"; fail=1; fi
}
ADRS=$EX/adrs.csv
# A response outside the controlled terms.
sed 's/"CABSIM-pNET-0001","Placebo","pNET","Yes","No","Y","BOR",\("[^"]*"\),"RECIST 1.1","SD"/"CABSIM-pNET-0001","Placebo","pNET","Yes","No","Y","BOR",\1,"RECIST 1.1","SDX"/' "$ADRS" >"$TMP/bad_term.csv"
grep -q '"SDX"' "$TMP/bad_term.csv" || { echo "FAIL: test setup (bad_term.csv)"; fail=1; }
line=$(grep -n '"SDX"' "$TMP/bad_term.csv" | cut -d: -f1)
expect_error 3 "bad_term.csv:$line: column 'AVALC': value 'SDX': not a best overall response term" \
  response --data "$TMP/bad_term.csv" --where PARAMCD=BOR --group TRT01P
# Several records per subject (no PARAMCD filter).
expect_error 3 "adrs.csv:[0-9]+: column 'USUBJID': value 'CABSIM-[a-zA-Z]+-[0-9]+': subject appears twice" \
  response --data "$ADRS" --group TRT01P
# A numeric response column.
expect_error 3 "column 'AVAL': value '[0-9]': the response column holds numbers" \
  response --data "$ADRS" --where PARAMCD=BOR --group TRT01P --response AVAL
# A subject missing from ADSL.
grep -v 'CABSIM-pNET-0002' "$EX/adsl.csv" >"$TMP/adsl_short.csv"
expect_error 3 "adrs.csv:[0-9]+: column 'USUBJID': value 'CABSIM-pNET-0002': subject .*CABSIM-pNET-0002 is not in the ADSL file" \
  response --data "$ADRS" --adsl "$TMP/adsl_short.csv" --where PARAMCD=BOR --group TRT01P
# An unknown reference arm; no --group; --conf-level outside (0, 1).
expect_error 3 "no such level" response --data "$ADRS" --where PARAMCD=BOR --group TRT01P --ref Nothing
expect_error 2 "group" response --data "$ADRS" --where PARAMCD=BOR
expect_error 2 "conf-level" response --data "$ADRS" --where PARAMCD=BOR --group TRT01P --conf-level 1.5
# A duration of response for a subject whose best response is SD.
sub=$(grep '"BOR"' "$ADRS" | grep '"SD"' | head -1 | cut -d, -f2)
printf 'USUBJID,PARAMCD,AVAL,CNSR\n%s,DOR,3.5,0\n' "$sub" >"$TMP/dor_bad.csv"
expect_error 3 "dor_bad.csv:2: column 'USUBJID': value '${sub//\"/}': subject has a duration-of-response record but its best overall response is SD" \
  response --data "$ADRS" --where PARAMCD=BOR --group TRT01P --adtte "$TMP/dor_bad.csv"

# With --adsl, subjects of the population without a BOR record count as MISSING (non-responders).
grep -v '"BOR"' "$ADRS" >"$TMP/adrs_nobor.csv"
grep '"BOR"' "$ADRS" | grep -v 'CABSIM-pNET-0001"' >>"$TMP/adrs_nobor.csv"
out=$("$HAZARD" response --data "$TMP/adrs_nobor.csv" --adsl "$EX/adsl.csv" --population ITTFL --where PARAMCD=BOR \
  --group TRT01P --json)
HJSON="$out" Rscript --vanilla -e '
  h <- jsonlite::fromJSON(Sys.getenv("HJSON"), simplifyVector = FALSE)
  a <- h$analyses[[1]]$arms
  miss <- sum(sapply(a, function(x) x$bor$MISSING))
  stopifnot(h$n == 298, h$n_without_record == 1, miss == 1, sum(sapply(a, function(x) x$n)) == 298)' \
  || { echo "FAIL: ADSL subject without a BOR record"; fail=1; }

# Human-readable and CSV output state the methods.
out=$("$HAZARD" response --data "$ADRS" --where PARAMCD=BOR --group TRT01P --ref Placebo --strata STRAT1R)
grep -q "Clopper-Pearson" <<<"$out" || { echo "FAIL text: no method line"; fail=1; }
grep -q "stratified by STRAT1R" <<<"$out" || { echo "FAIL text: no strata line"; fail=1; }
out=$("$HAZARD" response --data "$ADRS" --where PARAMCD=BOR --group TRT01P --ref Placebo --csv)
head -1 <<<"$out" | grep -q "^analysis,group,reference,endpoint,statistic,estimate,lower,upper,n,events$" \
  || { echo "FAIL csv header: $(head -1 <<<"$out")"; fail=1; }
grep -q "^Overall,Cabozantinib,,ORR,rate_clopper_pearson," <<<"$out" || { echo "FAIL csv ORR row"; fail=1; }
exit $fail
