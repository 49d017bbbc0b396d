# Independent R implementation of Guyot et al. (BMC Med Res Methodol 2012;12:9) patient-data
# reconstruction, with the preprocessing and guards documented in docs/methods/guyot.md, run on
# the raw CheckMate 067 clicks in ../shared/data/published-curves/ and on hand-built edge cases.
# Writes guyot_reference.json next to this script (events and censorings per at-risk interval and
# per point), which tests/unit/reconstruct/guyot_test.cpp compares with hazard exactly.
#
# The structure follows the R code published with the paper (vectors n.hat, d, cen, KM.hat,
# last.i; the censoring spread with hist(); the while loops), written here from the paper's
# description; it shares no code with hazard's C++ (clean_curve.cpp uses its own
# pool-adjacent-violators, this script R's isoreg()).
#
# Run: Rscript tests/reference/reconstruct/guyot_reference.R   (from the project root or anywhere)
suppressPackageStartupMessages(library(jsonlite))

script_dir <- local({
  a <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(a)) dirname(normalizePath(sub("^--file=", "", a[1]))) else getwd()
})
shared <- normalizePath(file.path(script_dir, "..", "..", "..", "..", "shared", "data",
                                  "published-curves"), mustWork = FALSE)

# ---- preprocessing: percent, clamp, sort, isotonic (non-increasing), one point per time ----
clean_points <- function(t, s) {
  if (max(s) > 1.5) s <- s / 100
  t <- pmax(t, 0)
  s <- pmin(pmax(s, 0), 1)
  o <- order(t, -s)
  t <- t[o]; s <- s[o]
  s <- -isoreg(seq_along(s), -s)$yf          # least-squares non-increasing fit
  keep <- !duplicated(t, fromLast = TRUE)     # the last (lowest) point at each time
  list(t = t[keep], s = s[keep])
}

# Points: cleaned clicks plus an anchor at each at-risk time without a click (step value there).
add_anchors <- function(cl, trisk) {
  t <- numeric(0); s <- numeric(0); anchor <- logical(0); lower <- integer(length(trisk))
  before <- cl$t < trisk[1]
  s.prev <- if (any(before)) cl$s[max(which(before))] else 1
  ct <- cl$t[!before]; cs <- cl$s[!before]
  j <- 1
  for (i in seq_along(trisk)) {
    while (j <= length(ct) && ct[j] < trisk[i]) {
      t <- c(t, ct[j]); s <- c(s, cs[j]); anchor <- c(anchor, FALSE); s.prev <- cs[j]; j <- j + 1
    }
    lower[i] <- length(t) + 1
    if (j <= length(ct) && ct[j] == trisk[i]) {
      t <- c(t, ct[j]); s <- c(s, cs[j]); anchor <- c(anchor, FALSE); s.prev <- cs[j]; j <- j + 1
    } else {
      t <- c(t, trisk[i]); s <- c(s, s.prev); anchor <- c(anchor, TRUE)
    }
  }
  if (j <= length(ct)) {
    t <- c(t, ct[j:length(ct)]); s <- c(s, cs[j:length(cs)]); anchor <- c(anchor, rep(FALSE, length(ct) - j + 1))
  }
  if (any(before) && s[1] > 0) s <- pmin(1, s / s[1])
  upper <- c(lower[-1] - 1L, length(t))
  list(t = t, s = s, anchor = anchor, lower = lower, upper = upper)
}

guyot <- function(t.S, S, lower, upper, n.risk, tot.events = NA, max.iter = 1000) {
  n.int <- length(n.risk)
  n.t <- upper[n.int]
  n.hat <- rep(n.risk[1] + 1, n.t + 1)
  cen <- rep(0, n.t)
  d <- rep(0, n.t)
  KM.hat <- rep(1, n.t)
  last.i <- rep(1, n.int)

  spread <- function(cen, nc, a, b) {          # censorings evenly on (t.S[a], t.S[b]]
    if (b > a) cen[a:(b - 1)] <- 0
    if (nc > 0 && b > a) {
      cen.t <- t.S[a] + (1:nc) * (t.S[b] - t.S[a]) / (nc + 1)
      cen[a:(b - 1)] <- hist(cen.t, breaks = t.S[a:b], plot = FALSE)$counts
    }
    cen
  }
  # events along interval i (guards: d in [0, n.hat], no division by 0, n.hat >= 0)
  events <- function(i) {
    n.hat[lower[i]] <<- n.risk[i]
    last <- last.i[i]
    for (k in lower[i]:upper[i]) {
      if (i == 1 && k == lower[i]) {
        d[k] <<- 0; KM.hat[k] <<- 1
      } else {
        d[k] <<- if (KM.hat[last] > 0 && n.hat[k] > 0)
          min(max(round(n.hat[k] * (1 - (S[k] / KM.hat[last]))), 0), n.hat[k]) else 0
        KM.hat[k] <<- if (n.hat[k] > 0) KM.hat[last] * (1 - (d[k] / n.hat[k])) else KM.hat[last]
      }
      n.hat[k + 1] <<- n.hat[k] - d[k] - cen[k]
      if (n.hat[k + 1] < 0) { cen[k] <<- n.hat[k] - d[k]; n.hat[k + 1] <<- 0 }
      if (d[k] != 0) last <- k
    }
    last
  }

  if (n.int > 1) {
    for (i in 1:(n.int - 1)) {
      a <- lower[i]; b <- lower[i + 1]; target <- n.risk[i + 1]; cap <- n.risk[i]
      n.censor <- if (S[a] > 0) round(n.risk[i] * S[b] / S[a] - target) else 0
      n.censor <- min(max(n.censor, 0), cap)
      tried.c <- numeric(0); tried.n <- numeric(0); settled <- FALSE
      for (it in 1:max.iter) {
        cen <- spread(cen, n.censor, a, b)
        last <- events(i)
        nh <- n.hat[b]
        tried.c <- c(tried.c, n.censor); tried.n <- c(tried.n, nh)
        nxt <- n.censor + (nh - target)
        if (!(nh > target || (nh < target && nxt > 0))) { settled <- TRUE; break }
        nxt <- min(max(nxt, 0), cap)
        if (nxt %in% tried.c) break
        n.censor <- nxt
      }
      if (!settled) {
        # closest to the table; ties: more at risk, then fewer censorings
        best <- order(abs(tried.n - target), -tried.n, tried.c)[1]
        n.censor <- tried.c[best]
        if (n.censor != tried.c[length(tried.c)]) { cen <- spread(cen, n.censor, a, b); last <- events(i) }
      }
      if (n.hat[b] > target) { cen[b - 1] <- cen[b - 1] + (n.hat[b] - target); n.hat[b] <- target }
      if (n.hat[b] < target) n.risk[i + 1] <- n.hat[b]
      last.i[i + 1] <- last
    }
  }

  # last interval: the average censoring rate of the earlier intervals (as the paper)
  a <- lower[n.int]; u <- upper[n.int]
  n.censor <- 0
  if (n.int > 1) {
    before <- if (a > 1) sum(cen[1:(a - 1)]) else 0
    span <- t.S[upper[n.int - 1]] - t.S[lower[1]]
    if (span > 0) n.censor <- round(before * (t.S[u] - t.S[a]) / span)
    n.censor <- min(max(n.censor, 0), n.risk[n.int])
  }
  if (u == a) n.censor <- 0
  cen <- spread(cen, n.censor, a, u)
  events(n.int)

  if (!is.na(tot.events)) {
    sumdL <- if (a > 1) sum(d[1:(a - 1)]) else 0
    if (n.int > 1 && sumdL >= tot.events) {
      d[a:n.t] <- 0; cen[a:n.t] <- 0
    } else if (u > a) {
      sumd <- sum(d); tried.c <- n.censor; tried.e <- sumd; settled <- FALSE; cap <- n.risk[n.int]
      for (it in 1:max.iter) {
        if (!(sumd > tot.events || (sumd < tot.events && n.censor > 0))) { settled <- TRUE; break }
        nxt <- min(max(n.censor + (sumd - tot.events), 0), cap)
        if (nxt %in% tried.c) break
        n.censor <- nxt
        cen <- spread(cen, n.censor, a, u); events(n.int); sumd <- sum(d)
        tried.c <- c(tried.c, n.censor); tried.e <- c(tried.e, sumd)
      }
      if (!settled) {
        best <- order(abs(tried.e - tot.events), -tried.e, tried.c)[1]
        if (tried.c[best] != tried.c[length(tried.c)]) {
          n.censor <- tried.c[best]; cen <- spread(cen, n.censor, a, u); events(n.int)
        }
      }
    }
  }
  list(d = d, cen = cen)
}

run_case <- function(name, t, s, trisk, nrisk, tot.events = NA, call) {
  cl <- clean_points(t, s)
  # the at-risk table is used up to its first zero
  o <- order(trisk); trisk <- trisk[o]; nrisk <- nrisk[o]
  z <- which(nrisk == 0)
  if (length(z)) { trisk <- trisk[1:z[1]]; nrisk <- nrisk[1:z[1]] }
  p <- add_anchors(cl, trisk)
  g <- guyot(p$t, p$s, p$lower, p$upper, nrisk, tot.events)
  n0 <- nrisk[1]
  left <- n0 - sum(g$d) - sum(g$cen)
  ev <- sapply(seq_along(trisk), function(i) sum(g$d[p$lower[i]:p$upper[i]]))
  ce <- sapply(seq_along(trisk), function(i) sum(g$cen[p$lower[i]:p$upper[i]]))
  ce[length(ce)] <- ce[length(ce)] + left
  n.risk.rebuilt <- n0 - c(0, cumsum(ev + ce))[seq_along(trisk)]   # rows with time >= trisk
  # IPD as the paper writes it, and its KM at the cleaned clicks
  tt <- c(rep(p$t, g$d), rep((p$t[-length(p$t)] + p$t[-1]) / 2, g$cen[-length(p$t)]),
          rep(p$t[length(p$t)], left))
  ee <- c(rep(1, sum(g$d)), rep(0, sum(g$cen[-length(p$t)]) + left))
  fit <- survival::survfit(survival::Surv(tt, ee) ~ 1)
  clicks <- !p$anchor
  km <- summary(fit, times = p$t[clicks], extend = TRUE)$surv
  dist <- abs(km - p$s[clicks])
  list(name = name, call = call, r_version = R.version.string,
       survival_version = as.character(packageVersion("survival")),
       n_points = length(p$t), n_clicks_clean = length(cl$t), risk_time = trisk,
       n_risk = nrisk, total_events = if (is.na(tot.events)) NULL else tot.events,
       events_per_interval = ev, censored_per_interval = ce, n_risk_rebuilt = n.risk.rebuilt,
       point_events = g$d, point_censored = g$cen, events = sum(g$d),
       max_distance = max(dist), rms_distance = sqrt(mean(dist^2)))
}

cases <- list()
if (dir.exists(shared)) {
  pts <- read.csv(file.path(shared, "Checkmate_067_S3A_Nivolumab.csv"))
  ar <- read.csv(file.path(shared, "Checkmate_067_At_Risk.csv"))
  cases$checkmate067 <- run_case("checkmate067", pts$T, pts$S, ar$trisk, ar$nrisk,
    call = "run_case(pts$T, pts$S, ar$trisk, ar$nrisk) on Checkmate_067_S3A_Nivolumab.csv / Checkmate_067_At_Risk.csv")
  # The table cut at 36 months and a (hypothetical) total of 31 events: exercises the paper's
  # last-interval censoring rate and its total-events loop.
  cases$checkmate067_to36_total31 <- run_case("checkmate067_to36_total31", pts$T, pts$S,
    ar$trisk[1:13], ar$nrisk[1:13], tot.events = 31,
    call = "run_case(pts$T, pts$S, ar$trisk[1:13], ar$nrisk[1:13], tot.events = 31)")
} else {
  message("shared data not found at ", shared, ": CheckMate 067 cases not written")
}

# Hand-built: percent scale, unsorted noisy clicks with a rise, an interval without clicks
# ([6, 9)), an at-risk table past the end of the curve, and a reported total.
hand_t <- c(0, 1.0, 1.0, 2.1, 2.0, 3.5, 3.5, 4.2, 5.0, 5.1, 9.5, 9.5, 11, 11.8, 4.0)
hand_s <- c(100, 100, 95, 95, 96, 95, 88, 88, 80, 81, 80, 70, 70, 65, 88)
cases$hand_sparse <- run_case("hand_sparse", hand_t, hand_s, c(0, 3, 6, 9, 12, 15),
  c(20, 18, 14, 12, 8, 8), tot.events = 7,
  call = "run_case(hand_t, hand_s, c(0,3,6,9,12,15), c(20,18,14,12,8,8), tot.events = 7)")

out <- file.path(script_dir, "guyot_reference.json")
writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, pretty = TRUE), out)
message("wrote ", out)
