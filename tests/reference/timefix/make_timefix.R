# Reference values for R's timefix in km and logrank (util/timefix.hpp): survfit and survdiff
# merge times that differ by a few ulps (aeqSurv) unless timefix = FALSE.
# R 4.2.2, survival 3.5-3 (Debian bookworm); versions recorded in timefix.json.
#
# Run from anywhere:  Rscript tests/reference/timefix/make_timefix.R
# Writes next to itself:
#   timefix.csv   survival's aml (time, status, x) plus four rows, with some times written as
#                 another program would write the same day: 7.6 and 7.6000000000076, 9 and
#                 9.0000000000076, 23 and 23.000000001 (relative 4e-11). The text is written as is
#                 (writeLines), so hazard and R read the same digits.
#   timefix.json  on the data as read back with read.csv:
#     survdiff(Surv(time, status) ~ x)                  chisq, observed, expected (timefix = TRUE)
#     survdiff(Surv(time, status) ~ x, timefix = FALSE) chisq (a different value: the merge matters)
#     survfit(Surv(time, status) ~ x) per group         time, n.risk, n.event, surv, std.err (of S),
#                                                       conf.type "log-log"; timefix TRUE and FALSE
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

aml <- survival::aml
time_text <- as.character(aml$time)
# the same day written twice: rows 3 and 15 (time 9 in either arm? see below) get a nudged copy
time_text[aml$time == 9][1] <- "9.0000000000076"
time_text[aml$time == 23][1] <- "23.000000001"
extra <- data.frame(time = c("7.6", "7.6000000000076", "7.6", "7.6000000000076"),
                    status = c(1, 1, 0, 1), x = c("Maintained", "Nonmaintained", "Maintained", "Maintained"))
lines <- c("time,status,x",
           paste(time_text, aml$status, as.character(aml$x), sep = ","),
           paste(extra$time, extra$status, extra$x, sep = ","))
writeLines(lines, "timefix.csv")
d <- read.csv("timefix.csv")

curves <- function(tf) {
  fit <- survfit(Surv(time, status) ~ x, data = d, conf.type = "log-log", timefix = tf)
  s <- summary(fit, censored = TRUE)
  lapply(split(seq_along(s$time), s$strata), function(i)
    list(time = s$time[i], n_risk = s$n.risk[i], n_event = s$n.event[i], surv = s$surv[i],
         std_err = s$std.err[i], lower = s$lower[i], upper = s$upper[i]))
}
sd1 <- survdiff(Surv(time, status) ~ x, data = d)
# survdiff(..., timefix = FALSE) fails in survival 3.5-3 ("variable lengths differ (found for
# '(timefix)')": survdiff passes timefix on to model.frame), so the unmerged test is survdiff's own
# fitting routine on the unmerged Surv object, which is what survdiff calls after aeqSurv.
sd0 <- survival:::survdiff.fit(Surv(d$time, d$status), factor(d$x))
sd0$chisq <- { e <- sd0$expected; o <- sd0$observed; v <- sd0$var
  (o - e)[-1] %*% solve(v[-1, -1, drop = FALSE], (o - e)[-1]) }[1, 1]
# the same route with the merged times reproduces survdiff itself
sd1b <- survival:::survdiff.fit(aeqSurv(Surv(d$time, d$status)), factor(d$x))
stopifnot(isTRUE(all.equal(sd1b$observed, as.vector(sd1$obs))), isTRUE(all.equal(sd1b$expected, as.vector(sd1$exp))))
stopifnot(abs(sd1$chisq - sd0$chisq) > 1e-6)
out <- list(
  versions = list(R = R.version.string, survival = as.character(packageVersion("survival")),
                  jsonlite = as.character(packageVersion("jsonlite"))),
  file = "timefix.csv",
  distinct_times_read = length(unique(d$time)),
  survdiff = list(call = "survdiff(Surv(time, status) ~ x, data = d)",
                  chisq = sd1$chisq, observed = as.vector(sd1$obs), expected = as.vector(sd1$exp),
                  groups = levels(factor(d$x))),
  survdiff_no_timefix = list(call = "survival:::survdiff.fit(Surv(d$time, d$status), factor(d$x)); chisq = (O-E)[-1]' V[-1,-1]^-1 (O-E)[-1] (survdiff(timefix = FALSE) fails in 3.5-3)",
                             chisq = sd0$chisq),
  survfit = list(call = "summary(survfit(Surv(time, status) ~ x, data = d, conf.type = \"log-log\"), censored = TRUE)",
                 groups = unname(curves(TRUE))),
  survfit_no_timefix = list(call = "the same with timefix = FALSE", groups = unname(curves(FALSE))))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "timefix.json")
cat("survdiff chisq", format(sd1$chisq, digits = 17), "without timefix", format(sd0$chisq, digits = 17), "\n")
