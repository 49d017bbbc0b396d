# Reference values for hazard's exponential, Weibull, log-normal and log-logistic fits
# (tests/unit/parametric/survreg_test.cpp, tests/cli/parametric.sh): R survival::survreg.
# Run from this folder:  Rscript make_survreg.R   -> survreg.json and the CSV copies of the data.
#
# survreg fits log T = x'b + sigma W (W extreme-value, normal or logistic); its log-likelihood is
# on the time scale (it includes the Jacobian -sum(log t) of the events), as flexsurv's: checked
# below against sum(d log f + (1 - d) log S) with dweibull/dlnorm/... for every case.
# hazard reports flexsurv's parametrisation; the map from survreg's (Intercept, coefficients,
# Log(scale)) is linear, so estimates, covariance and SEs transform exactly:
#   exponential: log(rate) = -Intercept,               effects = -coefficients
#   weibull:     (log(shape), log(scale)) = (-Log(scale), Intercept),   effects = coefficients
#   lognormal:   (meanlog, log(sdlog)) = (Intercept, Log(scale)),       effects = coefficients
#   loglogistic: (log(shape), log(scale)) = (-Log(scale), Intercept),   effects = coefficients
# survreg runs with rel.tolerance = 1e-12 (default 1e-9) so that its estimates are the maximum to
# ~1e-10, well inside the 1e-6 agreement the tests ask for.
# Each case stores the model input (time, status, weights, design matrix as hazard builds it:
# treatment contrasts, no intercept), survreg's raw output, and the mapped values.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))

lung2 <- survival::lung
lung2$status <- lung2$status - 1L
lung2$sex <- factor(lung2$sex)
set.seed(20261204)
lung2$w <- round(runif(nrow(lung2), 0.5, 3), 2)
vet <- survival::veteran
vet$trt <- factor(vet$trt)
col2 <- subset(survival::colon, etype == 2 & !is.na(nodes))
col2$rx <- factor(col2$rx, levels = c("Obs", "Lev", "Lev+5FU"))

write.csv(lung2[, c("time", "status", "sex", "age", "w")], "lung.csv", row.names = FALSE)
write.csv(vet[, c("time", "status", "trt", "karno", "celltype")], "veteran.csv", row.names = FALSE)
write.csv(col2[, c("time", "status", "rx", "age", "nodes")], "colon.csv", row.names = FALSE)

map <- function(dist, coefs, names_x) {
  # index map and signs from survreg's vector (Intercept, x..., Log(scale)) to hazard's
  p <- length(names_x)
  if (dist == "exponential") return(list(idx = c(1, 1 + seq_len(p)), sgn = rep(-1, 1 + p)))
  if (dist == "lognormal") return(list(idx = c(1, 2 + p, 1 + seq_len(p)), sgn = rep(1, 2 + p)))
  # weibull, loglogistic: (-Log(scale), Intercept, x)
  list(idx = c(2 + p, 1, 1 + seq_len(p)), sgn = c(-1, rep(1, 1 + p)))
}

# a matrix as a JSON array of row arrays (length-1 rows stay arrays)
rows <- function(M) lapply(seq_len(nrow(M)), function(i) I(unname(M[i, ])))

cases <- list()
add <- function(name, data, formula, dist, weights = NULL) {
  call <- sprintf("survreg(%s, data = %s, dist = \"%s\"%s, control = survreg.control(rel.tolerance = 1e-12, iter.max = 100))",
                  deparse(formula), name_of_data[[name]], dist, if (is.null(weights)) "" else ", weights = w")
  ctl <- survreg.control(rel.tolerance = 1e-12, iter.max = 100)
  fit <- if (is.null(weights)) survreg(formula, data = data, dist = dist, x = TRUE, y = TRUE, control = ctl)
         else survreg(formula, data = data, dist = dist, weights = w, x = TRUE, y = TRUE, control = ctl)
  y <- fit$y
  X <- fit$x[, -1, drop = FALSE]
  w <- if (is.null(weights)) rep(1, nrow(X)) else data$w
  raw <- c(coef(fit), if (dist != "exponential") log(fit$scale))
  V <- vcov(fit)
  m <- map(dist, raw, colnames(X))
  est <- m$sgn * raw[m$idx]
  Vh <- (m$sgn %o% m$sgn) * V[m$idx, m$idx]
  # the time-scale log-likelihood by hand, to confirm survreg's includes the Jacobian
  lp <- drop(fit$x %*% coef(fit)); t <- y[, 1]; d <- y[, 2]; s <- fit$scale
  ll <- switch(dist,
    exponential = ifelse(d == 1, dexp(t, exp(-lp), log = TRUE), pexp(t, exp(-lp), lower = FALSE, log = TRUE)),
    weibull = ifelse(d == 1, dweibull(t, 1 / s, exp(lp), log = TRUE), pweibull(t, 1 / s, exp(lp), lower = FALSE, log = TRUE)),
    lognormal = ifelse(d == 1, dlnorm(t, lp, s, log = TRUE), plnorm(t, lp, s, lower = FALSE, log = TRUE)),
    loglogistic = ifelse(d == 1, dlogis(log(t), lp, s, log = TRUE) - log(t), plogis(log(t), lp, s, lower = FALSE, log = TRUE)))
  stopifnot(abs(sum(w * ll) - fit$loglik[2]) < 1e-8 * abs(fit$loglik[2]))
  cases[[length(cases) + 1]] <<- list(
    name = if (is.null(weights)) paste(name, dist, sep = "_") else paste(name, dist, "weighted", sep = "_"),
    call = call, dist = dist,
    input = list(time = unname(t), status = unname(as.integer(d)), weight = unname(w),
                 x = rows(X), names = I(as.character(colnames(X)))),
    survreg = list(coefficients = I(unname(raw)), names = I(c(names(coef(fit)), if (dist != "exponential") "Log(scale)")),
                   var = rows(V), loglik = fit$loglik[2], iter = unname(fit$iter)),
    expect = list(estimate = I(unname(est)), se = I(unname(sqrt(diag(Vh)))), vcov = rows(Vh),
                  loglik = fit$loglik[2], loglik_by_hand = sum(w * ll),
                  aic = -2 * fit$loglik[2] + 2 * length(est),
                  bic = -2 * fit$loglik[2] + log(nrow(X)) * length(est)))
}
name_of_data <- list(lung_null = "lung2", lung_sex_age = "lung2", veteran = "vet", colon = "col2",
                     lung_weights = "lung2")
for (dist in c("exponential", "weibull", "lognormal", "loglogistic")) {
  add("lung_null", lung2, Surv(time, status) ~ 1, dist)
  add("lung_sex_age", lung2, Surv(time, status) ~ sex + age, dist)
  add("veteran", vet, Surv(time, status) ~ trt + karno, dist)
  add("colon", col2, Surv(time, status) ~ rx + age + nodes, dist)
  add("lung_weights", lung2, Surv(time, status) ~ sex, dist, weights = TRUE)
}
writeLines(toJSON(list(versions = versions, cases = cases), digits = NA, auto_unbox = TRUE, pretty = FALSE),
           "survreg.json")
cat("wrote", length(cases), "cases\n")
