#!/usr/bin/env bash
# CLI test of `hazard logrank`: every case of tests/reference/logrank/logrank.json (R survdiff,
# survMisc, coxph score test; see make_logrank.R) is run through the command line on the CSV the
# R script wrote, and the JSON output is compared with R's values (counts exactly, the rest to
# 1e-10 relative, tol::closed_form). RADIANT-4 too when ../shared is present. Then the error paths.
# Usage: logrank.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: logrank.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
SHARED=${HAZARD_SHARED_DIR:-$SRC/../shared}
REF=$SRC/tests/reference/logrank
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }

fail=0

HAZARD="$HAZARD" REF="$REF" SHARED="$SHARED" Rscript --vanilla - <<'RS' || fail=1
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ref_dir <- Sys.getenv("REF"); shared <- Sys.getenv("SHARED")
tol <- 1e-10
bad <- 0
near <- function(a, b) {
  if (is.null(b) || (length(b) == 1 && is.na(b))) return(is.null(a) || (length(a) == 1 && is.na(a)))
  if (is.null(a)) return(FALSE)
  all(abs(a - b) <= pmax(tol * abs(b), 1e-14))
}
check <- function(name, ok, what) {
  if (!isTRUE(ok)) { cat("FAIL", name, what, "\n"); bad <<- bad + 1 }
}
run <- function(name, file, cli, r) {
  args <- c("logrank", "--data", shQuote(file), shQuote(cli), "--json")
  # warnings (a group without events) go to stderr, kept apart from the JSON
  err <- tempfile()
  out <- suppressWarnings(system2(hazard, args, stdout = TRUE, stderr = err))
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) { cat("FAIL", name, "exit", status, readLines(err), "\n"); bad <<- bad + 1; return() }
  h <- fromJSON(paste(out, collapse = "\n"), simplifyVector = TRUE)
  check(name, h$n == r$n, "n")
  check(name, h$df == r$df, "df")
  if (!is.null(r$n_excluded)) check(name, h$excluded$count == r$n_excluded, "excluded")
  check(name, identical(as.character(h$groups$group), as.character(r$groups)), "group levels")
  check(name, all(h$groups$n == r$n_per_group), "n per group")
  check(name, near(h$groups$observed, r$observed), "observed")
  check(name, near(h$groups$expected, r$expected), "expected")
  check(name, near(h$variance, do.call(rbind, r$variance)), "variance")
  check(name, near(h$chisq, r$chisq), "chisq")
  check(name, near(h$p, r$p), "p")
  check(name, near(h$z, r$z), "z")
  check(name, near(h$p_one_sided, r$p_one_sided), "p_one_sided")
  check(name, near(h$rho, r$rho) && near(h$gamma, r$gamma), "rho/gamma")
  check(name, near(h$weight_log_scale, if (is.null(r$weight_log_scale)) 0 else r$weight_log_scale),
        "weight_log_scale")
}
ref <- fromJSON(file.path(ref_dir, "logrank.json"), simplifyVector = FALSE)
for (c in ref$cases) {
  c$observed <- unlist(c$observed); c$expected <- unlist(c$expected)
  c$variance <- lapply(c$variance, unlist); c$n_per_group <- unlist(c$n_per_group)
  c$groups <- unlist(c$groups)
  if (is.null(c$z)) c$z <- NA
  if (is.null(c$p_one_sided)) c$p_one_sided <- NA
  run(c$name, file.path(ref_dir, c$file), unlist(c$cli), c)
}
cat(length(ref$cases), "reference cases run through the CLI\n")

# --ref puts the other arm first: z changes sign, the one-sided p becomes its complement, the
# groups are listed in the new order, the chi-square is unchanged.
local({
  c <- Filter(function(c) c$name == "lung_sex", ref$cases)[[1]]
  out <- system2(hazard, c("logrank", "--data", shQuote(file.path(ref_dir, "lung.csv")),
                           shQuote(unlist(c$cli)), "--ref", "2", "--json"), stdout = TRUE)
  h <- fromJSON(paste(out, collapse = "\n"))
  check("lung_sex --ref 2", identical(h$groups$group, c("2", "1")), "group order")
  check("lung_sex --ref 2", near(h$z, -c$z), "z")
  check("lung_sex --ref 2", near(h$p_one_sided, pnorm(-c$z)), "p_one_sided")
  check("lung_sex --ref 2", near(h$chisq, c$chisq), "chisq")
  check("lung_sex --ref 2", near(h$groups$observed, rev(unlist(c$observed))), "observed")
})
radiant <- file.path(shared, "data", "published-curves", "RADIANT4_2A.csv")
if (file.exists(radiant) && file.exists(file.path(ref_dir, "radiant4.json"))) {
  r <- fromJSON(file.path(ref_dir, "radiant4.json"), simplifyVector = FALSE)
  r$observed <- unlist(r$observed); r$expected <- unlist(r$expected)
  r$variance <- lapply(r$variance, unlist); r$n_per_group <- unlist(r$n_per_group)
  r$groups <- unlist(r$groups); r$rho <- 0; r$gamma <- 0
  run("radiant4", radiant, unlist(r$cli), r)
  cat("RADIANT-4 checked\n")
} else {
  cat("SKIP RADIANT-4: ../shared/data/published-curves/RADIANT4_2A.csv absent\n")
}
if (bad > 0) quit(status = 1)
RS

# Error paths: exit codes as docs/cli/logrank.md.
expect_exit() {
  local want=$1; shift
  "$HAZARD" "$@" >/dev/null 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then echo "FAIL exit $got (want $want): hazard $*"; fail=1; fi
}
L=$REF/lung.csv
expect_exit 0 logrank --data "$L" --time time --event status=2 --group sex
expect_exit 2 logrank --data "$L" --time time --event status=2                      # no --group
expect_exit 2 logrank --data "$L" --time time --event status=2 --group sex --gamma -1
expect_exit 2 logrank --data "$L" --time time --event status=2 --group sex --rho abc
expect_exit 2 logrank --data "$L" --time time --event status=2 --group sex --rho nan
expect_exit 3 logrank --data "$L" --time time --event status=2 --group sex --where sex=1  # one group left: bad data, as every command
expect_exit 3 logrank --data "$L" --time time --event status=2 --group nosuchcolumn

# Human-readable output names the statistic and the one-sided z for two groups.
out=$("$HAZARD" logrank --data "$L" --time time --event status=2 --group sex --strata ph.ecog)
grep -q "Chisq = 10.8 on 1 degrees of freedom" <<<"$out" || { echo "FAIL text output: $out"; fail=1; }
grep -q "stratified by ph.ecog (4 strata)" <<<"$out" || { echo "FAIL text strata line: $out"; fail=1; }
grep -q "one-sided p" <<<"$out" || { echo "FAIL text one-sided line: $out"; fail=1; }
# The one-sided line states the direction of O - E only as it is (R: survdiff on lung by sex,
# O - E of sex=2 is 53 - 73.4 < 0; with --ref 2, sex=1 has O - E = 111 - 90.6 > 0), and no
# direction when z is not defined (a group without events whose E is 0: V = 0).
grep -q "z (sex=2 vs sex=1) = -3.29, one-sided p = Phi(z) = 0.000509 (sex=2 had fewer events than expected: O - E = -20.4)" <<<"$out" ||
  { echo "FAIL one-sided line (fewer): $out"; fail=1; }
out=$("$HAZARD" logrank --data "$L" --time time --event status=2 --group sex --strata ph.ecog --ref 2)
grep -q "z (sex=1 vs sex=2) = 3.29, one-sided p = Phi(z) = 0.999 (sex=1 had more events than expected: O - E = 20.4)" <<<"$out" ||
  { echo "FAIL one-sided line (more): $out"; fail=1; }
grep -q "fewer" <<<"$out" && { echo "FAIL 'fewer' printed for more events: $out"; fail=1; }
printf 't,e,g\n1,0,A\n2,0,A\n3,1,B\n4,1,B\n' >"${TMPDIR:-/tmp}/hz_lr_noev_$$.csv"
out=$("$HAZARD" logrank --data "${TMPDIR:-/tmp}/hz_lr_noev_$$.csv" --time t --event e --group g 2>/dev/null)
rm -f "${TMPDIR:-/tmp}/hz_lr_noev_$$.csv"
grep -q "z (g=B vs g=A): not defined" <<<"$out" && ! grep -q "fewer\|one-sided" <<<"$out" ||
  { echo "FAIL z not finite: $out"; fail=1; }

exit $fail
