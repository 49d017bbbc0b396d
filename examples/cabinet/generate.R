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
sim <- list()
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

  # Kept for the readout data below (no random numbers are drawn here, so the files above are
  # unchanged by it).
  sim[[co$name]] <- data.frame(USUBJID = usubjid, ENTRY = entry, CUTOFF = co$cutoff,
                               PFSDY = to_days(pfs_obs), PFSCNSR = pfs_cnsr, PFSDEATH = death_first,
                               PFSDROP = pfs_cnsr == 1L & admin > drop_pfs,
                               OSDY = to_days(os_obs), OSCNSR = os_cnsr, stringsAsFactors = FALSE)

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

# ---------------------------------------------------------------------------------------------
# The rest of the readout: safety (ADAE, ADEX), tumour response (ADRS, duration of response) and
# quality of life (ADQS). Every random number below is drawn AFTER those of adsl/adtte above, so
# the efficacy data are the same as before these files were added. ADSL gains the treatment
# variables (TRT01A, SAFFL, RANDDT, TRTSDT, TRTEDT) as extra columns after the original ones.
#
# Dates are SAS dates (days since 1960-01-01), as ADaM numeric dates. Day 1 is the randomization
# date for times from randomization (ADTTE AVAL: whole days from randomization = ADT - RANDDT + 1)
# and for ADRS/ADQS ADY; ADAE ASTDY counts from the first dose (ASTDY = ASTDT - TRTSDT + 1).
sim <- do.call(rbind, unname(sim))
stopifnot(identical(sim$USUBJID, adsl$USUBJID))
n_all <- nrow(adsl)
sas_date <- function(iso) as.numeric(as.Date(iso)) + 3653   # days since 1960-01-01
study_start <- sas_date("2018-11-01")
randdt <- study_start + floor(sim$ENTRY * days_per_month)
dco <- study_start + ceiling(sim$CUTOFF * days_per_month)        # data cut-off of the cohort
pfs_date <- randdt + sim$PFSDY - 1                               # AVAL (days) = ADT - RANDDT + 1
os_date <- randdt + sim$OSDY - 1
died <- sim$OSCNSR == 0L
arm_p <- adsl$TRT01P
cabo <- arm_p == "Cabozantinib"

# Treatment. Three randomized patients are never treated (SAFFL = N); one patient randomized to
# placebo receives cabozantinib (TRT01A differs from TRT01P). Treatment starts 0-3 days after
# randomization and continues until progression, death, withdrawal, discontinuation for an adverse
# event, or the data cut-off (ongoing treatment: TRTEDT = cut-off date, as usual at a cut-off).
untreated <- sort(sample(n_all, 3))
switched <- sample(setdiff(which(!cabo), untreated), 1)
arm_a <- arm_p
arm_a[switched] <- "Cabozantinib"
arm_a[untreated] <- NA
safety <- !is.na(arm_a)
cabo_a <- safety & arm_a == "Cabozantinib"
trtsdt <- ifelse(safety, randdt + sample(0:3, n_all, replace = TRUE), NA)
planned_end <- ifelse(sim$PFSCNSR == 0L | sim$PFSDROP, pfs_date, dco)
planned_end <- pmax(planned_end, trtsdt)
# Discontinuation for an adverse event: exponential, 30% (cabozantinib) / 6% (placebo) per year.
t_disc <- rexp(n_all, ifelse(cabo_a, -log(0.70), -log(0.94)) / 365.25)
disc_ae <- safety & trtsdt + floor(t_disc) < planned_end
trtedt <- ifelse(disc_ae, trtsdt + floor(t_disc), planned_end)
exposure_days <- trtedt - trtsdt + 1

adsl$TRT01A <- arm_a
adsl$SAFFL <- ifelse(safety, "Y", "N")
adsl$RANDDT <- randdt
adsl$TRTSDT <- trtsdt
adsl$TRTEDT <- trtedt

# ---- ADAE: MedDRA-like system organ classes and preferred terms, NCI-CTCAE grades ----
# rate: episodes per patient-year on cabozantinib / placebo; grade: probabilities of grades 1-4.
catalogue <- data.frame(
  AEBODSYS = c("Vascular disorders",
               rep("General disorders and administration site conditions", 2),
               rep("Gastrointestinal disorders", 5),
               "Skin and subcutaneous tissue disorders",
               rep("Metabolism and nutrition disorders", 2),
               rep("Investigations", 3),
               rep("Nervous system disorders", 2),
               "Endocrine disorders",
               "Respiratory, thoracic and mediastinal disorders",
               "Infections and infestations",
               "Blood and lymphatic system disorders"),
  AEDECOD = c("Hypertension", "Fatigue", "Oedema peripheral", "Diarrhoea", "Nausea", "Stomatitis",
              "Vomiting", "Abdominal pain", "Palmar-plantar erythrodysaesthesia syndrome",
              "Decreased appetite", "Hypomagnesaemia", "Aspartate aminotransferase increased",
              "Weight decreased", "Platelet count decreased", "Dysgeusia", "Headache",
              "Hypothyroidism", "Pulmonary embolism", "Urinary tract infection", "Anaemia"),
  rate_cabo = c(1.2, 1.3, 0.3, 1.4, 0.8, 0.6, 0.4, 0.3, 0.8, 0.7, 0.3, 0.6, 0.5, 0.4, 0.5, 0.3,
                0.4, 0.06, 0.1, 0.2),
  rate_pbo = c(0.25, 0.6, 0.15, 0.4, 0.35, 0.08, 0.2, 0.3, 0.06, 0.25, 0.05, 0.15, 0.1, 0.05, 0.06,
               0.2, 0.03, 0.02, 0.08, 0.15),
  g1 = c(.25, .40, .6, .50, .60, .5, .60, .50, .4, .5, .6, .7, .6, .6, .8, .7, .5, 0, .3, .4),
  g2 = c(.40, .40, .35, .30, .35, .4, .35, .35, .4, .4, .3, .2, .4, .2, .2, .25, .5, .2, .5, .4),
  g3 = c(.33, .20, .05, .20, .05, .1, .05, .15, .2, .1, .1, .1, 0, .15, 0, .05, 0, .6, .2, .2),
  g4 = c(.02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .05, 0, 0, 0, .2, 0, 0),
  stringsAsFactors = FALSE)
stopifnot(all(abs(with(catalogue, g1 + g2 + g3 + g4) - 1) < 1e-12))
# Fatal adverse events: the deaths (from ADTTE OS) within 30 days of the last dose, a share of
# which is recorded as a fatal adverse event of one of these terms.
fatal_terms <- data.frame(
  AEBODSYS = c("Respiratory, thoracic and mediastinal disorders", "Infections and infestations",
               "Gastrointestinal disorders", "Cardiac disorders",
               "General disorders and administration site conditions"),
  AEDECOD = c("Pulmonary embolism", "Sepsis", "Intestinal perforation", "Cardiac arrest", "Death"),
  stringsAsFactors = FALSE)
# Adverse events that are not treatment-emergent (TRTEMFL blank): conditions starting before the
# first dose, and events more than 30 days after the last dose.
other_terms <- c("Fatigue", "Abdominal pain", "Headache", "Anaemia", "Nausea")

ae_rows <- list()
add_ae <- function(i, k_soc, k_pt, grade, astdt, te, action, serious, outcome) {
  ae_rows[[length(ae_rows) + 1L]] <<- data.frame(
    i = i, AEBODSYS = k_soc, AEDECOD = k_pt, AETOXGR = as.character(grade), ASTDT = astdt,
    TRTEMFL = if (te) "Y" else NA_character_, AEACN = action, AESER = serious, AEOUT = outcome,
    AESDTH = if (outcome == "FATAL") "Y" else "N", stringsAsFactors = FALSE)
}
draw_outcome <- function() sample(c("RECOVERED/RESOLVED", "NOT RECOVERED/NOT RESOLVED",
                                    "RECOVERING/RESOLVING"), 1, prob = c(.75, .15, .10))
for (i in seq_len(n_all)) {
  # conditions before the first dose (also for the untreated patients)
  if (runif(1) < 0.12) {
    pt <- sample(other_terms, 1)
    ref_date <- if (safety[i]) trtsdt[i] else randdt[i]
    add_ae(i, catalogue$AEBODSYS[catalogue$AEDECOD == pt], pt, sample(1:2, 1),
           ref_date - sample(1:20, 1), FALSE, "NOT APPLICABLE", "N", draw_outcome())
  }
  if (!safety[i]) next
  years <- exposure_days[i] / 365.25
  rates <- if (cabo_a[i]) catalogue$rate_cabo else catalogue$rate_pbo
  for (k in seq_len(nrow(catalogue))) {
    n_ep <- rpois(1, rates[k] * years)
    for (e in seq_len(n_ep)) {
      grade <- sample(1:4, 1, prob = unlist(catalogue[k, c("g1", "g2", "g3", "g4")]))
      onset <- trtsdt[i] + sample.int(exposure_days[i], 1) - 1
      p_red <- if (cabo_a[i]) c(0.05, 0.35, 0.55, 0.55)[grade] else c(0, 0.03, 0.15, 0.15)[grade]
      p_int <- c(0.02, 0.15, 0.25, 0.25)[grade]
      action <- sample(c("DOSE REDUCED", "DRUG INTERRUPTED", "DOSE NOT CHANGED"), 1,
                       prob = c(p_red, p_int, 1 - p_red - p_int))
      p_ser <- if (catalogue$AEDECOD[k] == "Pulmonary embolism") 0.9 else c(0.01, 0.04, 0.35, 0.6)[grade]
      add_ae(i, catalogue$AEBODSYS[k], catalogue$AEDECOD[k], grade, onset, TRUE, action,
             if (runif(1) < p_ser) "Y" else "N", draw_outcome())
    }
  }
  # the adverse event that led to discontinuation, on the last day of treatment
  if (disc_ae[i]) {
    w <- if (cabo_a[i]) catalogue$rate_cabo else catalogue$rate_pbo
    k <- sample(nrow(catalogue), 1, prob = w)
    grade <- sample(2:4, 1, prob = c(.35, .6, .05))
    add_ae(i, catalogue$AEBODSYS[k], catalogue$AEDECOD[k], grade, trtedt[i], TRUE, "DRUG WITHDRAWN",
           if (runif(1) < c(0.05, 0.4, 0.7)[grade - 1]) "Y" else "N",
           sample(c("RECOVERED/RESOLVED", "NOT RECOVERED/NOT RESOLVED"), 1, prob = c(.7, .3)))
  }
  # a death within 30 days of the last dose recorded as a fatal adverse event
  if (died[i] && os_date[i] <= trtedt[i] + 30 && runif(1) < (if (cabo_a[i]) 0.35 else 0.2)) {
    k <- sample(nrow(fatal_terms), 1)
    add_ae(i, fatal_terms$AEBODSYS[k], fatal_terms$AEDECOD[k], 5, os_date[i], TRUE, "NOT APPLICABLE",
           "Y", "FATAL")
  }
  # an event more than 30 days after the last dose (not treatment-emergent)
  last_known <- if (died[i]) os_date[i] else dco[i]
  if (last_known > trtedt[i] + 31 && runif(1) < 0.08) {
    pt <- sample(other_terms, 1)
    add_ae(i, catalogue$AEBODSYS[catalogue$AEDECOD == pt], pt, sample(1:3, 1),
           trtedt[i] + 31 + sample.int(last_known - trtedt[i] - 31, 1) - 1, FALSE, "NOT APPLICABLE",
           "N", draw_outcome())
  }
}
ae <- do.call(rbind, ae_rows)
ae <- ae[order(ae$i, ae$ASTDT, ae$AEDECOD), ]
adae <- data.frame(
  STUDYID = "CABINET-SIM", USUBJID = adsl$USUBJID[ae$i], AESEQ = NA_integer_,
  TRTA = arm_a[ae$i], SAFFL = adsl$SAFFL[ae$i], COHORT = adsl$COHORT[ae$i],
  TRTSDT = trtsdt[ae$i], TRTEDT = trtedt[ae$i], ASTDT = ae$ASTDT,
  ASTDY = ifelse(is.na(trtsdt[ae$i]), NA, ae$ASTDT - trtsdt[ae$i] + (ae$ASTDT >= trtsdt[ae$i])),
  TRTEMFL = ae$TRTEMFL, AETERM = toupper(ae$AEDECOD), AEDECOD = ae$AEDECOD,
  AEBODSYS = ae$AEBODSYS, AETOXGR = ae$AETOXGR, AESER = ae$AESER, AEACN = ae$AEACN,
  AEOUT = ae$AEOUT, AESDTH = ae$AESDTH, stringsAsFactors = FALSE)
adae$AESEQ <- ave(seq_len(nrow(adae)), adae$USUBJID, FUN = seq_along)

# ---- ADEX: exposure summary parameters per treated patient ----
# TRTDURD = TRTEDT - TRTSDT + 1 days; RDI = relative dose intensity (%), lower after dose reductions.
n_red <- tapply(adae$AEACN == "DOSE REDUCED", factor(adae$USUBJID, levels = adsl$USUBJID), sum)
n_red[is.na(n_red)] <- 0
rdi <- round(pmax(40, 100 - 12 * n_red[safety] - runif(sum(safety), 0, 8)), 1)
adex <- rbind(
  data.frame(STUDYID = "CABINET-SIM", USUBJID = adsl$USUBJID[safety], TRTA = arm_a[safety],
             PARAMCD = "TRTDURD", PARAM = "Duration of treatment (days)",
             AVAL = exposure_days[safety], AVALU = "DAYS", stringsAsFactors = FALSE),
  data.frame(STUDYID = "CABINET-SIM", USUBJID = adsl$USUBJID[safety], TRTA = arm_a[safety],
             PARAMCD = "RDI", PARAM = "Relative dose intensity (%)", AVAL = rdi, AVALU = "%",
             stringsAsFactors = FALSE))
adex <- adex[order(adex$USUBJID, adex$PARAMCD), ]

# ---- ADRS: overall response per assessment (OVR) and confirmed best overall response (BOR) ----
# RECIST 1.1 assessments every 8 weeks (day 57, 113, ...) until progression, death, withdrawal or
# the cut-off; progression is recorded on the PFS date. A responder's response starts at the
# first or second assessment; it is confirmed by a later assessment (>= 4 weeks apart) before
# progression. BOR: CR or PR when confirmed; SD when an assessment of SD or better is at least
# 6 weeks (day 43) from randomization; PD when progression is the first assessment; NE otherwise.
p_resp <- c(pNET.Cabozantinib = 0.25, pNET.Placebo = 0.08, epNET.Cabozantinib = 0.12,
            epNET.Placebo = 0.05)[paste(adsl$COHORT, arm_p, sep = ".")]
rs_rows <- list()
bor <- character(n_all)
resp_start <- rep(NA_real_, n_all)
ne_reason <- character(n_all)
for (i in seq_len(n_all)) {
  progressed <- sim$PFSCNSR[i] == 0L && !sim$PFSDEATH[i]
  last_day <- sim$PFSDY[i] - if (progressed) 1 else 0   # scheduled assessments before the PFS date
  days <- seq(57, by = 56, length.out = max(0, floor((last_day - 57) / 56) + 1))
  days <- days[days <= last_day]
  ovr <- rep("SD", length(days))
  responder <- runif(1) < p_resp[i]
  if (responder && length(days)) {
    first <- min(length(days), sample(1:2, 1))
    best <- if (runif(1) < 0.1) "CR" else "PR"
    ovr[first:length(days)] <- best
  }
  if (length(days) && runif(1) < 0.04) ovr[length(days)] <- "NE"   # a non-evaluable scan
  if (progressed) { days <- c(days, sim$PFSDY[i]); ovr <- c(ovr, "PD") }
  n_cr <- sum(ovr == "CR"); n_pr <- sum(ovr %in% c("CR", "PR"))
  bor[i] <- if (n_cr >= 2) "CR" else if (n_pr >= 2) "PR" else
    if (any(ovr %in% c("CR", "PR", "SD") & days >= 43)) "SD" else
    if (length(ovr) && ovr[1] == "PD") "PD" else "NE"
  if (bor[i] %in% c("CR", "PR")) resp_start[i] <- days[which(ovr %in% c("CR", "PR"))[1]]
  if (length(days))
    rs_rows[[length(rs_rows) + 1L]] <- data.frame(i = i, PARAMCD = "OVR", ADY = days, AVALC = ovr,
                                                  stringsAsFactors = FALSE)
  rs_rows[[length(rs_rows) + 1L]] <- data.frame(
    i = i, PARAMCD = "BOR", ADY = if (length(days)) days[length(days)] else NA, AVALC = bor[i],
    stringsAsFactors = FALSE)
}
rs <- do.call(rbind, rs_rows)
resp_code <- c(CR = 1, PR = 2, SD = 3, PD = 4, NE = 5)
adrs <- data.frame(
  STUDYID = "CABINET-SIM", USUBJID = adsl$USUBJID[rs$i], TRT01P = arm_p[rs$i],
  COHORT = adsl$COHORT[rs$i], STRAT1R = adsl$STRAT1R[rs$i], STRAT2R = adsl$STRAT2R[rs$i],
  ITTFL = "Y", PARAMCD = rs$PARAMCD,
  PARAM = ifelse(rs$PARAMCD == "BOR", "Best Overall Response by Investigator (confirmed, RECIST 1.1)",
                 "Overall Response by Investigator (RECIST 1.1)"),
  PARCAT1 = "RECIST 1.1", AVALC = rs$AVALC, AVAL = unname(resp_code[rs$AVALC]),
  ADT = randdt[rs$i] + rs$ADY - 1, ADY = rs$ADY,
  AVISIT = ifelse(rs$PARAMCD == "BOR", "OVERALL",
                  ifelse((rs$ADY - 57) %% 56 != 0, "UNSCHEDULED",
                         sprintf("WEEK %d", round((rs$ADY - 1) / 7)))),
  stringsAsFactors = FALSE)
adrs <- adrs[order(adrs$USUBJID, adrs$PARAMCD != "OVR", adrs$ADY), ]

# Duration of response (ADTTE-shaped, PARAMCD = DOR) for the confirmed responders: from the first
# assessment of response to progression or death (the PFS event), censored as PFS is.
resp <- which(!is.na(resp_start))
adtte_dor <- data.frame(
  STUDYID = "CABINET-SIM", USUBJID = adsl$USUBJID[resp], PARAMCD = "DOR",
  PARAM = "Duration of response (months)",
  AVAL = round((sim$PFSDY[resp] - resp_start[resp] + 1) / days_per_month, 4),
  CNSR = sim$PFSCNSR[resp],
  EVNTDESC = ifelse(sim$PFSCNSR[resp] == 0L,
                    ifelse(sim$PFSDEATH[resp], "Death", "Disease progression"),
                    "Censored at last adequate tumour assessment"),
  STARTDT = randdt[resp] + resp_start[resp] - 1, TRT01P = arm_p[resp], COHORT = adsl$COHORT[resp],
  stringsAsFactors = FALSE)
stopifnot(all(adtte_dor$AVAL > 0))

# ---- ADQS: EORTC QLQ-C30 global health status (GHS, 0-100, higher is better) and diarrhoea
# (DI, 0-100, higher is worse), every 4 weeks from baseline until progression or the cut-off ----
# GHS is the mean of two 7-point items rescaled to 0-100 (steps of 100/12); DI one 4-point item
# (0, 33.3, 66.7, 100). 3% of patients have no questionnaire, 2% no baseline; 12% of later
# questionnaires are missing. Baseline: ABLFL = Y, 0-6 days before randomization (ADY -6 to 1).
qs_rows <- list()
for (i in seq_len(n_all)) {
  u <- runif(1)
  if (u < 0.03) next
  has_base <- u >= 0.05
  end_day <- min(sim$PFSDY[i], dco[i] - randdt[i] + 1)
  visits <- seq(29, by = 28, length.out = max(0, floor((end_day - 29) / 28) + 1))
  visits <- visits[visits <= end_day]
  visits <- visits[runif(length(visits)) >= 0.12]
  base_day <- 1 - sample(0:6, 1)
  days <- c(if (has_base) base_day, visits)
  if (!length(days)) next
  treated_cabo <- cabo_a[i]
  level <- rnorm(1, 68, 15)
  slope <- rnorm(1, -1, 2) # points per 4 weeks
  toxicity <- if (treated_cabo) rnorm(1, 8, 4) else rnorm(1, 2, 2)
  weeks4 <- pmax(0, days) / 28
  ghs_latent <- level + slope * weeks4 - toxicity * (1 - exp(-weeks4 / 1.5)) + rnorm(length(days), 0, 9)
  ghs <- pmin(100, pmax(0, round(ghs_latent / (100 / 12)) * (100 / 12)))
  di_latent <- (if (treated_cabo) 0.9 else 0.25) * (1 - exp(-weeks4 / 1.0)) + rnorm(length(days), 0.2, 0.5)
  di <- pmin(3, pmax(0, round(di_latent))) * 100 / 3
  base_flag <- if (has_base) c("Y", rep(NA, length(visits))) else rep(NA, length(visits))
  for (p in c("GHS", "DI")) {
    qs_rows[[length(qs_rows) + 1L]] <- data.frame(
      i = i, PARAMCD = p, ADY = days, AVAL = round(if (p == "GHS") ghs else di, 4),
      ABLFL = base_flag, stringsAsFactors = FALSE)
  }
}
qs <- do.call(rbind, qs_rows)
adqs <- data.frame(
  STUDYID = "CABINET-SIM", USUBJID = adsl$USUBJID[qs$i], TRT01P = arm_p[qs$i],
  COHORT = adsl$COHORT[qs$i], STRAT1R = adsl$STRAT1R[qs$i], STRAT2R = adsl$STRAT2R[qs$i],
  ITTFL = "Y", PARCAT1 = "EORTC QLQ-C30", PARAMCD = qs$PARAMCD,
  PARAM = ifelse(qs$PARAMCD == "GHS", "EORTC QLQ-C30 Global health status/QoL (0-100)",
                 "EORTC QLQ-C30 Diarrhoea (0-100)"),
  AVAL = qs$AVAL, ABLFL = qs$ABLFL,
  AVISIT = ifelse(!is.na(qs$ABLFL), "BASELINE", sprintf("WEEK %d", round((qs$ADY - 1) / 7))),
  AVISITN = ifelse(!is.na(qs$ABLFL), 0, round((qs$ADY - 1) / 7)),
  ADT = randdt[qs$i] + qs$ADY - 1, ADY = qs$ADY, stringsAsFactors = FALSE)
base_of <- tapply(ifelse(is.na(adqs$ABLFL), NA, adqs$AVAL), paste(adqs$USUBJID, adqs$PARAMCD),
                  function(v) if (all(is.na(v))) NA else v[!is.na(v)][1])
adqs$BASE <- unname(base_of[paste(adqs$USUBJID, adqs$PARAMCD)])
adqs$CHG <- ifelse(is.na(adqs$ABLFL), round(adqs$AVAL - adqs$BASE, 4), NA)
adqs <- adqs[order(adqs$USUBJID, adqs$PARAMCD, adqs$ADY), ]

# ---------------------------------------------------------------------------------------------
# Crossover scenario (adtte_xo.csv, adtv_xo.csv): overall survival when placebo patients switch
# to cabozantinib after progression, for `hazard crossover` (RPSFTM, IPCW, two-stage). Every
# random number below is drawn AFTER all of those above, so the other files are unchanged by it.
# It is a scenario of its own (its own progression and death times), not a re-reading of the OS
# in adtte.csv, simulated so that the methods' assumptions hold and the true effect is known:
# * counterfactual untreated OS U (months): Weibull, shape 1.3, median 22 (pNET) or 15 (epNET)
#   months for a patient aged 63 with ECOG 0; the scale shrinks by exp(-0.01 (age - 63)) and by
#   0.8 for baseline ECOG 1 (ECOG 0/1 with probability 0.6/0.4);
# * treatment multiplies the remaining lifetime: T = T_off + exp(-psi) T_on with the TRUE
#   psi = -0.5 (time ratio exp(0.5) = 1.65): the RPSFTM holds exactly. Cabozantinib patients are
#   treated throughout (T = U exp(0.5));
# * progression at U B, B ~ Beta(2, 2.5) (10% die without progression), on the same time scale;
# * visits every 28 days; ECOG at each visit and at progression is 0/1/2 by cutting
#   0.5 ECOG_baseline + 1.6 - 0.12 (U - t) + N(0, 0.6) at 0.5 and 1.5 (it worsens as the untreated
#   death approaches: a time-varying confounder);
# * a progressed placebo patient switches at a visit with probability
#   plogis(-0.3 - 1.0 ECOG - 0.4 [AGE >= 65]), ECOG as measured at the start of the interval
#   ending at that visit: the pooled logistic switching model of IPCW holds exactly;
# * censoring: the cohort's data cut-off (DCOTM = (cut-off date - RANDDT + 1) days) and dropout
#   4% per year; whole days, AVAL = days / 30.4375 rounded to 4 decimals.
psi_true <- -0.5
xo_days <- function(m) pmax(1, ceiling(m * days_per_month))
visit_days <- 28
bl_ecog <- as.integer(runif(n_all) < 0.4)
xo_scale <- ifelse(adsl$COHORT == "pNET", 22, 15) / log(2)^(1 / 1.3) *
  exp(-0.01 * (adsl$AGE - 63)) * ifelse(bl_ecog == 1, 0.8, 1)
u_untreated <- xo_scale * (-log(runif(n_all)))^(1 / 1.3)
prog_frac <- rbeta(n_all, 2, 2.5)
no_prog <- runif(n_all) < 0.10
drop_xo <- rexp(n_all, -log(0.96) / 12)
admin_days <- dco - randdt + 1
xo_rows <- list()
xo_tv <- list()
for (i in seq_len(n_all)) {
  cabo_i <- arm_p[i] == "Cabozantinib"
  u <- u_untreated[i]
  accel <- if (cabo_i) exp(-psi_true) else 1            # the time scale until a switch
  p_m <- if (no_prog[i]) Inf else u * prog_frac[i] * accel
  t_death <- u * accel
  end_days <- min(admin_days[i], xo_days(drop_xo[i]))   # follow-up available without death
  ecog_at <- function(t_obs) {                          # t_obs on the observed scale (months)
    t_u <- if (cabo_i) t_obs / accel else t_obs         # untreated time elapsed (before a switch)
    z <- 0.5 * bl_ecog[i] + 1.6 - 0.12 * (u - t_u) + rnorm(1, 0, 0.6)
    as.integer(z > 0.5) + as.integer(z > 1.5)
  }
  p_day <- if (is.finite(p_m)) xo_days(p_m) else Inf
  # ECOG at every potential interval start: 0 (baseline), the visits and progression, drawn once
  cuts <- sort(unique(c(0, visit_days * seq_len(floor(end_days / visit_days)),
                        if (p_day < end_days) p_day)))
  cuts <- cuts[cuts < end_days]
  ecog_cut <- integer(length(cuts))
  for (k in seq_along(cuts)) ecog_cut[k] <- if (cuts[k] == 0) bl_ecog[i] else ecog_at(cuts[k] / days_per_month)
  sw_day <- NA
  if (!cabo_i && is.finite(p_day)) {
    # a switch is possible at the visits after progression, before death and the end of follow-up;
    # its probability uses the ECOG at the start of the interval ending at the visit
    for (vd in cuts[cuts > p_day & cuts %% visit_days == 0 & cuts < xo_days(t_death)]) {
      ecog_start <- ecog_cut[max(which(cuts < vd))]
      if (runif(1) < plogis(-0.3 - 1.0 * ecog_start - 0.4 * (adsl$AGE[i] >= 65))) { sw_day <- vd; break }
    }
  }
  if (!is.na(sw_day)) {
    s_m <- sw_day / days_per_month
    t_death <- s_m + (u - s_m) * exp(-psi_true)
  }
  d_day <- xo_days(t_death)
  if (is.finite(p_day) && p_day >= d_day) p_day <- Inf   # death on or before the progression day
  obs_day <- min(d_day, end_days)
  died_i <- d_day <= end_days
  prog_i <- is.finite(p_day) && p_day < obs_day         # progression recorded before the last day
  if (!is.na(sw_day) && sw_day >= obs_day) sw_day <- NA  # a switch at or after the end is not seen
  # time-varying data: intervals split at the visits and at progression, to the end of follow-up
  keep <- cuts < obs_day & (prog_i | cuts != p_day | cuts %% visit_days == 0)
  starts <- cuts[keep]
  ecog_rows <- ecog_cut[keep]
  ends <- c(starts[-1], obs_day)
  xo_tv[[i]] <- data.frame(
    USUBJID = adsl$USUBJID[i], TRT01P = arm_p[i],
    ASTART = round(starts / days_per_month, 4), AEND = round(ends / days_per_month, 4),
    ECOG = ecog_rows, PROGFL = ifelse(prog_i & starts >= p_day, "Y", "N"),
    stringsAsFactors = FALSE)
  xo_rows[[i]] <- data.frame(
    USUBJID = adsl$USUBJID[i], AVAL = round(obs_day / days_per_month, 4), CNSR = if (died_i) 0L else 1L,
    EVNTDESC = if (died_i) "Death" else if (obs_day == admin_days[i]) "Censored at data cut-off" else
      "Censored at last known alive",
    XOFL = if (!is.na(sw_day)) "Y" else "N",
    XOTM = if (!is.na(sw_day)) round(sw_day / days_per_month, 4) else NA,
    PDFL = if (prog_i) "Y" else "N", PDTM = if (prog_i) round(p_day / days_per_month, 4) else NA,
    ECOGBL = bl_ecog[i],
    ECOGPD = if (prog_i) xo_tv[[i]]$ECOG[match(round(p_day / days_per_month, 4), xo_tv[[i]]$ASTART)] else NA,
    DCOTM = round(admin_days[i] / days_per_month, 4), stringsAsFactors = FALSE)
}
xo <- do.call(rbind, xo_rows)
stopifnot(all(xo$DCOTM >= xo$AVAL), all(is.na(xo$XOTM) | xo$XOTM < xo$AVAL),
          all(is.na(xo$PDTM) | xo$PDTM < xo$AVAL | xo$CNSR == 1))
adtte_xo <- data.frame(
  STUDYID = "CABINET-SIM", USUBJID = xo$USUBJID, PARAMCD = "OS",
  PARAM = "Overall survival, crossover scenario (months)", AVAL = xo$AVAL, CNSR = xo$CNSR,
  EVNTDESC = xo$EVNTDESC, TRT01P = arm_p, COHORT = adsl$COHORT, STRAT1R = adsl$STRAT1R,
  STRAT2R = adsl$STRAT2R, XOFL = xo$XOFL, XOTM = xo$XOTM, PDFL = xo$PDFL, PDTM = xo$PDTM,
  ECOGBL = xo$ECOGBL, ECOGPD = xo$ECOGPD, DCOTM = xo$DCOTM, stringsAsFactors = FALSE)
adtte_xo <- adtte_xo[order(adtte_xo$USUBJID), ]
adtv_xo <- do.call(rbind, xo_tv)
adtv_xo <- cbind(STUDYID = "CABINET-SIM", adtv_xo[order(adtv_xo$USUBJID, adtv_xo$ASTART), ])

# Written next to this script whatever the working directory.
args <- commandArgs(trailingOnly = FALSE)
file_arg <- sub("^--file=", "", args[grep("^--file=", args)])
out_dir <- if (length(file_arg)) dirname(normalizePath(file_arg)) else "."
write.csv(adsl, file.path(out_dir, "adsl.csv"), row.names = FALSE, quote = TRUE, na = "")
write.csv(adtte, file.path(out_dir, "adtte.csv"), row.names = FALSE, quote = TRUE)
write.csv(adae, file.path(out_dir, "adae.csv"), row.names = FALSE, quote = TRUE, na = "")
write.csv(adex, file.path(out_dir, "adex.csv"), row.names = FALSE, quote = TRUE, na = "")
write.csv(adrs, file.path(out_dir, "adrs.csv"), row.names = FALSE, quote = TRUE, na = "")
write.csv(adtte_dor, file.path(out_dir, "adtte_dor.csv"), row.names = FALSE, quote = TRUE, na = "")
write.csv(adqs, file.path(out_dir, "adqs.csv"), row.names = FALSE, quote = TRUE, na = "")
write.csv(adtte_xo, file.path(out_dir, "adtte_xo.csv"), row.names = FALSE, quote = TRUE, na = "")
write.csv(adtv_xo, file.path(out_dir, "adtv_xo.csv"), row.names = FALSE, quote = TRUE, na = "")
cat(sprintf(paste0("wrote %d subjects to adsl.csv, %d records to adtte.csv, %d to adae.csv, %d to ",
                   "adex.csv, %d to adrs.csv, %d to adtte_dor.csv and %d to adqs.csv in %s\n"),
            nrow(adsl), nrow(adtte), nrow(adae), nrow(adex), nrow(adrs), nrow(adtte_dor),
            nrow(adqs), out_dir))
