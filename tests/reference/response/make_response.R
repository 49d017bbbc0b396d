# Reference values for hazard's response kernels (src/response/) and for `hazard response` on the
# simulated example examples/cabinet/adrs.csv, from base R.
#
# Run from anywhere:  Rscript tests/reference/response/make_response.R
# Needs: r-base-core (stats), r-cran-survival, r-cran-jsonlite (scripts/bootstrap).
#
# Writes next to itself:
#   kernels.json   one entry per case of each kernel: the inputs, the exact R call and the values
#   cabinet.json   the response analysis of examples/cabinet/adrs.csv (see the second part)
#
# Sources of the values (R and package versions are recorded in each file):
#   clopper_pearson      binom.test(x, n, conf.level = cl)$conf.int
#   wilson               prop.test(x, n, correct = FALSE, conf.level = cl)$conf.int
#   wald_difference      prop.test(c(x1, x0), c(n1, n0), correct = FALSE, conf.level = cl)$conf.int
#   newcombe_difference  written out below (newcombe10) from the two Wilson intervals of prop.test,
#                        as Newcombe (1998) method 10; checked against the paper's worked examples
#   mh_risk_difference   written out below (mh_sato) from the formulas of SAS/STAT PROC FREQ
#                        "Common Risk Difference" (Mantel-Haenszel weights, Sato 1989 variance);
#                        checked: with one stratum its variance is the Wald variance
#   cmh_test             mantelhaen.test(array(c(a, c, b, d), dim = c(2, 2, K)), correct = TRUE
#                        and FALSE, conf.level = cl) on the strata with at least 2 subjects
#                        (R refuses smaller ones); with one stratum (mantelhaen.test needs two) the
#                        same formulas written out (cmh_written), checked against mantelhaen.test
#                        on every K >= 2 case and, for K = 1, against (n - 1) / n times the Pearson
#                        chi-square of chisq.test(correct = FALSE)
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

versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))

# ---------------------------------------------------------------------------------------------
# Part 1: kernels
wilson_r <- function(x, n, cl) suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = cl)$conf.int)

newcombe10 <- function(x1, n1, x0, n0, cl) {
  p1 <- x1 / n1; p0 <- x0 / n0
  w1 <- wilson_r(x1, n1, cl); w0 <- wilson_r(x0, n0, cl)
  d <- p1 - p0
  c(d, d - sqrt((p1 - w1[1])^2 + (w0[2] - p0)^2), d + sqrt((w1[2] - p1)^2 + (p0 - w0[1])^2))
}
# Newcombe (1998), Table II, method 10, examples (a) 56/70 - 48/80 and (b) 9/10 - 3/10.
stopifnot(all.equal(round(newcombe10(56, 70, 48, 80, 0.95)[2:3], 4), c(0.0524, 0.3339)))
stopifnot(all.equal(round(newcombe10(9, 10, 3, 10, 0.95)[2:3], 4), c(0.1705, 0.8090)))

# strata: data frame with x1, n1, x0, n0 per row
mh_sato <- function(s, cl) {
  s <- s[s$n1 > 0 & s$n0 > 0, ]
  n <- s$n1 + s$n0
  w <- s$n1 * s$n0 / n
  d <- sum(w * (s$x1 / s$n1 - s$x0 / s$n0)) / sum(w)
  P <- (s$n1^2 * s$x0 - s$n0^2 * s$x1 + s$n1 * s$n0 * (s$n0 - s$n1) / 2) / n^2
  Q <- (s$x1 * (s$n0 - s$x0) + s$x0 * (s$n1 - s$x1)) / (2 * n)
  se <- sqrt((d * sum(P) + sum(Q)) / sum(w)^2)
  z <- qnorm(1 - (1 - cl) / 2)
  c(d, se, d - z * se, d + z * se)
}
# one stratum: Sato's variance is the Wald variance
local({
  v <- mh_sato(data.frame(x1 = 17, n1 = 40, x0 = 9, n0 = 35), 0.95)
  stopifnot(abs(v[2]^2 - (17 / 40 * 23 / 40 / 40 + 9 / 35 * 26 / 35 / 35)) < 1e-15)
})

cmh_written <- function(s, cl, correct) {
  s <- s[s$n1 + s$n0 >= 2, ]
  a <- s$x1; b <- s$n1 - s$x1; c <- s$x0; d <- s$n0 - s$x0
  n <- a + b + c + d
  delta <- sum(a - (a + b) * (a + c) / n)
  v <- sum((a + b) * (c + d) * (a + c) * (b + d) / (n^2 * (n - 1)))
  yates <- if (correct && abs(delta) >= 0.5) 0.5 else 0
  stat <- (abs(delta) - yates)^2 / v
  R <- sum(a * d / n); S <- sum(b * c / n)
  sd <- sqrt(sum((a + d) * a * d / n^2) / (2 * R^2) +
             sum(((a + d) * b * c + (b + c) * a * d) / n^2) / (2 * R * S) +
             sum((b + c) * b * c / n^2) / (2 * S^2))
  z <- qnorm(1 - (1 - cl) / 2)
  c(stat, pchisq(stat, 1, lower.tail = FALSE), R / S, R / S * exp(-z * sd), R / S * exp(z * sd))
}
cmh_r <- function(s, cl, correct) {
  s <- s[s$n1 + s$n0 >= 2, ]
  if (nrow(s) < 2) return(cmh_written(s, cl, correct))
  arr <- array(0, dim = c(2, 2, nrow(s)))
  arr[1, 1, ] <- s$x1; arr[1, 2, ] <- s$n1 - s$x1; arr[2, 1, ] <- s$x0; arr[2, 2, ] <- s$n0 - s$x0
  m <- suppressWarnings(mantelhaen.test(arr, correct = correct, conf.level = cl))
  w <- cmh_written(s, cl, correct)
  r <- c(unname(m$statistic), m$p.value, unname(m$estimate), m$conf.int)
  ok <- (is.na(r) & is.na(w)) | (r == w) | abs(r - w) <= 1e-12 * abs(r)
  if (!all(ok)) stop("cmh_written disagrees with mantelhaen.test")
  r
}
# one stratum: (n - 1) / n times the Pearson chi-square
local({
  s <- data.frame(x1 = 17, n1 = 40, x0 = 9, n0 = 35)
  tab <- matrix(c(17, 9, 23, 26), 2)
  pearson <- unname(suppressWarnings(chisq.test(tab, correct = FALSE))$statistic)
  stopifnot(abs(cmh_written(s, 0.95, FALSE)[1] - pearson * 74 / 75) < 1e-12)
})

num <- function(x) ifelse(is.finite(x), x, NA)  # JSON: NA (null) for NaN / Inf

props <- data.frame(x = c(0, 1, 3, 12, 5, 10, 0, 1, 999, 250, 7),
                    n = c(10, 1, 10, 64, 5, 31, 1, 2, 1000, 1000, 134),
                    cl = c(0.95, 0.95, 0.95, 0.95, 0.95, 0.9, 0.95, 0.99, 0.95, 0.8, 0.95))
binomial_cases <- lapply(seq_len(nrow(props)), function(i) {
  x <- props$x[i]; n <- props$n[i]; cl <- props$cl[i]
  cp <- binom.test(x, n, conf.level = cl)$conf.int
  w <- wilson_r(x, n, cl)
  list(x = x, n = n, conf_level = cl, estimate = x / n,
       clopper_pearson = list(call = sprintf("binom.test(%d, %d, conf.level = %g)$conf.int", x, n, cl),
                              lower = cp[1], upper = cp[2]),
       wilson = list(call = sprintf("prop.test(%d, %d, correct = FALSE, conf.level = %g)$conf.int", x, n, cl),
                     lower = w[1], upper = w[2]))
})

diffs <- data.frame(x1 = c(56, 9, 12, 0, 0, 10, 5, 1, 3, 64, 30),
                    n1 = c(70, 10, 64, 20, 15, 10, 56, 1, 3, 64, 200),
                    x0 = c(48, 3, 2, 0, 4, 0, 0, 0, 0, 1, 45),
                    n0 = c(80, 10, 31, 25, 15, 10, 29, 1, 5, 31, 210),
                    cl = c(0.95, 0.95, 0.95, 0.95, 0.9, 0.95, 0.95, 0.95, 0.99, 0.95, 0.95))
difference_cases <- lapply(seq_len(nrow(diffs)), function(i) {
  d <- diffs[i, ]
  wald <- suppressWarnings(prop.test(c(d$x1, d$x0), c(d$n1, d$n0), correct = FALSE,
                                     conf.level = d$cl)$conf.int)
  nc <- newcombe10(d$x1, d$n1, d$x0, d$n0, d$cl)
  p1 <- d$x1 / d$n1; p0 <- d$x0 / d$n0
  list(x1 = d$x1, n1 = d$n1, x0 = d$x0, n0 = d$n0, conf_level = d$cl, estimate = p1 - p0,
       wald = list(call = sprintf("prop.test(c(%d, %d), c(%d, %d), correct = FALSE, conf.level = %g)$conf.int",
                                  d$x1, d$x0, d$n1, d$n0, d$cl),
                   std_err = sqrt(p1 * (1 - p1) / d$n1 + p0 * (1 - p0) / d$n0),
                   lower = wald[1], upper = wald[2]),
       newcombe = list(call = "newcombe10() in make_response.R (Newcombe 1998 method 10)",
                       lower = nc[2], upper = nc[3]))
})

strata_sets <- list(
  one = data.frame(x1 = 17, n1 = 40, x0 = 9, n0 = 35),
  three = data.frame(x1 = c(12, 5, 8), n1 = c(30, 22, 41), x0 = c(3, 4, 2), n0 = c(15, 12, 19)),
  sparse = data.frame(x1 = c(1, 0, 2, 1, 0, 3), n1 = c(2, 3, 4, 1, 2, 5), x0 = c(0, 1, 0, 0, 0, 1),
                      n0 = c(1, 2, 3, 1, 1, 2)),
  empty_arm = data.frame(x1 = c(6, 4, 2), n1 = c(20, 10, 3), x0 = c(2, 1, 0), n0 = c(10, 6, 0)),
  single_subject = data.frame(x1 = c(6, 1, 9), n1 = c(20, 1, 25), x0 = c(2, 0, 3), n0 = c(10, 0, 12)),
  no_responders_ref = data.frame(x1 = c(5, 3), n1 = c(40, 30), x0 = c(0, 0), n0 = c(20, 15)),
  cl90 = data.frame(x1 = c(20, 11, 7, 15), n1 = c(50, 40, 30, 45), x0 = c(10, 9, 8, 4),
                    n0 = c(48, 42, 31, 40)))
stratified_cases <- lapply(names(strata_sets), function(nm) {
  s <- strata_sets[[nm]]
  cl <- if (nm == "cl90") 0.9 else 0.95
  mh <- mh_sato(s, cl)
  c0 <- cmh_r(s, cl, FALSE)
  c1 <- cmh_r(s, cl, TRUE)
  list(name = nm, conf_level = cl, x1 = I(s$x1), n1 = I(s$n1), x0 = I(s$x0), n0 = I(s$n0),
       strata_dropped = sum(s$n1 + s$n0 < 2),
       mh = list(call = "mh_sato() in make_response.R (SAS PROC FREQ COMMONRISKDIFF CL=MH formulas)",
                 estimate = num(mh[1]), std_err = num(mh[2]), lower = num(mh[3]), upper = num(mh[4])),
       cmh = list(call = if (sum(s$n1 + s$n0 >= 2) >= 2)
                    "mantelhaen.test(array(c(a, c, b, d), dim = c(2, 2, K)), correct = FALSE / TRUE, conf.level = cl)"
                  else "cmh_written() in make_response.R (mantelhaen.test's formulas; K = 1)",
                  chisq = num(c0[1]), p = num(c0[2]), chisq_corrected = num(c1[1]),
                  p_corrected = num(c1[2]), odds_ratio = num(c0[3]), or_lower = num(c0[4]),
                  or_upper = num(c0[5])))
})

write_json(list(versions = versions, binomial = binomial_cases, difference = difference_cases,
                stratified = stratified_cases),
           "kernels.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null")
cat("wrote kernels.json:", length(binomial_cases), "binomial,", length(difference_cases),
    "difference,", length(stratified_cases), "stratified cases\n")

# ---------------------------------------------------------------------------------------------
# Part 2: `hazard response` on the simulated example (examples/cabinet/adrs.csv, PARAMCD = BOR;
# duration of response from examples/cabinet/adtte_dor.csv). Per analysis (each COHORT, then all
# subjects) and arm: best overall response counts by table() and, independently, by a plain loop
# over the subjects (the two must agree); ORR and DCR with binom.test; each difference with
# prop.test(correct = FALSE) and newcombe10(); the stratified difference with mh_sato(); the CMH
# test and MH odds ratio with mantelhaen.test (cmh_r); the duration of response with
# survfit(Surv(AVAL, CNSR == 0) ~ TRT01P, conf.type = "log-log") among the responders.
ex <- file.path(script_dir, "..", "..", "..", "examples", "cabinet")
adrs <- read.csv(file.path(ex, "adrs.csv"), stringsAsFactors = FALSE, na.strings = "")
bor <- adrs[adrs$PARAMCD == "BOR", ]
dor <- read.csv(file.path(ex, "adtte_dor.csv"), stringsAsFactors = FALSE, na.strings = "")
dor <- dor[dor$PARAMCD == "DOR", ]
terms <- c("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING")
tally_loop <- function(v) {
  out <- setNames(rep(0L, length(terms)), terms)
  for (x in v) { k <- if (is.na(x)) "MISSING" else x; out[k] <- out[k] + 1L }
  out
}
arms <- c("Placebo", "Cabozantinib")

analysis <- function(d, strata_cols, cl) {
  d$STRATUM <- if (length(strata_cols)) do.call(paste, c(lapply(strata_cols, function(s) d[[s]]), sep = "|")) else "all"
  arm_out <- lapply(arms, function(a) {
    v <- d$AVALC[d$TRT01P == a]
    t1 <- table(factor(ifelse(is.na(v), "MISSING", v), levels = terms))
    t2 <- tally_loop(v)
    stopifnot(identical(as.integer(t1), unname(t2)))
    n <- length(v); orr <- sum(v %in% c("CR", "PR")); dcr <- sum(v %in% c("CR", "PR", "SD", "NON-CR/NON-PD"))
    ci_o <- binom.test(orr, n, conf.level = cl)$conf.int
    ci_d <- binom.test(dcr, n, conf.level = cl)$conf.int
    list(group = a, n = n, bor = as.list(t2),
         orr = list(responders = orr, estimate = orr / n, lower = ci_o[1], upper = ci_o[2]),
         dcr = list(responders = dcr, estimate = dcr / n, lower = ci_d[1], upper = ci_d[2]))
  })
  compare <- function(success) {
    y <- d$AVALC %in% success
    x1 <- sum(y[d$TRT01P == "Cabozantinib"]); n1 <- sum(d$TRT01P == "Cabozantinib")
    x0 <- sum(y[d$TRT01P == "Placebo"]); n0 <- sum(d$TRT01P == "Placebo")
    w <- suppressWarnings(prop.test(c(x1, x0), c(n1, n0), correct = FALSE, conf.level = cl))
    nc <- newcombe10(x1, n1, x0, n0, cl)
    st <- sort(unique(d$STRATUM))
    s <- data.frame(x1 = sapply(st, function(h) sum(y[d$TRT01P == "Cabozantinib" & d$STRATUM == h])),
                    n1 = sapply(st, function(h) sum(d$TRT01P == "Cabozantinib" & d$STRATUM == h)),
                    x0 = sapply(st, function(h) sum(y[d$TRT01P == "Placebo" & d$STRATUM == h])),
                    n0 = sapply(st, function(h) sum(d$TRT01P == "Placebo" & d$STRATUM == h)))
    mh <- mh_sato(s, cl)
    c0 <- cmh_r(s, cl, FALSE); c1 <- cmh_r(s, cl, TRUE)
    p1 <- x1 / n1; p0 <- x0 / n0
    list(difference = list(estimate = p1 - p0,
                           wald = list(std_err = sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0),
                                       lower = w$conf.int[1], upper = w$conf.int[2]),
                           newcombe = list(lower = nc[2], upper = nc[3])),
         stratified_difference = list(estimate = mh[1], std_err = mh[2], lower = mh[3], upper = mh[4]),
         cmh = list(chisq = c0[1], p = c0[2], chisq_corrected = c1[1], p_corrected = c1[2],
                    strata_used = sum(s$n1 + s$n0 >= 2), strata_dropped = sum(s$n1 + s$n0 == 1)),
         odds_ratio = list(estimate = num(c0[3]), lower = num(c0[4]), upper = num(c0[5])))
  }
  resp <- d$USUBJID[d$AVALC %in% c("CR", "PR")]
  dd <- dor[dor$USUBJID %in% resp, ]
  dd$TRT01P <- factor(d$TRT01P[match(dd$USUBJID, d$USUBJID)], levels = arms)
  dor_arms <- lapply(arms, function(a) {
    s <- dd[dd$TRT01P == a, ]
    if (!nrow(s)) return(list(group = a, n = 0, events = 0, median = list(estimate = NA, lower = NA, upper = NA)))
    f <- survfit(Surv(AVAL, CNSR == 0) ~ 1, data = s, conf.type = "log-log", conf.int = cl)
    q <- quantile(f, 0.5)
    list(group = a, n = nrow(s), events = sum(s$CNSR == 0),
         median = list(estimate = num(unname(q$quantile)), lower = num(unname(q$lower)), upper = num(unname(q$upper))))
  })
  list(arms = arm_out,
       comparisons = list(list(group = "Cabozantinib", reference = "Placebo",
                               orr = compare(c("CR", "PR")), dcr = compare(c("CR", "PR", "SD", "NON-CR/NON-PD")))),
       duration_of_response = list(responders = length(resp), without_record = sum(!resp %in% dor$USUBJID),
                                   arms = dor_arms))
}

cab_cases <- list(
  list(name = "by_cohort_stratified",
       cli = c("--where", "PARAMCD=BOR", "--group", "TRT01P", "--ref", "Placebo", "--by", "COHORT",
               "--strata", "STRAT1R,STRAT2R"),
       by = "COHORT", strata = c("STRAT1R", "STRAT2R"), conf_level = 0.95),
  list(name = "unstratified", cli = c("--where", "PARAMCD=BOR", "--group", "TRT01P", "--ref", "Placebo"),
       by = NULL, strata = character(0), conf_level = 0.95),
  list(name = "strat1_cl90",
       cli = c("--where", "PARAMCD=BOR", "--group", "TRT01P", "--ref", "Placebo", "--strata", "STRAT1R",
               "--conf-level", "0.9"),
       by = NULL, strata = "STRAT1R", conf_level = 0.9))
cab_out <- lapply(cab_cases, function(cs) {
  labels <- c(if (!is.null(cs$by)) sort(unique(bor[[cs$by]])), "Overall")
  an <- lapply(labels, function(l) {
    d <- if (l == "Overall") bor else bor[bor[[cs$by]] == l, ]
    c(list(label = l), analysis(d, cs$strata, cs$conf_level))
  })
  list(name = cs$name, cli = cs$cli, n = nrow(bor), analyses = an)
})
write_json(list(versions = versions, data = "examples/cabinet/adrs.csv (PARAMCD = BOR), adtte_dor.csv",
                calls = list(rate = "binom.test(x, n, conf.level)", wald = "prop.test(c(x1, x0), c(n1, n0), correct = FALSE)",
                             newcombe = "newcombe10()", stratified = "mh_sato()",
                             cmh = "mantelhaen.test(correct = FALSE / TRUE)",
                             dor = "survfit(Surv(AVAL, CNSR == 0) ~ 1, conf.type = \"log-log\"); quantile(fit, 0.5)"),
                cases = cab_out),
           "cabinet.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null")
cat("wrote cabinet.json:", length(cab_out), "cases\n")
