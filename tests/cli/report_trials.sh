#!/usr/bin/env bash
# `hazard report` on three trials of R's survival package against R (tests/reference/report/
# make_report.R -> report.json: survfit, coxph, survdiff and anova on the same subsets):
#   colon   three arms (--ref Obs), deaths (--where etype=2), stratified by differ (23 missing:
#           N stays 929), cohorts by node4, subgroups sex and age cut at 65 within each cohort,
#           time in years (--units days --display-units years);
#   lung    two arms (sex), --units days --display-units months, 90% intervals, a named endpoint,
#           subgroup ph.ecog (one level with one patient);
#   veteran two arms (trt), no units stated, subgroup celltype.
# Every number of report.json must be in results.json (tests/cli/report_compare.R gives the
# tolerances); then the labels (arms compared, units, interval level, stratified wording), every arm
# drawn in the KM figure, figure names, and, when Chromium is installed, the pages through
# report_html.sh (no request, no console message, table cells equal to results.json).
# Usage: report_trials.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: report_trials.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
REF=$SRC/tests/reference/report
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite); library(png)' >/dev/null 2>&1 || { echo "R packages jsonlite/png not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0

run() {  # NAME ARGS...
  local name=$1; shift
  if ! "$HAZARD" report "$@" --out "$TMP/$name" >"$TMP/$name.log" 2>&1; then
    echo "FAIL: hazard report $name"; cat "$TMP/$name.log"; fail=1; return 1
  fi
  Rscript --vanilla "$SRC/tests/cli/report_compare.R" "$REF/report.json" "$name" "$TMP/$name/results.json" || fail=1
}
run colon --data "$REF/colon.csv" --where etype=2 --time time --event status --group rx --ref Obs \
  --strata differ --units days --display-units years --times 1,3,5 --by node4 \
  --subgroups sex,age --cut age=65 --subgroups-within-cohort
run lung --data "$REF/lung.csv" --time time --event status=2 --group sex --units days --display-units months \
  --times 6,12 --conf-level 0.9 --endpoint "Overall survival" --subgroups ph.ecog
run veteran --data "$REF/veteran.csv" --time time --event status --group trt --times 90,180 --subgroups celltype

has() {  # FILE TEXT: the text is in the file
  grep -qF -- "$2" "$1" || { echo "FAIL: $(basename "$(dirname "$1")")/$(basename "$1") lacks '$2'"; fail=1; }
}
hasnt() {  # FILE PERL-REGEX: nowhere in the file
  if grep -qP -- "$2" "$1"; then
    echo "FAIL: $(basename "$(dirname "$1")")/$(basename "$1") has /$2/:"; grep -oP -- ".{0,40}$2.{0,20}" "$1" | head -3; fail=1
  fi
}
C=$TMP/colon L=$TMP/lung V=$TMP/veteran
# colon: every arm compared with Obs, the global test, N stays randomized, units converted.
for f in "$C/report.html" "$C/efficacy.rtf"; do
  has "$f" "Lev vs Obs"; has "$f" "Lev+5FU vs Obs"; has "$f" "Log-rank p, stratified, all arms"
  has "$f" "Time (years)"; has "$f" "Not in the stratified analyses, n"
  has "$f" "missing stratification factor (differ): 23"; has "$f" "Median follow-up (95% CI), reverse KM"
done
has "$C/report.html" "Lev+5FU<br>(N=304)"
has "$C/report.html" "Interaction"
# lung: 90% intervals everywhere, no strata, the endpoint's name.
for f in "$L/report.html" "$L/efficacy.rtf"; do
  hasnt "$f" "95%"; hasnt "$f" "(?<![Uu]n)stratified"
  has "$f" "Overall survival rate at 12 months"; has "$f" "Median (90% CI)"; has "$f" "Time (months)"
done
# veteran: no unit stated, none assumed.
for f in "$V/report.html" "$V/efficacy.rtf" "$V/results.json"; do hasnt "$f" "(?i)month"; done
has "$V/report.html" "Survival rate at 180<"
has "$V/report.html" "Time to event: Time<"
# Figures named by index; every arm of colon drawn (the third arm in Okabe-Ito bluish green).
for f in km_1_0.png km_2_1.png km_3_Overall.png forest.png report_manifest.json; do
  [ -s "$C/$f" ] || { echo "FAIL: colon/$f missing"; fail=1; }
done
COLON=$C Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(png))
img <- readPNG(file.path(Sys.getenv("COLON"), "km_3_Overall.png"))
near <- function(r, g, b) sum(abs(img[, , 1] - r) < 0.03 & abs(img[, , 2] - g) < 0.03 & abs(img[, , 3] - b) < 0.03)
n <- c(blue = near(0, 114 / 255, 178 / 255), vermillion = near(213 / 255, 94 / 255, 0), green = near(0, 158 / 255, 115 / 255))
cat("colon KM figure, pixels per arm colour:", paste(names(n), n, collapse = ", "), "\n")
if (any(n < 1500)) { cat("FAIL: an arm is not drawn in the colon KM figure\n"); quit(status = 1) }
RS

# The pages in a browser (the same checks as for the example report).
if command -v chromium >/dev/null; then
  for t in colon lung veteran; do
    REPORT_DIR=$TMP/$t HAZARD_SOURCE_DIR=$SRC bash "$SRC/tests/cli/report_html.sh" "$HAZARD" >"$TMP/$t.html.log" 2>&1 ||
      { echo "FAIL: report_html.sh on $t"; cat "$TMP/$t.html.log"; fail=1; }
  done
else
  echo "SKIPPED (visible): the Chromium check of the three pages (chromium not installed)"
fi

[ $fail -eq 0 ] && echo "report_trials.sh: all checks passed"
exit $fail
