# Compares a `hazard crossover --json` document with a case of tests/reference/crossover/crossover.json
# (written by make_crossover.R in R from the methods, independently of hazard).
# Usage: Rscript crossover_compare.R HAZARD.json REFERENCE.json CASE
# Exit 0 when every value agrees (1e-8 relative; psi and its CI limits 1e-9, see tests/tolerances.hpp).
suppressMessages(library(jsonlite))
a <- commandArgs(trailingOnly = TRUE)
h <- fromJSON(a[1], simplifyVector = TRUE)
ref <- fromJSON(a[2], simplifyVector = FALSE)
cs <- Filter(function(x) x$name == a[3], ref$cases)[[1]]
bad <- 0
worst <- 0
chk <- function(what, got, want, tol = 1e-8) {
  got <- unlist(got); want <- unlist(want)
  if (length(got) == length(want)) worst <<- max(worst, abs(got - want) / pmax(abs(want), 1e-12))
  ok <- length(got) == length(want) && all(abs(got - want) <= tol * pmax(abs(want), 1e-12))
  if (!ok) {
    cat(sprintf("  %s: hazard %s, R %s\n", what, paste(format(got, digits = 15), collapse = " "),
                paste(format(want, digits = 15), collapse = " ")))
    bad <<- bad + 1
  }
}
chk("hr", h$hr$hr, cs$hr)
chk("hr lower", h$hr$lower, cs$hr_lower)
chk("hr upper", h$hr$upper, cs$hr_upper)
if (cs$method == "rpsftm") {
  chk("psi", h$psi, cs$psi, 1e-9)
  chk("psi lower", h$psi_lower, cs$lower, 1e-9)
  chk("psi upper", h$psi_upper, cs$upper, 1e-9)
  chk("z_itt", h$z_itt, cs$z_itt)
  chk("se", h$hr$se, cs$se)
  chk("hr lower itt", h$hr$lower_itt, cs$hr_lower_itt)
  chk("hr upper itt", h$hr$upper_itt, cs$hr_upper_itt)
  chk("events control", h$counterfactual_control$events, cs$events_control)
  cv <- h$counterfactual_control$curve
  at <- function(v, t) { k <- findInterval(t, cv$time); ifelse(k == 0, 1, v[pmax(k, 1)]) }
  kt <- unlist(cs$km_control$time)
  chk("km control", at(cv$surv, kt), cs$km_control$surv, 1e-10)
  chk("km control lower", at(cv$lower, kt), cs$km_control$lower, 1e-10)
  chk("km control upper", at(cv$upper, kt), cs$km_control$upper, 1e-10)
}
if (cs$method == "ipcw") {
  chk("robust se", h$hr$se, cs$robust_se)
  chk("naive se", h$hr$naive_se, cs$naive_se)
  chk("p", h$hr$p, cs$p)
  chk("denominator", h$denominator$coefficients$coef, cs$denominator$coef)
  chk("denominator se", h$denominator$coefficients$se, cs$denominator$se)
  if (!is.null(h$numerator)) chk("numerator", h$numerator$coefficients$coef, cs$numerator$coef)
  w <- h$weights$control
  chk("weights", c(w$mean, w$min, w$max, w$p01, w$p05, w$p25, w$p50, w$p75, w$p95, w$p99),
      c(cs$weights_control$mean, cs$weights_control$min, cs$weights_control$max, unlist(cs$weights_control$quantiles)))
}
if (cs$method == "two-stage") {
  chk("psi", h$psi, cs$psi)
  chk("psi lower", h$psi_lower, cs$psi_lower)
  chk("psi upper", h$psi_upper, cs$psi_upper)
  chk("aft", c(h$aft$coefficients$coef), cs$aft$coef)
  chk("aft se", c(h$aft$coefficients$se), cs$aft$se)
  chk("se", h$hr$se, cs$se)
}
cat(sprintf("  %s: largest relative difference %.2g\n", a[3], worst))
quit(status = bad > 0)
