# Reference for a Cox fit whose coefficient runs to infinity (issue 19): a stratified two-arm data
# set in which arm B has no event in any stratum. R 4.2.2, survival 3.5-3 (Debian bookworm);
# versions recorded in diverged.json.
#
# Run from anywhere:  Rscript tests/reference/cox/make_diverged.R
# Writes next to itself:
#   diverged.csv   60 rows: time, arm (A/B), s (stratum 1-3), status (arm B always censored)
#   diverged.json  what R says:
#     coxph(Surv(time, status) ~ arm + strata(s), data = d)                 (model-based SE)
#     coxph(Surv(time, status) ~ arm + strata(s), data = d, robust = TRUE)  (robust SE)
#   R warns "Loglik converged before variable 1 ; coefficient may be infinite." for both, prints
#   the last iterate (about -21) and, with robust = TRUE, a robust SE of 0.29 that gives z = -74
#   and p < 2e-16: a confident p-value for a coefficient that does not exist. hazard reports the
#   term as not estimable (NE, JSON null); what it shares with R, and is compared, is what stays
#   valid: n, events, the log-likelihoods, the likelihood ratio and score tests (and R's warning).
suppressMessages({
  library(survival)
  library(jsonlite)
})
script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)
set.seed(5)
n <- 60
d <- data.frame(time = round(rexp(n, 0.1), 1) + 0.1, arm = rep(c("A", "B"), each = n / 2),
                s = rep(1:3, length.out = n))
d$status <- ifelse(d$arm == "B", 0, rbinom(n, 1, 0.8))
write.csv(d, "diverged.csv", row.names = FALSE)
d <- read.csv("diverged.csv")
fit <- function(robust) {
  w <- NULL
  f <- withCallingHandlers(coxph(Surv(time, status) ~ arm + strata(s), data = d, robust = robust),
                           warning = function(x) { w <<- conditionMessage(x); invokeRestart("muffleWarning") })
  sm <- summary(f)
  list(call = sprintf("coxph(Surv(time, status) ~ arm + strata(s), data = d, robust = %s)", robust),
       warning = w, n = f$n, nevent = f$nevent, iter = f$iter, coef = unname(coef(f)),
       se = unname(sqrt(diag(f$var))), robust_se = if (robust) unname(sqrt(diag(f$var))) else NULL,
       naive_se = if (robust) unname(sqrt(diag(f$naive.var))) else NULL,
       p = unname(sm$coefficients[, ncol(sm$coefficients)]),
       loglik = f$loglik, lr = unname(sm$logtest), score = unname(sm$sctest), wald = unname(sm$waldtest))
}
out <- list(versions = list(R = R.version.string, survival = as.character(packageVersion("survival")),
                            jsonlite = as.character(packageVersion("jsonlite"))),
            file = "diverged.csv", model = fit(FALSE), robust = fit(TRUE))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "diverged.json")
cat("robust: coef", out$robust$coef, "robust se", out$robust$se, "p", out$robust$p, "\n")
