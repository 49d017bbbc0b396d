# Reference values for hazard::extrapolate (tests/unit/parametric/extrapolate_test.cpp).
# Run from this folder after make_survreg.R and make_optim.R:  Rscript make_extrapolation.R
#   -> extrapolation.json
# For fitted models (estimates and covariance taken from survreg.json / optim.json, i.e. from R),
# the extrapolated quantities are computed here independently of hazard: S(t), h(t) from their
# definitions, the delta-method SEs with analytic gradients written out below, the median by
# uniroot, the restricted mean and RMST by integrate() (and the gradient of the RMST likewise),
# the mean by the closed form or integrate() to Inf with its gradient by numerical differences of
# integrate (numDeriv-style central differences, h = 1e-5).
#   S interval: log(-log S) +/- z se;  h: log h +/- z se;  median: log t +/- z se / t;
#   restricted mean and RMST: Wald;  mean: log(mean) +/- z se / mean.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))
sr <- fromJSON("survreg.json", simplifyVector = FALSE)$cases
op <- fromJSON("optim.json", simplifyVector = FALSE)$cases
find <- function(cases, name) { for (c in cases) if (c$name == name) return(c); stop(name) }
z <- qnorm(0.975)
cases <- list()

# A model: par (hazard's order), V; theta(par) at the curve's covariates; logS(t, th), logh(t, th)
extrap <- function(name, src, par, V, theta, logS, logh, times, horizon, tau, mean_fn = NULL) {
  npar <- length(par)
  num_grad <- function(f, p, h = 1e-5) sapply(seq_along(p), function(j) {
    e <- numeric(length(p)); e[j] <- h * max(1, abs(p[j])); (f(p + e) - f(p - e)) / (2 * e[j]) })
  S <- function(t, p) exp(logS(t, theta(p)))
  out <- list(time = times, surv = c(), lower = c(), upper = c(), hazard = c(), hazard_lower = c(), hazard_upper = c())
  for (t in times) {
    s <- S(t, par)
    u <- function(p) log(-logS(t, theta(p)))
    g <- num_grad(u, par, 1e-6); se <- sqrt(drop(t(g) %*% V %*% g))
    lh <- function(p) logh(t, theta(p))
    gh <- num_grad(lh, par, 1e-6); seh <- sqrt(drop(t(gh) %*% V %*% gh))
    out$surv <- c(out$surv, s); out$lower <- c(out$lower, exp(-exp(u(par) + z * se))); out$upper <- c(out$upper, exp(-exp(u(par) - z * se)))
    out$hazard <- c(out$hazard, exp(lh(par))); out$hazard_lower <- c(out$hazard_lower, exp(lh(par) - z * seh)); out$hazard_upper <- c(out$hazard_upper, exp(lh(par) + z * seh))
  }
  med <- function(p) uniroot(function(lt) S(exp(lt), p) - 0.5, c(-30, 30), tol = 1e-14)$root
  m0 <- exp(med(par)); gm <- num_grad(function(p) exp(med(p)), par); sem <- sqrt(drop(t(gm) %*% V %*% gm))
  rmst <- function(p, tt) integrate(function(t) vapply(t, function(x) S(x, p), 0), 0, tt, rel.tol = 1e-11, abs.tol = 0, subdivisions = 5000L)$value
  est_ci <- function(f) { v <- f(par); g <- num_grad(f, par); se <- sqrt(drop(t(g) %*% V %*% g)); list(estimate = v, se = se, lower = v - z * se, upper = v + z * se) }
  mean_f <- if (is.null(mean_fn)) function(p) rmst(p, Inf) else mean_fn
  cases[[length(cases) + 1]] <<- list(name = name, source = src, estimate = I(unlist(par)), horizon = horizon, tau = tau,
    expect = c(out, list(median = list(estimate = m0, se = sem, lower = m0 * exp(-z * sem / m0), upper = m0 * exp(z * sem / m0)),
                         mean_restricted = est_ci(function(p) rmst(p, horizon)), rmst = est_ci(function(p) rmst(p, tau)),
                         mean = { m <- est_ci(mean_f); m$lower <- m$estimate * exp(-z * m$se / m$estimate)
                                  m$upper <- m$estimate * exp(z * m$se / m$estimate); m })))
}
mat <- function(rows) do.call(rbind, lapply(rows, unlist))

# Weibull, lung ~ sex + age (survreg): curve at sex2 = 1, age = 60
c1 <- find(sr, "lung_sex_age_weibull")
th_w <- function(p) c(p[1], p[2] + p[3] * 1 + p[4] * 60)
extrap("weibull_lung_sex_age", c1$call, unlist(c1$expect$estimate), mat(c1$expect$vcov), th_w,
       function(t, th) -(t / exp(th[2]))^exp(th[1]),
       function(t, th) { a <- exp(th[1]); b <- exp(th[2]); log(a / b) + (a - 1) * log(t / b) },
       c(30, 200, 500, 1500), horizon = 3000, tau = 730,
       mean_fn = function(p) { th <- th_w(p); exp(th[2]) * gamma(1 + exp(-th[1])) })
# log-logistic, veteran ~ trt + karno: curve at trt2 = 0, karno = 70
c2 <- find(sr, "veteran_loglogistic")
th_l <- function(p) c(p[1], p[2] + p[4] * 70)
extrap("loglogistic_veteran", c2$call, unlist(c2$expect$estimate), mat(c2$expect$vcov), th_l,
       function(t, th) -log1p((t / exp(th[2]))^exp(th[1])),
       function(t, th) { a <- exp(th[1]); b <- exp(th[2]); log(a / b) + (a - 1) * log(t / b) - log1p((t / b)^a) },
       c(10, 100, 400), horizon = 1000, tau = 365)
# log-normal, colon ~ rx + age + nodes at the reference rx, age 60, nodes 3
c3 <- find(sr, "colon_lognormal")
th_n <- function(p) c(p[1] + p[5] * 60 + p[6] * 3, p[2])
extrap("lognormal_colon", c3$call, unlist(c3$expect$estimate), mat(c3$expect$vcov), th_n,
       function(t, th) plnorm(t, th[1], exp(th[2]), lower.tail = FALSE, log.p = TRUE),
       function(t, th) dlnorm(t, th[1], exp(th[2]), log = TRUE) - plnorm(t, th[1], exp(th[2]), lower.tail = FALSE, log.p = TRUE),
       c(100, 1000, 3000), horizon = 5000, tau = 1826,
       mean_fn = function(p) { th <- th_n(p); exp(th[1] + exp(2 * th[2]) / 2) })
# Gompertz, lung ~ sex2 + age (optim) at sex2 = 1, age = 60: mean by integrate to Inf (the shape
# is positive here; veteran's is negative, a cure fraction exp(b/a) ~ 5e-9 and an infinite mean
# that integrate() cannot see)
c4 <- find(op, "lung_sex_age_gompertz")
th_g <- function(p) c(p[1], p[2] + p[3] + p[4] * 60)
gH <- function(t, a, b) if (abs(a) < 1e-12) b * t else b / a * expm1(a * t)
extrap("gompertz_lung", c4$model, unlist(c4$expect$estimate), mat(c4$expect$vcov), th_g,
       function(t, th) -gH(t, th[1], exp(th[2])),
       function(t, th) th[2] + th[1] * t, c(20, 200, 600), horizon = 1500, tau = 730)
# generalised gamma, colon ~ rx (optim) at the reference rx: S by pgamma
c5 <- find(op, "colon_gengamma")
th_gg <- function(p) c(p[1], p[2], p[3])
gg_lS <- function(t, th) { Q <- th[3]; w <- (log(t) - th[1]) / exp(th[2]); a <- 1 / Q^2
  pgamma(a * exp(Q * w), a, lower.tail = Q < 0, log.p = TRUE) }
gg_lf <- function(t, th) { Q <- th[3]; s <- exp(th[2]); w <- (log(t) - th[1]) / s; a <- 1 / Q^2
  -log(s * t) + log(abs(Q)) + a * log(a) + a * (Q * w - exp(Q * w)) - lgamma(a) }
extrap("gengamma_colon", c5$model, unlist(c5$expect$estimate), mat(c5$expect$vcov), th_gg, gg_lS,
       function(t, th) gg_lf(t, th) - gg_lS(t, th), c(0.5, 2, 8), horizon = 15, tau = 5)
# Royston-Parmar hazard scale, veteran ~ trt2, 3 knots (optim) at trt2 = 1
c6 <- find(op, "veteran_rp_hazard_3")
kn <- unlist(c6$expect$knots)
basis <- function(x) { nk <- length(kn); B <- c(1, x); for (j in 2:(nk - 1)) { lam <- (kn[nk] - kn[j]) / (kn[nk] - kn[1])
  B <- c(B, max(x - kn[j], 0)^3 - lam * max(x - kn[1], 0)^3 - (1 - lam) * max(x - kn[nk], 0)^3) }; B }
dbasis <- function(x) { nk <- length(kn); D <- c(0, 1); for (j in 2:(nk - 1)) { lam <- (kn[nk] - kn[j]) / (kn[nk] - kn[1])
  D <- c(D, 3 * (max(x - kn[j], 0)^2 - lam * max(x - kn[1], 0)^2 - (1 - lam) * max(x - kn[nk], 0)^2)) }; D }
th_rp <- function(p) { th <- p[1:5]; th[1] <- th[1] + p[6]; th }
extrap("rp_hazard_veteran", c6$model, unlist(c6$expect$estimate), mat(c6$expect$vcov), th_rp,
       function(t, th) -exp(sum(th * basis(log(t)))),
       function(t, th) { x <- log(t); s <- sum(th * basis(x)); log(sum(th * dbasis(x))) - x + s },
       c(10, 100, 400), horizon = 1000, tau = 365)

writeLines(toJSON(list(versions = versions, cases = cases), digits = NA, auto_unbox = TRUE, pretty = FALSE), "extrapolation.json")
for (c in cases) cat(sprintf("%-24s median %.6g mean %.6g (se %.4g) rmst %.6g\n", c$name, c$expect$median$estimate, c$expect$mean$estimate, c$expect$mean$se, c$expect$rmst$estimate))
