# Reference values for the time units of `hazard km` and `hazard cox` (tests/cli/report_units.sh):
# lung (status == 2, by sex) with the time stated in days and shown in months, 30.4375 days a month
# (--units days --display-units months), as R with Surv(time / 30.4375, ...).
#   km:  survfit(Surv(time / 30.4375, status == 2) ~ sex, conf.type = "log-log"): medians with CI,
#        summary(times = c(6, 12), extend = TRUE) survival;
#   km --followup: quantile(survfit(Surv(time / 30.4375, 1 - (status == 2)) ~ sex, conf.type =
#        "log-log"), 0.5), the median follow-up by the reverse Kaplan–Meier method;
#   cox: coxph(Surv(time / 30.4375, status == 2) ~ factor(sex)): the HR (the same as in days) and
#        basehaz(fit, centered = FALSE) times and cumulative hazards (the times in months).
# Run from this folder: Rscript make_units.R (reads ../km/lung.csv, survival's lung written by make_km.R).
suppressPackageStartupMessages({library(survival); library(jsonlite)})
lung <- read.csv("../km/lung.csv")
lung$t <- lung$time / 30.4375
lung$s <- as.integer(lung$status == 2)
km <- survfit(Surv(t, s) ~ sex, data = lung, conf.type = "log-log")
q <- quantile(km, 0.5)
sm <- summary(km, times = c(6, 12), extend = TRUE)
rq <- quantile(survfit(Surv(t, 1 - s) ~ sex, data = lung, conf.type = "log-log"), 0.5)
fit <- coxph(Surv(t, s) ~ factor(sex), data = lung)
fit_days <- coxph(Surv(time, status == 2) ~ factor(sex), data = lung)
bh <- basehaz(fit, centered = FALSE)
out <- list(
  generated_by = "tests/reference/report/make_units.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  calls = c("survfit(Surv(time / 30.4375, status == 2) ~ sex, data = lung, conf.type = 'log-log')",
            "quantile(fit, 0.5); summary(fit, times = c(6, 12), extend = TRUE)",
            "quantile(survfit(Surv(time / 30.4375, 1 - (status == 2)) ~ sex, data = lung, conf.type = 'log-log'), 0.5)",
            "coxph(Surv(time / 30.4375, status == 2) ~ factor(sex), data = lung); basehaz(fit, centered = FALSE)"),
  km = list(median = unname(q$quantile[, 1]), median_lower = unname(q$lower[, 1]),
            median_upper = unname(q$upper[, 1]), at_time = sm$time, at_surv = sm$surv,
            followup = unname(rq$quantile[, 1]), followup_lower = unname(rq$lower[, 1]),
            followup_upper = unname(rq$upper[, 1])),
  cox = list(hr = unname(exp(coef(fit))), hr_days = unname(exp(coef(fit_days))),
             baseline_time = bh$time, baseline_cumhaz = bh$hazard))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), "units.json")
