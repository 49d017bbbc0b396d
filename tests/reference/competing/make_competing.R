# Reference values for hazard's competing-risks estimators (src/competing/), from R.
#
# Run from anywhere:  Rscript tests/reference/competing/make_competing.R
# Needs: r-base-core, r-cran-survival, r-cran-cmprsk, r-cran-jsonlite (scripts/bootstrap).
#
# Writes next to itself:
#   mgus2_cr.csv   survival::mgus2 as competing risks (the survival vignette "Multi-state models
#                  and competing risks", section 2): etime = time to progression (PCM) or death,
#                  event = "censor" / "pcm" / "death" (text, to test categorical cause codes)
#   pbc_cr.csv     survival::pbc: status 0 = censored, 1 = transplant, 2 = death; trt is NA for
#                  the 106 non-randomised patients; logbili = log(bili)
#   follic_sim.csv a simulated data set shaped like Pintilie's follic (541 patients with follicular
#                  lymphoma: relapse = 1, death without relapse = 2), times rounded to 0.1 year so
#                  that failures of both causes and censorings tie; seeded, the generator is below
#                  (column time; time_exact: the same times unrounded, no ties)
#   competing.json one entry per case: the exact R call, the hazard flags that select the same
#                  rows, and the results
#
# Every reference is computed on the data as read back from the CSV written here (read.csv).
#
# Sources of the values:
#   * cmprsk::cuminc: the Aalen-Johansen cumulative incidence per group and cause (its jump
#     points: est at each distinct failure time of the cause), Gray's variance (cuminc's $var)
#     and Gray's K-sample test (stratified with `strata`, rho as given); cmprsk::timepoints at
#     chosen times. cuminc's pv is 1 - pchisq(stat, df) (cancellation for small p); p_upper is
#     pchisq(stat, df, lower.tail = FALSE), the same p computed without it.
#   * survival::survfit(Surv(time, factor(status)) ~ group): the same estimate (pstate) with the
#     infinitesimal-jackknife standard error of survfit's multi-state curves (std.err) and its
#     pointwise CIs for conf.type "log-log", "log" and "plain".
#   * cmprsk::crr: the Fine-Gray model (coefficients, crr's variance = the sandwich of Fine & Gray
#     1999 with the term for the estimated censoring distribution), once with crr's defaults and
#     once with gtol = 1e-12 (converged to machine precision; the tests compare to this one).
#   * survival::finegray + coxph(Surv(fgstart, fgstop, fgstatus) ~ ..., weights = fgwt): the same
#     point estimates, with coxph's model-based variance and its robust variance (cluster = id).
#   * survival::coxph(Surv(time, status == k) ~ ...): cause-specific Cox models, every cause.
suppressMessages({
  library(survival)
  library(cmprsk)
  library(jsonlite)
})

script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)

versions <- list(R = R.version.string,
                 survival = as.character(packageVersion("survival")),
                 cmprsk = as.character(packageVersion("cmprsk")),
                 jsonlite = as.character(packageVersion("jsonlite")))

# ---------------------------------------------------------------------------------------------
# Data
m0 <- survival::mgus2
etime <- with(m0, ifelse(pstat == 0, futime, ptime))
event <- with(m0, ifelse(pstat == 0, 2 * death, 1))
write.csv(data.frame(id = m0$id, etime = etime,
                     event = c("censor", "pcm", "death")[event + 1],
                     sex = as.character(m0$sex), age = m0$age, hgb = m0$hgb, mspike = m0$mspike),
          "mgus2_cr.csv", row.names = FALSE, na = "NA")

p0 <- survival::pbc
write.csv(data.frame(id = p0$id, time = p0$time, status = p0$status, trt = p0$trt, age = p0$age,
                     sex = as.character(p0$sex), edema = p0$edema, logbili = log(p0$bili),
                     albumin = p0$albumin, stage = p0$stage),
          "pbc_cr.csv", row.names = FALSE, na = "NA")

# follic-like: 541 patients, two arms of chemotherapy (ch = "Y": 20%), clinical stage 1/2,
# age, haemoglobin; relapse and death without relapse from exponential hazards, uniform
# censoring, times rounded to 0.1 (ties within and across causes and censoring).
set.seed(20240524)
n <- 541
age <- round(rnorm(n, 57, 14))
hgb <- round(rnorm(n, 138, 15))
clinstg <- ifelse(runif(n) < 0.27, 2, 1)
ch <- ifelse(runif(n) < 0.2, "Y", "N")
h1 <- 0.08 * exp(0.35 * (clinstg == 2) - 0.45 * (ch == "Y") - 0.004 * (hgb - 138))
h2 <- 0.02 * exp(0.05 * (age - 57))
t1 <- rexp(n, h1)
t2 <- rexp(n, h2)
cens <- runif(n, 1, 30)
tt <- pmin(t1, t2, cens)
st <- ifelse(tt == cens, 0, ifelse(tt == t1, 1, 2))
write.csv(data.frame(id = seq_len(n), time = pmax(round(tt, 1), 0.1), time_exact = signif(tt, 12),
                     status = st, ch = ch, clinstg = clinstg, age = age, hgb = hgb),
          "follic_sim.csv", row.names = FALSE, na = "NA")

mg <- read.csv("mgus2_cr.csv")
pb <- read.csv("pbc_cr.csv")
fo <- read.csv("follic_sim.csv")

# ---------------------------------------------------------------------------------------------
# Cumulative incidence: cuminc + survfit
cuminc_case <- function(name, file, d, time, status, censor, group = NULL, strata = NULL,
                        rho = 0, times = NULL, flags) {
  keep <- !is.na(d[[time]]) & !is.na(d[[status]])
  if (!is.null(group)) keep <- keep & !is.na(d[[group]])
  if (!is.null(strata)) keep <- keep & !is.na(d[[strata]])
  d <- d[keep, ]
  g <- if (is.null(group)) rep("all", nrow(d)) else as.character(d[[group]])
  args <- list(ftime = d[[time]], fstatus = d[[status]], group = g, rho = rho, cencode = censor)
  if (!is.null(strata)) args$strata <- d[[strata]]
  ci <- do.call(cuminc, args)
  call <- sprintf("cuminc(ftime = %s, fstatus = %s%s%s, rho = %g, cencode = %s)", time, status,
                  if (is.null(group)) "" else paste0(", group = ", group),
                  if (is.null(strata)) "" else paste0(", strata = ", strata), rho,
                  deparse(censor))
  causes <- sort(unique(d[[status]][d[[status]] != censor]))
  groups <- sort(unique(g))
  curves <- list()
  for (gg in groups) for (cc in causes) {
    w <- ci[[paste(gg, cc)]]
    k <- length(w$time)
    idx <- if (k > 2) seq(3, k - 1, by = 2) else integer(0)
    curves[[length(curves) + 1]] <- list(group = gg, cause = as.character(cc),
                                         time = w$time[idx], est = w$est[idx], var = w$var[idx],
                                         last_time = w$time[k])
  }
  tests <- NULL
  if (length(groups) > 1) {
    tt <- ci$Tests
    tests <- lapply(seq_len(nrow(tt)), function(i)
      list(cause = rownames(tt)[i], stat = tt[i, "stat"], pv = tt[i, "pv"], df = tt[i, "df"],
           p_upper = pchisq(tt[i, "stat"], tt[i, "df"], lower.tail = FALSE)))
  }
  tp <- NULL
  if (!is.null(times)) {
    t2 <- timepoints(ci, times)
    tp <- list(times = times,
               est = lapply(seq_len(nrow(t2$est)), function(i)
                 list(curve = rownames(t2$est)[i], est = unname(t2$est[i, ]),
                      var = unname(t2$var[i, ]))))
  }
  # survfit's multi-state curves: states in the order of factor(status) levels (censor first)
  fs <- factor(d[[status]], levels = c(censor, causes))
  gf <- factor(g, levels = groups)
  sf <- list()
  for (ct in c("log-log", "log", "plain")) {
    fit <- survfit(Surv(d[[time]], fs) ~ gf, conf.type = ct)
    sf[[ct]] <- fit
  }
  fit <- sf[["log"]]
  strata_sizes <- if (is.null(fit$strata)) length(fit$time) else fit$strata
  ends <- cumsum(strata_sizes)
  starts <- ends - strata_sizes + 1
  surv_out <- list()
  for (j in seq_along(groups)) {
    r <- starts[j]:ends[j]
    st <- list()
    for (ci2 in seq_along(causes)) {
      col <- ci2 + 1  # pstate column: 1 = (s0), the initial state
      st[[ci2]] <- list(cause = as.character(causes[ci2]),
                        pstate = fit$pstate[r, col], std_err = fit$std.err[r, col],
                        lower_loglog = sf[["log-log"]]$lower[r, col],
                        upper_loglog = sf[["log-log"]]$upper[r, col],
                        lower_log = sf[["log"]]$lower[r, col], upper_log = sf[["log"]]$upper[r, col],
                        lower_plain = sf[["plain"]]$lower[r, col],
                        upper_plain = sf[["plain"]]$upper[r, col])
    }
    surv_out[[j]] <- list(group = groups[j], time = fit$time[r], n_risk = fit$n.risk[r, 1],
                          pstate0 = fit$pstate[r, 1], std_err0 = fit$std.err[r, 1], causes = st)
  }
  list(name = name, file = file, call = call,
       survfit_call = sprintf("survfit(Surv(%s, factor(%s)) ~ %s, conf.type = ...)", time, status,
                              if (is.null(group)) "1" else group),
       flags = flags, n = nrow(d), rho = rho, censor = as.character(censor),
       causes = as.character(causes), groups = groups, curves = curves, tests = tests,
       timepoints = tp, survfit = surv_out)
}

cuminc_cases <- list(
  cuminc_case("mgus2_sex", "mgus2_cr.csv", mg, "etime", "event", "censor", group = "sex",
              times = c(0, 60, 120, 240, 360, 424, 500),
              flags = list("--time", "etime", "--status", "event", "--censor", "censor",
                           "--group", "sex")),
  cuminc_case("mgus2_overall", "mgus2_cr.csv", mg, "etime", "event", "censor",
              times = c(12.5, 100, 300),
              flags = list("--time", "etime", "--status", "event", "--censor", "censor")),
  cuminc_case("pbc_trt", "pbc_cr.csv", pb, "time", "status", 0, group = "trt",
              times = c(1000, 2000, 3000, 4000),
              flags = list("--time", "time", "--status", "status", "--group", "trt")),
  cuminc_case("pbc_trt_strata_sex", "pbc_cr.csv", pb, "time", "status", 0, group = "trt",
              strata = "sex",
              flags = list("--time", "time", "--status", "status", "--group", "trt",
                           "--strata", "sex")),
  cuminc_case("pbc_stage", "pbc_cr.csv", pb, "time", "status", 0, group = "stage",
              strata = "edema",
              flags = list("--time", "time", "--status", "status", "--group", "stage",
                           "--strata", "edema")),
  cuminc_case("follic_ch", "follic_sim.csv", fo, "time", "status", 0, group = "ch",
              times = c(1, 5, 10, 20),
              flags = list("--time", "time", "--status", "status", "--group", "ch")),
  cuminc_case("follic_ch_strata_rho1", "follic_sim.csv", fo, "time", "status", 0, group = "ch",
              strata = "clinstg", rho = 1,
              flags = list("--time", "time", "--status", "status", "--group", "ch",
                           "--strata", "clinstg", "--rho", "1")),
  cuminc_case("follic_clinstg", "follic_sim.csv", fo, "time", "status", 0, group = "clinstg",
              rho = -0.5,
              flags = list("--time", "time", "--status", "status", "--group", "clinstg",
                           "--rho", "-0.5"))
)

# ---------------------------------------------------------------------------------------------
# Fine-Gray: crr, finegray + coxph; cause-specific Cox
fg_case <- function(name, file, d, time, status, cause, censor, covariates, strata = NULL,
                    flags) {
  cols <- c(time, status, covariates, strata)
  d <- d[complete.cases(d[, cols]), ]
  d$.id <- seq_len(nrow(d))
  f <- as.formula(paste("~", paste(covariates, collapse = " + ")))
  X <- model.matrix(f, d)[, -1, drop = FALSE]
  cg <- if (is.null(strata)) rep(1, nrow(d)) else d[[strata]]
  fit_default <- crr(d[[time]], d[[status]], X, failcode = cause, cencode = censor,
                     cengroup = cg)
  fit <- crr(d[[time]], d[[status]], X, failcode = cause, cencode = censor, cengroup = cg,
             gtol = 1e-12, maxiter = 50)
  call <- sprintf(paste0("crr(ftime = %s, fstatus = %s, cov1 = model.matrix(%s)[, -1], ",
                         "failcode = %s, cencode = %s%s, gtol = 1e-12, maxiter = 50)"),
                  time, status, deparse(f), deparse(cause), deparse(censor),
                  if (is.null(strata)) "" else paste0(", cengroup = ", strata))
  # finegray: etype must be a level of the factor status; strata() gives separate censoring curves
  d$.fs <- factor(d[[status]], levels = c(censor, sort(setdiff(unique(d[[status]]), censor))))
  rhs <- paste(c(covariates, ".id", if (!is.null(strata)) sprintf("strata(%s)", strata)),
               collapse = " + ")
  fgf <- as.formula(sprintf("Surv(%s, .fs) ~ %s", time, rhs))
  fgd <- finegray(fgf, data = d, etype = as.character(cause))
  cf <- as.formula(sprintf("Surv(fgstart, fgstop, fgstatus) ~ %s",
                           paste(covariates, collapse = " + ")))
  cx <- coxph(cf, data = fgd, weights = fgwt, ties = "breslow", robust = FALSE)
  cxr <- coxph(update(cf, . ~ . + cluster(.id)), data = fgd, weights = fgwt, ties = "breslow")
  # cause-specific Cox models for every cause
  cs <- list()
  for (k in sort(setdiff(unique(d[[status]]), censor))) {
    csf <- as.formula(sprintf("Surv(%s, %s == %s) ~ %s", time, status, deparse(k),
                              paste(covariates, collapse = " + ")))
    m <- coxph(csf, data = d)
    cs[[length(cs) + 1]] <- list(cause = as.character(k), call = deparse(csf),
                                 coef = unname(coef(m)), se = unname(sqrt(diag(m$var))),
                                 loglik = m$loglik, events = m$nevent)
  }
  list(name = name, file = file, call = call, flags = flags, n = nrow(d),
       cause = as.character(cause), censor = as.character(censor), terms = colnames(X),
       coef = unname(fit$coef), var = unname(fit$var), se = unname(sqrt(diag(fit$var))),
       loglik = fit$loglik, loglik_null = fit$loglik.null,
       default_call = "the same call without gtol and maxiter (crr's defaults gtol = 1e-6, maxiter = 10)",
       default_coef = unname(fit_default$coef), default_se = unname(sqrt(diag(fit_default$var))),
       finegray_call = sprintf(paste0("finegray(%s, data, etype = \"%s\"); ",
                                      "coxph(%s, data = fgdata, weights = fgwt, ties = \"breslow\", robust = FALSE ",
                                      "[or + cluster(.id)])"),
                               deparse(fgf), cause, deparse(cf)),
       finegray_coef = unname(coef(cx)), finegray_naive_se = unname(sqrt(diag(cx$var))),
       finegray_robust_se = unname(sqrt(diag(cxr$var))),
       cause_specific = cs)
}

fg_cases <- list(
  fg_case("mgus2_pcm", "mgus2_cr.csv", mg, "etime", "event", "pcm", "censor",
          c("age", "sex", "hgb", "mspike"),
          flags = list("--time", "etime", "--status", "event", "--cause", "pcm",
                       "--censor", "censor", "--covariates", "age,sex,hgb,mspike")),
  fg_case("mgus2_death", "mgus2_cr.csv", mg, "etime", "event", "death", "censor",
          c("age", "sex"),
          flags = list("--time", "etime", "--status", "event", "--cause", "death",
                       "--censor", "censor", "--covariates", "age,sex")),
  fg_case("pbc_death", "pbc_cr.csv", pb, "time", "status", 2, 0,
          c("age", "logbili", "edema", "albumin"),
          flags = list("--time", "time", "--status", "status", "--cause", "2",
                       "--covariates", "age,logbili,edema,albumin")),
  fg_case("pbc_transplant_strata_sex", "pbc_cr.csv", pb, "time", "status", 1, 0,
          c("age", "logbili"), strata = "sex",
          flags = list("--time", "time", "--status", "status", "--cause", "1",
                       "--covariates", "age,logbili", "--strata", "sex")),
  fg_case("follic_relapse", "follic_sim.csv", fo, "time", "status", 1, 0,
          c("age", "hgb", "clinstg", "ch"),
          flags = list("--time", "time", "--status", "status", "--cause", "1",
                       "--covariates", "age,hgb,clinstg,ch")),
  fg_case("follic_relapse_untied", "follic_sim.csv", fo, "time_exact", "status", 1, 0,
          c("age", "hgb", "clinstg", "ch"),
          flags = list("--time", "time_exact", "--status", "status", "--cause", "1",
                       "--covariates", "age,hgb,clinstg,ch")),
  fg_case("follic_death_strata", "follic_sim.csv", fo, "time", "status", 2, 0,
          c("age", "ch"), strata = "clinstg",
          flags = list("--time", "time", "--status", "status", "--cause", "2",
                       "--covariates", "age,ch", "--strata", "clinstg"))
)

out <- list(versions = versions,
            note = paste("Data read back from the CSV files next to this script.",
                         "cuminc curves: the jump points of cuminc's step function",
                         "(est and Gray's var after each distinct failure time of the cause);",
                         "last_time = the group's largest follow-up time."),
            cuminc = cuminc_cases, finegray = fg_cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = FALSE),
           "competing.json")
cat("wrote competing.json\n")
