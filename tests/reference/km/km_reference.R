# The function that computes one reference case for hazard's Kaplan–Meier from R survival.
# Sourced by make_km.R (the committed reference values) and by tests/cli/km_radiant4.sh (an
# integration test on data that cannot be committed). No side effects.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))

# ---- one case -------------------------------------------------------------------------------
# d: data frame with time, status (0/1 after `event`), optional group column and weights.
run_case <- function(name, csv, d, event, group = NULL, weights = NULL, conf_type = "log-log",
                     conf_level = 0.95, times = numeric(0), tau = NULL, robust = NULL,
                     probs = c(0.25, 0.5, 0.75), ref = NULL) {
  d$st01 <- as.integer(eval(parse(text = event), d))
  rhs <- if (is.null(group)) "1" else if (is.null(ref)) group else
    sprintf("relevel(factor(%s), ref = \"%s\")", group, ref)
  wtxt <- if (is.null(weights)) "" else paste0(", weights = ", weights)
  rtxt <- if (is.null(robust)) "" else paste0(", robust = ", robust)
  call <- sprintf("survfit(Surv(time, %s) ~ %s, data = %s%s%s, conf.type = \"%s\", conf.int = %s)",
                  event, rhs, csv, wtxt, rtxt, conf_type, format(conf_level, digits = 15))
  env <- list2env(list(d = d))
  fcall <- sprintf("survfit(Surv(time, st01) ~ %s, data = d%s%s, conf.type = \"%s\", conf.int = %s)",
                   rhs, wtxt, rtxt, conf_type, format(conf_level, digits = 15))
  fit <- eval(parse(text = fcall), env)

  if (is.null(group)) {
    fits <- list(fit); lv <- list(NULL); codes <- integer(0); levels <- character(0)
  } else {
    fac <- factor(d[[group]])
    if (!is.null(ref)) fac <- relevel(fac, ref = ref)
    levels <- levels(fac); codes <- as.integer(fac) - 1L
    fits <- lapply(seq_along(levels), function(i) fit[i]); lv <- as.list(levels)
  }
  groups <- lapply(seq_along(fits), function(i) {
    f <- fits[[i]]
    q <- quantile(f, probs = probs)
    med <- quantile(f, probs = 0.5)
    g <- list(group = if (is.null(lv[[i]])) NULL else lv[[i]],
              n = f$n, events = sum(f$n.event),
              table = list(time = I(f$time), n_risk = I(f$n.risk), n_event = I(f$n.event),
                           n_censor = I(f$n.censor), surv = I(f$surv),
                           # the SE of S: fit$std.err is that of log S (Greenwood), or of S
                           # itself for a robust fit (fit$logse FALSE)
                           std_err = I(if (f$logse) f$std.err * f$surv else f$std.err),
                           lower = I(f$lower), upper = I(f$upper),
                           cumhaz = I(f$cumhaz)),
              median = list(estimate = unname(med$quantile), lower = unname(med$lower),
                            upper = unname(med$upper)),
              quantiles = list(p = I(probs), estimate = I(unname(q$quantile)),
                               lower = I(unname(q$lower)), upper = I(unname(q$upper))))
    if (is.null(lv[[i]])) g$group <- NA
    if (length(times) > 0) {
      s <- summary(f, times = times, extend = TRUE)
      g$at <- list(time = I(s$time), n_risk = I(s$n.risk), surv = I(s$surv),
                   std_err = I(s$std.err), lower = I(s$lower), upper = I(s$upper))
    }
    if (!is.null(tau)) {
      tab <- survival:::survmean(f, scale = 1, rmean = tau)$matrix
      z <- qnorm(1 - (1 - conf_level) / 2)
      est <- unname(tab["rmean"]); se <- unname(tab["se(rmean)"])
      g$rmst <- list(tau = tau, estimate = est, std_err = se, lower = est - z * se,
                     upper = est + z * se)
    }
    g
  })
  out <- list(name = name, csv = paste0(csv, ".csv"), call = call,
              rmst_call = if (is.null(tau)) NA else
                sprintf("survival:::survmean(fit[i], scale = 1, rmean = %s)$matrix[c(\"rmean\", \"se(rmean)\")] (as print(fit, rmean = %s))", format(tau), format(tau)),
              quantile_call = sprintf("quantile(fit[i], probs = c(%s)); quantile(fit[i], probs = 0.5)",
                                      paste(probs, collapse = ", ")),
              at_call = if (length(times) == 0) NA else
                sprintf("summary(fit[i], times = c(%s), extend = TRUE)", paste(times, collapse = ", ")),
              versions = versions,
              options = list(conf_type = conf_type, conf_level = conf_level, times = I(times),
                             robust = if (is.null(robust)) NA else robust, variance = if (fit$logse) "greenwood" else "robust",
                             tau = if (is.null(tau)) NA else tau, quantiles = I(probs)),
              data = list(time = I(d$time), status = I(d$st01),
                          weight = if (is.null(weights)) I(numeric(0)) else I(d[[weights]]),
                          group = I(codes), levels = I(levels)),
              groups = groups)
  if (!is.null(tau) && length(groups) == 2) {
    r0 <- groups[[1]]$rmst; r1 <- groups[[2]]$rmst
    z <- qnorm(1 - (1 - conf_level) / 2)
    est <- r1$estimate - r0$estimate; se <- sqrt(r1$std_err^2 + r0$std_err^2)
    out$rmst_difference <- list(estimate = est, std_err = se, lower = est - z * se,
                                upper = est + z * se, z = est / se, p = 2 * pnorm(-abs(est / se)))
  }
  out
}

