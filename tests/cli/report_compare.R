# Compares one trial of tests/reference/report/report.json (make_report.R: R's survfit, coxph,
# survdiff and anova on the same subsets) with the results.json `hazard report` wrote.
# Usage: Rscript report_compare.R REFERENCE.json TRIAL RESULTS.json
# Tolerances (tests/tolerances.hpp): counts exactly; Kaplan–Meier and log-rank quantities (closed
# forms) 1e-10 relative (tol::closed_form); Cox hazard ratios 1e-8 (tol::iterative); the
# interaction test, a difference of two fitted log-likelihoods, 1e-6 (tol::derived).
# Every reference number must be found in results.json; null (R's NA) must match null.
# Exit 0 = agree, 1 = a mismatch (each printed).
suppressPackageStartupMessages(library(jsonlite))
a <- commandArgs(TRUE)
ref <- fromJSON(a[1], simplifyVector = FALSE)
trial <- a[2]
got <- fromJSON(a[3], simplifyVector = FALSE)
nn <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)
bad <- 0; checked <- 0
chk <- function(what, g, r, tol) {
  g <- nn(g); r <- nn(r)
  ok <- if (is.na(r)) is.na(g) else if (is.na(g)) FALSE else if (tol == 0) g == r else
    abs(g - r) <= tol * abs(r) || abs(g - r) <= 1e-14
  if (!ok) { cat("MISMATCH", trial, what, ": hazard", format(g, digits = 17), "R", format(r, digits = 17), "\n"); bad <<- bad + 1 }
  checked <<- checked + 1
}
tol_of <- function(stat) {
  if (stat %in% c("n", "events", "censored", "df_global", "n_excluded_stratified")) return(0)
  if (grepl("^hr_", stat)) return(1e-8)
  1e-10
}
key <- function(r) paste(r$cohort, r$arm, r$statistic, if (is.null(r$timepoint)) "" else r$timepoint, sep = "|")
index <- list()
for (r in got$results) index[[key(r)]] <- r
for (r in ref$results) {
  if (r$trial != trial) next
  k <- key(r)
  if (is.null(index[[k]])) { cat("MISSING in results.json:", trial, k, "\n"); bad <- bad + 1; next }
  chk(k, index[[k]]$value, r$value, tol_of(r$statistic))
}
# Forest: subgroup headings (interaction test) and level rows (HR per comparison).
for (f in ref$forest) {
  if (f$trial != trial) next
  hits <- Filter(function(g) identical(g$cohort, f$block) && identical(g$subgroup, f$subgroup) &&
                   (if (isTRUE(f$heading)) isTRUE(g$heading) && g$indent == 0 else
                      identical(g$level, f$level) && !isTRUE(g$heading) &&
                      (is.null(f$comparison) || identical(g$comparison, f$comparison))), got$forest)
  what <- paste("forest", f$block, f$subgroup, if (is.null(f$level)) "(heading)" else f$level,
                if (is.null(f$comparison)) "" else f$comparison)
  if (length(hits) == 0) { cat("MISSING forest row:", what, "\n"); bad <- bad + 1; next }
  g <- hits[[1]]
  if (isTRUE(f$heading)) {
    chk(paste(what, "chisq"), g$chisq_interaction, f$chisq_interaction, 1e-6)
    chk(paste(what, "df"), g$df_interaction, f$df_interaction, 0)
    chk(paste(what, "p"), g$p_interaction, f$p_interaction, 1e-6)
  } else if (isFALSE(f$estimable)) {
    if (!is.null(g$hr) || !nzchar(g$note)) { cat("FAIL", what, ": R has no HR, hazard", nn(g$hr), "\n"); bad <- bad + 1 }
    checked <- checked + 1
  } else {
    chk(paste(what, "hr"), g$hr, f$hr, 1e-8)
    chk(paste(what, "lower"), g$lower, f$lower, 1e-8)
    chk(paste(what, "upper"), g$upper, f$upper, 1e-8)
  }
}
cat(sprintf("%s: %d numbers compared with R, %d mismatches\n", trial, checked, bad))
quit(status = if (bad > 0 || checked == 0) 1 else 0)
