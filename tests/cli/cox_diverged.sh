#!/usr/bin/env bash
# A Cox fit whose coefficient runs to infinity (tests/reference/cox/make_diverged.R: arm B has no
# event in any stratum). R warns "Loglik converged before variable 1; coefficient may be
# infinite" and prints the last iterate, with robust = TRUE a robust SE of 0.29 and p < 2e-16.
# hazard must not give a p-value: the term is not estimable (JSON estimable false, coef/se/p null,
# converged false, a warning; text NE). What stays valid is compared with R (1e-8 relative,
# tol::iterative): n, events, the log-likelihoods, the likelihood ratio and score tests.
# Usage: cox_diverged.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: cox_diverged.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
HAZARD="$HAZARD" REF="$SRC/tests/reference/cox" Rscript --vanilla - <<'RS'
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ref_dir <- Sys.getenv("REF")
ref <- fromJSON(file.path(ref_dir, "diverged.json"))
data <- file.path(ref_dir, ref$file)
bad <- 0
near <- function(a, b) isTRUE(all(abs(a - b) <= pmax(1e-8 * abs(b), 1e-12)))
check <- function(what, ok) { if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 } else cat("ok  ", what, "\n") }
for (variant in c("model", "robust")) {
  r <- ref[[variant]]
  args <- c("cox", "--data", shQuote(data), "--time", "time", "--event", "status", "--group", "arm",
            "--strata", "s", if (variant == "robust") "--robust", "--json")
  err <- tempfile()
  out <- system2(hazard, args, stdout = TRUE, stderr = err)
  h <- fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
  t <- h$coefficients[[1]]
  check(sprintf("%s: arm[B] not estimable (R: coef %.4g, SE %.3g, p %.3g)", variant, r$coef, r$se, r$p),
        identical(t$estimable, FALSE) && identical(t$not_estimable, "infinite") && is.null(t$coef) &&
          is.null(t$se) && is.null(t$p) && is.null(t$hr) && is.null(t$lower) && is.null(t$z))
  check(paste(variant, ": converged false, the Wald test null"), identical(h$converged, FALSE) && is.null(h$tests$wald$stat))
  check(paste(variant, ": R's warning, naming the term"),
        any(grepl("^Loglik converged before variable 1 \\(arm\\[B\\]\\); coefficient may be infinite", unlist(h$warnings))) &&
          any(grepl("not estimable", unlist(h$warnings))))
  check(paste(variant, ": n, events, loglik, LR and score tests as R"),
        h$n == r$n && h$events == r$nevent && near(unlist(h$loglik), r$loglik) &&
          near(h$tests$lr$stat, r$lr[1]) && near(h$tests$lr$p, r$lr[3]) &&
          near(h$tests$score$stat, r$score[1]) && near(h$tests$score$p, r$score[3]))
  txt <- system2(hazard, head(args, -1), stdout = TRUE, stderr = FALSE)
  row <- grep("^arm\\[B\\]", txt, value = TRUE)
  check(paste(variant, ": the text prints NE, no p-value"),
        length(row) == 2 && all(grepl("^arm\\[B\\]( +NE)+$", row)) && !any(grepl("2e-16", txt)) &&
          any(grepl("^Wald test += NE", txt)))
}
quit(status = if (bad > 0) 1 else 0)
RS
