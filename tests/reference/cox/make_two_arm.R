# Reference values for tests/unit/cox/cox_two_arm_test.cpp (hazard::cox_two_arm).
# R 4.2.2, survival 3.5-3 (Debian bookworm). Run: Rscript tests/reference/cox/make_two_arm.R
# Prints, per tie method: coef, se, iterations without strata, then the same with strata(s);
# then the time and status columns (arm = rep(0:1), s = rep(1:2, each = 30)).
library(survival)
set.seed(7)
n <- 60
d <- data.frame(time = round(rexp(n, 0.1), 0) + 1, status = rbinom(n, 1, 0.7),
                arm = rep(0:1, length.out = n), s = rep(1:2, each = n / 2))
for (ties in c("efron", "breslow")) {
  f1 <- coxph(Surv(time, status) ~ arm, data = d, ties = ties)
  f2 <- coxph(Surv(time, status) ~ arm + strata(s), data = d, ties = ties)
  cat(ties, sprintf("%.17g", c(coef(f1), sqrt(vcov(f1)), f1$iter, coef(f2), sqrt(vcov(f2)), f2$iter)), "\n")
}
cat(paste(d$time, collapse = ","), "\n")
cat(paste(d$status, collapse = ","), "\n")
# Output (2026-11-30):
# efron 0.28734600383703401 0.33210532031928219 3 0.33123167978053492 0.34518201294994449 3
# breslow 0.28528409534517724 0.33212328299329241 3 0.33121544723715479 0.34440904615549139 3
