# Compares `hazard parametric --json` with R on the same CSV file (issue 22's references):
#   survreg for exponential, weibull, lognormal, loglogistic (mapped to flexsurv's parametrisation
#   as in tests/reference/parametric/make_survreg.R) to 1e-8 relative (tests/tolerances.hpp);
#   optim.json cases (R's own optimisation of the written-out likelihood) for the others: the
#   log-likelihood to 1e-5 absolute, estimates to 1e-4 (tests/tolerances.hpp);
# and checks the JSON keys issue 22 names.
# Usage: Rscript parametric_compare.R HAZARD.json CSV GROUP_FORMULA [OPTIM_CASE_DIST=NAME ...]
#   GROUP_FORMULA: the right-hand side as survreg sees it, e.g. "factor(sex)" or "1"
suppressPackageStartupMessages(library(survival))
a <- commandArgs(TRUE)
got <- jsonlite::fromJSON(a[1], simplifyVector = FALSE)
d <- read.csv(a[2])
rhs <- a[3]
optim_cases <- if (length(a) > 3) a[4:length(a)] else character(0)
ref_dir <- file.path(Sys.getenv("HAZARD_SOURCE_DIR"), "tests/reference/parametric")
bad <- character(0)
num <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)
close <- function(what, x, y, tol) if (length(x) != length(y) || any(!(abs(x - y) <= tol * pmax(abs(y), 1e-300)) | is.na(x) != is.na(y)))
  bad <<- c(bad, sprintf("%s: hazard %s, R %s", what, paste(format(x, digits = 15), collapse = " "), paste(format(y, digits = 15), collapse = " ")))
# keys named by the issue
for (f in got$fits) {
  for (k in c("dist", "loglik", "aic", "bic", "converged", "coefficients", "extrapolation", "mean", "rmst"))
    if (!k %in% names(f)) bad <- c(bad, paste(f$dist, "lacks", k))
  for (co in f$coefficients) for (k in c("term", "estimate", "se")) if (!k %in% names(co)) bad <- c(bad, paste(f$dist, "coefficient lacks", k))
  for (k in c("time", "surv", "lower", "upper")) if (!k %in% names(f$extrapolation)) bad <- c(bad, paste(f$dist, "extrapolation lacks", k))
}
for (f in got$fits) {
  dist <- f$dist
  if (dist %in% c("exponential", "weibull", "lognormal", "loglogistic")) {
    fo <- as.formula(paste("Surv(time, status) ~", rhs))
    fit <- survreg(fo, data = d, dist = dist, control = survreg.control(rel.tolerance = 1e-12, iter.max = 100))
    raw <- c(coef(fit), if (dist != "exponential") log(fit$scale))
    p <- length(coef(fit)) - 1
    idx <- switch(dist, exponential = c(1, 1 + seq_len(p)), lognormal = c(1, 2 + p, 1 + seq_len(p)), c(2 + p, 1, 1 + seq_len(p)))
    sgn <- switch(dist, exponential = rep(-1, 1 + p), lognormal = rep(1, 2 + p), c(-1, rep(1, 1 + p)))
    est <- sgn * raw[idx]; se <- sqrt(diag(vcov(fit)))[idx]
    close(paste(dist, "estimate_t"), sapply(f$coefficients, function(c) num(c$estimate_t)), unname(est), 1e-8)
    close(paste(dist, "se_t"), sapply(f$coefficients, function(c) num(c$se_t)), unname(se), 1e-8)
    close(paste(dist, "loglik"), num(f$loglik), fit$loglik[2], 1e-8)
    close(paste(dist, "aic"), num(f$aic), AIC(fit), 1e-8)
    close(paste(dist, "bic"), num(f$bic), BIC(fit), 1e-8)
  }
}
op <- jsonlite::fromJSON(file.path(ref_dir, "optim.json"), simplifyVector = FALSE)$cases
for (oc in optim_cases) {
  kv <- strsplit(oc, "=")[[1]]
  f <- Filter(function(x) x$dist == kv[1], got$fits)[[1]]
  r <- Filter(function(x) x$name == kv[2], op)[[1]]
  if (abs(num(f$loglik) - r$expect$loglik) > 1e-5) bad <- c(bad, sprintf("%s loglik %.10f vs optim %.10f", kv[1], num(f$loglik), r$expect$loglik))
  e <- sapply(f$coefficients, function(c) num(c$estimate_t)); re <- unlist(r$expect$estimate)
  if (length(e) != length(re) || any(abs(e - re) > 1e-4 * pmax(1, abs(re)))) bad <- c(bad, sprintf("%s estimates %s vs optim %s", kv[1], paste(format(e), collapse = " "), paste(format(re), collapse = " ")))
}
if (length(bad)) { cat(bad, sep = "\n"); quit(status = 1) }
