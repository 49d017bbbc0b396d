# Reference values for the per-trial boundaries of `hazard simulate --boundaries information`
# (src/simulate/information_bounds.cpp, tests/unit/simulate/information_bounds_test.cpp), from R.
#
# Run from anywhere:  Rscript tests/reference/nph/make_gs_info.R
# Needs: r-base-core, rpact 3.3.4, r-cran-mvtnorm, r-cran-jsonlite.
#
# Writes gs_info.json next to itself:
#   spending   one entry per case: the statistic's information at each look (as a simulated trial
#              observes it), the fractions I_k / I_K, and rpact's critical values (and futility
#              bounds) from
#                getDesignGroupSequential(kMax = K, alpha = 0.025, sided = 1,
#                                         typeOfDesign = "asOF" | "asP",
#                                         informationRates = I / I[K]
#                                         [, typeBetaSpending = "bsOF", beta = 0.2,
#                                          bindingFutility = FALSE | TRUE])
#   maxcombo   one entry per case: the covariance of the four FH scores at each look (K blocks of
#              4 x 4, chosen below with independent increments), the joint correlation of the
#              4 K statistics written out (corr(Z_aj, Z_bk) = V_ab^(min(j,k)) /
#              sqrt(V_aa^(j) V_bb^(k))), the cumulative alpha of Lan-DeMets O'Brien-Fleming or
#              Pocock spending at the fractions V_00^(k) / V_00^(K), and the bounds b_k solving
#              P(max_a Z_aj >= b_j for some j <= k) = alpha(t_k), look by look, by uniroot on
#              mvtnorm::pmvnorm(upper = b, corr = R_k): look 1 (4 dimensions) with the
#              deterministic Miwa(steps = 4096), tol 1e-12 (the GenzBretz root's distance recorded); later looks
#              (8, 12 dimensions) with GenzBretz(maxpts = 4e6, abseps = 1e-9) and a fixed seed,
#              tol 1e-8, its error estimate at the root recorded (probability_error; look 1: the distance of the GenzBretz root): Miwa is off
#              by 5e-5 in 8 dimensions here.
suppressMessages({
  library(rpact)
  library(mvtnorm)
  library(jsonlite)
})

script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)

versions <- list(R = R.version.string, rpact = as.character(packageVersion("rpact")),
                 mvtnorm = as.character(packageVersion("mvtnorm")),
                 jsonlite = as.character(packageVersion("jsonlite")))

# ---- spending at observed information (rpact)
spending_case <- function(name, info, design, futility = NULL, binding = FALSE) {
  K <- length(info)
  rates <- info / info[K]
  args <- list(kMax = K, alpha = 0.025, sided = 1, typeOfDesign = design,
               informationRates = rates)
  call <- sprintf("getDesignGroupSequential(kMax = %d, alpha = 0.025, sided = 1, typeOfDesign = \"%s\", informationRates = c(%s)",
                  K, design, paste(format(rates, digits = 17), collapse = ", "))
  if (!is.null(futility)) {
    args$typeBetaSpending <- futility
    args$beta <- 0.2
    args$bindingFutility <- binding
    call <- paste0(call, sprintf(", typeBetaSpending = \"%s\", beta = 0.2, bindingFutility = %s",
                                 futility, binding))
  }
  call <- paste0(call, ")")
  d <- do.call(getDesignGroupSequential, args)
  out <- list(name = name, call = call, information = info, fractions = rates,
              spending = if (design == "asOF") "obf" else "pocock",
              futility = if (is.null(futility)) NULL else if (futility == "bsOF") "obf" else "pocock",
              binding = binding, alpha = 0.025, beta = 0.2,
              critical_values = d$criticalValues)
  if (!is.null(futility)) out$futility_bounds <- d$futilityBounds
  out
}

spending <- list(
  spending_case("fh01_obf_2looks", c(12.37, 41.905), "asOF"),
  spending_case("fh01_pocock_2looks", c(12.37, 41.905), "asP"),
  spending_case("rmst_obf_3looks", c(0.0213, 0.0744, 0.1182), "asOF"),
  spending_case("milestone_pocock_3looks", c(310.4, 702.9, 905.25), "asP"),
  spending_case("fh_obf_3looks_futility", c(20.1, 45.6, 63.2), "asOF", futility = "bsOF"),
  spending_case("fh_pocock_2looks_binding", c(30.5, 70.2), "asP", futility = "bsP", binding = TRUE)
)

# ---- MaxCombo bounds with a given correlation
joint_corr <- function(cov, m) {
  K <- length(cov)
  d <- K * m
  R <- matrix(0, d, d)
  for (j in 1:K) for (k in 1:K) for (a in 1:m) for (b in 1:m) {
    e <- min(j, k)
    R[(j - 1) * m + a, (k - 1) * m + b] <- cov[[e]][a, b] / sqrt(cov[[j]][a, a] * cov[[k]][b, b])
  }
  diag(R) <- 1
  R
}

lan_demets <- function(t, alpha, type) {
  if (type == "obf") 2 * (1 - pnorm(qnorm(1 - alpha / 2) / sqrt(t))) else alpha * log(1 + (exp(1) - 1) * t)
}

maxcombo_case <- function(name, cov, type) {
  m <- 4
  K <- length(cov)
  R <- joint_corr(cov, m)
  v00 <- sapply(cov, function(v) v[1, 1])
  t <- v00 / v00[K]
  a <- sapply(t, lan_demets, alpha = 0.025, type = type)
  a[K] <- 0.025
  b <- numeric(0)
  err <- numeric(0)
  for (k in 1:K) {
    idx <- 1:(k * m)
    Rk <- R[idx, idx, drop = FALSE]
    f <- function(x, alg) {
      up <- c(rep(b, each = m), rep(x, m))
      as.numeric(pmvnorm(upper = up, corr = Rk, algorithm = alg)) - (1 - a[k])
    }
    if (k == 1) {
      # 4 dimensions: Miwa's deterministic algorithm (checked against GenzBretz)
      root <- uniroot(f, c(0, 6), alg = Miwa(steps = 4096), tol = 1e-12)$root
      set.seed(20240613)
      check <- uniroot(f, c(0, 6), alg = GenzBretz(maxpts = 1e7, abseps = 1e-10, releps = 0),
                       tol = 1e-10)$root
      e <- abs(root - check)  # the GenzBretz root's distance (recorded)
    } else {
      # 8 or more dimensions: Miwa(steps = 4096) is off by 5e-5 on these matrices (against
      # GenzBretz at 5e7 points, error 1.5e-6), so GenzBretz with its error estimate recorded
      g <- GenzBretz(maxpts = 4e6, abseps = 1e-9, releps = 0)
      set.seed(20240613)
      root <- uniroot(function(x) { set.seed(20240613); f(x, g) }, c(0, 6), tol = 1e-8)$root
      set.seed(20240613)
      p <- pmvnorm(upper = c(rep(b, each = m), rep(root, m)), corr = Rk, algorithm = g)
      e <- attr(p, "error")
    }
    b <- c(b, root)
    err <- c(err, e)
  }
  list(name = name, spending = type, alpha = 0.025, m = m,
       cov = lapply(cov, function(v) unname(as.vector(t(v)))),
       joint_correlation = unname(as.vector(t(R))), fractions = t, cumulative_alpha = a,
       bounds = b, probability_error = err,
       call = paste("look 1: uniroot(function(x) pmvnorm(upper = rep(x, 4), corr = R_1, algorithm = Miwa(steps = 4096)) - (1 - alpha_1), c(0, 6), tol = 1e-12);",
                    "look k > 1: uniroot(function(x) { set.seed(20240613); pmvnorm(upper = c(rep(b_prev, each = 4), rep(x, 4)), corr = R_k, algorithm = GenzBretz(maxpts = 4e6, abseps = 1e-9, releps = 0)) - (1 - alpha_k) }, c(0, 6), tol = 1e-8)"))
}

# covariances of the FH(0,0), FH(0,1), FH(1,0), FH(1,1) scores with independent increments:
# V^(k) = sum of increments W_i = G_i' G_i (G_i 6 x 4 with positive entries: strongly correlated
# statistics, as real weighted log-rank statistics are)
set.seed(24)
increment <- function(scale) {
  G <- matrix(runif(24, 0.2, 1), 6, 4) * rep(c(1, 0.4, 0.9, 0.3), each = 6) * scale
  crossprod(G)
}
W1 <- increment(2.0)
W2 <- increment(2.6)
W3 <- increment(1.5)
cov2 <- list(W1, W1 + W2)
cov3 <- list(W1, W1 + W2, W1 + W2 + W3)
maxcombo <- list(
  maxcombo_case("maxcombo_obf_2looks", cov2, "obf"),
  maxcombo_case("maxcombo_pocock_2looks", cov2, "pocock"),
  maxcombo_case("maxcombo_pocock_3looks", cov3, "pocock")
)

writeLines(toJSON(list(meta = list(script = "tests/reference/nph/make_gs_info.R", versions = versions),
                       spending = spending, maxcombo = maxcombo),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), "gs_info.json")
