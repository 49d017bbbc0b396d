# hz_km: Kaplan–Meier curves as survival's survfit(), computed by hazard's library.

# Kaplan-Meier estimate, as survival::survfit
#
# hz_km(Surv(time, status) ~ arm, data = d, conf.type = "log")
# One grouping variable (or ~ 1); conf.type "log" (R's default), "log-log" (SAS's) or "plain";
# times: landmark times (summary at those times); rmean: the RMST truncation time tau.
hz_km <- function(formula, data, weights, subset, conf.type = c("log", "log-log", "plain"),
                  conf.int = 0.95, times = NULL, rmean = NULL, probs = c(0.25, 0.5, 0.75)) {
  call <- match.call()
  source <- .hz_source(substitute(data))
  env <- environment(formula)
  if (missing(data)) data <- env
  conf.type <- match.arg(conf.type)
  data <- .hz_subset(data, if (missing(subset)) NULL else substitute(subset), env, call)
  m <- .hz_model(formula, data, env, call)
  m <- .hz_weights(m, data, env, if (missing(weights)) NULL else substitute(weights), call)
  if (length(m$roles$strata) || !is.null(m$roles$cluster) || !is.null(m$roles$offset))
    .hz_stop("hz_km takes one grouping variable: Surv(time, status) ~ group (or ~ 1)", call)
  if (length(m$terms) > 1) .hz_stop("hz_km takes one grouping variable: Surv(time, status) ~ group (or ~ 1)", call)
  if (length(m$terms) == 1) {
    m$columns[[m$terms]] <- .hz_factor(.hz_eval(str2lang(m$terms), data, env))
    m$roles$group <- m$terms
  }
  options <- list(conf_type = conf.type, conf_level = conf.int, times = as.double(times),
                  rmst_tau = rmean, quantiles = as.double(probs))
  r <- .hz_check(.hz_km(source, m$columns, m$roles, options), call)
  r$call <- call
  r$group_var <- m$roles$group
  r$strata <- if (is.null(r$group_var)) NULL else paste0(r$group_var, "=", vapply(r$groups, `[[`, "", "group"))
  class(r) <- "hz_km"
  r
}

.km_names <- function(x) if (is.null(x$strata)) "" else x$strata

print.hz_km <- function(x, digits = max(options()$digits - 4, 3), ...) {
  cat("Call: ")
  dput(x$call)
  cat("\n")
  lv <- format(x$conf_level)
  tab <- t(vapply(x$groups, function(g) c(n = g$n, events = g$events, median = g$median[["estimate"]],
                                          lower = g$median[["lower"]], upper = g$median[["upper"]]),
                  numeric(5)))
  colnames(tab) <- c("n", "events", "median", paste0(lv, "LCL"), paste0(lv, "UCL"))
  if (any(vapply(x$groups, function(g) !is.null(g$rmst), TRUE))) {
    rm <- t(vapply(x$groups, function(g) c(g$rmst$estimate, g$rmst$std_err), numeric(2)))
    colnames(rm) <- c("rmean*", "se(rmean)")
    tab <- cbind(tab[, 1:2, drop = FALSE], rm, tab[, 3:5, drop = FALSE])
  }
  rownames(tab) <- if (is.null(x$strata)) "" else x$strata
  print(signif(tab, digits))
  if (!is.null(x$groups[[1]]$rmst)) cat("    * restricted mean with upper limit = ", format(x$groups[[1]]$rmst$tau), "\n")
  .hz_print_rows(x)
  cat(sprintf("Kaplan-Meier (%sGreenwood variance), pointwise %s%% CI: %s\n",
              if (x$weighted) "case-weighted; " else "", format(100 * x$conf_level), x$conf_type))
  invisible(x)
}

.hz_print_rows <- function(x) {
  if (x$excluded > 0 || x$n_filtered > 0) {
    r <- x$excluded_reasons
    cat(sprintf("   %g observation%s deleted due to missingness (%s)\n", x$excluded, if (x$excluded == 1) "" else "s",
                paste(names(r), r, sep = ": ", collapse = ", ")))
  }
}

summary.hz_km <- function(object, censored = FALSE, ...) {
  object$censored <- censored
  class(object) <- "summary.hz_km"
  object
}

print.summary.hz_km <- function(x, digits = max(options()$digits - 4, 3), ...) {
  cat("Call: ")
  dput(x$call)
  cat("\n")
  lv <- format(100 * x$conf_level)
  for (k in seq_along(x$groups)) {
    g <- x$groups[[k]]
    t <- g$table
    keep <- if (x$censored) rep(TRUE, length(t$time)) else t$n_event > 0
    tab <- cbind(time = t$time, n.risk = t$n_risk, n.event = t$n_event, survival = t$surv,
                 std.err = t$std_err, lower = t$lower, upper = t$upper)[keep, , drop = FALSE]
    colnames(tab)[6:7] <- paste0(c("lower ", "upper "), lv, "% CI")
    if (!is.null(x$strata)) cat("                ", x$strata[k], "\n")
    rownames(tab) <- rep("", nrow(tab))
    print(signif(tab, digits))
    cat("\n")
  }
  invisible(x)
}

as.data.frame.hz_km <- function(x, ...) {
  parts <- lapply(seq_along(x$groups), function(k) {
    t <- x$groups[[k]]$table
    d <- data.frame(time = t$time, n.risk = t$n_risk, n.event = t$n_event, n.censor = t$n_censor,
                    surv = t$surv, std.err = t$std_err, lower = t$lower, upper = t$upper, cumhaz = t$cumhaz)
    if (!is.null(x$strata)) d$strata <- x$strata[k]
    d
  })
  do.call(rbind, parts)
}

tidy.hz_km <- function(x, ...) {
  parts <- lapply(seq_along(x$groups), function(k) {
    t <- x$groups[[k]]$table
    d <- data.frame(time = t$time, n.risk = t$n_risk, n.event = t$n_event, n.censor = t$n_censor,
                    estimate = t$surv, std.error = t$se_log, conf.high = t$upper, conf.low = t$lower)
    if (!is.null(x$strata)) d$strata <- x$strata[k]
    d
  })
  .hz_tibble(do.call(rbind, parts))
}

glance.hz_km <- function(x, ...) {
  if (length(x$groups) > 1) stop("glance() is for a single curve (as broom's glance.survfit): use summary() or tidy()")
  g <- x$groups[[1]]
  d <- data.frame(records = g$n, events = g$events, median = g$median[["estimate"]],
                  conf.low = g$median[["lower"]], conf.high = g$median[["upper"]])
  if (!is.null(g$rmst)) {
    d$rmean <- g$rmst$estimate
    d$rmean.std.error <- g$rmst$std_err
  }
  d$nobs <- x$n
  .hz_tibble(d)
}

# a tibble when tibble is installed (as broom returns), else a data frame
.hz_tibble <- function(d) {
  rownames(d) <- NULL
  if (requireNamespace("tibble", quietly = TRUE)) tibble::as_tibble(d) else d
}
