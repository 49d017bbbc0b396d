# Reference values for hazard's log-rank family (src/logrank/logrank.cpp), from R.
#
# Run from anywhere:  Rscript tests/reference/logrank/make_logrank.R
# Needs: r-base-core, r-cran-survival, r-cran-survmisc, r-cran-jsonlite (scripts/bootstrap).
#
# Writes next to itself:
#   lung.csv, veteran.csv, ovarian.csv, aml.csv, edge.csv, large.csv, many.csv   the data, for
#                   the CLI tests
#   logrank.json    one entry per case: the exact R call, its source, the data inline (codes as
#                   hazard numbers them: group and stratum levels in R's sorted factor order), the
#                   command-line flags that select the same rows, and the results
#   radiant4.json   R survdiff on ../shared/data/published-curves/RADIANT4_2A.csv, written only
#                   when that file exists (it is not part of the repository)
#
# Every reference is computed on the data as read back from the CSV written here (read.csv), so the
# CLI, the C++ tests and R see the same numbers and the same level order (veteran's celltype is a
# factor in R's original data set with unsorted levels; read from CSV its levels are sorted, as in
# hazard).
#
# Sources of the values:
#   * "survival::survdiff"  for rho-only tests (log-rank, Peto-Peto / survdiff(rho = 1)), any strata.
#   * "survMisc::comp"      Fleming-Harrington with gamma != 0 (survdiff has no gamma), unstratified:
#       survMisc 0.5.6 gives the weighted O - E (2 groups) and the K-group chi-square (K > 2). Its
#       2-group variance is not survdiff's hypergeometric one when events are tied (it applies the
#       tie correction per group), so for 2 groups V comes from the independent implementation
#       below and the script checks that implementation against survMisc's O - E.
#   * "independent R implementation (fh_ref)" for the cases no package covers: stratified
#       gamma != 0 and case weights with rho or gamma != 0. fh_ref is a deliberately naive loop
#       over the distinct times (risk sets recomputed from scratch at each time, no sorting tricks),
#       written from the formulas in docs/methods/logrank.md, and checked in this script against
#       survdiff (every rho case), survMisc (every gamma case it covers) and coxph (every weighted
#       case with rho = gamma = 0) to 1e-12 before anything is written.
#   * "survival::coxph score test" for case weights: survdiff takes no weights; a weighted log-rank
#       test is the score test at beta = 0 of coxph(..., weights =, ties = "breslow"). O - E is
#       the weighted score vector (column sums of weights x score residuals at beta = 0), V the
#       information matrix at beta = 0 (inverse of fit$naive.var, or fit$var, with iter.max = 0), chisq fit$score.
suppressMessages({
  library(survival)
  library(survMisc)
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
                 survMisc = as.character(packageVersion("survMisc")),
                 jsonlite = as.character(packageVersion("jsonlite")))

# ---------------------------------------------------------------------------------------------
# Data, written as CSV and read back.
# Case weights: exactly representable values 0.5, 0.75, 1, 1.25 cycling over the rows.
cyc_w <- function(n) 0.5 + ((seq_len(n) - 1) %% 4) * 0.25

l0 <- survival::lung
write.csv(data.frame(time = l0$time, status = l0$status, sex = l0$sex, ph.ecog = l0$ph.ecog,
                     w = cyc_w(nrow(l0))),
          "lung.csv", row.names = FALSE, na = "NA")
v0 <- survival::veteran
write.csv(data.frame(time = v0$time, status = v0$status, trt = v0$trt,
                     celltype = as.character(v0$celltype), w = cyc_w(nrow(v0))),
          "veteran.csv", row.names = FALSE, na = "NA")
o0 <- survival::ovarian
write.csv(data.frame(futime = o0$futime, fustat = o0$fustat, rx = o0$rx, resid.ds = o0$resid.ds),
          "ovarian.csv", row.names = FALSE, na = "NA")
a0 <- survival::aml
write.csv(data.frame(time = a0$time, status = a0$status, x = as.character(a0$x)),
          "aml.csv", row.names = FALSE, na = "NA")

# Hand-built edge cases, one file, selected with --where case=NAME.
edge <- rbind(
  # every subject of arm B censored (B: O = 0)
  data.frame(case = "b_all_censored", time = c(1, 2, 3, 4, 5, 1.5, 2, 3, 6, 7),
             status = c(1, 1, 0, 1, 1, 0, 0, 0, 0, 0), arm = rep(c("A", "B"), each = 5),
             stratum = "s", w = 1),
  # events and censorings tied at the same times, within and across arms; at t = 4 everyone
  # still at risk dies (n - d = 0)
  data.frame(case = "ties", time = c(1, 1, 2, 2, 2, 3, 4, 1, 2, 2, 3, 3, 4),
             status = c(1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1),
             arm = c(rep("A", 7), rep("B", 6)), stratum = "s", w = 1),
  # three strata, one of which holds a single subject (with an event)
  data.frame(case = "one_subject_stratum",
             time = c(2, 3, 5, 7, 8, 11, 4, 1, 3, 6, 9, 10, 12, 13),
             status = c(1, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1),
             arm = c("A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "A", "B"),
             stratum = c(rep("s1", 6), "s2", rep("s3", 7)), w = 1),
  # three groups with tied times
  data.frame(case = "three_groups",
             time = c(1, 3, 3, 5, 8, 9, 2, 3, 4, 4, 7, 10, 1, 2, 2, 6, 6, 11),
             status = c(1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0),
             arm = rep(c("A", "B", "C"), each = 6), stratum = "s", w = 1),
  # group C is censored before the first event: E_C = 0, C drops out, df = 1
  data.frame(case = "zero_expected_group",
             time = c(2, 4, 5, 7, 3, 4, 6, 8, 0.5, 1),
             status = c(1, 1, 0, 1, 1, 0, 1, 1, 0, 0),
             arm = c(rep("A", 4), rep("B", 4), "C", "C"), stratum = "s", w = 1),
  # integer case weights: must equal the data with rows replicated (checked below)
  data.frame(case = "integer_weights",
             time = c(1, 2, 2, 4, 5, 6, 2, 3, 3, 5, 7, 8),
             status = c(1, 1, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0),
             arm = rep(c("A", "B"), each = 6), stratum = "s",
             w = c(1, 2, 3, 1, 2, 1, 2, 1, 1, 3, 1, 2))
)
write.csv(edge, "edge.csv", row.names = FALSE, na = "NA")

# A larger simulated trial (above the size where hazard switches from std::sort to a radix sort):
# 3 strata, 2 arms, times rounded to 0.1 so that events and censorings tie.
set.seed(20261125)
nb <- 6000
big <- data.frame(arm = sample(c("control", "active"), nb, replace = TRUE),
                  site = sample(c("EU", "US", "ASIA"), nb, replace = TRUE))
ev <- rexp(nb, ifelse(big$arm == "active", 0.07, 0.1)); ce <- runif(nb, 0, 30)
big$time <- round(pmin(ev, ce), 1)
big$status <- as.integer(ev <= ce)
write.csv(big, "large.csv", row.names = FALSE, na = "NA")

# Many groups (hazard switches to its O(K)-per-row variance update above 8 groups): 40 groups of
# unequal size and hazard, 3 strata, times rounded to 0.5 so that events and censorings tie, the
# cyclic case weights. Group names g01..g40 sort as their numbers.
set.seed(20260419)
nm <- 1500
many <- data.frame(g = sprintf("g%02d", sample(1:40, nm, replace = TRUE, prob = 1:40)),
                   s = sample(c("a", "b", "c"), nm, replace = TRUE))
mev <- rexp(nm, 0.05 * (1 + as.integer(substr(many$g, 2, 3)) / 40)); mce <- runif(nm, 0, 40)
many$time <- round(pmin(mev, mce) * 2) / 2
many$status <- as.integer(mev <= mce)
many$w <- cyc_w(nm)
write.csv(many, "many.csv", row.names = FALSE, na = "NA")

lung <- read.csv("lung.csv")
many <- read.csv("many.csv")
veteran <- read.csv("veteran.csv")
ovarian <- read.csv("ovarian.csv")
aml <- read.csv("aml.csv")
edge <- read.csv("edge.csv")
large <- read.csv("large.csv")
data_prep <- paste(
  "lung <- read.csv('lung.csv'); veteran <- read.csv('veteran.csv');",
  "ovarian <- read.csv('ovarian.csv'); aml <- read.csv('aml.csv'); edge <- read.csv('edge.csv');",
  "large <- read.csv('large.csv'); many <- read.csv('many.csv')",
  "(files written by this script from survival's data sets; w = 0.5 + ((row - 1) %% 4) * 0.25)")

# ---------------------------------------------------------------------------------------------
# Independent implementation: a naive loop over the distinct times of each stratum.
# log_scale: the weights are W / exp(log_scale), computed in log space (for |rho| so large that
# W^2 overflows: the test is unchanged by a common factor of the weights).
fh_ref <- function(time, status, group, strata = NULL, weights = NULL, rho = 0, gamma = 0,
                   log_scale = 0) {
  g <- as.integer(factor(group)); K <- nlevels(factor(group))
  if (is.null(strata)) strata <- rep(1, length(time))
  weighted <- !is.null(weights)
  w <- if (weighted) weights else rep(1, length(time))
  O <- E <- numeric(K); V <- matrix(0, K, K)
  for (s in unique(strata)) {
    i <- strata == s
    tt <- time[i]; st <- status[i]; gg <- g[i]; ww <- w[i]
    S <- 1                                   # pooled Kaplan-Meier, left-continuous
    for (t in sort(unique(tt[st == 1]))) {
      ar <- tt >= t; ev <- tt == t & st == 1
      n <- sum(ww[ar]); d <- sum(ww[ev])
      if (d <= 0) next
      nk <- vapply(seq_len(K), function(k) sum(ww[ar & gg == k]), 0)
      dk <- vapply(seq_len(K), function(k) sum(ww[ev & gg == k]), 0)
      W <- if (log_scale == 0) S^rho * (1 - S)^gamma else
        exp((if (rho != 0) rho * log(S) else 0) + (if (gamma != 0) gamma * log1p(-S) else 0) - log_scale)
      O <- O + W * dk
      E <- E + W * d * nk / n
      cf <- if (weighted) 1 else if (n > 1) (n - d) / (n - 1) else 0
      V <- V + W^2 * d * cf * (diag(nk / n, K) - outer(nk / n, nk / n))
      S <- S * (n - d) / n
    }
  }
  list(observed = O, expected = E, variance = V)
}

# The chi-square exactly as survdiff computes it from O, E, V.
chisq_of <- function(O, E, V) {
  keep <- E > 0
  if (sum(keep) < 2) return(list(chisq = 0, df = 0L))
  u <- ((O - E)[keep])[-1]
  vv <- (V[keep, keep, drop = FALSE])[-1, -1, drop = FALSE]
  list(chisq = sum(solve(vv, u) * u), df = sum(keep) - 1L)
}

agree <- function(a, b, what) {
  if (!isTRUE(all.equal(as.vector(a), as.vector(b), tolerance = 1e-12, scale = NULL)) &&
      !isTRUE(all.equal(as.vector(a), as.vector(b), tolerance = 1e-12)))
    stop(sprintf("cross-check failed for %s: %s vs %s", what,
                 paste(format(a, digits = 17), collapse = " "),
                 paste(format(b, digits = 17), collapse = " ")))
}

cases <- list()

# One case. `d` holds the complete rows analysed; `time`, `event` (logical/0-1 vector), `group`,
# `strata`, `weights` are vectors over d; `cli` the flags selecting the same rows from `file`.
add_case <- function(name, call, source, d, time, event, group, strata = NULL, weights = NULL,
                     rho = 0, gamma = 0, file, cli, n_excluded = 0L, res, note = NULL,
                     log_scale = 0) {
  K <- nlevels(factor(group))
  ref <- fh_ref(time, event, group, strata, weights, rho, gamma, log_scale)
  agree(ref$observed, res$observed, paste(name, "observed"))
  agree(ref$expected, res$expected, paste(name, "expected"))
  agree(ref$variance, res$variance, paste(name, "variance"))
  cs <- chisq_of(res$observed, res$expected, res$variance)
  if (!is.null(res$chisq)) agree(cs$chisq, res$chisq, paste(name, "chisq")) else res$chisq <- cs$chisq
  df <- cs$df
  z <- if (K == 2) (res$observed[2] - res$expected[2]) / sqrt(res$variance[2, 2]) else NA
  case <- list(
    name = name, call = call, source = source, note = note,
    file = file, cli = cli, rho = rho, gamma = gamma,
    weighted = !is.null(weights), stratified = !is.null(strata),
    n = length(time), n_excluded = n_excluded,
    groups = levels(factor(group)),
    n_per_group = as.vector(table(factor(group))),
    observed = as.vector(res$observed), expected = as.vector(res$expected),
    variance = unname(lapply(seq_len(K), function(k) as.vector(res$variance[k, ]))),
    chisq = res$chisq, df = df,
    p = pchisq(res$chisq, df, lower.tail = FALSE),
    z = z, p_one_sided = if (K == 2) pnorm(z) else NA,
    data = list(time = time, status = as.integer(event),
                group = as.integer(factor(group)) - 1L,
                stratum = if (is.null(strata)) NULL else as.integer(factor(strata)) - 1L,
                weight = weights))
  if (!is.null(res$observed_by_stratum)) {
    case$strata_levels <- levels(factor(strata))
    case$observed_by_stratum <- unname(lapply(seq_len(ncol(res$observed_by_stratum)),
                                              function(s) res$observed_by_stratum[, s]))
    case$expected_by_stratum <- unname(lapply(seq_len(ncol(res$expected_by_stratum)),
                                              function(s) res$expected_by_stratum[, s]))
  }
  cases[[length(cases) + 1]] <<- case
}

# survdiff: evaluates the call string itself, so the recorded call is what ran.
survdiff_res <- function(call) {
  f <- eval(parse(text = call), envir = parent.frame())
  stratified <- is.matrix(f$obs)
  list(observed = if (stratified) rowSums(f$obs) else f$obs,
       expected = if (stratified) rowSums(f$exp) else f$exp,
       variance = f$var, chisq = f$chisq,
       observed_by_stratum = if (stratified) f$obs else NULL,
       expected_by_stratum = if (stratified) f$exp else NULL)
}

# survMisc: O - E (2 groups) or the K-group chi-square for FH(rho, gamma), unstratified, no
# weights. O, E and V otherwise from fh_ref (see the file comment), cross-checked here.
survmisc_res <- function(call, time, event, group, rho, gamma) {
  tn <- eval(parse(text = call), envir = parent.frame())
  invisible(capture.output(comp(tn, p = rho, q = gamma)))
  ref <- fh_ref(time, event, group, rho = rho, gamma = gamma)
  K <- nlevels(factor(group))
  lab <- paste0("FH_p=", rho, "_q=", gamma)
  if (K == 2) {
    lrt <- attr(tn, "lrt")
    q <- lrt$Q[lrt$W == lab]
    # survMisc's Q is O - E of the second group (level order)
    agree(ref$observed[2] - ref$expected[2], q, "survMisc Q")
    res <- ref
  } else {
    lrt <- attr(tn, "lrt")
    res <- ref
    res$chisq <- lrt$chiSq[lrt$W == lab]
  }
  res
}

# Weighted log-rank = score test of the weighted Breslow Cox model at beta = 0.
coxph_res <- function(call, event, weights, group) {
  fit <- suppressWarnings(eval(parse(text = call), envir = parent.frame()))
  K <- nlevels(factor(group))
  u <- colSums(weights * as.matrix(residuals(fit, type = "score")))
  # coxph reports a robust variance in fit$var when the weights are not integers; the model-based
  # (inverse information) one is then fit$naive.var
  info <- solve(if (is.null(fit$naive.var)) fit$var else fit$naive.var)
  O <- vapply(seq_len(K), function(k) sum((weights * event)[as.integer(factor(group)) == k]), 0)
  E <- O - c(-sum(u), u)
  V <- matrix(0, K, K)
  V[-1, -1] <- info
  V[1, -1] <- V[-1, 1] <- -rowSums(info)
  V[1, 1] <- sum(info)
  list(observed = O, expected = E, variance = V, chisq = unname(fit$score))
}

# ---------------------------------------------------------------------------------------------
# R's data sets.
L <- lung
add_case("lung_sex", "survdiff(Surv(time, status) ~ sex, data = lung)", "survival::survdiff",
         L, L$time, L$status == 2, L$sex, file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex"),
         res = survdiff_res("survdiff(Surv(time, status) ~ sex, data = lung)"))
add_case("lung_sex_rho1", "survdiff(Surv(time, status) ~ sex, data = lung, rho = 1)",
         "survival::survdiff", L, L$time, L$status == 2, L$sex, rho = 1, file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--rho", "1"),
         res = survdiff_res("survdiff(Surv(time, status) ~ sex, data = lung, rho = 1)"))
Lc <- L[!is.na(L$ph.ecog), ]
cl <- "survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung)"
add_case("lung_sex_strata_ecog", cl, "survival::survdiff", Lc, Lc$time, Lc$status == 2, Lc$sex,
         strata = Lc$ph.ecog, file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--strata", "ph.ecog"),
         n_excluded = 1L, res = survdiff_res(cl),
         note = "ph.ecog is missing for 1 row (excluded); stratum ph.ecog=3 holds a single subject")
cl <- "survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung, rho = 1)"
add_case("lung_sex_strata_ecog_rho1", cl, "survival::survdiff", Lc, Lc$time, Lc$status == 2, Lc$sex,
         strata = Lc$ph.ecog, rho = 1, file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--strata", "ph.ecog",
                 "--rho", "1"),
         n_excluded = 1L, res = survdiff_res(cl))
cl <- "survdiff(Surv(time, status) ~ sex, data = lung, rho = 0.5)"
add_case("lung_sex_rho05", cl, "survival::survdiff", L, L$time, L$status == 2, L$sex, rho = 0.5,
         file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--rho", "0.5"),
         res = survdiff_res(cl))

# Large |rho| (issue 19): survdiff answers at rho = -100 (weights up to 1e117, V up to 1e234);
# at rho = -200 it stops ("system is computationally singular": V overflows). hazard then
# divides every weight by the largest at an event time, exp(M), computed in log space, and says so
# (weight_log_scale = M); the reference is fh_ref with the same scaling, M found here from the
# pooled Kaplan-Meier, and the scaling is checked to leave survdiff's chi-square at rho = -100
# unchanged.
cl <- "survdiff(Surv(time, status) ~ sex, data = lung, rho = -100)"
add_case("lung_sex_rho_minus100", cl, "survival::survdiff", L, L$time, L$status == 2, L$sex,
         rho = -100, file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--rho", "-100"),
         res = survdiff_res(cl))
max_log_weight <- function(time, status, rho) {
  S <- 1; m <- -Inf
  for (t in sort(unique(time[status == 1]))) {
    n <- sum(time >= t); d <- sum(time == t & status == 1)
    m <- max(m, rho * log(S)); S <- S * (n - d) / n
  }
  m
}
local({
  m100 <- max_log_weight(L$time, L$status == 2, -100)
  a <- fh_ref(L$time, L$status == 2, L$sex, rho = -100, log_scale = m100)
  agree(chisq_of(a$observed, a$expected, a$variance)$chisq,
        survdiff(Surv(time, status) ~ sex, data = lung, rho = -100)$chisq, "scaled weights, rho = -100")
})
m200 <- max_log_weight(L$time, L$status == 2, -200)
stopifnot(inherits(try(survdiff(Surv(time, status) ~ sex, data = lung, rho = -200), silent = TRUE),
                   "try-error"))
add_case("lung_sex_rho_minus200",
         sprintf("fh_ref(lung$time, lung$status == 2, lung$sex, rho = -200, log_scale = %.17g)", m200),
         "independent R implementation (fh_ref)", L, L$time, L$status == 2, L$sex, rho = -200,
         file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--rho", "-200"),
         res = fh_ref(L$time, L$status == 2, L$sex, rho = -200, log_scale = m200), log_scale = m200,
         note = "survdiff(rho = -200) fails (V overflows): weights divided by exp(weight_log_scale)")
cases[[length(cases)]]$weight_log_scale <- m200

V <- veteran
cl <- "survdiff(Surv(time, status) ~ trt, data = veteran)"
add_case("veteran_trt", cl, "survival::survdiff", V, V$time, V$status, V$trt, file = "veteran.csv",
         cli = c("--time", "time", "--event", "status", "--group", "trt"), res = survdiff_res(cl))
cl <- "survdiff(Surv(time, status) ~ trt + strata(celltype), data = veteran)"
add_case("veteran_trt_strata_celltype", cl, "survival::survdiff", V, V$time, V$status, V$trt,
         strata = V$celltype, file = "veteran.csv",
         cli = c("--time", "time", "--event", "status", "--group", "trt", "--strata", "celltype"),
         res = survdiff_res(cl))
cl <- "survdiff(Surv(time, status) ~ celltype, data = veteran)"
add_case("veteran_celltype", cl, "survival::survdiff", V, V$time, V$status, V$celltype,
         file = "veteran.csv", cli = c("--time", "time", "--event", "status", "--group", "celltype"),
         res = survdiff_res(cl))
cl <- "survdiff(Surv(time, status) ~ celltype, data = veteran, rho = 1)"
add_case("veteran_celltype_rho1", cl, "survival::survdiff", V, V$time, V$status, V$celltype,
         rho = 1, file = "veteran.csv",
         cli = c("--time", "time", "--event", "status", "--group", "celltype", "--rho", "1"),
         res = survdiff_res(cl))

O <- ovarian
cl <- "survdiff(Surv(futime, fustat) ~ rx, data = ovarian)"
add_case("ovarian_rx", cl, "survival::survdiff", O, O$futime, O$fustat, O$rx, file = "ovarian.csv",
         cli = c("--time", "futime", "--event", "fustat", "--group", "rx"), res = survdiff_res(cl))
cl <- "survdiff(Surv(futime, fustat) ~ rx + strata(resid.ds), data = ovarian)"
add_case("ovarian_rx_strata_resid", cl, "survival::survdiff", O, O$futime, O$fustat, O$rx,
         strata = O$resid.ds, file = "ovarian.csv",
         cli = c("--time", "futime", "--event", "fustat", "--group", "rx", "--strata", "resid.ds"),
         res = survdiff_res(cl))

A <- aml
cl <- "survdiff(Surv(time, status) ~ x, data = aml)"
add_case("aml_x", cl, "survival::survdiff", A, A$time, A$status, A$x, file = "aml.csv",
         cli = c("--time", "time", "--event", "status", "--group", "x"), res = survdiff_res(cl))
cl <- "survdiff(Surv(time, status) ~ x, data = aml, rho = 1)"
add_case("aml_x_rho1", cl, "survival::survdiff", A, A$time, A$status, A$x, rho = 1, file = "aml.csv",
         cli = c("--time", "time", "--event", "status", "--group", "x", "--rho", "1"),
         res = survdiff_res(cl))

B <- large
cl <- "survdiff(Surv(time, status) ~ arm + strata(site), data = large)"
add_case("large_arm_strata_site", cl, "survival::survdiff", B, B$time, B$status, B$arm,
         strata = B$site, file = "large.csv",
         cli = c("--time", "time", "--event", "status", "--group", "arm", "--strata", "site"),
         res = survdiff_res(cl), note = "simulated (seed 20261125), 6000 rows")
cl <- "survdiff(Surv(time, status) ~ arm, data = large, rho = 1)"
add_case("large_arm_rho1", cl, "survival::survdiff", B, B$time, B$status, B$arm, rho = 1,
         file = "large.csv",
         cli = c("--time", "time", "--event", "status", "--group", "arm", "--rho", "1"),
         res = survdiff_res(cl))

M <- many
cl <- "survdiff(Surv(time, status) ~ g, data = many)"
add_case("many_groups", cl, "survival::survdiff", M, M$time, M$status, M$g, file = "many.csv",
         cli = c("--time", "time", "--event", "status", "--group", "g"), res = survdiff_res(cl),
         note = sprintf("simulated (seed 20260419), 1500 rows, %d groups: hazard's many-group variance path",
                        nlevels(factor(M$g))))
cl <- "survdiff(Surv(time, status) ~ g + strata(s), data = many, rho = 1)"
add_case("many_groups_strata_rho1", cl, "survival::survdiff", M, M$time, M$status, M$g,
         strata = M$s, rho = 1, file = "many.csv",
         cli = c("--time", "time", "--event", "status", "--group", "g", "--strata", "s", "--rho", "1"),
         res = survdiff_res(cl))

# ---------------------------------------------------------------------------------------------
# Fleming-Harrington with gamma (survMisc, unstratified).
for (pq in list(c(0, 1), c(1, 1), c(0.5, 2))) {
  cl <- "ten(Surv(time, status == 2) ~ sex, data = lung)"
  add_case(sprintf("lung_sex_fh_%g_%g", pq[1], pq[2]),
           sprintf("%s; comp(<ten>, p = %g, q = %g)", cl, pq[1], pq[2]), "survMisc::comp",
           L, L$time, L$status == 2, L$sex, rho = pq[1], gamma = pq[2], file = "lung.csv",
           cli = c("--time", "time", "--event", "status=2", "--group", "sex",
                   "--rho", format(pq[1]), "--gamma", format(pq[2])),
           res = survmisc_res(cl, L$time, L$status == 2, L$sex, pq[1], pq[2]),
           note = "O - E checked against survMisc::comp's Q; V from fh_ref (survMisc's 2-group variance differs under ties)")
}
cl <- "ten(Surv(time, status) ~ celltype, data = veteran)"
add_case("veteran_celltype_fh_1_1", sprintf("%s; comp(<ten>, p = 1, q = 1)", cl), "survMisc::comp",
         V, V$time, V$status, V$celltype, rho = 1, gamma = 1, file = "veteran.csv",
         cli = c("--time", "time", "--event", "status", "--group", "celltype",
                 "--rho", "1", "--gamma", "1"),
         res = survmisc_res(cl, V$time, V$status, V$celltype, 1, 1),
         note = "chisq from survMisc::comp; O, E, V from fh_ref")
cl <- "ten(Surv(futime, fustat) ~ rx, data = ovarian)"
add_case("ovarian_rx_fh_0_1", sprintf("%s; comp(<ten>, p = 0, q = 1)", cl), "survMisc::comp",
         O, O$futime, O$fustat, O$rx, rho = 0, gamma = 1, file = "ovarian.csv",
         cli = c("--time", "futime", "--event", "fustat", "--group", "rx", "--gamma", "1"),
         res = survmisc_res(cl, O$futime, O$fustat, O$rx, 0, 1))

# Stratified gamma: no package; the independent implementation.
add_case("veteran_trt_strata_celltype_fh_0.5_1",
         "fh_ref(veteran$time, veteran$status, veteran$trt, strata = veteran$celltype, rho = 0.5, gamma = 1)",
         "independent R implementation (fh_ref)", V, V$time, V$status, V$trt, strata = V$celltype,
         rho = 0.5, gamma = 1, file = "veteran.csv",
         cli = c("--time", "time", "--event", "status", "--group", "trt", "--strata", "celltype",
                 "--rho", "0.5", "--gamma", "1"),
         res = fh_ref(V$time, V$status, V$trt, strata = V$celltype, rho = 0.5, gamma = 1))

# ---------------------------------------------------------------------------------------------
# Case weights: weighted Cox score test (Breslow).
cl <- "coxph(Surv(time, status == 2) ~ factor(sex), data = lung, weights = w, ties = 'breslow', init = 0, iter.max = 0)"
add_case("lung_sex_weights", cl, "survival::coxph score test", L, L$time, L$status == 2, L$sex,
         weights = L$w, file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--weights", "w"),
         res = coxph_res(cl, L$status == 2, L$w, L$sex))
cl <- "coxph(Surv(time, status) ~ factor(trt) + strata(celltype), data = veteran, weights = w, ties = 'breslow', init = 0, iter.max = 0)"
add_case("veteran_trt_strata_celltype_weights", cl, "survival::coxph score test", V, V$time,
         V$status, V$trt, strata = V$celltype, weights = V$w, file = "veteran.csv",
         cli = c("--time", "time", "--event", "status", "--group", "trt", "--strata", "celltype",
                 "--weights", "w"),
         res = coxph_res(cl, V$status, V$w, V$trt))
cl <- "coxph(Surv(time, status) ~ celltype, data = veteran, weights = w, ties = 'breslow', init = rep(0, 3), iter.max = 0)"
add_case("veteran_celltype_weights", cl, "survival::coxph score test", V, V$time, V$status,
         V$celltype, weights = V$w, file = "veteran.csv",
         cli = c("--time", "time", "--event", "status", "--group", "celltype", "--weights", "w"),
         res = coxph_res(cl, V$status, V$w, V$celltype))
cl <- sprintf("coxph(Surv(time, status) ~ g + strata(s), data = many, weights = w, ties = 'breslow', init = rep(0, %d), iter.max = 0)",
              nlevels(factor(M$g)) - 1L)
add_case("many_groups_strata_weights", cl, "survival::coxph score test", M, M$time, M$status, M$g,
         strata = M$s, weights = M$w, file = "many.csv",
         cli = c("--time", "time", "--event", "status", "--group", "g", "--strata", "s",
                 "--weights", "w"),
         res = coxph_res(cl, M$status, M$w, M$g))
add_case("many_groups_strata_fh_0.5_1",
         "fh_ref(many$time, many$status, many$g, strata = many$s, rho = 0.5, gamma = 1)",
         "independent R implementation (fh_ref)", M, M$time, M$status, M$g, strata = M$s,
         rho = 0.5, gamma = 1, file = "many.csv",
         cli = c("--time", "time", "--event", "status", "--group", "g", "--strata", "s",
                 "--rho", "0.5", "--gamma", "1"),
         res = fh_ref(M$time, M$status, M$g, strata = M$s, rho = 0.5, gamma = 1))
add_case("lung_sex_weights_rho1",
         "fh_ref(lung$time, lung$status == 2, lung$sex, weights = lung$w, rho = 1)",
         "independent R implementation (fh_ref)", L, L$time, L$status == 2, L$sex, weights = L$w,
         rho = 1, file = "lung.csv",
         cli = c("--time", "time", "--event", "status=2", "--group", "sex", "--weights", "w",
                 "--rho", "1"),
         res = fh_ref(L$time, L$status == 2, L$sex, weights = L$w, rho = 1),
         note = "weighted Kaplan-Meier in the FH weight; Breslow variance")

# ---------------------------------------------------------------------------------------------
# Edge cases.
edge_case <- function(name, strat = FALSE, rho = 0, gamma = 0, weights = FALSE) {
  E <- edge[edge$case == name, ]
  cl <- sprintf("survdiff(Surv(time, status) ~ arm%s, data = edge[edge$case == '%s', ]%s)",
                if (strat) " + strata(stratum)" else "", name,
                if (rho != 0) sprintf(", rho = %g", rho) else "")
  cli <- c("--where", paste0("case=", name), "--time", "time", "--event", "status", "--group", "arm")
  if (strat) cli <- c(cli, "--strata", "stratum")
  if (rho != 0) cli <- c(cli, "--rho", format(rho))
  if (weights) {
    cl <- sprintf("coxph(Surv(time, status) ~ arm, data = edge[edge$case == '%s', ], weights = w, ties = 'breslow', init = 0, iter.max = 0)", name)
    cli <- c(cli, "--weights", "w")
    res <- coxph_res(cl, E$status, E$w, E$arm)
    src <- "survival::coxph score test"
  } else {
    res <- survdiff_res(cl)
    src <- "survival::survdiff"
  }
  add_case(paste0("edge_", name, if (rho != 0) paste0("_rho", rho) else "",
                  if (weights) "_weights" else ""),
           cl, src, E, E$time, E$status, E$arm,
           strata = if (strat) E$stratum else NULL, weights = if (weights) E$w else NULL,
           rho = rho, file = "edge.csv", cli = cli, res = res)
}
edge_case("b_all_censored")
edge_case("b_all_censored", rho = 1)
edge_case("ties")
edge_case("ties", rho = 1)
edge_case("one_subject_stratum", strat = TRUE)
edge_case("one_subject_stratum", strat = TRUE, rho = 1)
edge_case("three_groups")
edge_case("three_groups", rho = 1)
edge_case("zero_expected_group")
edge_case("integer_weights", weights = TRUE)

# Integer weights = replicated rows (Breslow score test on the expanded data).
local({
  E <- edge[edge$case == "integer_weights", ]
  X <- E[rep(seq_len(nrow(E)), E$w), ]
  a <- coxph_res("coxph(Surv(time, status) ~ arm, data = E, weights = w, ties = 'breslow', init = 0, iter.max = 0)",
                 E$status, E$w, E$arm)
  b <- suppressWarnings(coxph(Surv(time, status) ~ arm, data = X, ties = "breslow", init = 0,
                              iter.max = 0))
  agree(a$chisq, unname(b$score), "integer weights = replicated rows")
})

# Far tails of the p-values (the complement must keep tiny p accurate): a statistic with
# O - E = u and V = v gives chisq = u^2 / v on df = K - 1 and z = u / sqrt(v). (For K = 3 the
# C++ test builds V with the reduced block diag(v, v) and O - E = (-u, u, 0).)
tails <- lapply(list(c(2, 30, 1), c(2, -35, 1.5), c(3, 25, 2)), function(a) {
  K <- a[1]; u <- a[2]; v <- a[3]
  list(n_groups = K, o_minus_e = u, variance = v, chisq = u^2 / v,
       df = K - 1, p = pchisq(u^2 / v, K - 1, lower.tail = FALSE),
       call = sprintf("pchisq((%g)^2 / %g, %d, lower.tail = FALSE); pnorm(%g / sqrt(%g))", u, v,
                      as.integer(K - 1), u, v),
       z = if (K == 2) u / sqrt(v) else NA, p_one_sided = if (K == 2) pnorm(u / sqrt(v)) else NA)
})

out <- list(generated_by = "tests/reference/logrank/make_logrank.R", versions = versions,
            data_prep = data_prep, cases = cases, tails = tails)
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE),
           "logrank.json")
cat("logrank.json:", length(cases), "cases\n")

# ---------------------------------------------------------------------------------------------
# RADIANT-4 (real trial data, reconstructed by kmdata; not part of the repository).
radiant_path <- file.path(script_dir, "..", "..", "..", "..", "shared", "data", "published-curves",
                          "RADIANT4_2A.csv")
if (file.exists(radiant_path)) {
  radiant <- read.csv(radiant_path)
  cl <- "survdiff(Surv(time, event) ~ arm, data = radiant)"
  r <- survdiff_res(cl)
  K <- length(r$observed)
  z <- (r$observed[2] - r$expected[2]) / sqrt(r$variance[2, 2])
  rad <- list(generated_by = "tests/reference/logrank/make_logrank.R", versions = versions,
              file = "published-curves/RADIANT4_2A.csv",
              data_prep = "radiant <- read.csv('../shared/data/published-curves/RADIANT4_2A.csv')",
              call = cl, source = "survival::survdiff",
              cli = c("--time", "time", "--event", "event", "--group", "arm"),
              n = nrow(radiant), groups = levels(factor(radiant$arm)),
              n_per_group = as.vector(table(factor(radiant$arm))),
              observed = as.vector(r$observed), expected = as.vector(r$expected),
              variance = unname(lapply(seq_len(K), function(k) as.vector(r$variance[k, ]))),
              chisq = r$chisq, df = K - 1L, p = pchisq(r$chisq, K - 1, lower.tail = FALSE),
              z = z, p_one_sided = pnorm(z))
  writeLines(toJSON(rad, digits = NA, auto_unbox = TRUE, pretty = TRUE), "radiant4.json")
  cat("radiant4.json written\n")
} else {
  cat("RADIANT4_2A.csv not found; radiant4.json not written\n")
}
