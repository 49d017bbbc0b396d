#!/usr/bin/env bash
# CLI test of `hazard report`: the shipped example (examples/cabinet, SIMULATED data, by COHORT,
# stratified) and RADIANT-4 (../shared/data/published-curves/RADIANT4_2A.csv; skipped visibly when
# absent) go through `hazard report`; every file is checked to exist and be non-empty, and the
# medians, quartiles, landmark rates, HRs (stratified and not) and log-rank p-values of
# results.json are compared with `hazard km/logrank/cox --json` run on the same subsets (exact
# equality: the same library calls). Then the bad-input cases: a cohort with one arm, an arm with
# no events, a stratum with one subject (messages in results.json, figures drawn), a missing --ref
# level (exit 3) and a missing --out (exit 2).
# Usage: report.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: report.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${HAZARD_SHARED_DIR:-$SRC/../shared}
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
EX=$SRC/examples/cabinet

# --- the example ---
if ! "$HAZARD" report --data "$EX/adtte.csv" --adsl "$EX/adsl.csv" --where PARAMCD=PFS --time AVAL --cnsr CNSR \
    --group TRT01P --ref Placebo --by COHORT --strata STRAT1R,STRAT2R --subgroups SEX,AGEGR1 --times 6,12 \
    --units months --notice "SIMULATED DATA - not trial data" --out "$TMP/cabinet" >"$TMP/cabinet.log" 2>&1; then
  echo "FAIL: hazard report on the example"; cat "$TMP/cabinet.log"; exit 1
fi
# Figures are named by the cohort's index (levels sorted: epNET, pNET, then Overall).
for f in report.html efficacy.rtf results.json results.csv km_2_pNET.svg km_2_pNET.png km_2_pNET.pdf km_1_epNET.svg \
         km_1_epNET.png km_1_epNET.pdf km_3_Overall.png forest.svg forest.png forest.pdf report_manifest.json; do
  [ -s "$TMP/cabinet/$f" ] || { echo "FAIL: $f missing or empty"; fail=1; }
done
grep -q "SIMULATED DATA" "$TMP/cabinet/report.html" || { echo "FAIL: notice not in report.html"; fail=1; }
grep -q "SIMULATED DATA" "$TMP/cabinet/efficacy.rtf" || { echo "FAIL: notice not in efficacy.rtf"; fail=1; }

# results.json equals hazard km / logrank / cox on the same subset (same flags, --where COHORT=...).
compare() {  # name dir cohort-name "common flags" "strata flag" [extra --where]
  HAZARD="$HAZARD" DIR="$2" COHORT="$3" COMMON="$4" STRATA="$5" EXTRA="${6:-}" NAME="$1" Rscript --vanilla - <<'RS'
suppressMessages(library(jsonlite))
hz <- Sys.getenv("HAZARD"); cohort <- Sys.getenv("COHORT"); name <- Sys.getenv("NAME")
common <- scan(text = Sys.getenv("COMMON"), what = "", quiet = TRUE)
strata <- scan(text = Sys.getenv("STRATA"), what = "", quiet = TRUE)
extra <- scan(text = Sys.getenv("EXTRA"), what = "", quiet = TRUE)
run <- function(cmd, args) {
  out <- suppressWarnings(system2(hz, c(cmd, shQuote(c(common, extra, args)), "--json"), stdout = TRUE, stderr = FALSE))
  fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
}
res <- fromJSON(file.path(Sys.getenv("DIR"), "results.json"), simplifyVector = FALSE)
rows <- res$results
get <- function(arm, stat, tp = NULL) {
  for (r in rows) if (r$cohort == cohort && r$arm == arm && r$statistic == stat &&
                      (is.null(tp) || identical(r$timepoint, tp))) return(if (is.null(r$value)) NA else r$value)
  stop(paste("no row", cohort, arm, stat))
}
bad <- 0
same <- function(a, b, what) {
  if (is.null(b)) b <- NA
  ok <- (is.na(a) && is.na(b)) || (!is.na(a) && !is.na(b) && a == b)
  if (!isTRUE(ok)) { cat("FAIL", name, cohort, what, "report", a, "command", b, "\n"); bad <<- bad + 1 }
}
km <- run("km", c("--times", "6,12"))
for (g in km$groups) {
  arm <- g$group
  same(get(arm, "n"), g$n, paste(arm, "n")); same(get(arm, "events"), g$events, paste(arm, "events"))
  same(get(arm, "median"), g$median$estimate, paste(arm, "median"))
  same(get(arm, "median_lower"), g$median$lower, paste(arm, "median lower"))
  same(get(arm, "median_upper"), g$median$upper, paste(arm, "median upper"))
  for (q in g$quantiles) {
    st <- if (q$p == 0.25) "q25" else if (q$p == 0.75) "q75" else "median"
    same(get(arm, st), q$estimate, paste(arm, st)); same(get(arm, paste0(st, "_upper")), q$upper, paste(arm, st, "upper"))
  }
  for (a in g$at) {
    tp <- format(a$time)
    same(get(arm, "rate", tp), a$surv, paste(arm, "rate", tp))
    same(get(arm, "rate_lower", tp), a$lower, paste(arm, "rate lower", tp))
  }
}
ctrl <- km$groups[[1]]$group; exper <- km$groups[[2]]$group
vs <- paste(exper, "vs", ctrl)
lr <- run("logrank", strata)
same(get(vs, "p_two_sided"), lr$p, "p two-sided"); same(get(vs, "p_one_sided"), lr$p_one_sided, "p one-sided")
cs <- run("cox", strata); cu <- run("cox", character())
same(get(vs, "hr_stratified"), cs$coefficients[[1]]$hr, "stratified HR")
same(get(vs, "hr_stratified_lower"), cs$coefficients[[1]]$lower, "stratified HR lower")
same(get(vs, "hr_stratified_upper"), cs$coefficients[[1]]$upper, "stratified HR upper")
same(get(vs, "hr_unstratified"), cu$coefficients[[1]]$hr, "unstratified HR")
cat(sprintf("%s %s: median %s %.4g vs %s %.4g; stratified HR %.4f; p %.4g\n", name, cohort, exper,
            get(exper, "median"), ctrl, get(ctrl, "median"), get(vs, "hr_stratified"), get(vs, "p_two_sided")))
quit(status = if (bad > 0) 1 else 0)
RS
}
COMMON="--data $EX/adtte.csv --where PARAMCD=PFS --time AVAL --cnsr CNSR --group TRT01P --ref Placebo"
compare example "$TMP/cabinet" pNET "$COMMON" "--strata STRAT1R,STRAT2R" "--where COHORT=pNET" || fail=1
compare example "$TMP/cabinet" epNET "$COMMON" "--strata STRAT1R,STRAT2R" "--where COHORT=epNET" || fail=1
compare example "$TMP/cabinet" Overall "$COMMON" "--strata STRAT1R,STRAT2R" || fail=1

# --- RADIANT-4 (published reconstructed curve data) ---
R4=$SHARED/data/published-curves/RADIANT4_2A.csv
if [ -f "$R4" ]; then
  if "$HAZARD" report --data "$R4" --time time --event event --group arm --ref placebo --times 6,12 \
      --units months --out "$TMP/r4" >"$TMP/r4.log" 2>&1; then
    for f in report.html efficacy.rtf results.json results.csv km_1_Overall.png forest.png; do
      [ -s "$TMP/r4/$f" ] || { echo "FAIL: RADIANT-4 $f missing"; fail=1; }
    done
    compare RADIANT-4 "$TMP/r4" Overall "--data $R4 --time time --event event --group arm --ref placebo" "" || fail=1
  else
    echo "FAIL: hazard report on RADIANT-4"; cat "$TMP/r4.log"; fail=1
  fi
else
  echo "SKIPPED (visible): RADIANT-4 integration, $R4 not found"
fi

# --- bad input ---
# A cohort with one arm only, an arm without events, a stratum with one subject.
{
  echo "ID,T,E,ARM,COH,S"
  for i in $(seq 1 12); do echo "a$i,$i,1,A,onearm,x"; done
  for i in $(seq 1 10); do echo "b$i,$i,1,A,noevents,x"; echo "c$i,$i,0,B,noevents,x"; done
  for i in $(seq 1 10); do echo "d$i,$i,1,A,single,x"; echo "e$i,$((i + 2)),$((i % 2)),B,single,x"; done
  echo "f1,5,1,B,single,lonely"
} >"$TMP/bad.csv"
if "$HAZARD" report --data "$TMP/bad.csv" --time T --event E --group ARM --ref B --by COH --strata S \
    --out "$TMP/bad" >"$TMP/bad.log" 2>&1; then
  BAD="$TMP/bad" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
j <- fromJSON(file.path(Sys.getenv("BAD"), "results.json"), simplifyVector = FALSE)
msg <- function(name) { for (c in j$cohorts) if (c$cohort == name) return(paste(c$note, paste(unlist(c$messages), collapse = " "))); "" }
bad <- 0
expect <- function(name, pattern) if (!grepl(pattern, msg(name))) { cat("FAIL bad input", name, ":", msg(name), "\n"); bad <<- bad + 1 }
expect("onearm", "reference group has no rows|one arm")
expect("noevents", "no events in B")
expect("single", "has one subject")
quit(status = if (bad > 0) 1 else 0)
RS
  for f in km_2_onearm.png km_1_noevents.png km_3_single.png forest.png report.html; do
    [ -s "$TMP/bad/$f" ] || { echo "FAIL: bad input: $f missing"; fail=1; }
  done
else
  echo "FAIL: hazard report crashed or refused the bad-input data"; cat "$TMP/bad.log"; fail=1
fi
# A --ref level that does not exist: a data error (exit 3) naming the level.
"$HAZARD" report --data "$TMP/bad.csv" --time T --event E --group ARM --ref Nope --out "$TMP/x" >"$TMP/ref.log" 2>&1
rc=$?
if [ $rc -ne 3 ] || ! grep -q "Nope" "$TMP/ref.log"; then echo "FAIL: missing --ref level: exit $rc"; cat "$TMP/ref.log"; fail=1; fi
"$HAZARD" report --data "$TMP/bad.csv" --time T --event E --group ARM --ref B >"$TMP/out.log" 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "FAIL: missing --out: exit $rc"; fail=1; }

[ $fail -eq 0 ] && echo "report.sh: all checks passed"
exit $fail
