# Reference values for the two regression models inside hazard's crossover methods:
# logistic regression (src/crossover/logistic.cpp, IPCW's switching models) against glm(binomial),
# and the Weibull AFT model (src/crossover/weibull_aft.cpp, the two-stage method) against
# survreg(dist = "weibull"). Data: tests/reference/parametric/colon.csv (survival's colon, deaths).
#
# Run from anywhere:  Rscript tests/reference/crossover/make_models.R   (writes models.json here)
# Needs: r-base-core, r-cran-survival, r-cran-jsonlite.
# glm is run with epsilon = 1e-14 and refitted from its converged coefficients, so that its SEs
# are those at the estimate (glm takes them from the working weights at the start of its last
# iteration); survreg with rel.tolerance = 1e-13.
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
d <- read.csv(file.path("..", "parametric", "colon.csv"), stringsAsFactors = FALSE)
d$lev5fu <- as.integer(d$rx == "Lev+5FU")
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))
ctl <- glm.control(epsilon = 1e-14, maxit = 100)
logistic_case <- function(name, f) {
  g <- glm(f, family = binomial, data = d, control = ctl)
  g <- glm(f, family = binomial, data = d, control = ctl, start = coef(g))
  list(name = name, call = paste0("glm(", deparse(f), ", family = binomial, data = colon.csv, epsilon = 1e-14)"),
       columns = attr(terms(f), "term.labels"), names = names(coef(g)), coef = unname(coef(g)),
       se = unname(sqrt(diag(vcov(g)))), deviance = deviance(g), null_deviance = g$null.deviance,
       fitted_first = unname(fitted(g)[1:5]))
}
aft_case <- function(name, f) {
  s <- survreg(f, data = d, dist = "weibull", control = survreg.control(rel.tolerance = 1e-13, maxiter = 100))
  list(name = name, call = paste0("survreg(", deparse(f), ", data = colon.csv, dist = 'weibull', rel.tolerance = 1e-13)"),
       columns = attr(terms(f), "term.labels"), names = c(names(coef(s)), "Log(scale)"),
       coef = c(unname(coef(s)), log(s$scale)), se = unname(sqrt(diag(vcov(s)))), loglik = s$loglik[2],
       scale = s$scale)
}
out <- list(versions = versions, data = "tests/reference/parametric/colon.csv",
            logistic = list(logistic_case("status_age_nodes_rx", status ~ age + nodes + lev5fu),
                            logistic_case("status_age", status ~ age)),
            weibull_aft = list(aft_case("age_nodes_rx", Surv(time, status) ~ age + nodes + lev5fu),
                               aft_case("rx", Surv(time, status) ~ lev5fu)))
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "models.json")
