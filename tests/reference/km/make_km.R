# Reference values for hazard's Kaplan–Meier (`hazard km`), computed with R's survival package.
#
# Run from anywhere:  Rscript tests/reference/km/make_km.R
# Writes, next to this script:
#   km.json         one case per (data set, options): the input data (0/1 status, group codes),
#                   the exact R calls, R and survival versions, and per group the survfit table,
#                   quantile.survfit quantiles, summary.survfit(times=, extend=TRUE) landmarks, and
#                   the restricted mean (survival:::survmean, as print(fit, rmean=tau)).
#   <data>.csv      the data sets, for the command-line tests.
#
# Conventions fixed here (hazard follows them; see docs/methods/kaplan_meier.md):
#   * table std_err is the SE of S(t): R stores the SE of the cumulative hazard (fit$std.err),
#     summary.survfit multiplies it by surv; we do the same.
#   * RMST SE is survmean's (identical to survRM2::rmst2's); its CI is estimate -/+ z*SE as in
#     survRM2; the difference (non-reference minus reference) is computed below exactly as survRM2
#     does, except p = 2*pnorm(-|z|) instead of 2*(1-pnorm(|z|)) (same value, no cancellation).
#   * non-integer case weights: survfit() then defaults to robust (infinitesimal jackknife)
#     variance; hazard uses the weighted Greenwood variance, which R gives with robust = FALSE.
suppressPackageStartupMessages({library(survival); library(jsonlite)})

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))

# ---- data sets ------------------------------------------------------------------------------
lung_d <- data.frame(time = lung$time, status = lung$status, sex = lung$sex,
                     wt = 1 + (seq_len(nrow(lung)) %% 3))            # integer case weights
vet_d <- data.frame(time = veteran$time, status = veteran$status, trt = veteran$trt)
ova_d <- data.frame(time = ovarian$futime, status = ovarian$fustat, rx = ovarian$rx,
                    wt = 0.5 + (seq_len(nrow(ovarian)) %% 4) / 4)     # non-integer weights
aml_d <- data.frame(time = aml$time, status = aml$status, x = as.character(aml$x))
edge <- list(
  allcens = data.frame(time = c(3, 1, 4, 1, 5), status = 0),
  tied    = data.frame(time = c(2, 1, 2, 2, 3, 4, 4, 5, 2, 4),
                       status = c(1, 1, 0, 1, 0, 1, 0, 1, 0, 1)),
  one     = data.frame(time = 7, status = 1),
  one_cens = data.frame(time = 7, status = 0),
  zero    = data.frame(time = c(1, 2, 2, 3, 4), status = c(1, 0, 1, 1, 1)),
  flat    = data.frame(time = c(1, 2, 4, 6), status = c(1, 1, 1, 1)),
  flatend = data.frame(time = c(1, 2, 3, 4), status = c(1, 1, 0, 0)),
  time0   = data.frame(time = c(0, 0, 1, 2, 3, 3, 5), status = c(1, 0, 1, 1, 0, 1, 0)),
  twogrp  = data.frame(time = c(1, 2, 3, 4, 5, 6, 2, 3, 5, 8, 9, 9),
                       status = c(1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1),
                       arm = rep(c("B", "A"), each = 6))
)

write_csv <- function(d, name) write.csv(d, file.path(here, paste0(name, ".csv")), row.names = FALSE,
                                         na = "NA")
write_csv(lung_d, "lung"); write_csv(vet_d, "veteran"); write_csv(ova_d, "ovarian")
write_csv(aml_d, "aml")
for (nm in names(edge)) write_csv(edge[[nm]], nm)

# ---- one case -------------------------------------------------------------------------------
# d: data frame with time, status (0/1 after `event`), optional group column and weights.
run_case <- function(name, csv, d, event, group = NULL, weights = NULL, conf_type = "log-log",
                     conf_level = 0.95, times = numeric(0), tau = NULL, robust = NULL,
                     probs = c(0.25, 0.5, 0.75)) {
  d$st01 <- as.integer(eval(parse(text = event), d))
  rhs <- if (is.null(group)) "1" else group
  wtxt <- if (is.null(weights)) "" else paste0(", weights = ", weights)
  rtxt <- if (is.null(robust)) "" else paste0(", robust = ", robust)
  call <- sprintf("survfit(Surv(time, %s) ~ %s, data = %s%s%s, conf.type = \"%s\", conf.int = %s)",
                  event, rhs, csv, wtxt, rtxt, conf_type, format(conf_level, digits = 15))
  env <- list2env(list(d = d))
  fcall <- sprintf("survfit(Surv(time, st01) ~ %s, data = d%s%s, conf.type = \"%s\", conf.int = %s)",
                   rhs, wtxt, rtxt, conf_type, format(conf_level, digits = 15))
  fit <- eval(parse(text = fcall), env)

  if (is.null(group)) {
    fits <- list(fit); lv <- list(NULL); codes <- integer(0); levels <- character(0)
  } else {
    fac <- factor(d[[group]])
    levels <- levels(fac); codes <- as.integer(fac) - 1L
    fits <- lapply(seq_along(levels), function(i) fit[i]); lv <- as.list(levels)
  }
  groups <- lapply(seq_along(fits), function(i) {
    f <- fits[[i]]
    q <- quantile(f, probs = probs)
    med <- quantile(f, probs = 0.5)
    g <- list(group = if (is.null(lv[[i]])) NULL else lv[[i]],
              n = f$n, events = sum(f$n.event),
              table = list(time = I(f$time), n_risk = I(f$n.risk), n_event = I(f$n.event),
                           n_censor = I(f$n.censor), surv = I(f$surv),
                           std_err = I(f$std.err * f$surv), lower = I(f$lower), upper = I(f$upper),
                           cumhaz = I(f$cumhaz)),
              median = list(estimate = unname(med$quantile), lower = unname(med$lower),
                            upper = unname(med$upper)),
              quantiles = list(p = I(probs), estimate = I(unname(q$quantile)),
                               lower = I(unname(q$lower)), upper = I(unname(q$upper))))
    if (is.null(lv[[i]])) g$group <- NA
    if (length(times) > 0) {
      s <- summary(f, times = times, extend = TRUE)
      g$at <- list(time = I(s$time), n_risk = I(s$n.risk), surv = I(s$surv),
                   std_err = I(s$std.err), lower = I(s$lower), upper = I(s$upper))
    }
    if (!is.null(tau)) {
      tab <- survival:::survmean(f, scale = 1, rmean = tau)$matrix
      z <- qnorm(1 - (1 - conf_level) / 2)
      est <- unname(tab["rmean"]); se <- unname(tab["se(rmean)"])
      g$rmst <- list(tau = tau, estimate = est, std_err = se, lower = est - z * se,
                     upper = est + z * se)
    }
    g
  })
  out <- list(name = name, csv = paste0(csv, ".csv"), call = call,
              rmst_call = if (is.null(tau)) NA else
                sprintf("survival:::survmean(fit[i], scale = 1, rmean = %s)$matrix[c(\"rmean\", \"se(rmean)\")] (as print(fit, rmean = %s))", format(tau), format(tau)),
              quantile_call = sprintf("quantile(fit[i], probs = c(%s)); quantile(fit[i], probs = 0.5)",
                                      paste(probs, collapse = ", ")),
              at_call = if (length(times) == 0) NA else
                sprintf("summary(fit[i], times = c(%s), extend = TRUE)", paste(times, collapse = ", ")),
              versions = versions,
              options = list(conf_type = conf_type, conf_level = conf_level, times = I(times),
                             tau = if (is.null(tau)) NA else tau, quantiles = I(probs)),
              data = list(time = I(d$time), status = I(d$st01),
                          weight = if (is.null(weights)) I(numeric(0)) else I(d[[weights]]),
                          group = I(codes), levels = I(levels)),
              groups = groups)
  if (!is.null(tau) && length(groups) == 2) {
    r0 <- groups[[1]]$rmst; r1 <- groups[[2]]$rmst
    z <- qnorm(1 - (1 - conf_level) / 2)
    est <- r1$estimate - r0$estimate; se <- sqrt(r1$std_err^2 + r0$std_err^2)
    out$rmst_difference <- list(estimate = est, std_err = se, lower = est - z * se,
                                upper = est + z * se, z = est / se, p = 2 * pnorm(-abs(est / se)))
  }
  out
}

cases <- list()
add <- function(...) cases[[length(cases) + 1]] <<- run_case(...)
for (ct in c("log-log", "log", "plain")) {
  add(paste0("lung_sex_", ct), "lung", lung_d, "status == 2", group = "sex", conf_type = ct,
      times = c(1, 100, 365, 2000), tau = 500)
  add(paste0("lung_overall_", ct), "lung", lung_d, "status == 2", conf_type = ct,
      times = c(0, 5, 182.5, 365), tau = 730)
  add(paste0("veteran_trt_", ct), "veteran", vet_d, "status == 1", group = "trt", conf_type = ct,
      times = c(30, 90, 180, 1000), tau = 200)
  add(paste0("ovarian_", ct), "ovarian", ova_d, "status == 1", conf_type = ct,
      times = c(100, 365, 1300), tau = 700)
  add(paste0("aml_x_", ct), "aml", aml_d, "status == 1", group = "x", conf_type = ct,
      times = c(5, 12, 30, 200), tau = 40)
  for (nm in names(edge)) {
    d <- edge[[nm]]
    add(paste0(nm, "_", ct), nm, d, "status == 1", group = if ("arm" %in% names(d)) "arm" else NULL,
        conf_type = ct, times = c(0.5, 2, 4, 100), tau = if (nm == "allcens") 4 else 3.5)
  }
}
add("lung_sex_weights_int", "lung", lung_d, "status == 2", group = "sex", weights = "wt",
    times = c(100, 365), tau = 500)
add("lung_sex_level90", "lung", lung_d, "status == 2", group = "sex", conf_level = 0.9,
    times = c(100, 365), tau = 500, probs = c(0.1, 0.25, 0.5, 0.75, 0.9))
for (ct in c("log-log", "log", "plain"))
  add(paste0("ovarian_weights_frac_", ct), "ovarian", ova_d, "status == 1", weights = "wt",
      robust = FALSE, conf_type = ct, times = c(100, 365), tau = 700)
add("ovarian_rx_weights_frac", "ovarian", ova_d, "status == 1", group = "rx", weights = "wt",
    robust = FALSE, times = c(100, 365), tau = 700)
add("flat_tau_beyond", "flat", edge$flat, "status == 1", tau = 10, times = c(3, 6, 7))
add("twogrp_tau_beyond", "twogrp", edge$twogrp, "status == 1", group = "arm", tau = 8.5)

writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, na = "null", pretty = FALSE),
           file.path(here, "km.json"))
cat("wrote", length(cases), "cases to", file.path(here, "km.json"), "\n")
