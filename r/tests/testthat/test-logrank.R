# hz_logrank against survival::survdiff (and the weighted Cox score test, Breslow ties), to 1e-10.
library(survival)
tol <- hz_tol[["closed_form"]]

compare_lr <- function(hz, sd) {
  expect_near(hz$n, sd$n, 0, "n")
  expect_near(hz$obs, if (is.matrix(sd$obs)) rowSums(sd$obs) else sd$obs, tol, "obs")
  expect_near(hz$exp, if (is.matrix(sd$exp)) rowSums(sd$exp) else sd$exp, tol, "exp")
  expect_near(hz$var, sd$var, tol, "var")
  expect_near(hz$chisq, sd$chisq, tol, "chisq")
  expect_near(hz$pvalue, sd$pvalue, tol, "pvalue")
  expect_equal(names(hz$n), names(sd$n))
}

test_that("survdiff: two and more groups, strata, rho", {
  compare_lr(hz_logrank(Surv(time, status) ~ sex, data = lung), survdiff(Surv(time, status) ~ sex, data = lung))
  compare_lr(hz_logrank(Surv(time, status) ~ sex + strata(ph.ecog), data = lung),
             survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung))
  compare_lr(hz_logrank(Surv(time, status) ~ sex, data = lung, rho = 1),
             survdiff(Surv(time, status) ~ sex, data = lung, rho = 1))
  compare_lr(hz_logrank(Surv(time, status) ~ celltype, data = veteran),
             survdiff(Surv(time, status) ~ celltype, data = veteran))
  co <- subset(colon, etype == 2)
  compare_lr(hz_logrank(Surv(time, status) ~ rx + strata(sex, node4), data = co),
             survdiff(Surv(time, status) ~ rx + strata(sex, node4), data = co))
})

test_that("two groups: z and the one-sided p", {
  hz <- hz_logrank(Surv(time, status) ~ sex, data = lung)
  sd <- survdiff(Surv(time, status) ~ sex, data = lung)
  z <- (sd$obs[2] - sd$exp[2]) / sqrt(sd$var[2, 2])
  expect_near(hz$z, z, tol, "z")
  expect_near(hz$p_one_sided, pnorm(z), tol, "one-sided p")
})

test_that("case weights: the score test of the weighted Cox model, Breslow ties", {
  lw <- transform(lung, w = ph.karno / 10)
  hz <- hz_logrank(Surv(time, status) ~ sex, data = lw, weights = w)
  cx <- coxph(Surv(time, status) ~ sex, data = lw, weights = w, ties = "breslow")
  expect_near(hz$chisq, cx$score, tol, "score")
})

test_that("print, tidy and glance", {
  out <- capture.output(print(hz_logrank(Surv(time, status) ~ sex, data = lung)))
  ref <- capture.output(print(survdiff(Surv(time, status) ~ sex, data = lung)))
  expect_equal(out[5:7], ref[5:7])
  g <- glance(hz_logrank(Surv(time, status) ~ sex, data = lung))
  expect_equal(names(g), c("statistic", "df", "p.value"))
  skip_if_not_installed("broom")
  b <- broom::tidy(survdiff(Surv(time, status) ~ sex, data = lung))
  h <- tidy(hz_logrank(Surv(time, status) ~ sex, data = lung))
  expect_equal(names(h), names(b))
  expect_near(h$exp, b$exp, tol, "exp")
})
