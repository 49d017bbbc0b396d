# Reference values for the average-hazard-ratio (AHR) design of a fixed (one-look) trial under
# non-proportional hazards: hazard design --nph (src/design/ahr_design.cpp).
#
# gsDesign2 (which implements this as ahr() / gs_design_ahr()) is not installed here (no CRAN
# access), so the method is written out below from its published formulas:
#   - expected events per piece: Kalbfleisch & Prentice (2002, ch. 1) piecewise exponential
#     survival with competing exponential dropout, integrated over piecewise-constant enrolment
#     (gsDesign2's expected_event());
#   - AHR = exp(sum_j E_j log HR_j / sum_j E_j), E_j the expected events of both arms in piece j
#     (Mukhopadhyay, Huang, Metcalfe, Öhrn, Jenner & Stone 2020, "Statistical and practical
#     considerations in designing of immuno-oncology trials", J Biopharm Stat 30:1130-1146; gsDesign2
#     ahr()), information ~ sum_j E_j p (1 - p), p the experimental randomisation fraction
#     (gsDesign2's info0, used both under H0 and H1);
#   - required events D = (z_{1-alpha} + z_{1-beta})^2 / (p (1 - p) log(AHR)^2);
#   - a given study duration T: the enrolment rates (their shape) are scaled by D / E(T) and
#     N = the scaled enrolment total; no study duration: the rates are absolute and T solves
#     E(T) = D(T) (uniroot, tol 1e-14), N = the enrolment total.
# The per-piece events here integrate over the enrolment pieces (outer sum over entry intervals of
# the integral of the piece's event probability over follow-up); the C++ integrates over follow-up
# time against the enrolment curve, a different order of the same double integral. The script
# first checks itself on hand cases (closed form of one exponential piece with uniform entry;
# integrate() of the double integral).
#
# Run: Rscript make_ahr.R  (writes ahr.json next to it)
suppressPackageStartupMessages(library(jsonlite))

# P(event in piece j within follow-up y): F_j(y). G_j(x) = int_0^x F_j(y) dy (closed form).
piece_surv <- function(start, lam, eta) {
  mu <- lam + eta
  len <- c(diff(start), Inf)
  cumexit <- c(0, cumsum(mu * len)[-length(start)])
  exp(-cumexit)  # S(start_j)
}
G_piece <- function(x, j, start, lam, eta) {
  mu <- lam[j] + eta[j]
  S0 <- piece_surv(start, lam, eta)[j]
  s <- start[j]
  e <- if (j < length(start)) start[j + 1] else Inf
  if (x <= s) return(0)
  h <- min(x, e) - s
  inner <- if (mu > 0) lam[j] / mu * S0 * (h - (1 - exp(-mu * h)) / mu) else 0
  if (x > e) {
    Pend <- if (mu > 0) lam[j] / mu * S0 * (1 - exp(-mu * (e - s))) else 0
    inner <- inner + (x - e) * Pend
  }
  inner
}
# expected events per piece by calendar time T, one arm, enrolment piece ends acc_end, rates acc_rate
arm_events <- function(T, acc_end, acc_rate, start, lam, eta) {
  acc_start <- c(0, acc_end[-length(acc_end)])
  sapply(seq_along(start), function(j) {
    tot <- 0
    for (k in seq_along(acc_end)) {
      if (acc_start[k] >= T) next
      u1 <- min(acc_end[k], T)
      tot <- tot + acc_rate[k] * (G_piece(T - acc_start[k], j, start, lam, eta) -
                                  G_piece(T - u1, j, start, lam, eta))
    }
    tot
  })
}
ahr_at <- function(T, acc_end, acc_rate, start, lam_c, hr, eta, ratio) {
  p <- ratio / (1 + ratio)
  ec <- arm_events(T, acc_end, acc_rate * (1 - p), start, lam_c, eta)
  ee <- arm_events(T, acc_end, acc_rate * p, start, lam_c * hr, eta)
  E <- ec + ee
  list(control = ec, experimental = ee, events = E, total = sum(E),
       ahr = exp(sum(E * log(hr)) / sum(E)))
}
req_events <- function(ahr, alpha, beta, ratio) {
  p <- ratio / (1 + ratio)
  (qnorm(1 - alpha) + qnorm(1 - beta))^2 / (p * (1 - p) * log(ahr)^2)
}

# ---- hand checks of the script itself
# 1. one exponential piece, uniform entry of N over [0, A], T >= A, no dropout:
#    E = N (1 - (exp(-lam (T - A)) - exp(-lam T)) / (lam A)); with dropout eta: times lam / mu.
N <- 200; A <- 10; T <- 25; lam <- 0.08; eta <- 0.02; mu <- lam + eta
hand <- N * lam / mu * (1 - (exp(-mu * (T - A)) - exp(-mu * T)) / (mu * A))
got <- arm_events(T, A, N / A, 0, lam, eta)
stopifnot(abs(got / hand - 1) < 1e-13)
# the same split into three pieces of equal hazard, and the entry into two pieces of equal rate
got3 <- sum(arm_events(T, c(4, 10), c(N / A, N / A), c(0, 3, 11), rep(lam, 3), rep(eta, 3)))
stopifnot(abs(got3 / hand - 1) < 1e-13)
# 2. the double integral by integrate(): events in piece j = int_0^T a(u) F_j(T - u) du
chk_start <- c(0, 3, 8); chk_lam <- c(0.1, 0.05, 0.07); chk_eta <- c(0.01, 0.02, 0.005)
chk_end <- c(2, 5, 14); chk_rate <- c(3, 7, 12); chk_T <- 20
Fj <- function(y, j) {
  S <- piece_surv(chk_start, chk_lam, chk_eta)
  e <- c(chk_start[-1], Inf)
  mu <- chk_lam[j] + chk_eta[j]
  h <- pmin(pmax(y - chk_start[j], 0), e[j] - chk_start[j])
  chk_lam[j] / mu * S[j] * (1 - exp(-mu * h))
}
rate_at <- function(u) {
  k <- findInterval(u, c(0, chk_end), left.open = TRUE)
  ifelse(k >= 1 & k <= length(chk_end), chk_rate[pmax(k, 1)], 0)
}
for (j in 1:3) {
  num <- 0
  brk <- sort(unique(c(0, chk_end, chk_T - chk_start, chk_T)))
  brk <- brk[brk >= 0 & brk <= chk_T]
  for (i in seq_len(length(brk) - 1)) {
    num <- num + integrate(function(u) rate_at(u) * Fj(chk_T - u, j), brk[i], brk[i + 1],
                           rel.tol = 1e-13, abs.tol = 0)$value
  }
  stopifnot(abs(arm_events(chk_T, chk_end, chk_rate, chk_start, chk_lam, chk_eta)[j] / num - 1) < 1e-10)
}
# 3. proportional hazards: the AHR is the HR and D is Schoenfeld's (rpact getSampleSizeSurvival)
ph <- ahr_at(30, 12, 10, c(0, 6), c(0.06, 0.06), c(0.7, 0.7), c(0, 0), 1)
stopifnot(abs(ph$ahr - 0.7) < 1e-15)
stopifnot(abs(req_events(0.7, 0.025, 0.2, 1) /
              rpact::getSampleSizeSurvival(hazardRatio = 0.7, lambda2 = 0.06, accrualTime = 12,
                                           followUpTime = 18, alpha = 0.025, beta = 0.2)$maxNumberOfEvents - 1) < 1e-10)

# ---- the design
design <- function(alpha, beta, ratio, start, lam_c, hr, eta, acc_end, acc_rate, study_duration = NULL) {
  if (!is.null(study_duration)) {
    T <- study_duration
    a <- ahr_at(T, acc_end, acc_rate, start, lam_c, hr, eta, ratio)
    D <- req_events(a$ahr, alpha, beta, ratio)
    scale <- D / a$total
    rates <- acc_rate * scale
  } else {
    f <- function(T) {
      a <- ahr_at(T, acc_end, acc_rate, start, lam_c, hr, eta, ratio)
      a$total - req_events(a$ahr, alpha, beta, ratio)
    }
    grid <- max(acc_end) * 2^(seq(-10, 12, by = 0.25))
    k <- which(sapply(grid, f) > 0)[1]
    T <- uniroot(f, c(grid[k - 1], grid[k]), tol = 1e-14)$root
    rates <- acc_rate
  }
  a <- ahr_at(T, acc_end, rates, start, lam_c, hr, eta, ratio)
  D <- req_events(a$ahr, alpha, beta, ratio)
  acc_start <- c(0, acc_end[-length(acc_end)])
  list(events = D, sample_size = sum(rates * (acc_end - acc_start)), ahr = a$ahr,
       study_duration = T, accrual_rate = rates, expected_events = a$total,
       piece_events = a$events, piece_control = a$control, piece_experimental = a$experimental,
       info = a$total * ratio / (1 + ratio)^2)
}

# Each case: the hazard design flags and the arguments.
cases <- list(
  list(flags = paste("--nph --piece-start 0,3 --hazard-control 0.0770163533955495,0.0385081766977748",
                     "--hr-pieces 0.9,0.6 --accrual-time 2,4,14 --accrual-rate 3,6,9",
                     "--dropout-hazard 0.001 --study-duration 36 --alpha 0.025 --power 0.9"),
       args = list(alpha = 0.025, beta = 0.1, ratio = 1, start = c(0, 3), lam_c = log(2) / c(9, 18),
                   hr = c(0.9, 0.6), eta = c(0.001, 0.001), acc_end = c(2, 4, 14),
                   acc_rate = c(3, 6, 9), study_duration = 36)),
  list(flags = paste("--nph --piece-start 0,4 --median-control 12 --hr-pieces 1,0.6",
                     "--accrual-time 6,18 --accrual-rate 10,25 --dropout 0.05 --dropout-time 12",
                     "--alpha 0.025 --power 0.8"),
       args = list(alpha = 0.025, beta = 0.2, ratio = 1, start = c(0, 4),
                   lam_c = rep(log(2) / 12, 2), hr = c(1, 0.6), eta = rep(-log(0.95) / 12, 2),
                   acc_end = c(6, 18), acc_rate = c(10, 25))),
  list(flags = paste("--nph --piece-start 0,6,12 --hazard-control 0.1,0.07,0.05",
                     "--hr-pieces 1.1,0.6,0.5 --accrual-time 12 --accrual-rate 20 --ratio 2",
                     "--study-duration 30 --alpha 0.025 --power 0.85"),
       args = list(alpha = 0.025, beta = 0.15, ratio = 2, start = c(0, 6, 12),
                   lam_c = c(0.1, 0.07, 0.05), hr = c(1.1, 0.6, 0.5), eta = c(0, 0, 0),
                   acc_end = 12, acc_rate = 20, study_duration = 30)),
  list(flags = paste("--nph --piece-start 0 --median-control 6 --hr-pieces 0.7",
                     "--accrual-time 12 --accrual-rate 30 --alpha 0.025 --power 0.8"),
       args = list(alpha = 0.025, beta = 0.2, ratio = 1, start = 0, lam_c = log(2) / 6, hr = 0.7,
                   eta = 0, acc_end = 12, acc_rate = 30))
)
out <- lapply(cases, function(c) {
  d <- do.call(design, c$args)
  c(list(flags = c$flags, args = c$args), d)
})

# ---- group-sequential AHR design (gsDesign2 gs_design_ahr with the H0 information at every look):
# analyses at calendar times t_1 < ... < t_K (t_K the study duration); at look k the expected events
# E(t_k), AHR_k, information I_k = p (1 - p) E(t_k); efficacy bounds b_k by alpha spending at the
# information fractions I_k / I_K (rpact getDesignGroupSequential); Z_k joint normal with
# corr sqrt(I_j / I_k) and mean -log(AHR_k) sqrt(c I_k) when the enrolment is scaled by c; c solves
# P(some Z_k >= b_k) = 1 - beta (mvtnorm::pmvnorm, Miwa algorithm; uniroot tol 1e-12).
gs_design <- function(alpha, beta, ratio, start, lam_c, hr, eta, acc_end, acc_rate, times,
                      spending = "asOF") {
  a <- lapply(times, function(t) ahr_at(t, acc_end, acc_rate, start, lam_c, hr, eta, ratio))
  p <- ratio / (1 + ratio)
  E <- sapply(a, `[[`, "total"); ahr <- sapply(a, `[[`, "ahr")
  K <- length(times)
  I <- E * p * (1 - p); frac <- I / I[K]
  d <- rpact::getDesignGroupSequential(informationRates = frac, alpha = alpha, beta = beta,
                                       typeOfDesign = spending, sided = 1)
  b <- d$criticalValues
  R <- outer(1:K, 1:K, function(i, j) sqrt(pmin(I[i], I[j]) / pmax(I[i], I[j])))
  power <- function(c) {
    m <- -log(ahr) * sqrt(c * I)
    1 - mvtnorm::pmvnorm(upper = b, mean = m, corr = R, algorithm = mvtnorm::Miwa(steps = 4096))[1]
  }
  c0 <- req_events(ahr[K], alpha, beta, ratio) / E[K]
  c <- uniroot(function(c) power(c) - (1 - beta), c(c0 / 2, 4 * c0), tol = 1e-12)$root
  acc_start <- c(0, acc_end[-length(acc_end)])
  list(events = c * E, sample_size = c * sum(acc_rate * (acc_end - acc_start)), ahr = ahr,
       info_fraction = frac, z_efficacy = b, power = power(c),
       events_fixed = req_events(ahr[K], alpha, beta, ratio),
       accrual_rate = acc_rate * c)
}
gs_cases <- list(
  list(flags = paste("--nph --piece-start 0,3 --hazard-control 0.0770163533955495,0.0385081766977748",
                     "--hr-pieces 0.9,0.6 --accrual-time 2,4,14 --accrual-rate 3,6,9",
                     "--dropout-hazard 0.001 --analysis-times 16,24,36 --looks 3 --spending obf",
                     "--alpha 0.025 --power 0.9"),
       args = list(alpha = 0.025, beta = 0.1, ratio = 1, start = c(0, 3), lam_c = log(2) / c(9, 18),
                   hr = c(0.9, 0.6), eta = c(0.001, 0.001), acc_end = c(2, 4, 14),
                   acc_rate = c(3, 6, 9), times = c(16, 24, 36))),
  list(flags = paste("--nph --piece-start 0,4 --median-control 12 --hr-pieces 1,0.6",
                     "--accrual-time 6,18 --accrual-rate 10,25 --dropout 0.05 --dropout-time 12",
                     "--analysis-times 24,40 --looks 2 --spending pocock --ratio 2 --alpha 0.025 --power 0.8"),
       args = list(alpha = 0.025, beta = 0.2, ratio = 2, start = c(0, 4),
                   lam_c = rep(log(2) / 12, 2), hr = c(1, 0.6), eta = rep(-log(0.95) / 12, 2),
                   acc_end = c(6, 18), acc_rate = c(10, 25), times = c(24, 40), spending = "asP"))
)
gs_out <- lapply(gs_cases, function(c) c(list(flags = c$flags, args = c$args), do.call(gs_design, c$args)))


# ---- group-sequential AHR designs with futility bounds by beta spending, and two-sided bounds
# (gsDesign2 gs_design_ahr with a beta-spending lower bound; rpact's beta-spending conventions):
#   - beta spending functions written out (rpact typeBetaSpending bsOF, bsP, bsHSD, bsKD):
#     bsOF 2 (1 - Phi(z_{1-beta/2} / sqrt(t))), bsP beta log(1 + (e - 1) t),
#     bsHSD beta (1 - exp(-g t)) / (1 - exp(-g)), bsKD beta t^rho, at the information fractions;
#   - for an enrolment scale c, H1 means m_k = -log(AHR_k) sqrt(c I_k), corr sqrt(I_j / I_k);
#     futility bound a_1 = m_1 + qnorm(beta(t_1)); a_k solves
#     P_H1(a_j < Z_j < b_j for j < k, Z_k < a_k) = beta(t_k) - beta(t_{k-1}) (pmvnorm, Miwa;
#     uniroot tol 1e-13);
#   - non-binding: b_k the efficacy bounds without futility: solved as below with no futility
#     bounds (checked against rpact getDesignGroupSequential's criticalValues to 1e-7);
#     binding: b_k solves P_H0(a_j < Z_j < b_j for j < k, Z_k >= b_k) = alpha(t_k) - alpha(t_{k-1})
#     with the alpha spending written out (asOF 2 (1 - Phi(z_{1-alpha/2} / sqrt(t))), asP
#     alpha log(1 + (e - 1) t)), the last look spending all of alpha;
#   - c solves a_K = b_K (the first sign change scanning up from half the fixed design in steps of
#     1.05, then uniroot tol 1e-12); the power sum_k P_H1(continue to k, Z_k >= b_k) is recorded
#     (1 - beta by construction);
#   - two-sided (no futility): +-b_k from getDesignGroupSequential(sided = 2); c solves
#     sum_k P_H1(|Z_j| < b_j for j < k, Z_k >= b_k) = 1 - beta; fixed design at z_{1-alpha/2}.
pmv <- function(lower, upper, mean, corr) {
  if (length(mean) == 1) return(pnorm(upper - mean) - pnorm(lower - mean))
  # Miwa replaces +-Inf by +-1000 and then integrates over its grid from there, losing ~1e-9:
  # cut the infinite limits at 12 SD from the mean instead (the mass beyond is below 1e-32)
  lower <- pmax(lower, mean - 12); upper <- pmin(upper, mean + 12)
  suppressWarnings(mvtnorm::pmvnorm(lower = lower, upper = upper, mean = mean, corr = corr,
                                    algorithm = mvtnorm::Miwa(steps = 4096))[1])
}
spend <- function(type, total, t, g = NA) switch(type,
  asOF = , bsOF = 2 * (1 - pnorm(qnorm(1 - total / 2) / sqrt(t))),
  asP = , bsP = total * log(1 + (exp(1) - 1) * t),
  bsHSD = if (g == 0) total * t else total * (1 - exp(-g * t)) / (1 - exp(-g)),
  bsKD = total * t^g)
gs_design_fut <- function(alpha, beta, ratio, start, lam_c, hr, eta, acc_end, acc_rate, times,
                          spending = "asOF", sided = 1, futility = NULL, gamma_b = NA,
                          binding = FALSE) {
  a <- lapply(times, function(t) ahr_at(t, acc_end, acc_rate, start, lam_c, hr, eta, ratio))
  p <- ratio / (1 + ratio)
  E <- sapply(a, `[[`, "total"); ahr <- sapply(a, `[[`, "ahr")
  K <- length(times)
  I <- E * p * (1 - p); frac <- I / I[K]
  b0 <- rpact::getDesignGroupSequential(informationRates = frac, alpha = alpha, beta = beta,
                                        typeOfDesign = spending, sided = sided)$criticalValues
  R <- outer(1:K, 1:K, function(i, j) sqrt(pmin(I[i], I[j]) / pmax(I[i], I[j])))
  bt <- if (!is.null(futility)) spend(futility, beta, frac, gamma_b) else NULL
  at <- spend(spending, alpha, frac); at[K] <- alpha
  # one-sided efficacy bounds without futility written out too (rpact bisects to ~1e-8 on z)
  eff_bounds <- function(fa) {
    b <- rep(Inf, K)
    for (k in 1:K) {
      inc <- at[k] - if (k > 1) at[k - 1] else 0
      g <- function(x) pmv(c(fa[seq_len(k - 1)], x), c(b[seq_len(k - 1)], Inf), rep(0, k),
                           R[1:k, 1:k, drop = FALSE]) - inc
      b[k] <- uniroot(g, c(0, 8), tol = 1e-13)$root
    }
    b
  }
  if (sided == 1) {
    b1 <- eff_bounds(rep(-Inf, K))
    stopifnot(max(abs(b1 - b0)) < 1e-7)
    b0 <- b1
  }
  bounds <- function(c) {
    m <- -log(ahr) * sqrt(c * I)
    b <- b0; fa <- rep(-Inf, K)
    if (is.null(futility)) return(list(a = if (sided == 2) -b else fa, b = b, m = m))
    for (k in 1:K) {
      if (binding) {
        inc <- at[k] - if (k > 1) at[k - 1] else 0
        g <- function(x) pmv(c(fa[seq_len(k - 1)], x), c(b[seq_len(k - 1)], Inf), rep(0, k),
                             R[1:k, 1:k, drop = FALSE]) - inc
        b[k] <- uniroot(g, c(0, 8), tol = 1e-13)$root
      }
      inc <- bt[k] - if (k > 1) bt[k - 1] else 0
      g <- function(x) pmv(c(fa[seq_len(k - 1)], -Inf), c(b[seq_len(k - 1)], x), m[1:k],
                           R[1:k, 1:k, drop = FALSE]) - inc
      fa[k] <- uniroot(g, m[k] + c(-12, 12), tol = 1e-13)$root
    }
    list(a = fa, b = b, m = m)
  }
  power <- function(bd) {
    lo <- bd$a; lo[K] <- -Inf
    sum(sapply(1:K, function(k) pmv(c(lo[seq_len(k - 1)], bd$b[k]), c(bd$b[seq_len(k - 1)], Inf),
                                    bd$m[1:k], R[1:k, 1:k, drop = FALSE])))
  }
  f <- if (is.null(futility)) function(c) power(bounds(c)) - (1 - beta)
       else function(c) { bd <- bounds(c); bd$a[K] - bd$b[K] }
  zz <- (qnorm(1 - alpha / sided) + qnorm(1 - beta))^2
  c0 <- zz / (p * (1 - p) * log(ahr[K])^2) / E[K]
  lo <- c0 / 2
  while (f(lo * 1.05) < 0) lo <- lo * 1.05
  c <- uniroot(f, c(lo, lo * 1.05), tol = 1e-12)$root
  bd <- bounds(c)
  acc_start <- c(0, acc_end[-length(acc_end)])
  list(events = c * E, sample_size = c * sum(acc_rate * (acc_end - acc_start)), ahr = ahr,
       info_fraction = frac, z_efficacy = bd$b,
       z_futility = if (is.null(futility)) NULL else bd$a[-K],
       beta_spent = bt, power = power(bd),
       events_fixed = zz / (p * (1 - p) * log(ahr[K])^2), accrual_rate = acc_rate * c)
}
ex1 <- list(alpha = 0.025, beta = 0.1, ratio = 1, start = c(0, 3), lam_c = log(2) / c(9, 18),
            hr = c(0.9, 0.6), eta = c(0.001, 0.001), acc_end = c(2, 4, 14), acc_rate = c(3, 6, 9),
            times = c(16, 24, 36))
ex1_flags <- paste("--nph --piece-start 0,3 --hazard-control 0.0770163533955495,0.0385081766977748",
                   "--hr-pieces 0.9,0.6 --accrual-time 2,4,14 --accrual-rate 3,6,9",
                   "--dropout-hazard 0.001 --analysis-times 16,24,36 --looks 3 --spending obf")
ex2 <- list(alpha = 0.025, beta = 0.2, ratio = 2, start = c(0, 4), lam_c = rep(log(2) / 12, 2),
            hr = c(1, 0.6), eta = rep(-log(0.95) / 12, 2), acc_end = c(6, 18), acc_rate = c(10, 25),
            times = c(24, 40), spending = "asP")
ex2_flags <- paste("--nph --piece-start 0,4 --median-control 12 --hr-pieces 1,0.6",
                   "--accrual-time 6,18 --accrual-rate 10,25 --dropout 0.05 --dropout-time 12",
                   "--analysis-times 24,40 --looks 2 --spending pocock --ratio 2 --power 0.8")
fut_cases <- list(
  list(flags = paste(ex1_flags, "--alpha 0.025 --power 0.9 --futility obf"),
       args = modifyList(ex1, list(futility = "bsOF"))),
  list(flags = paste(ex1_flags, "--alpha 0.025 --power 0.9 --futility pocock --binding"),
       args = modifyList(ex1, list(futility = "bsP", binding = TRUE))),
  list(flags = paste(ex2_flags, "--alpha 0.025 --futility hsd:-2"), args = modifyList(ex2, list(futility = "bsHSD", gamma_b = -2))),
  list(flags = paste(ex2_flags, "--alpha 0.025 --futility kd:3 --binding"),
       args = modifyList(ex2, list(futility = "bsKD", gamma_b = 3, binding = TRUE))),
  list(flags = paste(ex1_flags, "--alpha 0.05 --sided 2 --power 0.9"),
       args = modifyList(ex1, list(alpha = 0.05, sided = 2))),
  list(flags = paste(ex2_flags, "--alpha 0.05 --sided 2"), args = modifyList(ex2, list(alpha = 0.05, sided = 2)))
)
fut_out <- lapply(fut_cases, function(c) {
  r <- do.call(gs_design_fut, c$args)
  if (!is.null(c$args$futility)) stopifnot(abs(r$power - (1 - c$args$beta)) < 1e-9)
  c(list(flags = c$flags, args = c$args), r)
})
# the written-out design without futility is the design above (pmvnorm, a different root)
chk <- do.call(gs_design_fut, ex1)
stopifnot(abs(chk$events / gs_out[[1]]$events - 1) < 1e-8)
doc <- list(
  generated_by = "tests/reference/design/make_ahr.R",
  r_version = R.version.string,
  rpact_version = as.character(packageVersion("rpact")),
  method = paste("AHR method written out from Kalbfleisch & Prentice 2002 (piecewise exponential",
                 "events with dropout over piecewise enrolment) and Mukhopadhyay et al. 2020",
                 "(AHR, information sum_j E_j p(1-p)), as gsDesign2 ahr()/gs_design_ahr document",
                 "them; gsDesign2 itself is not installed"),
  mvtnorm_version = as.character(packageVersion("mvtnorm")),
  cases = out,
  gs_cases = gs_out,
  gs_futility_cases = fut_out)
writeLines(toJSON(doc, digits = NA, auto_unbox = TRUE, pretty = TRUE),
           file.path(dirname(sub("--file=", "", grep("--file=", commandArgs(FALSE), value = TRUE))), "ahr.json"))
