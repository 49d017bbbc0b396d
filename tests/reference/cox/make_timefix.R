# Reference values for tests/unit/cox/cox_timefix_test.cpp: times that differ by less than
# sqrt(.Machine$double.eps) (relative to their mean absolute value) are merged before the fit
# (coxph's default timefix = TRUE, aeqSurv). R 4.2.2, survival 3.5-3 (Debian bookworm).
# Run: Rscript tests/reference/cox/make_timefix.R
# Prints the data (time with 17 significant digits, status, x, s), then per fit (efron without
# strata, efron with strata(s), breslow without strata): coef, se, loglik with timefix = TRUE,
# and the loglik with timefix = FALSE (different: the test can tell whether times were merged).
library(survival)
set.seed(11)
n <- 40
base <- round(rexp(n / 2, 0.2), 1) + 0.5
# each time twice: once as is, once nudged by a relative 1e-12 up to 2e-9 (merged by aeqSurv)
time <- c(base, base * (1 + c(1e-12, 2e-9, -1e-11, 5e-10)))
d <- data.frame(time = time, status = rbinom(n, 1, 0.7), x = round(rnorm(n), 3),
                s = rep(1:2, length.out = n))
cat(sprintf("%.17g", d$time), sep = ",")
cat("\n")
cat(d$status, sep = ",")
cat("\n")
cat(sprintf("%.17g", d$x), sep = ",")
cat("\n")
cat(d$s, sep = ",")
cat("\n")
fits <- list(
  efron = function(tf) coxph(Surv(time, status) ~ x, data = d, ties = "efron", timefix = tf),
  efron_strata = function(tf) coxph(Surv(time, status) ~ x + strata(s), data = d, ties = "efron", timefix = tf),
  breslow = function(tf) coxph(Surv(time, status) ~ x, data = d, ties = "breslow", timefix = tf))
for (nm in names(fits)) {
  a <- fits[[nm]](TRUE)
  b <- fits[[nm]](FALSE)
  cat(nm, sprintf("%.17g", c(coef(a), sqrt(vcov(a)), a$loglik[2], b$loglik[2])), "\n")
}
# Output (2026-12-02), last three lines (name, coef, se, loglik, loglik without timefix):
# efron 0.10821048207628457 0.24234721488952013 -96.22644835796865 -95.350203957338167 
# efron_strata 0.077194410264820476 0.25934467697390717 -74.557444583938633 -73.581142442756274 
# breslow 0.096630232033973876 0.24186581361102794 -97.564698897234209 -95.384146833328302 
