#!/usr/bin/env bash
# Cox models with interaction terms and the joint (Type 3) tests of terms with several columns:
# every case of tests/reference/cox/interactions.json (make_interactions.R: R's coxph on
# model.matrix with the same formula; Wald and LR joint tests computed by hand in R) is run
# through `hazard cox --json` and compared: the column names (hazard's "a[L]:b" is R's "aL:b"),
# coefficients, SEs (robust with --robust), log-likelihoods and the joint tests, to 1e-8 relative
# (tol::iterative).
# Usage: cox_interactions.sh /path/to/hazard   (env HAZARD_SOURCE_DIR; exit 0 pass, 1 fail, 77 skip)
set -uo pipefail
HAZARD=${1:?usage: cox_interactions.sh /path/to/hazard}
SRC=${HAZARD_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v Rscript >/dev/null || { echo "Rscript not found: skipped"; exit 77; }
Rscript -e 'library(jsonlite)' >/dev/null 2>&1 || { echo "R package jsonlite not found: skipped"; exit 77; }
HAZARD="$HAZARD" REF="$SRC/tests/reference/cox" Rscript --vanilla - <<'RS'
suppressMessages(library(jsonlite))
hazard <- Sys.getenv("HAZARD"); ref_dir <- Sys.getenv("REF")
ref <- fromJSON(file.path(ref_dir, "interactions.json"), simplifyVector = FALSE)
bad <- 0
near <- function(a, b) length(a) == length(b) && isTRUE(all(abs(a - b) <= pmax(1e-8 * abs(b), 1e-12)))
check <- function(what, ok) { if (!isTRUE(ok)) { cat("FAIL", what, "\n"); bad <<- bad + 1 } else cat("ok  ", what, "\n") }
for (c in ref$cases) {
  args <- c("cox", "--data", shQuote(file.path(ref_dir, c$file)), shQuote(unlist(c$cli)), "--json")
  out <- suppressWarnings(system2(hazard, args, stdout = TRUE, stderr = FALSE))
  if (!is.null(attr(out, "status"))) { check(paste(c$name, ": exit", attr(out, "status")), FALSE); next }
  h <- fromJSON(paste(out, collapse = "\n"), simplifyVector = FALSE)
  terms <- vapply(h$coefficients, function(t) t$term, "")
  robust <- "--robust" %in% unlist(c$cli)
  se <- vapply(h$coefficients, function(t) as.numeric(if (robust) t$robust_se else t$se), 0)
  coef <- vapply(h$coefficients, function(t) as.numeric(t$coef), 0)
  check(paste(c$name, ": column names as R's model.matrix"), identical(gsub("[][]", "", terms), unlist(c$names)))
  check(paste(c$name, ": coef, se, loglik, n, events"),
        near(coef, unlist(c$coef)) && near(se, unlist(c$se)) && near(unlist(h$loglik), unlist(c$loglik)) &&
          h$n == c$n && h$events == c$nevent)
  tt <- h$term_tests
  check(paste(c$name, ": joint tests of", paste(vapply(c$tests, function(t) t$term, ""), collapse = ", ")),
        length(tt) == length(c$tests) &&
          all(mapply(function(g, r) g$term == r$term && near(g$wald$stat, r$wald) && g$wald$df == r$wald_df &&
                       near(g$wald$p, r$wald_p) && near(g$lr$stat, r$lr) && g$lr$df == r$lr_df && near(g$lr$p, r$lr_p),
                     tt, c$tests)))
}
quit(status = if (bad > 0) 1 else 0)
RS
