#!/usr/bin/env bash
# CLI test of the readout sections of `hazard report` (--adae, --adex, --adrs, --dor, --adqs) on
# the simulated example examples/cabinet: results.json's `safety`, `response` and `qol` objects
# are compared with the independent R values of tests/reference/{safety,response,qol} (base R
# tallies, binom.test, prop.test, mantelhaen.test, poisson.test, survfit; see the make_*.R
# scripts): counts and row order exactly, the rest to 1e-10 relative (tol::closed_form). Then:
# the HTML page has the three sections and its cells carry R's numbers, readout.rtf is written,
# results.csv has the readout rows, a report without the flags has none of it (and a rerun
# without them removes readout.rtf), and the usage errors.
# Usage: report_readout.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: report_readout.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
EX=$SRC/examples/cabinet
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
export SOURCE_DATE_EPOCH=1700000000

EFFICACY=(--data "$EX/adtte.csv" --adsl "$EX/adsl.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR
          --group TRT01P --ref Placebo --units months)
# A: by cohort, stratified, exposure from the ADSL dates, ADSL joined to ADRS and ADQS (ITTFL).
"$HAZARD" report "${EFFICACY[@]}" --by COHORT --strata STRAT1R,STRAT2R --population ITTFL \
  --adae "$EX/adae.csv" --adrs "$EX/adrs.csv" --dor "$EX/adtte_dor.csv" --adqs "$EX/adqs.csv" \
  --qol-param PARAMCD=GHS --qol-mid 10 --out "$TMP/a" >/dev/null || { echo "FAIL: report A exit $?"; exit 1; }
# B: one analysis, exposure from ADEX, SOC/PT terms in >= 10% of an arm.
"$HAZARD" report "${EFFICACY[@]}" --adae "$EX/adae.csv" --adex "$EX/adex.csv" --ae-min-percent 10 \
  --out "$TMP/b" >/dev/null || { echo "FAIL: report B exit $?"; exit 1; }

A="$TMP/a" B="$TMP/b" SRC="$SRC" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
src <- Sys.getenv("SRC")
ref <- function(area, file) fromJSON(file.path(src, "tests", "reference", area, file), simplifyVector = FALSE)
case <- function(r, name) Filter(function(c) c$name == name, r$cases)[[1]]
tol <- 1e-10
bad <- 0
compared <- 0
check <- function(what, ok) if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 }
near <- function(a, b) !is.null(a) && is.numeric(a) && abs(a - b) <= max(tol * abs(b), 1e-14)
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
    compared <<- compared + 1
    check(paste(path, "=", format(h, digits = 17), "vs R", format(r, digits = 17)), near(h, r))
  } else if (is.character(r)) {
    check(paste(path, ":", h, "vs", r), identical(h, r))
  }
}
a <- fromJSON(file.path(Sys.getenv("A"), "results.json"), simplifyVector = FALSE)
b <- fromJSON(file.path(Sys.getenv("B"), "results.json"), simplifyVector = FALSE)
for (k in c("safety", "response", "qol")) check(paste("results.json has", k), !is.null(a[[k]]))

s <- case(ref("safety", "cabinet.json"), "by_cohort_dates")
check("safety n", a$safety$n == s$n)
cmp_tree("A safety", a$safety$analyses, s$analyses)
s <- case(ref("safety", "cabinet.json"), "min10_adex")
check("safety B n", b$safety$n == s$n)
cmp_tree("B safety", b$safety$analyses, s$analyses)
check("B has no response/qol", is.null(b$response) && is.null(b$qol))

r <- case(ref("response", "cabinet.json"), "by_cohort_stratified")
check("response n", a$response$n == r$n)
cmp_tree("A response", a$response$analyses, r$analyses)

q <- case(ref("qol", "deterioration.json"), "ghs_first_adsl_by_cohort_months")
check("qol n", a$qol$n == q$n)
check("qol paramcd", identical(a$qol$paramcd, "TTDGHS"))
cmp_tree("A qol", a$qol$analyses, q$analyses)

# Each section states its methods.
check("safety method", any(grepl("Newcombe", unlist(a$safety$method))) && any(grepl("poisson.test", unlist(a$safety$method))))
check("response method", any(grepl("Clopper", unlist(a$response$method))) && any(grepl("Mantel", unlist(a$response$method))))
check("qol method", any(grepl("log-log", unlist(a$qol$method))))

# The HTML cells carry the same numbers (data-value, unrounded).
html <- paste(readLines(file.path(Sys.getenv("A"), "report.html"), warn = FALSE), collapse = "\n")
for (id in c("safety", "response", "qol")) check(paste("section", id), grepl(paste0("<section id=\"", id, "\">"), html, fixed = TRUE))
cell <- function(cohort, arm, stat) {
  m <- regmatches(html, regexpr(paste0("data-cohort=\"", cohort, "\" data-arm=\"", arm, "\" data-stat=\"", stat,
                                       "\"[^>]*data-value=\"[^\"]*\""), html))
  if (!length(m)) return(NULL)
  as.numeric(sub(".*data-value=\"([^\"]*)\"$", "\\1", m))
}
ov <- r$analyses[[3]]
check("html ORR rate", near(cell("Overall", "Cabozantinib", "ORR_rate"), ov$arms[[2]]$orr$estimate))
check("html DCR MH difference", near(cell("Overall", "Cabozantinib vs Placebo", "DCR_difference_mh"),
                                     ov$comparisons[[1]]$dcr$stratified_difference$estimate))
check("html CMH p", near(cell("Overall", "Cabozantinib vs Placebo", "ORR_cmh_p"), ov$comparisons[[1]]$orr$cmh$p))
sv <- case(ref("safety", "cabinet.json"), "by_cohort_dates")$analyses[[1]]
check("html TEAE grade3 n", near(cell("epNET", "Cabozantinib", "teae_grade3_n"), sv$summary[[2]]$arms[[2]]$n))
check("html TTD median", near(cell("pNET", "Placebo", "ttd_median"), q$analyses[[2]]$arms[[1]]$median$estimate))

# results.csv: the readout rows with the same values.
csv <- read.csv(file.path(Sys.getenv("A"), "results.csv"), stringsAsFactors = FALSE)
row <- function(ep, cohort, arm, stat) csv$value[csv$endpoint == ep & csv$cohort == cohort & csv$arm == arm & csv$statistic == stat]
check("csv ORR rate_lower", near(row("ORR", "Overall", "Cabozantinib", "rate_lower"), ov$arms[[2]]$orr$lower))
check("csv TEAE any_n", near(row("TEAE", "epNET", "Placebo", "any_n"), sv$summary[[1]]$arms[[1]]$n))
check("csv DOR median_lower", near(row("DOR", "Overall", "Cabozantinib", "median_lower"),
                                   ov$duration_of_response$arms[[2]]$median$lower))
check("csv TTDGHS events", near(row("TTDGHS", "Overall", "Cabozantinib", "events"), q$analyses[[3]]$arms[[2]]$events))
check("csv SOC/PT rows", any(grepl("^TEAE: .* / Diarrhoea$", csv$endpoint)))
cat(compared, "readout numbers compared with R\n")
if (bad > 0) quit(status = 1)
RS

grep -q 'Table: Tumour response' "$TMP/a/readout.rtf" && grep -q 'readout.rtf' "$TMP/a/report_manifest.json" \
  || { echo "FAIL: readout.rtf"; fail=1; }

# Without the readout flags: no readout section, key, row or file; a rerun into the same folder
# removes the readout.rtf of the previous run (its manifest lists it).
"$HAZARD" report "${EFFICACY[@]}" --out "$TMP/a" >/dev/null || { echo "FAIL: plain report exit $?"; fail=1; }
[ ! -e "$TMP/a/readout.rtf" ] || { echo "FAIL: stale readout.rtf kept"; fail=1; }
grep -q '<section id="safety">' "$TMP/a/report.html" && { echo "FAIL: safety section without --adae"; fail=1; }
grep -qE '"(safety|response|qol)":' "$TMP/a/results.json" && { echo "FAIL: readout keys without the flags"; fail=1; }
grep -qE '^"?(TEAE|ORR|DCR|BOR|DOR)' "$TMP/a/results.csv" && { echo "FAIL: readout rows without the flags"; fail=1; }

expect_error() {  # expect_error EXIT PATTERN hazard-args...
  local want=$1 pattern=$2; shift 2
  local msg
  msg=$("$HAZARD" "$@" 2>&1 >/dev/null)
  local got=$?
  if [ "$got" -ne "$want" ]; then echo "FAIL exit $got (want $want): hazard $*"; echo "$msg"; fail=1; return; fi
  if ! grep -qE -- "$pattern" <<<"$msg"; then echo "FAIL message (want /$pattern/): $msg"; fail=1; fi
}
expect_error 2 "--adex needs --adae" report "${EFFICACY[@]}" --adex "$EX/adex.csv" --out "$TMP/e"
expect_error 2 "--dor needs --adrs" report "${EFFICACY[@]}" --dor "$EX/adtte_dor.csv" --out "$TMP/e"
expect_error 2 "--qol-mid must be" report "${EFFICACY[@]}" --adqs "$EX/adqs.csv" --qol-mid 0 --out "$TMP/e"
expect_error 2 "--adsl is required" report --data "$EX/adtte.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR \
  --group TRT01P --adae "$EX/adae.csv" --out "$TMP/e"
expect_error 2 "--qol-rule" report "${EFFICACY[@]}" --adqs "$EX/adqs.csv" --qol-rule sometimes --out "$TMP/e"
# A bad readout input fails the whole report (nothing written), naming the file and line.
awk -F, 'NR == 10 { sub(/"[1-5]","[YN]",/, "\"7\",\"N\",") } { print }' "$EX/adae.csv" >"$TMP/bad_grade.csv"
expect_error 3 "bad_grade.csv:10: column 'AETOXGR': value '7'" report "${EFFICACY[@]}" --adae "$TMP/bad_grade.csv" --out "$TMP/e"
[ ! -e "$TMP/e" ] || { echo "FAIL: a failed report left $TMP/e"; fail=1; }
exit $fail
