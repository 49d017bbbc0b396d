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
#   * non-integer case weights: survfit() then defaults to the robust (infinitesimal jackknife)
#     variance, and so does hazard (cases *_robust*; `options.variance` records which one R used,
#     fit$logse FALSE = robust); with robust = FALSE the weighted Greenwood variance (hazard
#     --no-robust). robust = TRUE forces it for integer weights too (hazard --robust).
suppressPackageStartupMessages({library(survival); library(jsonlite)})

args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
source(file.path(here, "km_reference.R"))

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
# the robust (infinitesimal jackknife) variance: R's default for non-integer weights
for (ct in c("log-log", "log", "plain"))
  add(paste0("ovarian_weights_frac_robust_", ct), "ovarian", ova_d, "status == 1", weights = "wt",
      conf_type = ct, times = c(100, 365), tau = 700)
add("ovarian_rx_weights_frac_robust", "ovarian", ova_d, "status == 1", group = "rx", weights = "wt",
    times = c(100, 365), tau = 700)
add("lung_sex_weights_int_robust", "lung", lung_d, "status == 2", group = "sex", weights = "wt",
    robust = TRUE, times = c(100, 365))
add("lung_sex_robust_unweighted", "lung", lung_d, "status == 2", group = "sex", robust = TRUE,
    times = c(100, 365))
# S falls to 0 at the last time (an event in a risk set of one), with non-integer weights
zero_w <- edge$zero; zero_w$w <- c(0.5, 1.25, 2, 0.75, 1.5)
write_csv(zero_w, "zero_w")
add("zero_weights_frac_robust", "zero_w", zero_w, "status == 1", weights = "w", times = c(2, 4))
add("flat_tau_beyond", "flat", edge$flat, "status == 1", tau = 10, times = c(3, 6, 7))
add("twogrp_tau_beyond", "twogrp", edge$twogrp, "status == 1", group = "arm", tau = 8.5)

writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, na = "null", pretty = FALSE),
           file.path(here, "km.json"))
cat("wrote", length(cases), "cases to", file.path(here, "km.json"), "\n")
