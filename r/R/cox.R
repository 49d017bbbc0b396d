# hz_cox: Cox proportional hazards regression as survival's coxph(), computed by hazard's library.

# Cox regression, as survival::coxph
#
# hz_cox(Surv(time, status) ~ arm + age + strata(site), data = d, ties = "efron")
# Numeric terms are one coefficient each; factors, character and logical terms one per
# non-reference level (the factor's first level the reference), named as R names them (armB);
# strata(), cluster() (robust variance) and offset() terms; Surv(start, stop, status) for
# (start, stop] data; weights and robust as coxph.
hz_cox <- function(formula, data, weights, subset, ties = c("efron", "breslow", "exact"),
                   robust = FALSE, conf.int = 0.95, iter.max = 20, eps = 1e-9) {
  call <- match.call()
  source <- .hz_source(substitute(data))
  env <- environment(formula)
  if (missing(data)) data <- env
  ties <- match.arg(ties)
  data <- .hz_subset(data, if (missing(subset)) NULL else substitute(subset), env, call)
  m <- .hz_model(formula, data, env, call, start_allowed = TRUE)
  m <- .hz_weights(m, data, env, if (missing(weights)) NULL else substitute(weights), call)
  if (!length(m$terms)) .hz_stop("the model needs at least one covariate", call)
  factors <- character(0)
  for (t in m$terms) {
    x <- .hz_term(t, data, env, call)
    if (is.factor(x)) factors <- c(factors, t)
    m$columns[[t]] <- x
  }
  options <- list(ties = ties, robust = robust, conf_level = conf.int, iter_max = iter.max, eps = eps)
  r <- .hz_check(.hz_cox(source, m$columns, m$roles, m$terms, options), call)
  cf <- r$coefficients
  # R's names: a factor's level pasted to the term ("armB"); the library writes "arm[B]"
  rname <- ifelse(cf$model_term %in% factors,
                  paste0(cf$model_term, substr(cf$term, nchar(cf$model_term) + 2, nchar(cf$term) - 1)),
                  cf$term)
  out <- list(coefficients = setNames(cf$coef, rname), var = r$var,
              loglik = r$loglik, score = r$tests$score[["stat"]], wald.test = r$tests$wald[["stat"]],
              rscore = if (is.null(r$tests$robust_score)) NULL else r$tests$robust_score[["stat"]],
              iter = r$iterations, converged = r$converged, n = r$n, nevent = r$events,
              means = setNames(r$means, rname), concordance = r$concordance, method = r$ties,
              linear.predictors = r$linear_predictors, call = call, robust = r$robust,
              naive.var = r$naive_var, conf.int = conf.int, strata = r$strata,
              table = data.frame(term = rname, coef = cf$coef, hr = cf$hr, se = cf$se, robust_se = cf$robust_se,
                                 z = cf$z, p = cf$p, lower = cf$lower, upper = cf$upper),
              tests = r$tests, warnings = r$warnings, n_read = r$n_read, n_filtered = r$n_filtered,
              excluded = r$excluded, excluded_reasons = r$excluded_reasons)
  if (!is.null(out$var)) dimnames(out$var) <- list(rname, rname)
  if (!is.null(out$naive.var)) {
    dimnames(out$naive.var) <- list(rname, rname)
    out$var <- r$robust_var  # coxph's var is the robust one when robust (naive.var the model-based)
    dimnames(out$var) <- list(rname, rname)
  }
  for (w in r$warnings) warning(w, call. = FALSE)
  class(out) <- "hz_cox"
  out
}

vcov.hz_cox <- function(object, ...) object$var
nobs.hz_cox <- function(object, ...) object$nevent

.hz_cox_coefmat <- function(x) {
  t <- x$table
  m <- if (x$robust) cbind(coef = t$coef, "exp(coef)" = t$hr, "se(coef)" = t$se, "robust se" = t$robust_se,
                           z = t$z, "Pr(>|z|)" = t$p)
       else cbind(coef = t$coef, "exp(coef)" = t$hr, "se(coef)" = t$se, z = t$z, "Pr(>|z|)" = t$p)
  rownames(m) <- t$term
  m
}

.hz_cox_method <- function(x) {
  sprintf("ties: %s%s%s", x$method, if (length(x$strata)) sprintf("; %d strata", length(x$strata)) else "",
          if (x$robust) "; robust (sandwich) variance" else "")
}

print.hz_cox <- function(x, digits = max(options()$digits - 3, 3), ...) {
  cat("Call:\n")
  dput(x$call)
  cat("\n")
  printCoefmat(.hz_cox_coefmat(x), digits = digits, P.values = TRUE, has.Pvalue = TRUE,
               signif.stars = FALSE, ...)
  lr <- x$tests$lr
  cat("\nLikelihood ratio test=", format(round(lr[["stat"]], 2)), " on ", lr[["df"]], " df,",
      " p=", format.pval(lr[["p"]], digits = digits), "\n", sep = "")
  cat("n= ", x$n, ", number of events= ", x$nevent, "\n", sep = "")
  .hz_print_rows(x)
  cat(.hz_cox_method(x), "\n")
  invisible(x)
}

summary.hz_cox <- function(object, ...) {
  class(object) <- "summary.hz_cox"
  object
}

print.summary.hz_cox <- function(x, digits = max(getOption("digits") - 3, 3),
                                 signif.stars = getOption("show.signif.stars"), ...) {
  cat("Call:\n")
  dput(x$call)
  cat("\n  n= ", x$n, ", number of events= ", x$nevent, "\n", sep = "")
  .hz_print_rows(x)
  cat("\n")
  printCoefmat(.hz_cox_coefmat(x), digits = digits, signif.stars = signif.stars, P.values = TRUE,
               has.Pvalue = TRUE, ...)
  t <- x$table
  ci <- cbind(t$hr, 1 / t$hr, t$lower, t$upper)
  dimnames(ci) <- list(t$term, c("exp(coef)", "exp(-coef)", paste("lower .", round(100 * x$conf.int, 2), sep = ""),
                                 paste("upper .", round(100 * x$conf.int, 2), sep = "")))
  cat("\n")
  print(ci, digits = digits)
  cat("\nConcordance=", format(round(x$concordance[["concordance"]], 3)), " (se =",
      format(round(x$concordance[["std"]], 3)), ")\n")
  test <- function(name, t) {
    cat(name, "= ", format(round(t[["stat"]], 2)), "  on ", t[["df"]], " df,   p=",
        format.pval(t[["p"]], digits = digits), "\n", sep = "")
  }
  test("Likelihood ratio test", x$tests$lr)
  test("Wald test            ", x$tests$wald)
  test("Score (logrank) test ", x$tests$score)
  if (!is.null(x$tests$robust_score)) test("Robust score test    ", x$tests$robust_score)
  cat(.hz_cox_method(x), "\n")
  invisible(x)
}

as.data.frame.hz_cox <- function(x, ...) {
  t <- x$table
  d <- data.frame(term = t$term, coef = t$coef, "exp(coef)" = t$hr, "se(coef)" = t$se, z = t$z,
                  p = t$p, lower = t$lower, upper = t$upper, check.names = FALSE)
  if (x$robust) d$"robust se" <- t$robust_se
  d
}

tidy.hz_cox <- function(x, exponentiate = FALSE, conf.int = FALSE, ...) {
  t <- x$table
  # as broom's tidy.coxph: std.error the model-based SE, robust.se next to it; z and p (robust
  # when robust, as coxph)
  d <- data.frame(term = t$term, estimate = if (exponentiate) t$hr else t$coef, std.error = t$se)
  if (x$robust) d$robust.se <- t$robust_se
  d$statistic <- t$z
  d$p.value <- t$p
  if (conf.int) {
    # the library's limits are exp(coef -/+ z se): on the coefficient scale their logs
    d$conf.low <- if (exponentiate) t$lower else log(t$lower)
    d$conf.high <- if (exponentiate) t$upper else log(t$upper)
  }
  .hz_tibble(d)
}

glance.hz_cox <- function(x, ...) {
  na <- c(stat = NA_real_, p = NA_real_)
  rs <- if (is.null(x$tests$robust_score)) na else x$tests$robust_score
  .hz_tibble(data.frame(n = x$n, nevent = x$nevent,
                        statistic.log = x$tests$lr[["stat"]], p.value.log = x$tests$lr[["p"]],
                        statistic.sc = x$tests$score[["stat"]], p.value.sc = x$tests$score[["p"]],
                        statistic.wald = x$tests$wald[["stat"]], p.value.wald = x$tests$wald[["p"]],
                        statistic.robust = rs[["stat"]], p.value.robust = rs[["p"]],
                        concordance = x$concordance[["concordance"]],
                        std.error.concordance = x$concordance[["std"]], logLik = x$loglik[2],
                        nobs = x$n))  # broom's glance.coxph reports n here (nobs() gives nevent, as survival)
}
