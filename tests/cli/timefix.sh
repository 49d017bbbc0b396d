#!/usr/bin/env bash
# R's timefix in km and logrank: tests/reference/timefix/timefix.csv holds times written as 7.6 and
# 7.6000000000076 (and 23 / 23.000000001); R's survdiff and survfit merge them (aeqSurv) unless
# timefix = FALSE (make_timefix.R). `hazard logrank` must give R's chi-square (to 1e-10 relative,
# tol::closed_form), `hazard km` R's table; with --no-timefix, R's unmerged values.
# Usage: timefix.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: timefix.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
HAZARD="$HAZARD" REF="$SRC/tests/reference/timefix" Rscript --vanilla - <<'RS'
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ref_dir <- Sys.getenv("REF")
ref <- fromJSON(file.path(ref_dir, "timefix.json"))
data <- file.path(ref_dir, ref$file)
bad <- 0
near <- function(a, b) length(a) == length(b) && isTRUE(all(abs(a - b) <= pmax(1e-10 * abs(b), 1e-14) | (is.na(a) & is.na(b))))
check <- function(what, ok) { if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 } else cat("ok  ", what, "\n") }
run <- function(...) fromJSON(paste(system2(hazard, c(..., "--data", shQuote(data), "--time", "time",
                                                       "--event", "status", "--group", "x", "--json"), stdout = TRUE), collapse = "\n"))
lr <- run("logrank")
check(sprintf("logrank chisq %.15g = R survdiff %.15g", lr$chisq, ref$survdiff$chisq), near(lr$chisq, ref$survdiff$chisq))
check("logrank observed, expected", near(lr$groups$observed, ref$survdiff$observed) && near(lr$groups$expected, ref$survdiff$expected))
check("logrank says the times were merged", isTRUE(lr$timefix) && isTRUE(lr$times_merged))
lr0 <- run("logrank", "--no-timefix")
check(sprintf("logrank --no-timefix chisq %.15g = R unmerged %.15g", lr0$chisq, ref$survdiff_no_timefix$chisq),
      near(lr0$chisq, ref$survdiff_no_timefix$chisq))
check("logrank --no-timefix says so", identical(lr0$timefix, FALSE) && identical(lr0$times_merged, FALSE))
for (variant in c("survfit", "survfit_no_timefix")) {
  km <- if (variant == "survfit") run("km") else run("km", "--no-timefix")
  for (g in seq_along(ref[[variant]]$groups$time)) {
    r <- lapply(ref[[variant]]$groups, function(col) col[[g]])
    t <- km$groups$table[[g]]
    check(sprintf("km %s group %d: table (%d rows)", variant, g, length(r$time)),
          near(t$time, r$time) && near(t$n_risk, r$n_risk) && near(t$n_event, r$n_event) &&
            near(t$surv, r$surv) && near(t$std_err, r$std_err) && near(t$lower, r$lower) && near(t$upper, r$upper))
  }
}
quit(status = if (bad > 0) 1 else 0)
RS
