# hz_km against survival::survfit on the same data (lung, veteran, colon), to 1e-10 (closed forms).
library(survival)
tol <- hz_tol[["closed_form"]]

compare_km <- function(hz, sf, times = NULL, rmean = NULL) {
  s <- summary(sf, censored = TRUE)
  d <- as.data.frame(hz)
  expect_near(d$time, s$time, tol, "time")
  expect_near(d$n.risk, s$n.risk, tol, "n.risk")
  expect_near(d$n.event, s$n.event, tol, "n.event")
  expect_near(d$n.censor, s$n.censor, tol, "n.censor")
  expect_near(d$surv, s$surv, tol, "surv")
  expect_near(d$std.err, s$std.err, tol, "std.err")
  expect_near(d$lower, s$lower, tol, "lower")
  expect_near(d$upper, s$upper, tol, "upper")
  expect_near(d$cumhaz, s$cumhaz, tol, "cumhaz")
  if (!is.null(s$strata)) expect_equal(d$strata, as.character(s$strata))
  tab <- summary(sf, rmean = if (is.null(rmean)) "none" else rmean)$table
  if (is.null(dim(tab))) tab <- t(tab)
  med <- t(vapply(hz$groups, function(g) g$median, numeric(3)))
  lv <- format(hz$conf_level)
  expect_near(med[, 1], tab[, "median"], tol, "median")
  expect_near(med[, 2], tab[, paste0(lv, "LCL")], tol, "median lower")
  expect_near(med[, 3], tab[, paste0(lv, "UCL")], tol, "median upper")
  if (!is.null(rmean)) {
    expect_near(vapply(hz$groups, function(g) g$rmst$estimate, 0), tab[, "rmean"], tol, "rmean")
    expect_near(vapply(hz$groups, function(g) g$rmst$std_err, 0), tab[, "se(rmean)"], tol, "se(rmean)")
  }
  if (!is.null(times)) {
    at <- summary(sf, times = times, extend = TRUE)
    expect_near(unlist(lapply(hz$groups, function(g) g$at$surv)), at$surv, tol, "surv at times")
    expect_near(unlist(lapply(hz$groups, function(g) g$at$n_risk)), at$n.risk, tol, "n.risk at times")
    expect_near(unlist(lapply(hz$groups, function(g) g$at$lower)), at$lower, tol, "lower at times")
  }
  q <- quantile(sf, probs = c(0.25, 0.5, 0.75))
  hq <- t(vapply(hz$groups, function(g) g$quantiles$estimate, numeric(3)))
  expect_near(hq, q$quantile, tol, "quantiles")
}

test_that("lung by sex, each CI type, landmarks and RMST", {
  for (ct in c("log", "log-log", "plain")) {
    hz <- hz_km(Surv(time, status) ~ sex, data = lung, conf.type = ct, times = c(100, 365, 1000), rmean = 500)
    sf <- survfit(Surv(time, status) ~ sex, data = lung, conf.type = ct)
    compare_km(hz, sf, times = c(100, 365, 1000), rmean = 500)
  }
})

test_that("overall curve, status == 2, conf.int and subset", {
  hz <- hz_km(Surv(time, status == 2) ~ 1, data = lung, conf.int = 0.9, subset = age > 50)
  compare_km(hz, survfit(Surv(time, status == 2) ~ 1, data = lung, conf.int = 0.9, subset = age > 50))
})

test_that("case weights, veteran by treatment, colon by rx (3 groups, factor order)", {
  lw <- transform(lung, w = ph.karno / 10)
  compare_km(hz_km(Surv(time, status) ~ sex, data = lw, weights = w),
             survfit(Surv(time, status) ~ sex, data = lw, weights = w))
  compare_km(hz_km(Surv(time, status) ~ trt, data = veteran), survfit(Surv(time, status) ~ trt, data = veteran))
  co <- subset(colon, etype == 2)
  hz <- hz_km(Surv(time, status) ~ rx, data = co, rmean = 2000)
  expect_equal(hz$strata, c("rx=Obs", "rx=Lev", "rx=Lev+5FU"))
  compare_km(hz, survfit(Surv(time, status) ~ rx, data = co), rmean = 2000)
})

test_that("rows with a missing value are excluded and counted, as survfit's na.omit", {
  hz <- hz_km(Surv(time, status) ~ ph.ecog, data = lung)
  expect_equal(hz$excluded, 1)
  expect_equal(names(hz$excluded_reasons), "missing group")
  compare_km(hz, survfit(Surv(time, status) ~ ph.ecog, data = lung))
})

test_that("tidy and glance as broom's for survfit", {
  skip_if_not_installed("broom")
  hz <- hz_km(Surv(time, status) ~ sex, data = lung)
  b <- broom::tidy(survfit(Surv(time, status) ~ sex, data = lung))
  h <- tidy(hz)
  expect_equal(names(h), names(b))
  for (col in setdiff(names(b), "strata")) expect_near(h[[col]], b[[col]], tol, col)
  expect_equal(h$strata, b$strata)
  g1 <- glance(hz_km(Surv(time, status) ~ 1, data = lung))
  bg <- broom::glance(survfit(Surv(time, status) ~ 1, data = lung))
  for (col in c("records", "events", "median", "conf.low", "conf.high", "nobs")) expect_near(g1[[col]], bg[[col]], tol, col)
  expect_error(glance(hz), "single curve")
})

test_that("print is laid out like print.survfit", {
  out <- capture.output(print(hz_km(Surv(time, status) ~ sex, data = lung)))
  ref <- capture.output(print(survfit(Surv(time, status) ~ sex, data = lung)))
  expect_equal(out[3:5], ref[3:5])
  expect_match(out[length(out)], "Greenwood variance.*95% CI: log")
})
