# Reference values for the right-censored Cox kernel on data large enough for its two-thread path
# and for the radix sorts of the concordance
# (tests/unit/cox/coxfit_test.cpp; the kernel splits the rows over two threads from 32768 rows).
# Run from this folder:  Rscript make_coxfit_large.R   (writes coxfit_large.json)
# The data are generated from the row number alone with integer arithmetic, so that the C++ test
# builds the same rows without a data file:
#   i = 0, ..., n - 1;  x1 = i %% 2; x2 = ((i * 31) %% 101) / 50 - 1;
#   time = (i * 7919) %% 997 + 1 + 300 x1 + (i * 31) %% 101 + 20 ((i * 17) %% 13) (x1, x2 and
#   x3 have effects; integer times, heavy ties: about 44 rows per time); status = 1 unless i %% 3 == 0;
#   x3 = ((i * 17) %% 13) / 4 - x1 (correlated with x1); weight = 1 + (i %% 4) / 2;
#   stratum = i %% 3 + 1, except the last 500 rows: stratum 4, all censored (a stratum without
#   events, which must not change the fit).
# The `many` cases replace x3 with x3m = ((i * 7919) %% 307) / 100 (307 values): the linear
# predictor then has 62014 distinct values (23167 per stratum, all distinct, with strata),
# enough for the concordance's superblock path (src/cox/concordance.cpp: from 16384 distinct
# scores), and still tied scores among events at one time (tied.xy) with the coarse times.
# The `exact` case: ties = "exact" on times without ties, (i * 7919) %% 70001 + 1 (all distinct):
# the exact method's kernel order is descending time, the concordance's superblock path reads it
# backwards (20,000 rows, x3m: 20,000 distinct scores).
suppressPackageStartupMessages({library(survival); library(jsonlite)})
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))
gen <- function(n) {
  i <- 0:(n - 1)
  d <- data.frame(time = (i * 7919) %% 997 + 1 + 300 * (i %% 2) + (i * 31) %% 101 + 20 * ((i * 17) %% 13),
                  status = as.integer(i %% 3 != 0), x1 = i %% 2, x2 = ((i * 31) %% 101) / 50 - 1)
  d$x3 <- ((i * 17) %% 13) / 4 - d$x1
  d$x3m <- ((i * 7919) %% 307) / 100
  d$tdistinct <- (i * 7919) %% 70001 + 1
  d$w <- 1 + (i %% 4) / 2
  d$s <- i %% 3 + 1
  last <- (n - 499):n
  d$s[last] <- 4
  d$status[last] <- 0L
  d
}
n <- 70000
d <- gen(n)
cases <- list()
for (ties in c("efron", "breslow")) {
  # coarse: times %/% 50 (about 2200 rows per time), so that events at one time share scores
  # (the concordance's tied.xy)
  for (model in c("plain", "strata_weights", "coarse", "many_coarse", "many_strata_weights")) {
    call <- if (model == "plain")
      sprintf('coxph(Surv(time, status) ~ x1 + x2 + x3, data = d, ties = "%s")', ties)
    else if (model == "coarse")
      sprintf('coxph(Surv(time %%/%% 50, status) ~ x1 + x2 + x3, data = d, ties = "%s")', ties)
    else if (model == "many_coarse")
      sprintf('coxph(Surv(time %%/%% 50, status) ~ x1 + x2 + x3m, data = d, ties = "%s")', ties)
    else if (model == "many_strata_weights")
      sprintf('coxph(Surv(time, status) ~ x1 + x2 + x3m + strata(s), data = d, weights = w, ties = "%s")', ties)
    else
      sprintf('coxph(Surv(time, status) ~ x1 + x2 + x3 + strata(s), data = d, weights = w, ties = "%s")', ties)
    fit <- eval(parse(text = call))
    cases[[length(cases) + 1]] <- list(
      name = paste(model, ties, sep = "_"), call = call, n = n, ties = ties,
      strata = grepl("strata", model), weights = grepl("weights", model),
      coarse = grepl("coarse", model), many = grepl("many", model),
      # non-integer weights make coxph's variance robust; se is the model-based one
      expect = list(coef = unname(fit$coefficients),
                    se = unname(sqrt(diag(if (is.null(fit$naive.var)) fit$var else fit$naive.var))),
                    loglik = unname(fit$loglik), iter = fit$iter,
                    score = unname(fit$score),
                    # Harrell's concordance of the linear predictor: many tied times and tied
                    # scores (x1 binary, x2 and x3 few values), weights and strata
                    concordance = unname(fit$concordance[c("concordant", "discordant", "tied.x",
                                                           "tied.y", "tied.xy", "concordance",
                                                           "std")])))
  }
}
n_exact <- 20000
d <- gen(n_exact)
call <- 'coxph(Surv(tdistinct, status) ~ x1 + x2 + x3m, data = d, ties = "exact")'
fit <- eval(parse(text = call))
cases[[length(cases) + 1]] <- list(
  name = "many_exact_distinct", call = call, n = n_exact, ties = "exact", strata = FALSE,
  weights = FALSE, coarse = FALSE, many = TRUE, distinct = TRUE,
  expect = list(coef = unname(fit$coefficients), se = unname(sqrt(diag(fit$var))),
                loglik = unname(fit$loglik), iter = fit$iter, score = unname(fit$score),
                concordance = unname(fit$concordance[c("concordant", "discordant", "tied.x",
                                                       "tied.y", "tied.xy", "concordance",
                                                       "std")])))
writeLines(toJSON(list(versions = versions, generator = "see the comment of make_coxfit_large.R",
                       cases = cases), digits = NA, auto_unbox = TRUE, pretty = TRUE),
           "coxfit_large.json")
