# Reference values for hazard's crossover methods (src/crossover/: rpsftm.cpp, ipcw.cpp,
# two_stage.cpp, logistic.cpp, weibull_aft.cpp), written here in R from the formulas of
# docs/methods/crossover.md, independently of hazard's code.
#
# Run from anywhere:  Rscript tests/reference/crossover/make_crossover.R
# Needs: r-base-core, r-cran-survival, r-cran-jsonlite (scripts/bootstrap). The rpsftm and trtswitch
# packages are not used (not in Debian): the estimators are written out below.
#
# Data: the simulated crossover scenario of examples/cabinet (adtte_xo.csv, adtv_xo.csv, AGE from
# adsl.csv), true psi = -0.5. Writes crossover.json next to itself: per case the R calls, the
# hazard command-line flags that select the same analysis, and the values.
#
# * RPSFTM: untreated times U = T_off + exp(psi) T_on, re-censoring C* = min(C, C exp(psi)) in the
#   control arm (the experimental arm is treated throughout: not re-censored, rpsftm's autoswitch);
#   Z(psi) from survdiff (O - E of the experimental arm / sqrt(V)) or the Wald z of coxph. Roots by
#   a scan of Z on a grid of 301 points over [-3, 3] and uniroot(tol = 1e-12) in each bracket with a
#   sign change. Z is a step function of psi: a root is the jump across the target, located by
#   uniroot to within ~1e-12; hazard bisects to 1e-10, so psi agrees to ~1e-10 (tolerance
#   tol::crossover_root = 1e-9 in the tests). survdiff and coxph merge times within sqrt(eps)
#   (timefix = TRUE, their default). HR: coxph(Surv(t*, d*) ~ arm (+ covariates) + strata) on the
#   observed experimental and counterfactual control times, taken on the side of Z's jump at psi
#   where |Z| is smaller (psi -/+ 1e-10: the data themselves change at the jump).
# * IPCW: the long data split as described (switchers censored at the switch, the last interval
#   carried forward to the end of follow-up), glm(binomial, epsilon = 1e-14) switching models: the
#   denominator on the control rows with PROGFL = "Y" (P = 0 elsewhere), the numerator (baseline
#   covariates only) on every control row, weights prod_{j<k} (1 - q_j)/(1 - p_j) (stabilised) or
#   prod_{j<k} 1/(1 - p_j), truncation at quantile(type = 7) of the control weights, then
#   coxph(Surv(start, stop, event) ~ arm + x + strata, weights = w, cluster = id).
# * Two-stage: survreg(dist = "weibull", rel.tolerance = 1e-13) of post-progression survival in the
#   control patients with a secondary baseline, psi = -coef(switched), switchers' time
#   b + (T - b) exp(psi), every control patient re-censored at C min(1, exp(psi)), coxph.
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
ex <- file.path("..", "..", "..", "examples", "cabinet")
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))

adtte <- read.csv(file.path(ex, "adtte_xo.csv"), stringsAsFactors = FALSE)
adsl <- read.csv(file.path(ex, "adsl.csv"), stringsAsFactors = FALSE)
tv <- read.csv(file.path(ex, "adtv_xo.csv"), stringsAsFactors = FALSE)
d <- data.frame(id = adtte$USUBJID, time = adtte$AVAL, status = 1L - adtte$CNSR,
                arm = as.integer(adtte$TRT01P == "Cabozantinib"), sw = adtte$XOFL == "Y",
                swt = adtte$XOTM, C = adtte$DCOTM, COHORT = adtte$COHORT,
                pd = adtte$PDFL == "Y", pdt = adtte$PDTM, ECOGPD = adtte$ECOGPD,
                ECOGBL = adtte$ECOGBL, stringsAsFactors = FALSE)
d$AGE <- adsl$AGE[match(d$id, adsl$USUBJID)]
stopifnot(!anyNA(d$AGE))

base_flags <- c("--data", "examples/cabinet/adtte_xo.csv", "--adsl", "examples/cabinet/adsl.csv",
                "--time", "AVAL", "--cnsr", "CNSR", "--group", "TRT01P", "--ref", "Placebo",
                "--switch-flag", "XOFL", "--switch-time", "XOTM")

# ---------------------------------------------------------------------------------------------
# RPSFTM
untreated_r <- function(psi, d, recensor, experimental_observed = FALSE) {
  t_on <- ifelse(d$arm == 1, d$time, ifelse(d$sw, d$time - d$swt, 0))
  u <- (d$time - t_on) + exp(psi) * t_on
  if (experimental_observed) u[d$arm == 1] <- d$time[d$arm == 1]
  st <- d$status
  if (recensor) {
    cs <- pmin(d$C, d$C * exp(psi))
    cens <- d$arm == 0 & cs < u
    u[cens] <- cs[cens]
    st[cens] <- 0L
  }
  list(time = u, status = st)
}
z_of <- function(psi, d, recensor, test, strata, covs) {
  cf <- untreated_r(psi, d, recensor)
  dd <- cbind(d, u = cf$time, ds = cf$status)
  if (test == "logrank") {
    f <- if (strata) survdiff(Surv(u, ds) ~ arm + strata(COHORT), data = dd) else
      survdiff(Surv(u, ds) ~ arm, data = dd)
    o <- if (is.matrix(f$obs)) rowSums(f$obs) else f$obs
    e <- if (is.matrix(f$exp)) rowSums(f$exp) else f$exp
    return(unname((o[2] - e[2]) / sqrt(f$var[2, 2])))
  }
  rhs <- paste(c("arm", covs, if (strata) "strata(COHORT)"), collapse = " + ")
  f <- coxph(as.formula(paste("Surv(u, ds) ~", rhs)), data = dd, ties = "efron")
  unname(coef(f)[1] / sqrt(vcov(f)[1, 1]))
}
roots_of <- function(f, target, lo = -3, hi = 3, n = 300) {
  x <- seq(lo, hi, length.out = n + 1)
  g <- sapply(x, f) - target
  out <- c()
  for (k in seq_len(n)) if (g[k] * g[k + 1] < 0)
    out <- c(out, uniroot(function(p) f(p) - target, c(x[k], x[k + 1]), tol = 1e-12, maxiter = 1000)$root)
  list(roots = out, grid = x, z = g + target)
}
rpsftm_case <- function(name, test = "logrank", recensor = TRUE, strata = FALSE, covs = character()) {
  f <- function(p) z_of(p, d, recensor, test, strata, covs)
  est <- roots_of(f, 0)
  zc <- qnorm(0.975)
  lo <- roots_of(f, zc)$roots
  hi <- roots_of(f, -zc)$roots
  psi <- min(est$roots)
  # Z jumps at psi, and so do the counterfactual data: they are taken on the side of the jump
  # where |Z| is smaller (psi -/+ 1e-10; uniroot put psi within 1e-12 of the jump)
  side <- c(psi - 1e-10, psi + 1e-10)
  zs <- abs(sapply(side, f))
  psi_eval <- if (zs[1] == zs[2]) psi else side[which.min(zs)]
  cf <- untreated_r(psi_eval, d, recensor, experimental_observed = TRUE)
  dd <- cbind(d, ts = cf$time, ds = cf$status)
  rhs <- paste(c("arm", covs, if (strata) "strata(COHORT)"), collapse = " + ")
  fit <- coxph(as.formula(paste("Surv(ts, ds) ~", rhs)), data = dd, ties = "efron")
  z_itt <- f(0)
  lhr <- unname(coef(fit)[1]); se <- sqrt(vcov(fit)[1, 1])
  km <- summary(survfit(Surv(ts, ds) ~ 1, data = dd[dd$arm == 0, ], conf.type = "log-log"),
                times = c(6, 12, 24), extend = TRUE)
  flags <- c(base_flags, "--method", "rpsftm", "--test", test,
             if (recensor) c("--censor-time", "DCOTM") else "--no-recensor",
             if (strata) c("--strata", "COHORT"), if (length(covs)) c("--covariates", paste(covs, collapse = ",")))
  list(name = name, method = "rpsftm", flags = flags,
       call = sprintf("uniroot of Z(psi) = 0 (%s), then coxph(Surv(t*, d*) ~ %s, ties = 'efron')",
                      if (test == "logrank") "survdiff" else "coxph Wald z", rhs),
       root_tol = 1e-12, psi = psi, psi_evaluated = psi_eval, psi_roots = est$roots, lower = min(lo), upper = max(hi),
       z_itt = z_itt, z_at = list(psi = c(-1, -0.5, 0, 0.3), z = sapply(c(-1, -0.5, 0, 0.3), f)),
       log_hr = lhr, se = se, hr = exp(lhr), hr_lower = exp(lhr - zc * se), hr_upper = exp(lhr + zc * se),
       hr_lower_itt = exp(lhr - zc * abs(lhr / z_itt)), hr_upper_itt = exp(lhr + zc * abs(lhr / z_itt)),
       events_control = sum(cf$status[d$arm == 0]),
       km_control = list(time = km$time, surv = km$surv, lower = km$lower, upper = km$upper))
}

cases <- list(
  rpsftm_case("rpsftm_logrank"),
  rpsftm_case("rpsftm_logrank_strata", strata = TRUE),
  rpsftm_case("rpsftm_no_recensor", recensor = FALSE),
  rpsftm_case("rpsftm_cox_age_strata", test = "cox", strata = TRUE, covs = "AGE"))

# ---------------------------------------------------------------------------------------------
# IPCW
tv$ELIG <- tv$PROGFL == "Y"
ipcw_rows <- function(d, tv) {
  out <- list()
  for (i in seq_len(nrow(d))) {
    if (d$arm[i] == 1) {
      out[[i]] <- data.frame(id = d$id[i], tstart = 0, tstop = d$time[i], event = d$status[i], arm = 1L,
                             ECOG = NA, elig = FALSE, y = 0L)
      next
    }
    r <- tv[tv$USUBJID == d$id[i], ]
    r <- r[order(r$ASTART), ]
    end <- if (d$sw[i]) d$swt[i] else d$time[i]
    ev <- if (d$sw[i]) as.integer(d$swt[i] == d$time[i] & d$status[i] == 1) else d$status[i]
    r <- r[r$ASTART < end, ]
    r$AEND <- pmin(r$AEND, end)
    r$AEND[nrow(r)] <- end                       # carried forward when the long data stop earlier
    last <- seq_len(nrow(r)) == nrow(r)
    out[[i]] <- data.frame(id = d$id[i], tstart = r$ASTART, tstop = r$AEND, event = ifelse(last, ev, 0L),
                           arm = 0L, ECOG = r$ECOG, elig = r$ELIG, y = as.integer(last & d$sw[i]))
  }
  rows <- do.call(rbind, out)
  rows <- merge(rows, d[, c("id", "AGE", "COHORT")], by = "id", sort = FALSE)
  rows[order(rows$id, rows$tstart), ]
}
rows0 <- ipcw_rows(d, tv)
ipcw_case <- function(name, stabilised = TRUE, trunc = NULL, strata = FALSE) {
  rows <- rows0
  m <- rows$arm == 0 & rows$elig
  den_f <- as.formula(paste("y ~ AGE", if (strata) "+ COHORT", "+ ECOG"))
  num_f <- as.formula(paste("y ~ AGE", if (strata) "+ COHORT"))
  ctl <- glm.control(epsilon = 1e-14, maxit = 100)
  # glm's SEs come from the working weights of its last iteration's start; refitting from the
  # converged coefficients puts them at the estimate itself (one more iteration, no change)
  den <- glm(den_f, family = binomial, data = rows[m, ], control = ctl)
  den <- glm(den_f, family = binomial, data = rows[m, ], control = ctl, start = coef(den))
  num <- glm(num_f, family = binomial, data = rows[rows$arm == 0, ], control = ctl)
  num <- glm(num_f, family = binomial, data = rows[rows$arm == 0, ], control = ctl, start = coef(num))
  p <- q <- numeric(nrow(rows))
  p[m] <- fitted(den)
  q[rows$arm == 0] <- fitted(num)
  lagprod <- function(f, id) ave(f, id, FUN = function(v) c(1, cumprod(v))[seq_along(v)])
  w_u <- lagprod(1 / (1 - p), rows$id)
  w_s <- lagprod((1 - q) / (1 - p), rows$id)
  w <- if (stabilised) w_s else w_u
  if (!is.null(trunc)) {
    qq <- quantile(w[rows$arm == 0], trunc, type = 7, names = FALSE)
    c0 <- rows$arm == 0
    w[c0] <- pmin(pmax(w[c0], qq[1]), qq[2])
  }
  rows$w <- w
  rhs <- paste(c("arm", "AGE", if (strata) "strata(COHORT)"), collapse = " + ")
  fit <- coxph(as.formula(paste("Surv(tstart, tstop, event) ~", rhs)), data = rows, weights = w,
               cluster = id, ties = "efron")
  s <- summary(fit)
  wsum <- function(a) {
    v <- w[rows$arm == a]
    list(rows = length(v), mean = mean(v), min = min(v), max = max(v),
         quantiles = quantile(v, c(.01, .05, .25, .5, .75, .95, .99), type = 7, names = FALSE))
  }
  coefs <- function(g) list(names = names(coef(g)), coef = unname(coef(g)),
                            se = unname(sqrt(diag(vcov(g)))), deviance = deviance(g))
  flags <- c(base_flags, "--method", "ipcw", "--long", "examples/cabinet/adtv_xo.csv",
             "--interval-start", "ASTART", "--interval-end", "AEND", "--covariates", "AGE",
             "--tv-covariates", "ECOG", "--switch-eligible", "PROGFL",
             if (!stabilised) "--unstabilised", if (!is.null(trunc)) c("--truncate", paste(trunc, collapse = ",")),
             if (strata) c("--strata", "COHORT"))
  list(name = name, method = "ipcw", flags = flags,
       call = sprintf("glm(%s, binomial, epsilon = 1e-14); coxph(Surv(tstart, tstop, event) ~ %s, weights = w, cluster = id)",
                      deparse(den_f), rhs),
       rows = nrow(rows), switch_rows = sum(m), switches = sum(rows$y[m]),
       denominator = coefs(den), numerator = coefs(num),
       log_hr = unname(coef(fit)[1]), robust_se = unname(sqrt(fit$var[1, 1])),
       naive_se = unname(sqrt(fit$naive.var[1, 1])), hr = unname(exp(coef(fit)[1])),
       hr_lower = s$conf.int[1, "lower .95"], hr_upper = s$conf.int[1, "upper .95"],
       p = s$coefficients[1, "Pr(>|z|)"], weights_control = wsum(0), weights_experimental = wsum(1))
}
cases <- c(cases, list(
  ipcw_case("ipcw_stabilised"),
  ipcw_case("ipcw_truncated_strata", trunc = c(0.01, 0.99), strata = TRUE),
  ipcw_case("ipcw_unstabilised", stabilised = FALSE)))

# ---------------------------------------------------------------------------------------------
# Two-stage
two_stage_case <- function(name, recensor = TRUE, offset = 0, strata = FALSE) {
  base <- ifelse(d$sw & (!d$pd | d$pdt > d$swt), d$swt, ifelse(d$pd, d$pdt, NA))
  a <- d[d$arm == 0 & !is.na(base), ]
  a$pps <- a$time - base[d$arm == 0 & !is.na(base)] + offset
  a$switched <- as.integer(a$sw)
  fit_aft <- survreg(Surv(pps, status) ~ switched + ECOGPD, data = a, dist = "weibull",
                     control = survreg.control(rel.tolerance = 1e-13, maxiter = 100))
  psi <- -unname(coef(fit_aft)["switched"])
  se_psi <- sqrt(vcov(fit_aft)["switched", "switched"])
  u <- d$time
  st <- d$status
  sw <- d$arm == 0 & d$sw
  b2 <- base[sw] - offset
  u[sw] <- b2 + (d$time[sw] - b2) * exp(psi)
  if (recensor) {
    cs <- d$C * min(1, exp(psi))
    cens <- d$arm == 0 & cs < u
    u[cens] <- cs[cens]
    st[cens] <- 0L
  }
  dd <- cbind(d, ts = u, ds = st)
  rhs <- paste(c("arm", if (strata) "strata(COHORT)"), collapse = " + ")
  fit <- coxph(as.formula(paste("Surv(ts, ds) ~", rhs)), data = dd, ties = "efron")
  zc <- qnorm(0.975)
  lhr <- unname(coef(fit)[1]); se <- sqrt(vcov(fit)[1, 1])
  flags <- c(base_flags, "--method", "two-stage", "--progression-flag", "PDFL",
             "--progression-time", "PDTM", "--aft-covariates", "ECOGPD",
             if (recensor) c("--censor-time", "DCOTM") else "--no-recensor",
             if (offset != 0) c("--pps-offset", format(offset, digits = 17)),
             if (strata) c("--strata", "COHORT"))
  list(name = name, method = "two-stage", flags = flags,
       call = sprintf("survreg(Surv(pps, status) ~ switched + ECOGPD, dist = 'weibull', rel.tolerance = 1e-13); coxph(Surv(t*, d*) ~ %s)", rhs),
       aft = list(names = c(names(coef(fit_aft)), "Log(scale)"),
                  coef = c(unname(coef(fit_aft)), log(fit_aft$scale)),
                  se = unname(sqrt(diag(vcov(fit_aft)))), loglik = fit_aft$loglik[2], n = nrow(a)),
       psi = psi, psi_lower = psi - zc * se_psi, psi_upper = psi + zc * se_psi,
       log_hr = lhr, se = se, hr = exp(lhr), hr_lower = exp(lhr - zc * se), hr_upper = exp(lhr + zc * se))
}
cases <- c(cases, list(
  two_stage_case("two_stage"),
  two_stage_case("two_stage_offset_strata_no_recensor", recensor = FALSE, offset = 1 / 30.4375, strata = TRUE)))

writeLines(toJSON(list(versions = versions, data = "examples/cabinet/adtte_xo.csv, adtv_xo.csv, adsl.csv (AGE)",
                       true_psi = -0.5, cases = cases),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), "crossover.json")
for (cs in cases) cat(sprintf("%-40s psi %s  HR %.6f\n", cs$name, if (is.null(cs$psi)) "-" else format(cs$psi, digits = 8), cs$hr))
