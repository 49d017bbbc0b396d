# hz_logrank: the log-rank test and its Fleming–Harrington family, as survival's survdiff().

# Log-rank test, as survival::survdiff
#
# hz_logrank(Surv(time, status) ~ arm + strata(site), data = d, rho = 0)
# One grouping variable, optional strata(); rho and gamma give the Fleming–Harrington G(rho,
# gamma) test (survdiff's rho is G(rho, 0)); weights give the score test of the weighted Cox
# model (Breslow ties). The result has survdiff's components n, obs, exp, var, chisq, pvalue,
# and for two groups z and the one-sided p of the non-reference group.
hz_logrank <- function(formula, data, weights, subset, rho = 0, gamma = 0) {
  call <- match.call()
  source <- .hz_source(substitute(data))
  env <- environment(formula)
  if (missing(data)) data <- env
  data <- .hz_subset(data, if (missing(subset)) NULL else substitute(subset), env, call)
  m <- .hz_model(formula, data, env, call)
  m <- .hz_weights(m, data, env, if (missing(weights)) NULL else substitute(weights), call)
  if (length(m$terms) != 1 || !is.null(m$roles$cluster) || !is.null(m$roles$offset))
    .hz_stop("hz_logrank takes one grouping variable and optional strata(): Surv(time, status) ~ group + strata(s)", call)
  m$columns[[m$terms]] <- .hz_factor(.hz_eval(str2lang(m$terms), data, env))
  m$roles$group <- m$terms
  r <- .hz_check(.hz_logrank(source, m$columns, m$roles, rho, gamma), call)
  names <- paste0(m$terms, "=", r$levels)
  out <- list(call = call, n = setNames(r$n_group, names), obs = setNames(r$observed, names),
              exp = setNames(r$expected, names), var = r$variance, chisq = r$chisq, df = r$df,
              pvalue = r$p, z = r$z, p_one_sided = r$p_one_sided, rho = rho, gamma = gamma,
              oe2_over_e = r$oe2_over_e, oe2_over_v = r$oe2_over_v, weighted = r$weighted,
              group = m$terms, levels = r$levels, strata = r$strata, n_read = r$n_read,
              n_filtered = r$n_filtered, excluded = r$excluded, excluded_reasons = r$excluded_reasons,
              n_analysed = r$n)
  dimnames(out$var) <- list(names, names)
  class(out) <- "hz_logrank"
  out
}

.hz_logrank_method <- function(x) {
  test <- if (x$rho == 0 && x$gamma == 0) "log-rank" else
    sprintf("Fleming-Harrington G(rho = %g, gamma = %g)", x$rho, x$gamma)
  if (x$weighted) paste0(test, ", case-weighted: score test of the weighted Cox model (Breslow ties)")
  else paste0(test, " (as R survdiff)")
}

print.hz_logrank <- function(x, digits = max(options()$digits - 4, 3), ...) {
  cat("Call:\n")
  dput(x$call)
  cat("\n")
  tab <- cbind(N = x$n, Observed = x$obs, Expected = x$exp, "(O-E)^2/E" = x$oe2_over_e,
               "(O-E)^2/V" = x$oe2_over_v)
  print(tab, digits = digits)
  cat("\n Chisq=", format(round(x$chisq, 1)), " on", x$df, "degrees of freedom, p=",
      format.pval(x$pvalue, digits = digits), "\n")
  if (length(x$n) == 2)
    cat(sprintf(" z (%s vs %s) = %s, one-sided p = %s\n", names(x$n)[2], names(x$n)[1],
                format(x$z, digits = digits), format.pval(x$p_one_sided, digits = digits)))
  if (length(x$strata)) cat(" stratified:", length(x$strata), "strata\n")
  .hz_print_rows(x)
  cat(" test:", .hz_logrank_method(x), "\n")
  invisible(x)
}

as.data.frame.hz_logrank <- function(x, ...) {
  d <- data.frame(x$levels, N = unname(x$n), obs = unname(x$obs), exp = unname(x$exp),
                  oe2_over_e = x$oe2_over_e, oe2_over_v = x$oe2_over_v, check.names = FALSE)
  names(d)[1] <- x$group
  d
}

tidy.hz_logrank <- function(x, ...) {
  .hz_tibble(as.data.frame(x)[, 1:4])
}

glance.hz_logrank <- function(x, ...) {
  .hz_tibble(data.frame(statistic = x$chisq, df = x$df, p.value = x$pvalue))
}
