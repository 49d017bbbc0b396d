#!/usr/bin/env bash
# CLI test of `hazard logrank --test maxcombo|mb|rmst|milestone` (issue 24): every case of
# tests/reference/nph/{maxcombo,mb,rmst_milestone,stratified_rmst}.json (make_maxcombo.R, make_rmst_milestone.R,
# make_stratified_rmst.R: --strata with --stratum-weights ivw and size)
# run through the command line on the CSV files written there, the JSON compared with R's values
# (statistics to 1e-10 relative, tol::closed_form; MaxCombo p-values to 1e-6 absolute, tol::mvn_p).
# Then the usage and data errors.
# Usage: logrank_nph.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: logrank_nph.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
REF=$SRC/tests/reference/nph
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }

fail=0
HAZARD="$HAZARD" REF="$REF" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ref_dir <- Sys.getenv("REF")
bad <- 0
near <- function(a, b, tol = 1e-10) !is.null(a) && length(a) == length(b) && all(abs(a - b) <= pmax(tol * abs(b), 1e-14))
check <- function(name, ok, what) if (!isTRUE(ok)) { cat("FAIL", name, what, "\n"); bad <<- bad + 1 }
run <- function(name, file, args) {
  out <- suppressWarnings(system2(hazard, c("logrank", "--data", shQuote(file.path(ref_dir, file)),
                                            shQuote(args), "--json"), stdout = TRUE, stderr = FALSE))
  st <- attr(out, "status")
  if (!is.null(st) && st != 0) { cat("FAIL", name, "exit", st, "\n"); bad <<- bad + 1; return(NULL) }
  fromJSON(paste(out, collapse = "\n"), simplifyVector = TRUE)
}
mc <- fromJSON(file.path(ref_dir, "maxcombo.json"), simplifyVector = TRUE)$cases
for (i in seq_len(nrow(mc))) {
  c <- mc[i, ]; name <- paste0("maxcombo:", c$name)
  h <- run(name, c$file, c(unlist(c$cli), "--test", "maxcombo"))
  if (is.null(h)) next
  check(name, h$test == "maxcombo", "test")
  check(name, near(h$statistics$u, unlist(c$u)), "u")
  check(name, near(h$statistics$var, unlist(c$var)), "var")
  check(name, near(h$statistics$z, unlist(c$z)), "z")
  check(name, near(as.vector(t(h$correlation)), unlist(c$corr)), "correlation")
  check(name, near(h$max_abs_z, c$max_abs_z) && near(h$min_z, c$min_z), "max |z|, min z")
  check(name, abs(h$p - c$p) <= 1e-6 && abs(h$p_one_sided - c$p_one_sided) <= 1e-6, "p (1e-6 absolute)")
  check(name, h$p_error <= 1e-6, "p_error")
}
mb <- fromJSON(file.path(ref_dir, "mb.json"), simplifyVector = TRUE)$cases
for (i in seq_len(nrow(mb))) {
  c <- mb[i, ]; name <- paste0("mb:", c$name)
  h <- run(name, c$file, c(unlist(c$cli), "--test", "mb"))
  if (is.null(h)) next
  for (k in c("u", "var", "z", "p", "p_one_sided", "max_weight")) check(name, near(h[[k]], c[[k]]), k)
  check(name, near(h$surv_t_star, unlist(c$surv_t_star)), "surv_t_star")
}
rm <- fromJSON(file.path(ref_dir, "rmst_milestone.json"), simplifyVector = TRUE)
for (i in seq_len(nrow(rm$rmst))) {
  c <- rm$rmst[i, ]; name <- paste0("rmst:", c$name)
  h <- run(name, c$file, c(unlist(c$cli), "--test", "rmst"))
  if (is.null(h)) next
  check(name, h$n == c$n, "n")
  check(name, near(h$arms$rmst, unlist(c$rmst)) && near(h$arms$std_err, unlist(c$std_err)), "arms")
  for (k in c("difference", "lower", "upper", "z", "p", "p_one_sided")) check(name, near(h[[k]], c[[k]]), k)
}
for (i in seq_len(nrow(rm$milestone))) {
  c <- rm$milestone[i, ]; name <- paste0("milestone:", c$name)
  h <- run(name, c$file, c(unlist(c$cli), "--test", "milestone"))
  if (is.null(h)) next
  check(name, h$n == c$n, "n")
  check(name, near(h$arms$surv, unlist(c$surv)) && near(h$arms$std_err, unlist(c$std_err_arm)), "arms")
  check(name, near(h$arms$n_risk, unlist(c$n_risk)), "n_risk")
  for (k in c("difference", "std_err", "lower", "upper", "z", "p", "p_one_sided")) check(name, near(h[[k]], c[[k]]), k)
}
# stratified RMST and milestone (make_stratified_rmst.R): both weightings, strata matched by label
sr <- fromJSON(file.path(ref_dir, "stratified_rmst.json"), simplifyVector = FALSE)$cases
for (c in sr) {
  for (key in c("ivw", "size")) {
    name <- paste0("stratified ", c$test, ":", c$name, ":", key)
    h <- run(name, c$file, c(unlist(c$cli), if (key == "size") c("--stratum-weights", "size")))
    if (is.null(h)) next
    check(name, h$test == c$test && h$stratum_weights == key && h$n == c$n, "test, stratum_weights, n")
    check(name, grepl(if (key == "ivw") "inverse-variance weights" else "size weights", h$method), "method states the weights")
    rs <- c$strata; comb <- c[[key]]
    check(name, nrow(h$strata) == length(rs), "number of strata")
    for (i in seq_along(rs)) {
      j <- match(rs[[i]]$stratum, h$strata$stratum)
      if (is.na(j)) { check(name, FALSE, paste("stratum", rs[[i]]$stratum)); next }
      check(name, h$strata$n[j] == rs[[i]]$n, "stratum n")
      check(name, near(h$strata$difference[j], rs[[i]]$difference) && near(h$strata$se[j], rs[[i]]$se), "stratum difference, se")
      check(name, near(h$strata$weight[j], comb$weights[[i]]), "stratum weight")
      est <- if (c$test == "rmst") h$strata$arms[[j]]$rmst else h$strata$arms[[j]]$surv
      check(name, near(est, unlist(rs[[i]]$estimate)) && near(h$strata$arms[[j]]$std_err, unlist(rs[[i]]$std_err_arm)), "arms")
    }
    for (k in c("difference", "std_err", "lower", "upper", "z", "p", "p_one_sided")) check(name, near(h[[k]], comb[[k]]), k)
  }
}
cat(sprintf("%d maxcombo, %d mb, %d rmst, %d milestone, %d stratified cases (x 2 weightings) checked\n", nrow(mc), nrow(mb), nrow(rm$rmst), nrow(rm$milestone), length(sr)))
if (bad > 0) quit(status = 1)
RS

# Usage errors (exit 2) and data errors (exit 3), each with its message.
expect() {  # expect CODE PATTERN ARGS...
  local code=$1 pat=$2; shift 2
  local err rc
  err=$("$HAZARD" logrank --data "$REF/lung.csv" --time time --event status=2 "$@" 2>&1 >/dev/null); rc=$?
  if [ "$rc" != "$code" ] || ! grep -q -- "$pat" <<<"$err"; then
    echo "FAIL: $* -> exit $rc, '$err' (wanted $code, /$pat/)"; fail=1
  fi
}
expect 2 "not one of logrank, maxcombo" --group sex --test max
expect 2 "needs --t-star" --group sex --test mb
expect 2 "needs --tau" --group sex --test rmst
expect 2 "needs --at" --group sex --test milestone
expect 2 "applies to --test maxcombo only" --group sex --fh 0,0:1,0
expect 2 "applies to --test logrank only" --group sex --test mb --t-star 100 --rho 1
expect 2 "applies to --test mb only" --group sex --test maxcombo --t-star 100
expect 2 "is not a pair RHO,GAMMA" --group sex --test maxcombo --fh 0,0:1
expect 2 "is not a pair RHO,GAMMA" --group sex --test maxcombo --fh 0,-1
expect 2 "FH(0,0) is listed twice" --group sex --test maxcombo --fh 0,0:0,0
expect 2 "finite time > 0" --group sex --test mb --t-star -1
expect 2 "finite time > 0" --group sex --test rmst --tau 0
expect 2 "finite time >= 0" --group sex --test milestone --at -5
# stratified RMST / milestone: ph.ecog=3 holds one patient (sex=1): a data error naming the stratum
expect 3 "stratum ph.ecog=3 has no rows of sex=2" --group sex --test rmst --tau 100 --strata ph.ecog
expect 2 "--stratum-weights applies to --test rmst or milestone only" --group sex --test mb --t-star 100 --strata ph.ecog --stratum-weights size
expect 2 "it needs --strata" --group sex --test rmst --tau 100 --stratum-weights size
expect 2 "is not one of ivw, size" --group sex --test milestone --at 100 --strata ph.ecog --stratum-weights cmh
expect 4 "stratum ph.ecog=1: the milestone difference has standard error 0" --group sex --test milestone --at 10 --strata ph.ecog --where "ph.ecog<3"
# at 730 the ph.ecog=2, sex=2 curve is 0: no SE (R: NaN)
expect 4 "stratum ph.ecog=2: the Kaplan-Meier of sex=2 has fallen to 0" --group sex --test milestone --at 730 --strata ph.ecog --where "ph.ecog<3" --stratum-weights size
expect 2 "--conf-level must be in" --group sex --test milestone --at 100 --conf-level 1.5
expect 3 "this test compares two groups" --group ph.ecog --test maxcombo
# the milestone before any event: no standard error, a numerical error (exit 4)
expect 4 "no standard error" --group sex --test milestone --at 1

# the text output states the test and its p
out=$("$HAZARD" logrank --data "$REF/lung.csv" --time time --event status=2 --group sex --test maxcombo)
grep -q "MaxCombo: the largest |z| of FH(0,0), FH(0,1), FH(1,0), FH(1,1)" <<<"$out" || { echo "FAIL: maxcombo text method"; fail=1; }
grep -q "max |z| = 3.57 (FH(1,0)), p = 0.000984" <<<"$out" || { echo "FAIL: maxcombo text p: $out"; fail=1; }
# the stratified text names the weights, each stratum and the combination
out=$("$HAZARD" logrank --data "$REF/lung.csv" --time time --event status=2 --group sex --strata ph.ecog --where "ph.ecog<3" --test rmst --tau 900)
grep -q "combined over the strata with inverse-variance weights" <<<"$out" || { echo "FAIL: stratified rmst text method: $out"; fail=1; }
grep -q "^ph.ecog=2 .* \*$" <<<"$out" || { echo "FAIL: stratified rmst text: tau past the last time not marked: $out"; fail=1; }
grep -q "stratified difference (sex=2 - sex=1; ivw weights) = " <<<"$out" || { echo "FAIL: stratified rmst text result: $out"; fail=1; }
exit $fail
