# Reference values for the distributed Cox fit (tests/unit/cox/cox_distributed_test.cpp) on R's
# colon data (survival::colon, complete cases): a 3-level factor, strata, many tied times,
# fractional weights (robust variance), Efron and Breslow. Run from this folder:
#   Rscript make_cox_distributed.R
# Writes cox_distributed.json: per case the exact R call, the versions, the model input as coxph
# saw it (design matrix, y, strata, weights) and coxph's results.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))
col <- survival::colon[complete.cases(survival::colon[, c("time", "status", "rx", "age", "nodes", "sex", "etype")]), ]
# fractional case weights, a function of the row number
col$wf <- 0.5 + (seq_len(nrow(col)) %% 7) / 4

cases <- list()
add_case <- function(name, call, strata = NULL, weights = NULL) {
  fit <- eval(parse(text = call))
  y <- fit$y
  x <- fit$x
  input <- list(time = unname(y[, 1]), status = unname(as.integer(y[, 2])),
                x = unname(lapply(seq_len(nrow(x)), function(i) unname(x[i, ]))), names = colnames(x))
  if (!is.null(strata)) input$stratum <- as.integer(as.factor(col[[strata]]))
  if (!is.null(weights)) input$weight <- col[[weights]]
  robust <- !is.null(fit$naive.var)
  cc <- fit$concordance
  expect <- list(
    coef = unname(fit$coefficients),
    se = unname(sqrt(diag(if (robust) fit$naive.var else fit$var))),
    robust_se = if (robust) unname(sqrt(diag(fit$var))) else NULL,
    loglik = unname(fit$loglik), score = unname(fit$score),
    rscore = if (robust) unname(fit$rscore) else NULL,
    iter = fit$iter, n = fit$n, nevent = fit$nevent,
    concordance = unname(cc[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy", "concordance", "std")]),
    warnings = character(0))
  cases[[length(cases) + 1]] <<- list(name = name, call = call, ties = fit$method, max_iter = 20,
                                      robust = robust, input = input, expect = expect, versions = versions)
}
add_case("colon_strata_efron",
         'coxph(Surv(time, status) ~ rx + age + nodes + strata(etype), data = col, ties = "efron", x = TRUE)',
         strata = "etype")
add_case("colon_fracweights_breslow",
         'coxph(Surv(time, status) ~ rx + sex + age + nodes, weights = wf, data = col, ties = "breslow", x = TRUE)',
         weights = "wf")
add_case("colon_fracweights_strata_efron",
         'coxph(Surv(time, status) ~ rx + sex + nodes + strata(etype), weights = wf, data = col, ties = "efron", x = TRUE)',
         strata = "etype", weights = "wf")
writeLines(toJSON(cases, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = FALSE),
           "cox_distributed.json")
