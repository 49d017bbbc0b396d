# Generates the SIMULATED example trial shipped with hazard: examples/cabinet/adsl.csv and adtte.csv.
#
# THE DATA ARE SIMULATED. They are shaped like the CABINET trial (cabozantinib vs placebo in
# previously treated neuroendocrine tumours, two cohorts) but no value comes from a real patient or
# from the trial's data. Use them to try hazard, never as evidence about any treatment.
#
# Run from anywhere (base R only, no packages):
#   Rscript examples/cabinet/generate.R
# The seed is fixed, so the files are identical on every run with the same R version (R >= 3.6,
# whose default sample() uses "Rejection" sampling).
#
# Design of the simulation
# * Two cohorts, each its own randomized trial: pNET 95 patients (64 cabozantinib vs 31 placebo) and
#   epNET 203 patients (134 vs 69), 2:1 randomization.
# * Stratification: concurrent somatostatin analogue (STRAT1R, both cohorts); prior sunitinib (STRAT2R
#   in pNET) or primary site midgut vs other (STRAT2R in epNET). Treatment is assigned by permuted
#   blocks of 3 (2 cabozantinib, 1 placebo) within each stratum, in order of enrolment. Incomplete final
#   blocks make the arm totals random; the randomization is redrawn (same seed stream) until the arm
#   sizes equal the published ones above, so the shipped totals match the trial's.
# * Accrual: uniform over 30 months (pNET) and 24 months (epNET); data cut-off 36 and 30 months after
#   the first patient entered. Patients enrolled late have short follow-up: administrative censoring.
# * Progression-free survival: exponential, true medians 13.8 vs 4.4 months (pNET) and 8.4 vs 3.9 months
#   (epNET) for cabozantinib vs placebo (true hazard ratios 0.32 and 0.46).
#   About 10% of PFS events are deaths without documented progression.
# * Overall survival: death = PFS event time + post-progression survival, exponential with median
#   20 months (pNET) or 14 months (epNET) in both arms (crossover after progression dilutes OS).
# * Dropout (withdrawal, lost to follow-up, new therapy before progression): exponential, 10% per year
#   for PFS; 4% per year for OS (vital status is followed after withdrawal from treatment).
# * Times are whole days from randomization (minimum 1), reported as AVAL in months (days / 30.4375,
#   rounded to 4 decimals); CNSR = 0 event, 1 censored (ADaM convention).

set.seed(20240915)

median_to_rate <- function(m) log(2) / m
days_per_month <- 30.4375

cohorts <- list(
  list(name = "pNET", n = 95L, n_active = 64L, accrual = 30, cutoff = 36,
       pfs_median = c(Cabozantinib = 13.8, Placebo = 4.4), pps_median = 20,
       strat1_p = 0.55, strat2_name = "prior sunitinib", strat2_levels = c("Yes", "No"),
       strat2_p = 0.30),
  list(name = "epNET", n = 203L, n_active = 134L, accrual = 24, cutoff = 30,
       pfs_median = c(Cabozantinib = 8.4, Placebo = 3.9), pps_median = 14,
       strat1_p = 0.60, strat2_name = "primary site", strat2_levels = c("Midgut", "Other"),
       strat2_p = 0.30)
)

# Permuted blocks of 3 (two cabozantinib, one placebo) within each stratum, in enrolment order.
randomize <- function(stratum) {
  arm <- character(length(stratum))
  for (s in unique(stratum)) {
    idx <- which(stratum == s)
    n_blocks <- ceiling(length(idx) / 3)
    seq_arms <- unlist(lapply(seq_len(n_blocks), function(b)
      sample(c("Cabozantinib", "Cabozantinib", "Placebo"))))
    arm[idx] <- seq_arms[seq_along(idx)]
  }
  arm
}

adsl <- list()
adtte <- list()
subject_offset <- 0L
for (co in cohorts) {
  n <- co$n
  entry <- sort(runif(n, 0, co$accrual))  # months from first patient in, enrolment order
  strat1 <- ifelse(runif(n) < co$strat1_p, "Yes", "No")
  strat2 <- ifelse(runif(n) < co$strat2_p, co$strat2_levels[1], co$strat2_levels[2])
  stratum <- paste(strat1, strat2)
  repeat {
    arm <- randomize(stratum)
    if (sum(arm == "Cabozantinib") == co$n_active) break
  }
  sex <- ifelse(runif(n) < 0.52, "M", "F")
  age <- pmin(pmax(round(rnorm(n, 63, 10)), 25), 88)
  usubjid <- sprintf("CABSIM-%s-%04d", co$name, subject_offset + seq_len(n))
  subject_offset <- subject_offset + n

  rate <- median_to_rate(co$pfs_median[arm])
  t_pfs <- rexp(n, rate)                                   # progression or death
  death_first <- runif(n) < 0.10                           # PFS event is a death
  t_os <- ifelse(death_first, t_pfs, t_pfs + rexp(n, median_to_rate(co$pps_median)))
  admin <- co$cutoff - entry                               # follow-up available at the cut-off
  drop_pfs <- rexp(n, -log(0.90) / 12)
  drop_os <- rexp(n, -log(0.96) / 12)

  to_days <- function(m) pmax(1, ceiling(m * days_per_month))
  pfs_obs <- pmin(t_pfs, admin, drop_pfs)
  pfs_cnsr <- ifelse(t_pfs <= pmin(admin, drop_pfs), 0L, 1L)
  pfs_desc <- ifelse(pfs_cnsr == 0L, ifelse(death_first, "Death", "Disease progression"),
                     ifelse(admin <= drop_pfs, "Censored at data cut-off",
                            "Censored at last adequate tumour assessment"))
  os_obs <- pmin(t_os, admin, drop_os)
  os_cnsr <- ifelse(t_os <= pmin(admin, drop_os), 0L, 1L)
  os_desc <- ifelse(os_cnsr == 0L, "Death",
                    ifelse(admin <= drop_os, "Censored at data cut-off", "Censored at last known alive"))

  adsl[[co$name]] <- data.frame(
    STUDYID = "CABINET-SIM", USUBJID = usubjid, TRT01P = arm, COHORT = co$name,
    STRAT1R = strat1, STRAT2R = strat2, SEX = sex, AGE = age,
    AGEGR1 = ifelse(age < 65, "<65", ">=65"), ITTFL = "Y",
    stringsAsFactors = FALSE)
  common <- data.frame(STUDYID = "CABINET-SIM", USUBJID = usubjid, TRT01P = arm, COHORT = co$name,
                       STRAT1R = strat1, STRAT2R = strat2, stringsAsFactors = FALSE)
  adtte[[paste(co$name, "PFS")]] <- cbind(common, data.frame(
    PARAMCD = "PFS", PARAM = "Progression-free survival (months)",
    AVAL = round(to_days(pfs_obs) / days_per_month, 4), CNSR = pfs_cnsr, EVNTDESC = pfs_desc,
    stringsAsFactors = FALSE))
  adtte[[paste(co$name, "OS")]] <- cbind(common, data.frame(
    PARAMCD = "OS", PARAM = "Overall survival (months)",
    AVAL = round(to_days(os_obs) / days_per_month, 4), CNSR = os_cnsr, EVNTDESC = os_desc,
    stringsAsFactors = FALSE))
}

adsl <- do.call(rbind, unname(adsl))
adtte <- do.call(rbind, unname(adtte))
adtte <- adtte[order(adtte$PARAMCD != "PFS", adtte$USUBJID), ]
adtte <- adtte[, c("STUDYID", "USUBJID", "PARAMCD", "PARAM", "AVAL", "CNSR", "EVNTDESC",
                   "TRT01P", "COHORT", "STRAT1R", "STRAT2R")]

# Written next to this script whatever the working directory.
args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(file_arg)) dirname(normalizePath(file_arg)) else "."
write.csv(adsl, file.path(out_dir, "adsl.csv"), row.names = FALSE, quote = TRUE)
write.csv(adtte, file.path(out_dir, "adtte.csv"), row.names = FALSE, quote = TRUE)
cat(sprintf("wrote %d subjects to adsl.csv and %d records to adtte.csv in %s\n",
            nrow(adsl), nrow(adtte), out_dir))
