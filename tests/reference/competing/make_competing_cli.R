# Reference values for the competing-risks COMMANDS (hazard cuminc, hazard finegray,
# hazard cox --cause), compared with their --json output by tests/cli/competing.sh.
#
# Run from anywhere:  Rscript tests/reference/competing/make_competing_cli.R
# Needs: r-base-core, r-cran-survival (3.5-3), r-cran-cmprsk (2.2-11), r-cran-jsonlite.
#
# Reads mgus2_cr.csv and pbc_cr.csv next to this script (written by make_competing.R from
# survival::mgus2 and survival::pbc) and writes competing_cli.json: one entry per case with
#   name, command, args    the hazard command line (run with --data FILE --json)
#   calls                  the exact R calls that give the values
#   tolerance, reason      relative tolerance of the comparison
#   expect                 a sub-tree of the command's JSON: every number in it must agree with
#                          hazard's to the tolerance, every text and null exactly
#
# Values:
#   cuminc    cmprsk::cuminc (curves: est and var at each distinct failure time of a cause; Gray's
#             test per cause), cmprsk::timepoints at --times (estimate, Gray's variance),
#             summary(survfit(Surv(time, factor(status)) ~ group, conf.type = ...), times =) for
#             survfit's infinitesimal-jackknife std_err and its pointwise CI (lower, upper), and
#             survival:::survfit_confint(est, sqrt(var), logse = FALSE, conf.type) for the CI from
#             Gray's variance (gray_lower, gray_upper).
#   finegray  cmprsk::crr(..., gtol = 1e-12, maxiter = 50): coef, se = sqrt(diag(var)), z, p
#             (2 * pnorm(-|z|)), shr = exp(coef) and its Wald CI.
#   cox       survival::coxph(Surv(time, status == cause) ~ ...): the cause-specific Cox model
#             (failures from other causes censored), Efron ties.
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
stopifnot(versions$survival == "3.5.3", versions$cmprsk == "2.2.11")

mg <- read.csv("mgus2_cr.csv")
pb <- read.csv("pbc_cr.csv")
files <- list(mgus2 = "mgus2_cr.csv", pbc = "pbc_cr.csv")

num_text <- function(x) as.character(x)  # R's shortest form, as hazard names numeric levels

# ---------------------------------------------------------------------------------------------
# cuminc
cuminc_case <- function(name, data_name, d, time, status, censor, cause, group = NULL,
                        strata = NULL, times, conf_type = "log-log", subset_text = NULL,
                        extra_args = character(0)) {
  n_read <- nrow(d)
  keep <- !is.na(d[[time]]) & !is.na(d[[status]])
  if (!is.null(group)) keep <- keep & !is.na(d[[group]])
  if (!is.null(strata)) keep <- keep & !is.na(d[[strata]])
  n_excluded <- sum(!keep)
  d <- d[keep, ]
  g <- if (is.null(group)) rep("all", nrow(d)) else as.character(d[[group]])
  args <- list(ftime = d[[time]], fstatus = d[[status]], group = g, cencode = censor)
  if (!is.null(strata)) args$strata <- d[[strata]]
  ci <- do.call(cuminc, args)
  causes <- sort(unique(d[[status]][d[[status]] != censor]))
  groups <- sort(unique(g))
  tp <- timepoints(ci, times)
  fs <- factor(d[[status]], levels = c(censor, causes))
  gf <- factor(g, levels = groups)
  fit <- survfit(Surv(d[[time]], fs) ~ gf, conf.type = conf_type)
  sm <- summary(fit, times = times, extend = TRUE)
  z <- qnorm(0.975)
  out_groups <- list()
  for (j in seq_along(groups)) {
    gg <- groups[j]
    ev <- list()
    for (cc in causes) ev[[num_text(cc)]] <- sum(g == gg & d[[status]] == cc)
    curves <- list()
    at <- list()
    for (k in seq_along(causes)) {
      cc <- causes[k]
      w <- ci[[paste(gg, cc)]]
      m <- length(w$time)
      idx <- if (m > 2) seq(3, m - 1, by = 2) else integer(0)
      curves[[k]] <- list(cause = num_text(cc), time = w$time[idx], estimate = w$est[idx],
                          variance = w$var[idx])
      rows <- which(if (is.null(fit$strata)) rep(TRUE, length(sm$time))
                    else sm$strata == levels(sm$strata)[j])
      col <- k + 1  # survfit's pstate columns: (s0), then the causes in factor order
      for (i in seq_along(times)) {
        est <- tp$est[paste(gg, cc), i]
        v <- tp$var[paste(gg, cc), i]
        gci <- survival:::survfit_confint(est, sqrt(v), logse = FALSE, conf.type = conf_type,
                                          conf.int = 0.95)
        r <- rows[i]
        at[[length(at) + 1]] <- list(cause = num_text(cc), time = times[i], estimate = est,
                                     variance = v, std_err = sm$std.err[r, col],
                                     lower = sm$lower[r, col], upper = sm$upper[r, col],
                                     gray_lower = gci$lower, gray_upper = gci$upper)
        stopifnot(abs(sm$pstate[r, col] - est) < 1e-12)
      }
    }
    out_groups[[j]] <- list(group = if (is.null(group)) NULL else gg,
                            n = sum(g == gg), events = ev, curves = curves, at = at)
  }
  tests <- NULL
  test <- NULL
  if (length(groups) > 1) {
    tt <- ci$Tests
    tests <- lapply(seq_len(nrow(tt)), function(i)
      list(cause = rownames(tt)[i], stat = tt[i, "stat"], df = tt[i, "df"],
           p = pchisq(tt[i, "stat"], tt[i, "df"], lower.tail = FALSE)))
    test <- tests[[which(causes == cause)]]
  }
  call <- sprintf("cuminc(ftime = %s, fstatus = %s%s%s, cencode = %s)", time, status,
                  if (is.null(group)) "" else paste0(", group = ", group),
                  if (is.null(strata)) "" else paste0(", strata = ", strata), deparse(censor))
  cli <- c("--time", time, "--status", status, "--cause", num_text(cause))
  if (!identical(num_text(censor), "0")) cli <- c(cli, "--censor", num_text(censor))
  if (!is.null(group)) cli <- c(cli, "--group", group)
  if (!is.null(strata)) cli <- c(cli, "--strata", strata)
  cli <- c(cli, "--times", paste(times, collapse = ","), extra_args)
  if (conf_type != "log-log") cli <- c(cli, "--conf-type", conf_type)
  list(name = name, command = "cuminc", data = files[[data_name]], args = cli,
       calls = c(paste0(if (is.null(subset_text)) "" else paste0("d <- ", subset_text, "; "),
                        "complete cases of ", paste(c(time, status, group, strata), collapse = ", ")),
                 paste0("ci <- ", call),
                 sprintf("timepoints(ci, c(%s))", paste(times, collapse = ", ")),
                 sprintf(paste0("summary(survfit(Surv(%s, factor(%s, levels = c(%s, causes))) ~ %s, ",
                                "conf.type = \"%s\"), times = c(%s), extend = TRUE)"),
                         time, status, deparse(censor), if (is.null(group)) "1" else group,
                         conf_type, paste(times, collapse = ", ")),
                 sprintf("survival:::survfit_confint(est, sqrt(var), logse = FALSE, conf.type = \"%s\")",
                         conf_type)),
       tolerance = 1e-8,
       reason = "closed forms in the same order of operations up to summation order; 1e-8 as issue 24",
       expect = list(n = nrow(d), n_read = n_read,
                     excluded = list(count = n_excluded),
                     cause = num_text(cause), causes = vapply(causes, num_text, ""),
                     conf_type = conf_type, groups = out_groups, test = test, tests = tests))
}

cases <- list(
  cuminc_case("cuminc_mgus2_sex", "mgus2", mg, "etime", "event", "censor", "pcm", group = "sex",
              times = c(60, 120, 240, 360)),
  cuminc_case("cuminc_pbc_trt_strata_plain", "pbc", pb, "time", "status", 0, 2, group = "trt",
              strata = "sex", times = c(1000, 2000, 3000), conf_type = "plain"),
  cuminc_case("cuminc_pbc_where_log", "pbc", pb[pb$sex == "f", ], "time", "status", 0, 1,
              times = c(1000, 3000), conf_type = "log", subset_text = "d[d$sex == \"f\", ]",
              extra_args = c("--where", "sex=f"))
)
# tied data large enough for cuminc's counting path (n >= 4096, few distinct times): pbc's rows
# 20 times over; the test writes that file (data "pbc_cr.csv*20": the header, then the rows 20 times)
pb20 <- pb[rep(seq_len(nrow(pb)), 20), ]
cases[[length(cases) + 1]] <- cuminc_case("cuminc_pbc_x20_strata", "pbc", pb20, "time", "status", 0, 2,
                                          group = "trt", strata = "sex", times = c(1000, 2000, 3000))
cases[[length(cases)]]$data <- "pbc_cr.csv*20"
cases[[length(cases)]]$calls[1] <- paste0("d <- pbc_cr[rep(seq_len(nrow(pbc_cr)), 20), ]; ",
                                          cases[[length(cases)]]$calls[1])
# the whole file is read: n_read counts every row, --where removes the others
cases[[3]]$expect$n_read <- nrow(pb)
cases[[3]]$expect$n_filtered <- sum(pb$sex != "f")

# ---------------------------------------------------------------------------------------------
# finegray
fg_case <- function(name, data_name, d, time, status, cause, censor, covariates, strata = NULL) {
  cols <- c(time, status, covariates, strata)
  d <- d[complete.cases(d[, cols]), ]
  f <- as.formula(paste("~", paste(covariates, collapse = " + ")))
  X <- model.matrix(f, d)[, -1, drop = FALSE]
  cg <- if (is.null(strata)) rep(1, nrow(d)) else d[[strata]]
  fit <- crr(d[[time]], d[[status]], X, failcode = cause, cencode = censor, cengroup = cg,
             gtol = 1e-12, maxiter = 50)
  se <- sqrt(diag(fit$var))
  z <- qnorm(0.975)
  terms <- lapply(seq_along(fit$coef), function(j)
    list(coef = unname(fit$coef[j]), shr = exp(unname(fit$coef[j])), se = se[j],
         z = unname(fit$coef[j]) / se[j], p = 2 * pnorm(-abs(unname(fit$coef[j]) / se[j])),
         lower = exp(unname(fit$coef[j]) - z * se[j]), upper = exp(unname(fit$coef[j]) + z * se[j])))
  call <- sprintf(paste0("crr(ftime = %s, fstatus = %s, cov1 = model.matrix(%s, d)[, -1], ",
                         "failcode = %s, cencode = %s%s, gtol = 1e-12, maxiter = 50)"),
                  time, status, deparse(f), deparse(cause), deparse(censor),
                  if (is.null(strata)) "" else paste0(", cengroup = ", strata))
  cli <- c("--time", time, "--status", status, "--cause", num_text(cause),
           "--covariates", paste(covariates, collapse = ","))
  if (!identical(num_text(censor), "0")) cli <- c(cli, "--censor", num_text(censor))
  if (!is.null(strata)) cli <- c(cli, "--strata", strata)
  list(name = name, command = "finegray", data = files[[data_name]], args = cli,
       calls = c(paste0("d <- complete cases of ", paste(cols, collapse = ", ")), call),
       tolerance = 1e-6,
       reason = "iterative fit (crr's Newton steps vs hazard's, sums in another order): tol::crr",
       expect = list(n = nrow(d), events = sum(d[[status]] == cause),
                     competing = sum(d[[status]] != cause & d[[status]] != censor),
                     censored = sum(d[[status]] == censor), cause = num_text(cause),
                     loglik = fit$loglik, terms = terms))
}

cases <- c(cases, list(
  fg_case("finegray_mgus2_pcm", "mgus2", mg, "etime", "event", "pcm", "censor",
          c("age", "sex", "hgb")),
  fg_case("finegray_pbc_death_strata", "pbc", pb, "time", "status", 2, 0,
          c("age", "logbili", "albumin"), strata = "sex")
))

# ---------------------------------------------------------------------------------------------
# cox --cause: cause-specific Cox model
cs_case <- function(name, data_name, d, time, status, cause, censor, covariates) {
  cols <- c(time, status, covariates)
  d <- d[complete.cases(d[, cols]), ]
  f <- as.formula(sprintf("Surv(%s, %s == %s) ~ %s", time, status, deparse(cause),
                          paste(covariates, collapse = " + ")))
  m <- coxph(f, data = d, ties = "efron")
  s <- summary(m)$coefficients
  ci <- summary(m)$conf.int
  terms <- lapply(seq_len(nrow(s)), function(j)
    list(coef = s[j, "coef"], hr = s[j, "exp(coef)"], se = s[j, "se(coef)"], z = s[j, "z"],
         p = s[j, "Pr(>|z|)"], lower = ci[j, "lower .95"], upper = ci[j, "upper .95"]))
  cli <- c("--time", time, "--status", status, "--cause", num_text(cause),
           "--covariates", paste(covariates, collapse = ","))
  if (!identical(num_text(censor), "0")) cli <- c(cli, "--censor", num_text(censor))
  list(name = name, command = "cox", data = files[[data_name]], args = cli,
       calls = c(paste0("d <- complete cases of ", paste(cols, collapse = ", ")),
                 paste0("coxph(", deparse(f), ", data = d, ties = \"efron\")")),
       tolerance = 1e-8,
       reason = "iterative fit converged to machine precision: tol::iterative",
       expect = list(n = m$n, events = m$nevent, loglik = unname(m$loglik),
                     cause = list(status_column = status, cause = num_text(cause)),
                     coefficients = terms))
}

cases <- c(cases, list(
  cs_case("cox_pbc_death", "pbc", pb, "time", "status", 2, 0, c("age", "logbili", "albumin")),
  cs_case("cox_mgus2_pcm", "mgus2", mg, "etime", "event", "pcm", "censor", c("age", "sex"))
))

out <- list(versions = versions,
            note = paste("Expected sub-trees of the commands' --json output; every number to the",
                         "case's relative tolerance, texts and nulls exactly."),
            cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE),
           "competing_cli.json")
cat("wrote competing_cli.json\n")
