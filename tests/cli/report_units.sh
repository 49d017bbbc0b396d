#!/usr/bin/env bash
# Time units in `hazard km`, `hazard cox` and `hazard report` (docs/cli/data.md, "Time units"):
#   * --units days --display-units months converts the time (30.4375 days a month) before the
#     analysis: km medians and landmark survival, cox baseline times equal R with Surv(time / 30.4375)
#     (tests/reference/report/units.json, make_units.R); the Cox HR is the one in days;
#   * without --units the report never assumes a unit: its axis and table say "Time", no "months";
#   * km --followup: the reverse Kaplan-Meier median follow-up per group (JSON groups[].followup);
#   * --display-units without --units is a usage error (exit 2);
#   * labels follow the analysis: --conf-level 0.9 leaves no "95%" in report.html or efficacy.rtf,
#     no "stratified" wording without --strata, landmark rows named after --endpoint.
# Usage: report_units.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: report_units.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
REF=$SRC/tests/reference
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
LUNG=$REF/km/lung.csv
VET=$REF/km/veteran.csv

"$HAZARD" km --data "$LUNG" --time time --event status=2 --group sex --units days --display-units months \
  --times 6,12 --followup --json >"$TMP/km.json" || { echo "FAIL: km --display-units"; fail=1; }
"$HAZARD" cox --data "$LUNG" --time time --event status=2 --group sex --units days --display-units months \
  --baseline --json >"$TMP/cox.json" || { echo "FAIL: cox --display-units"; fail=1; }
"$HAZARD" km --data "$LUNG" --time time --event status=2 --group sex --units days --display-units months \
  --times 6 >"$TMP/km.txt" || fail=1
grep -q "times in months (converted from days: 30.4375 days a month)" "$TMP/km.txt" ||
  { echo "FAIL: km text does not state the units"; cat "$TMP/km.txt"; fail=1; }

REFJ=$REF/report/units.json KM=$TMP/km.json COX=$TMP/cox.json Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
r <- fromJSON(Sys.getenv("REFJ")); km <- fromJSON(Sys.getenv("KM"), simplifyVector = FALSE)
cx <- fromJSON(Sys.getenv("COX"), simplifyVector = FALSE)
bad <- 0
# closed forms (KM) to 1e-10 relative (tol::closed_form), the Cox fit to 1e-8 (tol::iterative)
chk <- function(what, got, want, tol) {
  ok <- length(got) == length(want) && all(abs(got - want) <= tol * abs(want) + 1e-14)
  if (!isTRUE(ok)) { cat("FAIL", what, ": hazard", format(got, digits = 15), "R", format(want, digits = 15), "\n"); bad <<- bad + 1 }
}
if (!identical(km$time_units, "months")) { cat("FAIL km time_units:", km$time_units, "\n"); bad <- bad + 1 }
for (g in 1:2) {
  G <- km$groups[[g]]
  chk(paste("median", g), G$median$estimate, r$km$median[g], 1e-10)
  chk(paste("median lower", g), G$median$lower, r$km$median_lower[g], 1e-10)
  chk(paste("median upper", g), G$median$upper, r$km$median_upper[g], 1e-10)
  chk(paste("S(6), S(12)", g), sapply(G$at, function(a) a$surv), r$km$at_surv[(2 * g - 1):(2 * g)], 1e-10)
  # km --followup: reverse Kaplan-Meier median follow-up (null = NA, not reached)
  nn <- function(x) if (is.null(x)) NA_real_ else x
  chk(paste("followup", g), nn(G$followup$estimate), r$km$followup[g], 1e-10)
  chk(paste("followup lower", g), nn(G$followup$lower), r$km$followup_lower[g], 1e-10)
  fu <- nn(G$followup$upper); fr <- r$km$followup_upper[g]
  if (!identical(is.na(fu), is.na(fr)) || (!is.na(fr) && abs(fu - fr) > 1e-10 * fr)) {
    cat("FAIL followup upper", g, fu, fr, "\n"); bad <- bad + 1 }
}
chk("cox HR", cx$coefficients[[1]]$hr, r$cox$hr, 1e-8)
chk("cox HR in months = HR in days", r$cox$hr, r$cox$hr_days, 1e-12)
chk("baseline times (months)", unlist(cx$baseline[[1]]$time), r$cox$baseline_time, 1e-10)
chk("baseline cumhaz", unlist(cx$baseline[[1]]$cumhaz), r$cox$baseline_cumhaz, 1e-8)
if (!identical(cx$time_units, "months")) { cat("FAIL cox time_units\n"); bad <- bad + 1 }
quit(status = if (bad > 0) 1 else 0)
RS

# --display-units without --units: the unit of the time column is unknown.
"$HAZARD" km --data "$LUNG" --time time --event status=2 --display-units months >"$TMP/e.log" 2>&1
rc=$?
{ [ $rc -eq 2 ] && grep -q -- "--units days --display-units months" "$TMP/e.log"; } ||
  { echo "FAIL: --display-units without --units: exit $rc"; cat "$TMP/e.log"; fail=1; }

# The report without --units: "Time", never "months".
"$HAZARD" report --data "$VET" --time time --event status --group trt --times 90,180 --out "$TMP/vet" \
  >"$TMP/vet.log" 2>&1 || { echo "FAIL: report on veteran"; cat "$TMP/vet.log"; fail=1; }
if grep -qi "month" "$TMP/vet/report.html" "$TMP/vet/efficacy.rtf" "$TMP/vet/results.json" "$TMP/vet/"km_*.svg; then
  echo "FAIL: veteran report (no --units) mentions months:"; grep -oi ".\{40\}month.\{20\}" "$TMP/vet/report.html" | head -5; fail=1
fi
grep -q '"units": ""' "$TMP/vet/results.json" || { echo "FAIL: results.json units not empty"; fail=1; }
# The report in months.
"$HAZARD" report --data "$LUNG" --time time --event status=2 --group sex --units days --display-units months \
  --times 6,12 --out "$TMP/lung" >"$TMP/lung.log" 2>&1 || { echo "FAIL: report on lung"; cat "$TMP/lung.log"; fail=1; }
grep -q "Time (months)" "$TMP/lung/report.html" || { echo "FAIL: lung report: no 'Time (months)' heading"; fail=1; }
grep -q '"units": "months"' "$TMP/lung/results.json" || { echo "FAIL: lung results.json units"; fail=1; }
# Labels: 90% intervals, no strata, a named endpoint.
"$HAZARD" report --data "$LUNG" --time time --event status=2 --group sex --units days --display-units months \
  --times 6,12 --conf-level 0.9 --endpoint "Overall survival" --out "$TMP/l90" >"$TMP/l90.log" 2>&1 ||
  { echo "FAIL: report --conf-level 0.9"; cat "$TMP/l90.log"; fail=1; }
if grep -q "95%" "$TMP/l90/report.html" "$TMP/l90/efficacy.rtf"; then
  echo "FAIL: --conf-level 0.9 but 95% written:"; grep -o ".\{40\}95%.\{20\}" "$TMP/l90/report.html" "$TMP/l90/efficacy.rtf" | head -5; fail=1
fi
if grep -qP "(?<![Uu]n)stratified" "$TMP/l90/report.html" "$TMP/l90/efficacy.rtf"; then
  echo "FAIL: no --strata but 'stratified' written:"; grep -oP ".{40}(?<![Uu]n)stratified.{20}" "$TMP/l90/report.html" | head -5; fail=1
fi
for want in "Median (90% CI)" "Hazard ratio (90% CI)" "Overall survival rate at 12 months" "Time (months)"; do
  grep -qF "$want" "$TMP/l90/report.html" || { echo "FAIL: report.html lacks '$want'"; fail=1; }
done

[ $fail -eq 0 ] && echo "report_units.sh: all checks passed"
exit $fail
