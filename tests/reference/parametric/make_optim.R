# Reference values for hazard's Gompertz, generalised gamma and Royston–Parmar fits
# (tests/unit/parametric/{gompertz,gengamma,royston_parmar}_test.cpp), and for delayed entry and
# covariates on ancillary parameters. Run from this folder:  Rscript make_optim.R  -> optim.json
#
# flexsurv is not installed here, so each log-likelihood is written out below from the
# distribution's definition (flexsurv's parametrisation), and maximised with
#   optim(method = "BFGS", control = list(reltol = 1e-14, maxit = 10000, ndeps = 1e-6)),
# restarted from its own result until the log-likelihood stops moving, from several starting
# values (the best kept); the Hessian by optimHess at the maximum (ndeps = 1e-4: differences of
# a numerical gradient, whose rounding error grows like 1e-16 |l| / ndeps^2), the covariance its
# inverse. se_richardson: the SEs from hess_richardson below (second differences of the
# log-likelihood with Richardson extrapolation), accurate to ~1e-6; for the spline models from
# the analytic Hessian (rp_hessian below).
#   l = sum_i w_i [ d_i log f(t_i) + (1 - d_i) log S(t_i) - log S(t0_i) ]
# Parameters in hazard's order: the distribution's parameters on the estimation scale (log for
# positive ones), then the location effects, then for each ancillary parameter its z effects.
#   gompertz  (shape a, log rate b; effects on log b): h = b e^(a t), H = b/a (e^(a t) - 1)
#   gengamma  (mu, log sigma, Q; effects on mu), Prentice (1975) as flexsurv's dgengamma and
#             pgengamma: w = (log t - mu)/sigma, a = Q^-2, log f = -log(sigma t) + log|Q|
#             + a log a + a (Q w - e^(Q w)) - lgamma(a); S = pgamma(a e^(Q w), a, upper) for
#             Q > 0, lower for Q < 0
#   rp-hazard:K / rp-odds:K (gamma0..gamma(K+1); effects on gamma0): s(x) = sum gamma_j b_j(x),
#             x = log t, basis of Royston & Parmar (2002) as flexsurv::basis, written out here;
#             knots: internal at quantile(log(event times), j/(K+1)) (type 7), boundary at the
#             range of the log event times (flexsurvspline's defaults).
#             hazard: log S = -e^s, log f = log s'(x) - log t + s - e^s
#             odds:   log S = -log1p(e^s), log f = log s'(x) - log t + s - 2 log1p(e^s)
suppressPackageStartupMessages({library(survival); library(jsonlite)})
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))

rows <- function(M) lapply(seq_len(nrow(M)), function(i) I(unname(M[i, ])))

# ---- the distributions -------------------------------------------------------------------
gomp_logf <- function(t, a, lb) { b <- exp(lb); lb + a * t - gomp_H(t, a, b) }
gomp_H <- function(t, a, b) ifelse(abs(a * t) < 1e-10, b * t, b / a * expm1(a * t))
gomp_logS <- function(t, a, lb) -gomp_H(t, a, exp(lb))

gg_logf <- function(t, mu, ls, Q) {
  s <- exp(ls); w <- (log(t) - mu) / s
  if (Q == 0) return(dlnorm(t, mu, s, log = TRUE))
  a <- 1 / Q^2
  -log(s * t) + log(abs(Q)) + a * log(a) + a * (Q * w - exp(Q * w)) - lgamma(a)
}
gg_logS <- function(t, mu, ls, Q) {
  s <- exp(ls); w <- (log(t) - mu) / s
  if (Q == 0) return(plnorm(t, mu, s, lower.tail = FALSE, log.p = TRUE))
  a <- 1 / Q^2
  pgamma(a * exp(Q * w), a, lower.tail = Q < 0, log.p = TRUE)
}

rp_basis <- function(knots, x) {
  nk <- length(knots); kmin <- knots[1]; kmax <- knots[nk]
  cube <- function(u) pmax(u, 0)^3
  B <- cbind(1, x)
  if (nk > 2) for (j in 2:(nk - 1)) {
    lam <- (kmax - knots[j]) / (kmax - kmin)
    B <- cbind(B, cube(x - knots[j]) - lam * cube(x - kmin) - (1 - lam) * cube(x - kmax))
  }
  B
}
rp_dbasis <- function(knots, x) {
  nk <- length(knots); kmin <- knots[1]; kmax <- knots[nk]
  sq <- function(u) pmax(u, 0)^2
  D <- cbind(0, rep(1, length(x)))
  if (nk > 2) for (j in 2:(nk - 1)) {
    lam <- (kmax - knots[j]) / (kmax - kmin)
    D <- cbind(D, 3 * (sq(x - knots[j]) - lam * sq(x - kmin) - (1 - lam) * sq(x - kmax)))
  }
  D
}
rp_knots <- function(t, d, K) {
  lt <- log(t[d == 1])
  c(min(lt), if (K > 0) unname(quantile(lt, seq(0, 1, length.out = K + 2)[-c(1, K + 2)])), max(lt))
}

# ---- a generic fit ---------------------------------------------------------------------------
# par = (base m, x effects p, z effects for each ancillary parameter q each); theta per row.
make_ll <- function(dist, t, d, w, X, Z, t0, knots, anc) {
  m <- switch(dist, gompertz = 2, gengamma = 3, length(knots))
  loc <- switch(dist, gompertz = 2, 1)
  p <- ncol(X); q <- ncol(Z)
  thetas <- function(par) {
    th <- matrix(par[1:m], nrow = length(t), ncol = m, byrow = TRUE)
    if (p > 0) th[, loc] <- th[, loc] + X %*% par[m + seq_len(p)]
    if (q > 0) for (a in seq_along(anc)) th[, anc[a]] <- th[, anc[a]] + Z %*% par[m + p + (a - 1) * q + seq_len(q)]
    th
  }
  rows_ll <- function(th, tt, dens) {
    if (dist == "gompertz") return(if (dens) gomp_logf(tt, th[, 1], th[, 2]) else gomp_logS(tt, th[, 1], th[, 2]))
    if (dist == "gengamma") {
      out <- numeric(length(tt))
      for (i in seq_along(tt)) out[i] <- if (dens) gg_logf(tt[i], th[i, 1], th[i, 2], th[i, 3]) else gg_logS(tt[i], th[i, 1], th[i, 2], th[i, 3])
      return(out)
    }
    x <- log(tt); s <- rowSums(rp_basis(knots, x) * th); ds <- rowSums(rp_dbasis(knots, x) * th)
    odds <- dist == "rp-odds"
    if (dens) ifelse(ds > 0, log(pmax(ds, 1e-300)) - x + s - (if (odds) 2 * log1p(exp(s)) else exp(s)), -Inf)
    else if (odds) -log1p(exp(s)) else -exp(s)
  }
  function(par) {
    th <- thetas(par)
    ll <- ifelse(d == 1, rows_ll(th, t, TRUE), rows_ll(th, t, FALSE))
    if (!is.null(t0)) { e <- t0 > 0; ll[e] <- ll[e] - rows_ll(th[e, , drop = FALSE], t0[e], FALSE) }
    v <- sum(w * ll)
    if (is.finite(v)) v else -1e100
  }
}

best_optim <- function(ll, starts) {
  best <- NULL
  for (s in starts) {
    if (!is.finite(ll(s)) || ll(s) <= -1e99) next
    fit <- optim(s, ll, method = "BFGS", control = list(fnscale = -1, reltol = 1e-14, maxit = 10000, ndeps = rep(1e-6, length(s))))
    for (k in 1:20) {
      again <- optim(fit$par, ll, method = "BFGS", control = list(fnscale = -1, reltol = 1e-14, maxit = 10000, ndeps = rep(1e-6, length(s))))
      if (again$value <= fit$value + 1e-12) break
      fit <- again
    }
    if (is.null(best) || fit$value > best$value) best <- fit
  }
  best
}

# A second Hessian, more accurate than optimHess's differences of a numerical gradient: central
# second differences of the log-likelihood itself with Richardson extrapolation,
# (4 D(h/2) - D(h)) / 3, h_i = 1e-2 times the optimHess SE of x_i (steps on the scale of the
# curvature: truncation ~1e-8, rounding ~1e-16 |l| 1e4 relative).
hess_richardson <- function(f, x, se) {
  n <- length(x); H <- matrix(0, n, n); h <- 1e-2 * se
  d2 <- function(i, j, s) {
    ei <- ej <- numeric(n); ei[i] <- s * h[i]; ej[j] <- s * h[j]
    (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (4 * s * h[i] * s * h[j])
  }
  for (i in 1:n) for (j in i:n) H[i, j] <- H[j, i] <- (4 * d2(i, j, 0.5) - d2(i, j, 1)) / 3
  H
}

# For the spline models the numerical Hessians are too inaccurate (the basis columns are nearly
# collinear, so small errors in H move V a lot): their Hessian is also written out analytically,
# per row in theta = (gamma_0 + x'beta, gamma_1 + z'delta_1, ...), with s = b'theta, s' = db'theta:
#   hazard: d2 log S = -e^s b b',  d2 log f = -db db' / s'^2 - e^s b b'
#   odds:   d2 log S = -p (1 - p) b b',  d2 log f = -db db' / s'^2 - 2 p (1 - p) b b', p = plogis(s)
# and mapped to the full parameter vector through each row's design (theta_i = D_i par).
rp_hessian <- function(dist, par, t, d, w, X, Z, t0, knots, anc) {
  m <- length(knots); p <- ncol(X); q <- ncol(Z); n <- length(t); P <- length(par)
  D <- array(0, c(n, m, P))  # theta_i = D[i, , ] %*% par
  for (k in 1:m) D[, k, k] <- 1
  if (p > 0) for (j in 1:p) D[, 1, m + j] <- X[, j]
  if (q > 0) for (a in seq_along(anc)) for (j in 1:q) D[, anc[a], m + p + (a - 1) * q + j] <- Z[, j]
  theta <- matrix(0, n, m)
  for (k in 1:m) theta[, k] <- D[, k, ] %*% par
  odds <- dist == "rp-odds"
  row_h <- function(tt, dens) {  # n x m x m second derivatives in theta
    x <- log(tt); B <- rp_basis(knots, x); dB <- rp_dbasis(knots, x)
    s <- rowSums(B * theta); ds <- rowSums(dB * theta)
    f2 <- if (odds) { pp <- plogis(s); -(if (dens) 2 else 1) * pp * (1 - pp) } else -exp(s)
    out <- array(0, c(n, m, m))
    for (j in 1:m) for (k in 1:m)
      out[, j, k] <- f2 * B[, j] * B[, k] - (if (dens) dB[, j] * dB[, k] / ds^2 else 0)
    out
  }
  Hf <- row_h(t, TRUE); Hs <- row_h(t, FALSE)
  Hr <- array(0, c(n, m, m))
  for (j in 1:m) for (k in 1:m) Hr[, j, k] <- ifelse(d == 1, Hf[, j, k], Hs[, j, k])
  if (!is.null(t0)) {
    e <- t0 > 0
    H0 <- row_h(ifelse(e, t0, 1), FALSE)
    for (j in 1:m) for (k in 1:m) Hr[e, j, k] <- Hr[e, j, k] - H0[e, j, k]
  }
  H <- matrix(0, P, P)
  for (a in 1:P) for (b in 1:P) {
    acc <- 0
    for (j in 1:m) for (k in 1:m) acc <- acc + sum(w * Hr[, j, k] * D[, j, a] * D[, k, b])
    H[a, b] <- acc
  }
  H
}

cases <- list()
add <- function(name, dist, df, formula_txt, xcols, zcols = character(0), K = NA, starts_fn, t0col = NULL,
                wcol = NULL) {
  t <- df$time; d <- df$status
  w <- if (is.null(wcol)) rep(1, nrow(df)) else df[[wcol]]
  X <- if (length(xcols)) as.matrix(df[, xcols, drop = FALSE]) else matrix(0, nrow(df), 0)
  Z <- if (length(zcols)) as.matrix(df[, zcols, drop = FALSE]) else matrix(0, nrow(df), 0)
  t0 <- if (is.null(t0col)) NULL else df[[t0col]]
  knots <- if (dist %in% c("rp-hazard", "rp-odds")) rp_knots(t, d, K) else NULL
  m <- switch(dist, gompertz = 2, gengamma = 3, length(knots))
  loc <- switch(dist, gompertz = 2, 1)
  anc <- if (length(zcols)) setdiff(seq_len(m), loc) else integer(0)
  ll <- make_ll(dist, t, d, w, X, Z, t0, knots, anc)
  npar <- m + ncol(X) + length(anc) * ncol(Z)
  starts <- lapply(starts_fn(t, d, knots), function(s) c(s, rep(0, npar - length(s))))
  fit <- best_optim(ll, starts)
  H <- optimHess(fit$par, ll, control = list(fnscale = -1, ndeps = rep(1e-4, npar)))
  V <- solve(-H)
  Vr <- if (dist %in% c("rp-hazard", "rp-odds"))
    solve(-rp_hessian(dist, fit$par, t, d, w, X, Z, t0, knots, anc))
  else solve(-hess_richardson(ll, fit$par, sqrt(diag(V))))
  cases[[length(cases) + 1]] <<- list(
    name = name, dist = if (dist %in% c("rp-hazard", "rp-odds")) paste0(dist, ":", K) else dist,
    model = formula_txt,
    optim = sprintf("best of %d starts: optim(BFGS, reltol = 1e-14, ndeps = 1e-6) restarted to a fixed point; optimHess(ndeps = 1e-4)", length(starts)),
    input = list(time = t, status = as.integer(d), weight = w, start = if (is.null(t0)) NULL else t0,
                 x = rows(X), names = I(xcols), z = rows(Z), z_names = I(zcols)),
    expect = list(estimate = I(unname(fit$par)), se = I(sqrt(diag(V))), vcov = rows(V),
                  se_richardson = I(sqrt(diag(Vr))),
                  loglik = fit$value, knots = if (is.null(knots)) NULL else I(knots),
                  convergence = fit$convergence))
}

lung2 <- survival::lung; lung2$status <- lung2$status - 1L; lung2$sex2 <- as.numeric(lung2$sex == 2)
vet <- survival::veteran; vet$trt2 <- as.numeric(vet$trt == 2)
col2 <- subset(survival::colon, etype == 2); col2$Lev <- as.numeric(col2$rx == "Lev"); col2$Lev5FU <- as.numeric(col2$rx == "Lev+5FU")
col2$time <- col2$time / 365.25
set.seed(20261204)
n <- 400
sim_ln <- data.frame(time = rlnorm(n, 2, 0.8), cens = rexp(n, 1 / 20))
sim_ln$status <- as.integer(sim_ln$time <= sim_ln$cens); sim_ln$time <- pmin(sim_ln$time, sim_ln$cens)
# delayed entry: Weibull times, entry uniform on (0, 3), only those still at risk at entry kept
n <- 600
sim_lt <- data.frame(entry = runif(n, 0, 3), tt = rweibull(n, 1.4, 6), cens = runif(n, 2, 15), arm = rbinom(n, 1, 0.5))
sim_lt$tt <- sim_lt$tt * exp(0.3 * sim_lt$arm)
sim_lt <- subset(sim_lt, tt > entry)
sim_lt$time <- pmin(sim_lt$tt, sim_lt$cens + sim_lt$entry); sim_lt$status <- as.integer(sim_lt$tt <= sim_lt$cens + sim_lt$entry)
write.csv(data.frame(time = round(sim_ln$time, 6), status = sim_ln$status), "sim_lognormal.csv", row.names = FALSE)
sim_lt$time <- round(sim_lt$time, 6); sim_lt$entry <- round(sim_lt$entry, 6)
write.csv(sim_lt[, c("entry", "time", "status", "arm")], "sim_entry.csv", row.names = FALSE)
sim_ln <- read.csv("sim_lognormal.csv"); sim_lt <- read.csv("sim_entry.csv")

lmean <- function(t, d) mean(log(t[d == 1])); lsd <- function(t, d) log(sd(log(t[d == 1])))
st_gomp <- function(t, d, k) list(c(0, log(sum(d) / sum(t))), c(0.001, log(sum(d) / sum(t))), c(-0.001, log(sum(d) / sum(t)) - 0.5))
st_gg <- function(t, d, k) list(c(lmean(t, d), lsd(t, d), 0), c(lmean(t, d), lsd(t, d), 1), c(lmean(t, d) + 0.5, lsd(t, d), -0.5),
                                c(lmean(t, d), lsd(t, d) - 0.3, 0.5))
st_rp <- function(t, d, k) {
  # Weibull-like start (log H linear in log t) and a perturbed one
  a <- 1 / exp(lsd(t, d)); g0 <- -a * lmean(t, d)
  list(c(g0, a), c(g0 - 0.2, a * 1.1))
}

add("lung_null_gompertz", "gompertz", lung2, "Surv(time, status) ~ 1", character(0), starts_fn = st_gomp)
add("lung_sex_age_gompertz", "gompertz", lung2, "Surv(time, status) ~ sex2 + age", c("sex2", "age"), starts_fn = st_gomp)
add("veteran_gompertz", "gompertz", vet, "Surv(time, status) ~ trt2 + karno", c("trt2", "karno"), starts_fn = st_gomp)
add("lung_null_gengamma", "gengamma", lung2, "Surv(time, status) ~ 1", character(0), starts_fn = st_gg)
add("lung_sex_gengamma", "gengamma", lung2, "Surv(time, status) ~ sex2", "sex2", starts_fn = st_gg)
add("veteran_gengamma", "gengamma", vet, "Surv(time, status) ~ trt2 + karno", c("trt2", "karno"), starts_fn = st_gg)
add("colon_gengamma", "gengamma", col2, "Surv(time/365.25, status) ~ rx", c("Lev", "Lev5FU"), starts_fn = st_gg)
add("sim_lognormal_gengamma", "gengamma", sim_ln, "Surv(time, status) ~ 1 (log-normal data: Q near 0)", character(0), starts_fn = st_gg)
add("lung_null_rp_hazard_1", "rp-hazard", lung2, "Surv(time, status) ~ 1", character(0), K = 1, starts_fn = st_rp)
add("lung_sex_rp_hazard_2", "rp-hazard", lung2, "Surv(time, status) ~ sex2", "sex2", K = 2, starts_fn = st_rp)
add("veteran_rp_hazard_3", "rp-hazard", vet, "Surv(time, status) ~ trt2", "trt2", K = 3, starts_fn = st_rp)
add("lung_null_rp_odds_1", "rp-odds", lung2, "Surv(time, status) ~ 1", character(0), K = 1, starts_fn = st_rp)
add("veteran_rp_odds_2", "rp-odds", vet, "Surv(time, status) ~ trt2", "trt2", K = 2, starts_fn = st_rp)
add("lung_rp_hazard_0", "rp-hazard", lung2, "Surv(time, status) ~ sex2 (K = 0: the Weibull)", "sex2", K = 0, starts_fn = st_rp)
# delayed entry
add("entry_gompertz", "gompertz", sim_lt, "Surv(entry, time, status) ~ arm", "arm", starts_fn = st_gomp, t0col = "entry")
add("entry_gengamma", "gengamma", sim_lt, "Surv(entry, time, status) ~ arm", "arm", starts_fn = st_gg, t0col = "entry")
add("entry_rp_hazard_2", "rp-hazard", sim_lt, "Surv(entry, time, status) ~ arm", "arm", K = 2, starts_fn = st_rp, t0col = "entry")
# covariates on the ancillary parameters (hazard --strata-shape; flexsurv anc = / shape(arm))
add("veteran_anc_gompertz", "gompertz", vet, "Surv(time, status) ~ trt2 + shape(trt2)", "trt2", "trt2", starts_fn = st_gomp)
add("veteran_anc_gengamma", "gengamma", vet, "Surv(time, status) ~ trt2 + sigma(trt2) + Q(trt2)", "trt2", "trt2", starts_fn = st_gg)
add("lung_anc_rp_hazard_1", "rp-hazard", lung2, "Surv(time, status) ~ sex2 + gamma1(sex2) + gamma2(sex2)", "sex2", "sex2", K = 1, starts_fn = st_rp)
# case weights
set.seed(7); lung2$w <- round(runif(nrow(lung2), 0.5, 3), 2)
add("lung_weights_gengamma", "gengamma", lung2, "Surv(time, status) ~ sex2, weights = w", "sex2", starts_fn = st_gg, wcol = "w")

writeLines(toJSON(list(versions = versions, cases = cases), digits = NA, auto_unbox = TRUE, pretty = FALSE),
           "optim.json")
for (c in cases) cat(sprintf("%-28s loglik %.10f  conv %d  est %s\n", c$name, c$expect$loglik, c$expect$convergence,
                             paste(sprintf("%.5f", c$expect$estimate), collapse = " ")))
