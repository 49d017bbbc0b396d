# Reference values for the MaxCombo test (src/logrank/maxcombo.cpp) and the Magirr-Burman modestly
# weighted log-rank test (src/logrank/modestly_weighted.cpp), from R.
#
# Run from anywhere:  Rscript tests/reference/nph/make_maxcombo.R
# Needs: r-base-core, r-cran-survival, r-cran-survmisc, r-cran-mvtnorm, r-cran-jsonlite.
#
# Writes next to itself:
#   lung.csv, veteran.csv, delayed.csv, crossing.csv   the data, for the C++ and CLI tests
#   maxcombo.json   one entry per case: the R calls, the data file and CLI flags, the data inline,
#                   each FH statistic (U, V, z), the correlation matrix, max |z|, min z and the
#                   p-values with pmvnorm's error estimate
#   mb.json         the Magirr-Burman cases: t*, S(t*) per stratum, U, V, z, p
#
# How each value is obtained:
#   * wlr_table(): a deliberately naive loop over the distinct event times of each stratum (risk
#     sets recounted from scratch at each time) giving n, n_1, d, d_1, the pooled Kaplan-Meier
#     S(t-) of the stratum and the hypergeometric factor c = (n - d) / (n - 1) (1 with case weights).
#     From it U_a = sum w_a (d_1 - d n_1 / n) and Cov(U_a, U_b) = sum w_a w_b c d (n_1/n)(1 - n_1/n)
#     (docs/methods/nph.md), written out here.
#   * Checks before anything is written (to 1e-12): for rho-only weights, U and V against
#     survival::survdiff(rho =) (O - E and var of the second group; stratified too); for gamma > 0,
#     U against survMisc::comp's Q (unstratified, unweighted); with case weights and FH(0,0),
#     U and V against the score test of coxph(weights =, ties = "breslow").
#   * p-values: mvtnorm::pmvnorm on the correlation matrix, GenzBretz(maxpts = 5e6, abseps = 1e-9,
#     releps = 0) after set.seed(20240613) (its error estimate recorded), cross-checked with the
#     deterministic Miwa(steps = 4096) algorithm: two-sided p = 1 - P(|Z_a| < max|z|), one-sided
#     p = 1 - P(Z_a > min z).
#   * Magirr-Burman: weights 1 / max(S(t-), S(t*)), S(t*) the pooled KM of the stratum at t*
#     (survfit summary at t*, checked against the table's product).
suppressMessages({
  library(survival)
  library(survMisc)
  library(mvtnorm)
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
                 mvtnorm = as.character(packageVersion("mvtnorm")),
                 jsonlite = as.character(packageVersion("jsonlite")))

agree <- function(a, b, what, tol = 1e-12) {
  if (any(abs(a - b) > tol * pmax(1, abs(b)))) stop(sprintf("%s: %s vs %s", what, format(a, digits = 17), format(b, digits = 17)))
}

# ---------------------------------------------------------------------------------------------
# Data, written as CSV and read back (what every test sees).
cyc_w <- function(n) 0.5 + ((seq_len(n) - 1) %% 4) * 0.25
l0 <- survival::lung
write.csv(data.frame(time = l0$time, status = l0$status, sex = l0$sex, ph.ecog = l0$ph.ecog,
                     w = cyc_w(nrow(l0))), "lung.csv", row.names = FALSE)
v0 <- survival::veteran
write.csv(data.frame(time = v0$time, status = v0$status, trt = v0$trt), "veteran.csv", row.names = FALSE)

# A delayed effect: control exponential with median 12 months, experimental hazard ratio 1 for
# 4 months then 0.55; uniform accrual over 18 months, analysis at month 36, times rounded to 0.1
# month (ties), two strata.
set.seed(20240613)
sim_piecewise <- function(n, rate, hr, cut) {
  # hazard rate * hr[1] before cut, rate * hr[2] after
  e <- rexp(n)
  h1 <- rate * hr[1]
  ifelse(e < h1 * cut, e / h1, cut + (e - h1 * cut) / (rate * hr[2]))
}
make_trial <- function(n, hr_exp, cut) {
  arm <- rep(c("control", "experimental"), each = n / 2)
  t_event <- c(sim_piecewise(n / 2, log(2) / 12, c(1, 1), cut), sim_piecewise(n / 2, log(2) / 12, hr_exp, cut))
  entry <- runif(n, 0, 18)
  cens <- pmin(36 - entry, rexp(n, 0.01))
  time <- round(pmin(t_event, cens), 1)
  status <- as.integer(t_event <= cens)
  time[time == 0] <- 0.1
  data.frame(time = time, status = status, arm = arm, region = sample(c("EU", "US"), n, replace = TRUE))
}
write.csv(make_trial(400, c(1, 0.55), 4), "delayed.csv", row.names = FALSE)
# Crossing hazards: experimental worse for 3 months (HR 1.6), then better (HR 0.6).
write.csv(make_trial(300, c(1.6, 0.6), 3), "crossing.csv", row.names = FALSE)

L <- read.csv("lung.csv"); V <- read.csv("veteran.csv")
D <- read.csv("delayed.csv"); X <- read.csv("crossing.csv")

# ---------------------------------------------------------------------------------------------
# The naive event table (see the file comment).
wlr_table <- function(time, status, group, strata = NULL, weights = NULL) {
  g <- as.integer(factor(group)) - 1L
  if (is.null(strata)) strata <- rep(1L, length(time))
  s_code <- as.integer(factor(strata))
  weighted <- !is.null(weights)
  if (!weighted) weights <- rep(1, length(time))
  rows <- list()
  for (s in sort(unique(s_code))) {
    i <- s_code == s
    tt <- sort(unique(time[i & status == 1]))
    S <- 1
    for (t in tt) {
      at <- i & time >= t
      ev <- i & time == t & status == 1
      n <- sum(weights[at]); n1 <- sum(weights[at & g == 1])
      d <- sum(weights[ev]); d1 <- sum(weights[ev & g == 1])
      cc <- if (weighted) 1 else if (n > 1) (n - d) / (n - 1) else 0
      rows[[length(rows) + 1]] <- data.frame(stratum = s, time = t, n = n, n1 = n1, d = d, d1 = d1,
                                             S_before = S, c = cc)
      S <- S * (1 - d / n)
    }
  }
  do.call(rbind, rows)
}
fh_w <- function(tab, rho, gamma) tab$S_before^rho * (1 - tab$S_before)^gamma
u_of <- function(tab, w) sum(w * (tab$d1 - tab$d * tab$n1 / tab$n))
cov_of <- function(tab, wa, wb) sum(wa * wb * tab$c * tab$d * (tab$n1 / tab$n) * (1 - tab$n1 / tab$n))

pmv <- function(lower, upper, R) {
  set.seed(20240613)
  p <- pmvnorm(lower = lower, upper = upper, corr = R,
               algorithm = GenzBretz(maxpts = 5e6, abseps = 1e-9, releps = 0))
  # Miwa refuses a (numerically) singular R: then NA
  m <- tryCatch(pmvnorm(lower = lower, upper = upper, corr = R, algorithm = Miwa(steps = 4096)),
                error = function(e) NA)
  if (!is.na(m) && abs(p - m) > 1e-7) warning(sprintf("GenzBretz %.12g vs Miwa %.12g", p, m))
  list(value = as.numeric(p), error = attr(p, "error"), miwa = as.numeric(m), eigen_min = min(eigen(R)$values))
}

# The default four statistics are singular: w(0,0) = 1 = S + (1 - S) = w(1,0) + w(0,1), so
# U(0,0) = U(1,0) + U(0,1) exactly and R has rank 3 (pmvnorm's GenzBretz then reports an error of
# ~1e-6 and Miwa refuses). For them the rectangle probability is written out as a nested integral
# instead, with x = Z(1,0), y = Z(0,1), q = Z(1,1) and Z(0,0) = alpha x + beta y
# (alpha = sd(1,0) / sd(0,0), beta = sd(0,1) / sd(0,0)):
#   P = int phi(x) int_{y in I(x)} phi_{y|x}(y) P(l_q < Q < u_q | x, y) dy dx,
#   I(x) = [l_y, u_y] intersected with {l <= alpha x + beta y <= u},
# by integrate() (inner rel.tol 1e-13; outer 1e-11, split where I(x) changes form): accurate to ~1e-11.
p_rect_default4 <- function(l, u, C) {
  sd <- sqrt(diag(C)); R <- cov2cor(C)
  alpha <- sd[3] / sd[1]; beta <- sd[2] / sd[1]
  agree(R[1, ], alpha * R[3, ] + beta * R[2, ], "Z(0,0) = alpha Z(1,0) + beta Z(0,1)", 1e-9)
  rxy <- R[3, 2]; sy <- sqrt(1 - rxy^2)
  S2 <- R[c(3, 2), c(3, 2)]; b <- solve(S2, R[c(3, 2), 4]); sq <- sqrt(1 - sum(R[4, c(3, 2)] * b))
  inner <- function(x) {
    lo <- max(l[2], (l[1] - alpha * x) / beta); hi <- min(u[2], (u[1] - alpha * x) / beta)
    if (!(lo < hi)) return(0)
    g <- function(y) {
      mq <- b[1] * x + b[2] * y
      dnorm(y, rxy * x, sy) * (pnorm((u[4] - mq) / sq) - pnorm((l[4] - mq) / sq))
    }
    integrate(g, lo, hi, rel.tol = 1e-13, abs.tol = 0, subdivisions = 2000L)$value
  }
  outer <- function(xs) dnorm(xs) * vapply(xs, inner, 0)
  # split x where the interval I(x) changes form (kinks of the inner integral)
  br <- c((l[1] - beta * l[2]) / alpha, (u[1] - beta * u[2]) / alpha,
          (l[1] - beta * u[2]) / alpha, (u[1] - beta * l[2]) / alpha)
  br <- sort(unique(c(l[3], br[is.finite(br) & br > l[3] & br < u[3]], u[3])))
  total <- 0
  for (i in seq_len(length(br) - 1))
    total <- total + integrate(outer, br[i], br[i + 1], rel.tol = 1e-11, abs.tol = 0,
                               subdivisions = 2000L)$value
  total
}

cases <- list()
mb_cases <- list()

add_maxcombo <- function(name, file, cli, d, time, status, group, strata = NULL, weights = NULL,
                         fh = list(c(0, 0), c(0, 1), c(1, 0), c(1, 1)), calls = list()) {
  tab <- wlr_table(time, status, group, strata, weights)
  k <- length(fh)
  W <- lapply(fh, function(p) fh_w(tab, p[1], p[2]))
  U <- vapply(W, function(w) u_of(tab, w), 0)
  C <- matrix(0, k, k)
  for (a in 1:k) for (b in 1:k) C[a, b] <- cov_of(tab, W[[a]], W[[b]])
  z <- U / sqrt(diag(C))
  R <- cov2cor(C)
  # independent checks of each statistic
  checks <- character()
  for (a in 1:k) {
    rho <- fh[[a]][1]; gam <- fh[[a]][2]
    if (gam == 0 && is.null(weights)) {
      f <- if (is.null(strata)) survdiff(Surv(time, status) ~ group, rho = rho)
           else survdiff(Surv(time, status) ~ group + strata(strata), rho = rho)
      oe <- if (is.matrix(f$obs)) rowSums(f$obs) - rowSums(f$exp) else f$obs - f$exp
      agree(U[a], oe[2], paste(name, "U vs survdiff"))
      agree(C[a, a], f$var[2, 2], paste(name, "V vs survdiff"))
      checks <- c(checks, sprintf("FH(%g,%g): survdiff(rho = %g)", rho, gam, rho))
    } else if (is.null(strata) && is.null(weights)) {
      tn <- ten(Surv(time, status) ~ group)
      invisible(capture.output(comp(tn, p = rho, q = gam)))
      lrt <- attr(tn, "lrt")
      agree(U[a], lrt$Q[lrt$W == paste0("FH_p=", rho, "_q=", gam)], paste(name, "U vs survMisc"))
      checks <- c(checks, sprintf("FH(%g,%g): U vs survMisc::comp(p = %g, q = %g)", rho, gam, rho, gam))
    } else if (!is.null(weights) && rho == 0 && gam == 0) {
      fit <- if (is.null(strata)) coxph(Surv(time, status) ~ group, weights = weights, ties = "breslow", iter.max = 0)
             else coxph(Surv(time, status) ~ group + strata(strata), weights = weights, ties = "breslow", iter.max = 0)
      u <- sum(weights * residuals(fit, type = "score"))
      info <- 1 / (if (is.null(fit$naive.var)) fit$var else fit$naive.var)
      agree(U[a], u, paste(name, "U vs coxph score"))
      agree(C[a, a], as.numeric(info), paste(name, "V vs coxph information"))
      checks <- c(checks, "FH(0,0): coxph(weights =, ties = 'breslow', iter.max = 0) score and information")
    }
  }
  m <- max(abs(z)); mn <- min(z)
  two <- pmv(rep(-m, k), rep(m, k), R)
  one <- pmv(rep(mn, k), rep(Inf, k), R)
  method <- "mvtnorm::pmvnorm GenzBretz (Miwa cross-check)"
  if (identical(fh, list(c(0, 0), c(0, 1), c(1, 0), c(1, 1)))) {
    ex2 <- p_rect_default4(rep(-m, k), rep(m, k), C)
    ex1 <- p_rect_default4(rep(mn, k), rep(Inf, k), C)
    # the nested integral must agree with pmvnorm within pmvnorm's own error estimate
    if (abs(ex2 - two$value) > 2 * two$error + 1e-6 || abs(ex1 - one$value) > 2 * one$error + 1e-6)
      stop(sprintf("%s: nested integral %.12g / %.12g vs pmvnorm %.12g (+- %.2g) / %.12g (+- %.2g)", name,
                   ex2, ex1, two$value, two$error, one$value, one$error))
    two$pmvnorm <- two$value; one$pmvnorm <- one$value
    two$value <- ex2; one$value <- ex1
    method <- "nested integrate() (R singular, see p_rect_default4), checked against pmvnorm GenzBretz within its error"
  }
  cases[[length(cases) + 1]] <<- list(
    name = name, file = file, cli = cli, calls = calls, checks = checks,
    fh = lapply(fh, function(p) list(rho = p[1], gamma = p[2])),
    data = list(time = time, status = status, group = as.integer(factor(group)) - 1L,
                stratum = if (is.null(strata)) NULL else as.integer(factor(strata)) - 1L,
                weight = weights),
    n_event_times = nrow(tab),
    u = U, var = diag(C), z = z, corr = lapply(1:k, function(a) R[a, ]),
    max_abs_z = m, min_z = mn,
    p_method = method,
    p = 1 - two$value, p_error = two$error,
    p_pmvnorm = if (is.null(two$pmvnorm)) 1 - two$value else 1 - two$pmvnorm,
    p_one_sided_pmvnorm = if (is.null(one$pmvnorm)) 1 - one$value else 1 - one$pmvnorm, p_miwa = 1 - two$miwa,
    corr_min_eigenvalue = two$eigen_min,
    p_one_sided = 1 - one$value, p_one_sided_error = one$error, p_one_sided_miwa = 1 - one$miwa,
    pmvnorm_call = "1 - pmvnorm(lower = rep(-max|z|, k), upper = rep(max|z|, k), corr = R, algorithm = GenzBretz(maxpts = 5e6, abseps = 1e-9, releps = 0)); one-sided: lower = rep(min z, k), upper = Inf")
}

add_mb <- function(name, file, cli, time, status, group, t_star, strata = NULL, weights = NULL) {
  tab <- wlr_table(time, status, group, strata, weights)
  s_star <- vapply(sort(unique(tab$stratum)), function(s) {
    r <- tab[tab$stratum == s & tab$time <= t_star, ]
    if (nrow(r) == 0) 1 else prod(1 - r$d / r$n)
  }, 0)
  # cross-check S(t*) with survfit of the pooled stratum
  s_code <- if (is.null(strata)) rep(1L, length(time)) else as.integer(factor(strata))
  for (s in seq_along(s_star)) {
    i <- s_code == s
    fit <- survfit(Surv(time[i], status[i]) ~ 1, weights = if (is.null(weights)) NULL else weights[i])
    agree(s_star[s], summary(fit, times = t_star, extend = TRUE)$surv, paste(name, "S(t*) vs survfit"))
  }
  w <- 1 / pmax(tab$S_before, s_star[tab$stratum])
  U <- u_of(tab, w); Vv <- cov_of(tab, w, w); z <- U / sqrt(Vv)
  mb_cases[[length(mb_cases) + 1]] <<- list(
    name = name, file = file, cli = cli, t_star = t_star,
    data = list(time = time, status = status, group = as.integer(factor(group)) - 1L,
                stratum = if (is.null(strata)) NULL else as.integer(factor(strata)) - 1L,
                weight = weights),
    surv_t_star = s_star, max_weight = max(w), u = U, var = Vv, z = z,
    p = 2 * pnorm(-abs(z)), p_one_sided = pnorm(z),
    formula = "w(t) = 1 / max(S(t-), S(t*)), S pooled KM of the stratum; U = sum w (d1 - d n1/n), V = sum w^2 c d (n1/n)(1 - n1/n)")
}

lung_cli <- c("--time", "time", "--event", "status=2", "--group", "sex")
Lk <- L[!is.na(L$ph.ecog), ]
add_maxcombo("lung_sex", "lung.csv", lung_cli, L, L$time, as.integer(L$status == 2), L$sex,
             calls = list("survdiff(Surv(time, status) ~ sex, data = lung, rho = 0 / 1)",
                          "comp(ten(Surv(time, status) ~ sex, data = lung), p = rho, q = gamma)"))
add_maxcombo("lung_sex_strata", "lung.csv", c(lung_cli, "--strata", "ph.ecog"), Lk, Lk$time,
             as.integer(Lk$status == 2), Lk$sex, strata = Lk$ph.ecog,
             calls = list("survdiff(Surv(time, status) ~ sex + strata(ph.ecog), data = lung, rho = 0 / 1)"))
add_maxcombo("lung_sex_weights", "lung.csv", c(lung_cli, "--weights", "w"), L, L$time,
             as.integer(L$status == 2), L$sex, weights = L$w,
             calls = list("coxph(Surv(time, status) ~ sex, data = lung, weights = w, ties = 'breslow', iter.max = 0)"))
add_maxcombo("veteran_trt", "veteran.csv", c("--time", "time", "--event", "status", "--group", "trt"),
             V, V$time, V$status, V$trt)
dcli <- c("--time", "time", "--event", "status", "--group", "arm")
add_maxcombo("delayed", "delayed.csv", dcli, D, D$time, D$status, D$arm)
add_maxcombo("delayed_strata", "delayed.csv", c(dcli, "--strata", "region"), D, D$time, D$status,
             D$arm, strata = D$region)
add_maxcombo("delayed_list", "delayed.csv", c(dcli, "--fh", "0,0:0,1:1,1:0,0.5"), D, D$time, D$status,
             D$arm, fh = list(c(0, 0), c(0, 1), c(1, 1), c(0, 0.5)))
add_maxcombo("crossing", "crossing.csv", dcli, X, X$time, X$status, X$arm)
add_maxcombo("crossing_two", "crossing.csv", c(dcli, "--fh", "0,0:0,1"), X, X$time, X$status, X$arm,
             fh = list(c(0, 0), c(0, 1)))

add_mb("lung_sex_365", "lung.csv", c(lung_cli, "--t-star", "365"), L$time, as.integer(L$status == 2), L$sex, 365)
add_mb("lung_sex_strata_200", "lung.csv", c(lung_cli, "--strata", "ph.ecog", "--t-star", "200"), Lk$time,
       as.integer(Lk$status == 2), Lk$sex, 200, strata = Lk$ph.ecog)
add_mb("lung_sex_weights_300", "lung.csv", c(lung_cli, "--weights", "w", "--t-star", "300"), L$time,
       as.integer(L$status == 2), L$sex, 300, weights = L$w)
add_mb("delayed_12", "delayed.csv", c(dcli, "--t-star", "12"), D$time, D$status, D$arm, 12)
add_mb("crossing_6", "crossing.csv", c(dcli, "--t-star", "6"), X$time, X$status, X$arm, 6)
add_mb("delayed_early", "delayed.csv", c(dcli, "--t-star", "0.05"), D$time, D$status, D$arm, 0.05)
add_mb("delayed_late", "delayed.csv", c(dcli, "--t-star", "100"), D$time, D$status, D$arm, 100)

meta <- list(script = "tests/reference/nph/make_maxcombo.R", versions = versions,
             generated = format(Sys.time(), tz = "UTC", usetz = TRUE))
writeLines(toJSON(list(meta = meta, cases = cases), auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           "maxcombo.json")
writeLines(toJSON(list(meta = meta, cases = mb_cases), auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           "mb.json")
cat("wrote maxcombo.json (", length(cases), " cases) and mb.json (", length(mb_cases), " cases)\n")
