# Reference values for hazard's Cox regression (tests/unit/cox/cox_fit_test.cpp, tests/cli/cox.sh).
# Run from this folder:  Rscript make_cox.R
# Writes cox.json (one entry per case: the exact R call, R and survival versions, the model input
# as coxph saw it -- design matrix, y, strata, weights, offset, cluster -- and coxph's results)
# and CSV copies of the data sets used by the command-line test.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
options(warn = 1)
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))

cases <- list()
resid_cases <- c("lung_efron", "lung_breslow", "aml_exact", "test1_efron", "test2_efron", "test2_breslow",
                 "veteran_strata_efron", "lung_weights_efron", "lung_offset_efron", "cgd_cluster_efron",
                 "bladder2_cluster_breslow", "lung_cluster_strata_efron", "ovarian_efron",
                 "test2_exact", "cgd_strata_cluster_exact")
add_case <- function(name, call, df, ties, extras = list(), closed_form = NULL) {
  warns <- character(0)
  fit <- withCallingHandlers(eval(parse(text = call)),
                             warning = function(w) { warns <<- c(warns, conditionMessage(w));
                                                     invokeRestart("muffleWarning") })
  # survival 3.5-3's agexact.fit (ties = "exact" with (start, stop] data) returns a fit without a
  # class (and with method "coxph"), so summary() and cox.zph() would not dispatch; its
  # components are complete, so the class is set here to read them the usual way.
  if (!inherits(fit, "coxph")) class(fit) <- "coxph"
  y <- fit$y
  counting <- ncol(y) == 3
  x <- fit$x
  input <- list(
    time = unname(if (counting) y[, 2] else y[, 1]),
    start = if (counting) unname(y[, 1]) else NULL,
    status = unname(as.integer(y[, ncol(y)])),
    x = unname(lapply(seq_len(nrow(x)), function(i) unname(x[i, ]))),
    names = colnames(x))
  if (!is.null(extras$strata)) input$stratum <- as.integer(as.factor(df[[extras$strata]]))
  if (!is.null(extras$weights)) input$weight <- df[[extras$weights]]
  if (!is.null(extras$offset)) input$offset <- df[[extras$offset]]
  if (!is.null(extras$cluster)) input$cluster <- as.integer(as.factor(df[[extras$cluster]]))
  robust <- !is.null(fit$naive.var)
  cc <- fit$concordance
  expect <- list(
    coef = unname(fit$coefficients),
    se = unname(sqrt(diag(if (robust) fit$naive.var else fit$var))),
    robust_se = if (robust) unname(sqrt(diag(fit$var))) else NULL,
    var = unname(lapply(seq_len(ncol(x)), function(i) unname((if (robust) fit$naive.var else fit$var)[i, ]))),
    loglik = unname(fit$loglik),
    score = unname(fit$score),
    wald = unname(fit$wald.test),
    rscore = if (robust) unname(fit$rscore) else NULL,
    iter = fit$iter,
    n = fit$n, nevent = fit$nevent,
    concordance = unname(cc[c("concordant", "discordant", "tied.x", "tied.y", "tied.xy", "concordance", "std")]),
    warnings = warns)
  s <- summary(fit, conf.int = 0.95)
  expect$z <- unname(s$coefficients[, if (robust) 5 else 4])
  expect$p <- unname(s$coefficients[, if (robust) 6 else 5])
  expect$lower <- unname(s$conf.int[, 3])
  expect$upper <- unname(s$conf.int[, 4])
  expect$lr <- unname(s$logtest)
  expect$sctest <- unname(s$sctest)
  # cox.zph with each transform (survival 3.x), terms as coxph assigns them
  zph <- NULL
  if (!any(grepl("infinite|did not converge", warns)) && !all(is.na(fit$coefficients))) {
    zph <- lapply(c("km", "identity", "rank", "log"), function(tr) {
      z <- cox.zph(fit, transform = tr)
      list(transform = tr, term = rownames(z$table), chisq = unname(z$table[, 1]),
           df = unname(z$table[, 2]), p = unname(z$table[, 3]))
    })
    input$term <- unname(unlist(lapply(seq_along(fit$assign), function(i) rep(i - 1L, length(fit$assign[[i]])))))
    input$term_names <- names(fit$assign)
  }
  # residuals(fit, type) for a selection of fits
  resid <- NULL
  if (name %in% resid_cases) {
    types <- if (ties == "exact") c("martingale", "deviance")
             else c("martingale", "deviance", "score", "schoenfeld", "scaledsch", "dfbeta")
    resid <- lapply(types, function(tp) {
      r <- residuals(fit, type = tp)
      list(type = tp, call = sprintf('residuals(fit, type = "%s")', tp),
           values = unname(lapply(seq_len(NROW(r)), function(i) unname(if (is.matrix(r)) r[i, ] else r[[i]]))))
    })
  }
  # basehaz(fit): cumulative hazard at the means, per stratum
  base <- NULL
  if (name %in% resid_cases) {
    # survfit.coxph picks its hazard estimator from fit$method, which agexact.fit leaves as
    # "coxph" (an NA estimator, an error); "exact" gives the Breslow increments it uses for
    # every exact fit.
    fitb <- fit
    if (fitb$method == "coxph") fitb$method <- "exact"
    sf <- survfit(fitb, se.fit = FALSE)
    base <- list(call = "survfit(fit, se.fit = FALSE)  # = basehaz(fit)", time = sf$time, cumhaz = sf$cumhaz,
                 surv = sf$surv, n_risk = sf$n.risk, n_event = sf$n.event)
  }
  cases[[length(cases) + 1]] <<- list(baseline = base, resid = resid, zph = zph, name = name, call = call, ties = ties,
                                      max_iter = fit$call$iter.max %||% 20,
                                      robust = robust, input = input, expect = expect,
                                      closed_form = closed_form, versions = versions)
}
`%||%` <- function(a, b) if (is.null(a)) b else a

# ---- data sets (complete cases, 0/1 status) ----
lung2 <- na.omit(lung[, c("inst", "time", "status", "age", "sex", "ph.ecog", "ph.karno", "wt.loss")])
lung2$status <- lung2$status - 1
lung2$w <- round(lung2$ph.karno / 10)          # integer case weights
lung2$wf <- lung2$ph.karno / 37                # non-integer case weights: robust by default in R
lung2$off <- 0.01 * lung2$age
vet <- veteran
ova <- ovarian
aml2 <- aml
bl <- bladder2
cgd2 <- cgd
# Therneau & Grambsch (2000), appendix E: the 6-row and 10-row test data sets
test1 <- data.frame(time = c(9, 3, 1, 1, 6, 6, 8), status = c(1, NA, 1, 0, 1, 1, 0),
                    x = c(0, 2, 1, 1, 1, 0, 0))
test1 <- na.omit(test1)
test2 <- data.frame(start = c(1, 2, 5, 2, 1, 7, 3, 4, 8, 8), stop = c(2, 3, 6, 7, 8, 9, 9, 9, 14, 17),
                    event = c(1, 1, 1, 1, 1, 1, 1, 0, 0, 0), x = c(1, 0, 0, 1, 0, 1, 1, 1, 0, 0))

for (t in c("efron", "breslow", "exact")) {
  add_case(paste0("lung_", t), sprintf('coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, ties = "%s", x = TRUE)', t), lung2, t)
  add_case(paste0("ovarian_", t), sprintf('coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, data = ova, ties = "%s", x = TRUE)', t), ova, t)
  add_case(paste0("aml_", t), sprintf('coxph(Surv(time, status) ~ x, data = aml2, ties = "%s", x = TRUE)', t), aml2, t)
  add_case(paste0("test1_", t), sprintf('coxph(Surv(time, status) ~ x, data = test1, ties = "%s", x = TRUE)', t), test1, t,
           closed_form = if (t == "breslow") list(coef = log(1.5 + sqrt(33) / 2)) else NULL)
  add_case(paste0("veteran_", t), sprintf('coxph(Surv(time, status) ~ trt + karno + celltype, data = vet, ties = "%s", x = TRUE)', t), vet, t)
}
for (t in c("efron", "breslow")) {
  add_case(paste0("test2_", t), sprintf('coxph(Surv(start, stop, event) ~ x, data = test2, ties = "%s", x = TRUE)', t), test2, t)
  add_case(paste0("bladder2_cluster_", t), sprintf('coxph(Surv(start, stop, event) ~ rx + number + size, cluster = id, data = bl, ties = "%s", x = TRUE)', t), bl, t, list(cluster = "id"))
  add_case(paste0("cgd_cluster_", t), sprintf('coxph(Surv(tstart, tstop, status) ~ treat + sex + age + propylac, cluster = id, data = cgd2, ties = "%s", x = TRUE)', t), cgd2, t, list(cluster = "id"))
  add_case(paste0("veteran_strata_", t), sprintf('coxph(Surv(time, status) ~ trt + karno + strata(celltype), data = vet, ties = "%s", x = TRUE)', t), vet, t, list(strata = "celltype"))
  add_case(paste0("lung_weights_", t), sprintf('coxph(Surv(time, status) ~ age + sex + ph.ecog, weights = w, data = lung2, ties = "%s", x = TRUE)', t), lung2, t, list(weights = "w"))
  add_case(paste0("lung_fracweights_", t), sprintf('coxph(Surv(time, status) ~ age + sex + ph.ecog, weights = wf, data = lung2, ties = "%s", x = TRUE)', t), lung2, t, list(weights = "wf"))
  add_case(paste0("lung_offset_", t), sprintf('coxph(Surv(time, status) ~ sex + ph.ecog + offset(off), data = lung2, ties = "%s", x = TRUE)', t), lung2, t, list(offset = "off"))
  add_case(paste0("lung_robust_", t), sprintf('coxph(Surv(time, status) ~ age + sex + ph.ecog, robust = TRUE, data = lung2, ties = "%s", x = TRUE)', t), lung2, t)
  add_case(paste0("lung_cluster_strata_", t), sprintf('coxph(Surv(time, status) ~ age + sex + wt.loss + strata(ph.ecog), cluster = inst, data = lung2, ties = "%s", x = TRUE)', t), lung2, t, list(strata = "ph.ecog", cluster = "inst"))
}
add_case("ovarian_strata_exact", 'coxph(Surv(futime, fustat) ~ age + rx + strata(ecog.ps), data = ova, ties = "exact", x = TRUE)', ova, "exact", list(strata = "ecog.ps"))
# exact ties with (start, stop] data (agexact.fit). R 3.5-3 has no case weights here; with a
# cluster the robust variance comes from Breslow score residuals (agexact.fit's method is "coxph").
# bladder2, odd subject ids: up to 7 tied events at one time, 31 event times.
bl_odd <- subset(bl, id %% 2 == 1)
add_case("test2_exact", 'coxph(Surv(start, stop, event) ~ x, data = test2, ties = "exact", x = TRUE)', test2, "exact")
add_case("bladder2_odd_cluster_exact", 'coxph(Surv(start, stop, event) ~ rx + number + size, cluster = id, data = bl_odd, ties = "exact", x = TRUE)', bl_odd, "exact", list(cluster = "id"))
hrt <- heart
hrt$off <- hrt$age / 100
add_case("heart_strata_exact", 'coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), data = hrt, ties = "exact", x = TRUE)', hrt, "exact", list(strata = "surgery"))
add_case("heart_offset_exact", 'coxph(Surv(start, stop, event) ~ year + surgery + transplant + offset(off), data = hrt, ties = "exact", x = TRUE)', hrt, "exact", list(offset = "off"))
add_case("cgd_strata_cluster_exact", 'coxph(Surv(tstart, tstop, status) ~ treat + sex + age + propylac + strata(hos.cat), cluster = id, data = cgd2, ties = "exact", x = TRUE)', cgd2, "exact", list(strata = "hos.cat", cluster = "id"))
add_case("cgd_iter2_exact", 'coxph(Surv(tstart, tstop, status) ~ treat + sex + age + propylac, data = cgd2, ties = "exact", iter.max = 2, x = TRUE)', cgd2, "exact")
add_case("lung_iter1", 'coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, iter.max = 1, x = TRUE)', lung2, "efron")
add_case("lung_iter2", 'coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, iter.max = 2, x = TRUE)', lung2, "efron")
add_case("cgd_iter2", 'coxph(Surv(tstart, tstop, status) ~ treat + sex + age + propylac, data = cgd2, iter.max = 2, x = TRUE)', cgd2, "efron")

# edge cases
mono <- data.frame(time = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), status = c(1, 1, 1, 0, 1, 1, 0, 1, 0, 0),
                   grp = c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1), z = c(1.2, 0.4, 2.2, 1.5, 0.3, 0.9, 1.8, 2.5, 0.7, 1.1))
mono$grp2 <- c(0, 0, 0, 0, 0, 1, 1, 0, 1, 1)          # group 1 has no events at all
mono$status2 <- ifelse(mono$grp2 == 1, 0, mono$status)
add_case("monotone", 'coxph(Surv(time, status2) ~ grp2 + z, data = mono, x = TRUE)', mono, "efron")
add_case("monotone_ag", 'coxph(Surv(rep(0, 10), time, status2) ~ grp2 + z, data = mono, x = TRUE)', mono, "efron")
mono$const <- 5
add_case("constant", 'coxph(Surv(time, status) ~ z + const, data = mono, x = TRUE)', mono, "efron")
mono$z2 <- 2 * mono$z + 1
add_case("collinear", 'coxph(Surv(time, status) ~ z + grp + z2, data = mono, x = TRUE)', mono, "efron")
mono$s <- c(1, 1, 1, 1, 1, 1, 1, 1, 1, 2)
add_case("single_subject_stratum", 'coxph(Surv(time, status) ~ z + strata(s), data = mono, x = TRUE)', mono, "efron", list(strata = "s"))
mono$s2 <- c(1, 1, 1, 1, 1, 1, 1, 2, 1, 1)            # the one-subject stratum has an event
add_case("single_subject_stratum_event", 'coxph(Surv(time, status) ~ z + strata(s2), data = mono, x = TRUE)', mono, "efron", list(strata = "s2"))

writeLines(toJSON(cases, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = FALSE), "cox.json")

# CSV copies for the command-line test (character factors, as hazard reads them)
write.csv(lung2, "lung.csv", row.names = FALSE)
vetc <- vet; vetc$celltype <- as.character(vetc$celltype)
write.csv(vetc, "veteran.csv", row.names = FALSE)
write.csv(bl, "bladder2.csv", row.names = FALSE)
amlc <- aml2; amlc$x <- as.character(amlc$x)
write.csv(amlc, "aml.csv", row.names = FALSE)
# CLI reference: the same models the CLI test runs, from these CSV files
cli <- list()
cli_case <- function(name, fit, call, zph = NULL) {
  if (!inherits(fit, "coxph")) class(fit) <- "coxph"  # agexact.fit's fit has no class (see add_case)
  s <- summary(fit)
  if (!is.null(zph)) {
    z <- cox.zph(fit, transform = zph)
    zph <- list(transform = zph, term = rownames(z$table), chisq = unname(z$table[, 1]),
                df = unname(z$table[, 2]), p = unname(z$table[, 3]),
                call = sprintf('cox.zph(fit, transform = "%s")', zph))
  }
  cli[[name]] <<- list(call = call, coef = unname(coef(fit)), se = unname(sqrt(diag(fit$naive.var %||% fit$var))),
                       robust_se = if (!is.null(fit$naive.var)) unname(sqrt(diag(fit$var))) else NULL,
                       hr = unname(exp(coef(fit))), lower = unname(s$conf.int[, 3]), upper = unname(s$conf.int[, 4]),
                       loglik = unname(fit$loglik), score = unname(fit$score), wald = unname(fit$wald.test),
                       rscore = fit$rscore, concordance = unname(fit$concordance[c("concordance", "std")]),
                       n = fit$n, nevent = fit$nevent, iter = fit$iter, terms = names(coef(fit)), versions = versions,
                       ph_test = zph)
}
L <- read.csv("lung.csv"); V <- read.csv("veteran.csv"); B <- read.csv("bladder2.csv"); A <- read.csv("aml.csv")
c1 <- 'coxph(Surv(time, status) ~ age + sex + ph.ecog, data = L)'
cli_case("lung", eval(parse(text = c1)), c1)
c2 <- 'coxph(Surv(time, status) ~ trt + karno + celltype, data = V, ties = "breslow")'
cli_case("veteran_breslow", eval(parse(text = c2)), c2, zph = "km")
c3 <- 'coxph(Surv(start, stop, event) ~ rx + number + size, cluster = id, data = B)'
cli_case("bladder2_cluster", eval(parse(text = c3)), c3, zph = "rank")
c4 <- 'coxph(Surv(time, status) ~ x, data = A, ties = "exact")'
cli_case("aml_exact", eval(parse(text = c4)), c4)
c5 <- 'coxph(Surv(time, status) ~ age + sex + strata(ph.ecog), weights = w, data = L)'
cli_case("lung_strata_weights", eval(parse(text = c5)), c5)
c6 <- 'coxph(Surv(start, stop, event) ~ number + size, cluster = id, data = subset(B, rx == 2), ties = "exact")'
cli_case("bladder2_rx2_exact", eval(parse(text = c6)), c6)
writeLines(toJSON(cli, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE), "cox_cli.json")
