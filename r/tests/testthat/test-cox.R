# hz_cox against survival::coxph on the same data, to 1e-8 (iterative fits).
library(survival)
tol <- hz_tol[["iterative"]]

compare_cox <- function(hz, cx) {
  expect_equal(names(coef(hz)), names(coef(cx)))
  expect_near(coef(hz), coef(cx), tol, "coef")
  expect_near(vcov(hz), vcov(cx), tol, "var")
  if (!is.null(cx$naive.var)) expect_near(hz$naive.var, cx$naive.var, tol, "naive.var")
  expect_near(hz$loglik, cx$loglik, tol, "loglik")
  expect_near(hz$score, cx$score, tol, "score test")
  expect_near(hz$wald.test, cx$wald.test, tol, "Wald test")
  if (!is.null(cx$rscore)) expect_near(hz$rscore, cx$rscore, tol, "robust score test")
  expect_near(hz$concordance[c("concordance", "std")], cx$concordance[c("concordance", "std")], tol, "concordance")
  expect_equal(hz$n, cx$n)
  expect_equal(hz$nevent, cx$nevent)
  expect_equal(hz$iter, cx$iter)
  s <- summary(cx)
  expect_near(summary(hz)$table$p, s$coefficients[, ncol(s$coefficients)], tol, "p")
  expect_near(summary(hz)$table$lower, s$conf.int[, 3], tol, "lower")
  expect_near(summary(hz)$table$upper, s$conf.int[, 4], tol, "upper")
  expect_near(hz$means, cx$means, tol, "means")
}

test_that("lung: Efron, Breslow and exact ties; factor and strata terms", {
  for (ties in c("efron", "breslow", "exact")) {
    compare_cox(hz_cox(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = ties),
                coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung, ties = ties))
  }
  compare_cox(hz_cox(Surv(time, status) ~ age + factor(sex) + strata(ph.ecog), data = lung),
              coxph(Surv(time, status) ~ age + factor(sex) + strata(ph.ecog), data = lung))
  compare_cox(hz_cox(Surv(time, status) ~ log(age) + I(wt.loss / 10), data = lung),
              coxph(Surv(time, status) ~ log(age) + I(wt.loss / 10), data = lung))
})

test_that("veteran: a factor with its own level order, relevel, logical and character terms", {
  compare_cox(hz_cox(Surv(time, status) ~ trt + karno + celltype, data = veteran),
              coxph(Surv(time, status) ~ trt + karno + celltype, data = veteran))
  v2 <- transform(veteran, celltype = relevel(celltype, "large"), prior10 = prior == 10,
                  trtc = ifelse(trt == 1, "standard", "test"))
  compare_cox(hz_cox(Surv(time, status) ~ celltype + prior10 + trtc, data = v2, ties = "breslow"),
              coxph(Surv(time, status) ~ celltype + prior10 + trtc, data = v2, ties = "breslow"))
})

test_that("colon: weights, cluster (robust variance), offset", {
  co <- subset(colon, etype == 2)
  compare_cox(hz_cox(Surv(time, status) ~ rx + age + nodes + strata(sex), data = co),
              coxph(Surv(time, status) ~ rx + age + nodes + strata(sex), data = co))
  compare_cox(hz_cox(Surv(time, status) ~ rx + age + cluster(id), data = colon),
              coxph(Surv(time, status) ~ rx + age + cluster(id), data = colon))
  co$w <- (co$id %% 3) + 1
  compare_cox(hz_cox(Surv(time, status) ~ rx + age, data = co, weights = w),
              coxph(Surv(time, status) ~ rx + age, data = co, weights = w))
  compare_cox(hz_cox(Surv(time, status) ~ rx + age + offset(nodes / 10), data = co),
              coxph(Surv(time, status) ~ rx + age + offset(nodes / 10), data = co))
})

test_that("(start, stop] data: bladder2 and cgd, with cluster", {
  compare_cox(hz_cox(Surv(start, stop, event) ~ rx + number + size + cluster(id), data = bladder2),
              coxph(Surv(start, stop, event) ~ rx + number + size + cluster(id), data = bladder2))
  compare_cox(hz_cox(Surv(tstart, tstop, status) ~ treat + age + strata(center), data = cgd),
              coxph(Surv(tstart, tstop, status) ~ treat + age + strata(center), data = cgd))
})

test_that("tidy and glance as broom's for coxph", {
  skip_if_not_installed("broom")
  hz <- hz_cox(Surv(time, status) ~ age + sex, data = lung)
  cx <- coxph(Surv(time, status) ~ age + sex, data = lung)
  for (args in list(list(), list(exponentiate = TRUE, conf.int = TRUE), list(conf.int = TRUE))) {
    h <- do.call(tidy, c(list(hz), args))
    b <- do.call(broom::tidy, c(list(cx), args))
    expect_equal(names(h), names(b))
    for (col in setdiff(names(b), "term")) expect_near(h[[col]], b[[col]], tol, col)
  }
  hr <- hz_cox(Surv(time, status) ~ rx + age + cluster(id), data = colon)
  br <- broom::tidy(coxph(Surv(time, status) ~ rx + age + cluster(id), data = colon))
  expect_equal(names(tidy(hr)), names(br))
  for (col in setdiff(names(br), "term")) expect_near(tidy(hr)[[col]], br[[col]], tol, col)
  g <- glance(hz)
  bg <- broom::glance(cx)
  expect_true(all(names(g) %in% names(bg)))
  # broom takes the Wald test from summary.coxph, which rounds it to 2 decimals
  for (col in setdiff(names(g), "statistic.wald")) expect_near(g[[col]], bg[[col]], tol, col)
  expect_near(g$statistic.wald, cx$wald.test, tol, "Wald test")
})

test_that("print and summary are laid out like coxph's", {
  out <- capture.output(summary(hz_cox(Surv(time, status) ~ age + sex, data = lung)))
  ref <- capture.output(summary(coxph(Surv(time, status) ~ age + sex, data = lung)))
  expect_equal(out[7:9], ref[7:9])
  expect_equal(out[14:16], ref[14:16])
})
