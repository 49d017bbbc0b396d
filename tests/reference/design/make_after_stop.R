# Reference values for inference after a group-sequential stop (hazard monitor: stage-wise ordering
# p-value, median-unbiased estimate, final confidence interval, repeated p-values and repeated
# confidence intervals), from rpact. Run: Rscript make_after_stop.R  (writes after_stop.json here).
#
# Every case records the rpact calls as strings; they are evaluated from those strings.
# rpact computes these for a dataset against the design's planned information rates and bounds;
# hazard recomputes the bounds at the observed events d_j / D_max. The observed events are
# therefore taken at the planned fractions, where both coincide.
# The root searches are run with tolerance = 1e-12 (rpact's default 1e-6 is far coarser than its
# integration); the default-tolerance values of getAnalysisResults are recorded as well
# (analysis_*), for the command-line test.
suppressPackageStartupMessages(library(rpact))
library(jsonlite)
options(rpact.log.level = "DISABLED")

versions <- list(R = R.version.string, rpact = as.character(packageVersion("rpact")))
here <- function(f) {
  args <- commandArgs(trailingOnly = FALSE)
  file <- sub("^--file=", "", args[grep("^--file=", args)])
  dir <- if (length(file)) dirname(normalizePath(file)) else "."
  file.path(dir, f)
}

after_stop_case <- function(design_call, data_call, flags, thetaH0 = 1, note = "") {
  d <- eval(parse(text = design_call))
  ds <- eval(parse(text = data_call))
  k <- ds$getNumberOfStages()
  sr <- getStageResults(d, ds, directionUpper = FALSE, thetaH0 = thetaH0)
  fp <- getFinalPValue(sr)
  fci <- getFinalConfidenceInterval(d, ds, directionUpper = FALSE, thetaH0 = thetaH0,
                                    tolerance = 1e-12)
  rp <- getRepeatedPValues(sr, tolerance = 1e-12)
  rci <- getRepeatedConfidenceIntervals(d, ds, directionUpper = FALSE, tolerance = 1e-12)
  ar <- suppressMessages(getAnalysisResults(d, ds, directionUpper = FALSE, thetaH0 = thetaH0))
  list(design_call = design_call, data_call = data_call, note = note,
       stage_results_call = sprintf("getStageResults(d, ds, directionUpper = FALSE, thetaH0 = %s)", thetaH0),
       final_p_call = "getFinalPValue(sr)",
       final_ci_call = sprintf("getFinalConfidenceInterval(d, ds, directionUpper = FALSE, thetaH0 = %s, tolerance = 1e-12)", thetaH0),
       repeated_p_call = "getRepeatedPValues(sr, tolerance = 1e-12)",
       rci_call = "getRepeatedConfidenceIntervals(d, ds, directionUpper = FALSE, tolerance = 1e-12)",
       analysis_call = sprintf("getAnalysisResults(d, ds, directionUpper = FALSE, thetaH0 = %s)", thetaH0),
       flags = flags, k = k, hr0 = thetaH0,
       final_stage = fp$finalStage, p_final = fp$pFinal,
       median_unbiased = fci$medianUnbiased,
       ci_lower = fci$finalConfidenceInterval[1], ci_upper = fci$finalConfidenceInterval[2],
       repeated_p = as.numeric(rp[1:k]),
       rci_lower = as.numeric(rci[1, 1:k]), rci_upper = as.numeric(rci[2, 1:k]),
       analysis_final_stage = ar$finalStage,
       analysis_p_final = as.numeric(ar$finalPValues[ar$finalStage]),
       analysis_median_unbiased = as.numeric(ar$medianUnbiasedEstimates[ar$finalStage]),
       analysis_ci_lower = as.numeric(ar$finalConfidenceIntervalLowerBounds[ar$finalStage]),
       analysis_ci_upper = as.numeric(ar$finalConfidenceIntervalUpperBounds[ar$finalStage]),
       analysis_repeated_p = as.numeric(ar$repeatedPValues[1:k]))
}

ds_call <- function(events, logranks, ratio) {
  sprintf("getDataset(overallEvents = c(%s), overallLogRanks = c(%s), overallAllocationRatios = c(%s))",
          paste(events, collapse = ", "), paste(logranks, collapse = ", "),
          paste(rep(ratio, length(events)), collapse = ", "))
}
# hazard monitor flags: --z is the efficacy-oriented log-rank z = -overallLogRanks (design HR < 1).
flags_of <- function(design_flags, dmax, events, logranks, ratio, extra = "") {
  trimws(sprintf("%s --ratio %s --max-events %s --events %s --z %s %s", design_flags, ratio, dmax,
                 paste(events, collapse = ","), paste(-logranks, collapse = ","), extra))
}

cases <- list()
add <- function(design_call, design_flags, dmax, events, logranks, ratio, thetaH0 = 1, note = "") {
  extra <- if (thetaH0 != 1) sprintf("--hr0 %s", thetaH0) else ""
  cases[[length(cases) + 1]] <<- after_stop_case(
    design_call, ds_call(events, logranks, ratio),
    flags_of(design_flags, dmax, events, logranks, ratio, extra), thetaH0, note)
}

obf3 <- "getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF')"
obf3_flags <- "--hr 0.6 --power 0.9 --looks 3 --spending obf"
# O'Brien-Fleming, 3 looks: stop at look 1, 2, final rejection, final non-rejection
add(obf3, obf3_flags, 180, 60, -3.9, 2, note = "OBF, stop at look 1")
add(obf3, obf3_flags, 180, c(60, 120), c(-2.1, -2.9), 2, note = "OBF, stop at look 2")
add(obf3, obf3_flags, 180, c(60, 120, 180), c(-1.5, -2.2, -2.1), 1, note = "OBF, rejection at the final look")
add(obf3, obf3_flags, 180, c(60, 120, 180), c(-1.0, -1.2, -1.5), 1, note = "OBF, no rejection at the final look")
# O'Brien-Fleming, 4 looks, 2:1, stop at look 3
add("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF')",
    "--hr 0.7 --power 0.8 --looks 4 --spending obf", 240, c(60, 120, 180), c(-1.2, -2.0, -2.7), 2,
    note = "OBF 4 looks, stop at look 3")
# Pocock: 2 looks stop at 1; 4 looks stop at 3 (2:1); 4 looks final (1:1)
add("getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP')",
    "--hr 0.7 --looks 2 --spending pocock", 200, 100, -2.4, 1, note = "Pocock 2 looks, stop at look 1")
add("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP')",
    "--hr 0.7 --looks 4 --spending pocock", 200, c(50, 100, 150), c(-1.1, -1.9, -2.5), 2,
    note = "Pocock 4 looks, stop at look 3")
add("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP')",
    "--hr 0.7 --looks 4 --spending pocock", 200, c(50, 100, 150, 200), c(-0.8, -1.4, -1.9, -2.45), 1,
    note = "Pocock 4 looks, rejection at the final look")
# Hwang-Shih-DeCani: unequal looks, stop at 2 (1:1); 4 looks, final (2:1); 2 looks stop at 1
add("getDesignGroupSequential(informationRates = c(0.3, 0.65, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'asHSD', gammaA = -4)",
    "--hr 0.65 --power 0.9 --looks 3 --info 0.3,0.65,1 --spending hsd:-4", 200, c(60, 130), c(-1.4, -2.6), 1,
    note = "HSD(-4) unequal looks, stop at look 2")
add("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.2, typeOfDesign = 'asHSD', gammaA = -2)",
    "--hr 0.7 --looks 4 --spending hsd:-2", 240, c(60, 120, 180, 240), c(-1.0, -1.6, -2.0, -2.3), 2,
    note = "HSD(-2) 4 looks, rejection at the final look")
add("getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asHSD', gammaA = 1)",
    "--hr 0.7 --looks 2 --spending hsd:1", 200, 100, -2.6, 2, note = "HSD(1) 2 looks, stop at look 1")
# Haybittle-Peto: CABINET-like 2:1 (0.33/0.66), stop at look 2; bound 3 (rpact's default
# constantBoundsHP, which its repeated p-value at the final look uses) 1:1, final look
add("getDesignGroupSequential(informationRates = c(0.33, 0.66, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'HP', constantBoundsHP = qnorm(1 - 0.001))",
    "--hr 0.6 --power 0.9 --looks 3 --info 0.33,0.66,1 --spending hp:0.001", 200, c(66, 132), c(-2.1, -3.3), 2,
    note = "Haybittle-Peto 0.001 (CABINET-like), stop at look 2")
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'HP', constantBoundsHP = 3)",
    "--hr 0.6 --power 0.9 --looks 3 --spending hp:0.0013498980316300946", 180, c(60, 120, 180), c(-1.8, -2.2, -2.4), 1,
    note = "Haybittle-Peto bound 3, final look")
# binding futility (beta spending): efficacy stop at look 2; futility stop at look 1
bind <- "getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF', typeBetaSpending = 'bsOF', bindingFutility = TRUE)"
bind_flags <- "--hr 0.6 --power 0.9 --looks 3 --spending obf --futility obf --binding"
add(bind, bind_flags, 180, c(60, 120), c(-1.2, -2.7), 1, note = "binding futility, efficacy stop at look 2")
add(bind, bind_flags, 180, c(60, 120), c(-0.2, 0.3), 1, note = "binding futility, futility stop at look 2")
# non-inferiority margin (thetaH0 = 1.2), stop at look 2
add(obf3, paste(obf3_flags, ""), 180, c(60, 120), c(-1.5, -2.0), 2, thetaH0 = 1.2,
    note = "OBF, null HR 1.2 (non-inferiority), stop at look 2")

# Wang-Tsiatis (deltaWT 0.25) and user-defined spending, stop at look 2
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'WT', deltaWT = 0.25)",
    "--hr 0.7 --looks 3 --spending wt:0.25", 180, c(60, 120), c(-1.5, -2.5), 1,
    note = "Wang-Tsiatis 0.25, stop at look 2")
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asUser', userAlphaSpending = c(0.001, 0.01, 0.025))",
    "--hr 0.7 --looks 3 --spending user:0.001,0.01,0.025", 180, c(60, 120), c(-1.5, -2.5), 2,
    note = "user spending, stop at look 2")
# non-inferiority: true HR 1 (design), margin 1.3, rejection at look 2
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF')",
    "--hr 1 --looks 3 --spending obf", 300, c(100, 200), c(0.2, -1.0), 1, thetaH0 = 1.3,
    note = "non-inferiority (margin 1.3), stop at look 2")
# two-sided designs: benefit crossing at look 2 (2:1), harm crossing at look 1 (1:1)
add("getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'asP')",
    "--hr 0.7 --sided 2 --alpha 0.05 --looks 3 --spending pocock", 180, c(60, 120), c(-1.2, -2.5), 2,
    note = "two-sided Pocock, stop at look 2")
add("getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'asOF')",
    "--hr 0.7 --sided 2 --alpha 0.05 --looks 3 --spending obf", 180, c(60, 120, 180), c(-1.2, -1.5, -2.1), 1,
    note = "two-sided OBF, rejection at the final look")

# ---------------------------------------------------------------- looks cut from patient data
# A simulated trial (seed 11), 1:1, true HR 0.5, control median 8 months, uniform entry over 24
# months. monitor_data.csv has the entry as a calendar time in months (entry) and as SAS dates
# (RANDDT, ADT = the date of the event or censoring). Each look is the data as of the calendar time
# of the d-th event (by entry + time), or as of a date; the log-rank z comes from survdiff.
set.seed(11)
n <- 260
arm <- rep(c("control", "experimental"), length.out = n)
entry <- round(runif(n, 0, 24), 4)
time <- round(rexp(n, ifelse(arm == "experimental", 0.5, 1) * log(2) / 8), 4)
cens <- round(runif(n, 6, 60), 4)
status <- as.integer(time <= cens)
time <- pmin(time, cens)
day0 <- as.numeric(as.Date("2020-01-06") - as.Date("1960-01-01"))
randdt <- day0 + floor(entry * 30.4375)
adt <- randdt + pmax(1, round(time * 30.4375))
dat <- data.frame(id = seq_len(n), arm = arm, entry = entry, time = time, status = status,
                  RANDDT = randdt, ADT = adt)
write.csv(dat, here("monitor_data.csv"), row.names = FALSE, quote = FALSE)

cut_look <- function(start, stop, status, cal, cut) {
  keep <- start <= cut
  end <- start + stop * cal
  ev <- status == 1 & end <= cut
  t <- ifelse(end <= cut, stop, (cut - start) / cal)
  d <- data.frame(t = t[keep], ev = as.integer(ev[keep]), arm = arm[keep])
  sd <- survival::survdiff(survival::Surv(t, ev) ~ arm, data = d)
  # (O - E) / sqrt(V) of the experimental arm (second level)
  z <- (sd$obs[2] - sd$exp[2]) / sqrt(sd$var[2, 2])
  list(cut = cut, subjects = sum(keep), not_yet_randomized = sum(!keep), events = sum(d$ev), z = z)
}
data_case <- function(looks, design_call, flags, note) {
  d <- eval(parse(text = design_call))
  events <- sapply(looks, `[[`, "events")
  z <- sapply(looks, `[[`, "z")
  ds_c <- sprintf("getDataset(overallEvents = c(%s), overallLogRanks = c(%s), overallAllocationRatios = c(%s))",
                  paste(events, collapse = ", "), paste(sprintf("%.17g", z), collapse = ", "),
                  paste(rep(1, length(events)), collapse = ", "))
  ds <- eval(parse(text = ds_c))
  sr <- getStageResults(d, ds, directionUpper = FALSE)
  fp <- getFinalPValue(sr)
  fci <- getFinalConfidenceInterval(d, ds, directionUpper = FALSE, tolerance = 1e-12)
  rp <- getRepeatedPValues(sr, tolerance = 1e-12)
  list(note = note, flags = flags, design_call = design_call, data_call = ds_c,
       survdiff_call = "survdiff(Surv(t, ev) ~ arm) on the data as of each cut",
       looks = looks, final_stage = fp$finalStage, p_final = fp$pFinal,
       median_unbiased = fci$medianUnbiased, ci_lower = fci$finalConfidenceInterval[1],
       ci_upper = fci$finalConfidenceInterval[2], repeated_p = as.numeric(rp[seq_along(looks)]))
}
cal_events <- sort((entry + time)[status == 1])
looks_e <- lapply(c(40, 80), function(k) cut_look(entry, time, status, 1, cal_events[k]))
dates <- c("2021-02-01", "2021-07-15")
sas <- as.numeric(as.Date(dates) - as.Date("1960-01-01"))
looks_d <- lapply(sas, function(c) cut_look(randdt, (adt - randdt) / 30.4375, status, 30.4375, c))
for (i in seq_along(looks_d)) looks_d[[i]]$cut_date <- dates[i]
obf120 <- "getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF')"
data_cases <- list(
  data_case(looks_e, obf120,
            "--hr 0.6 --power 0.9 --looks 3 --spending obf --max-events 120 --data monitor_data.csv --time time --event status --group arm --ref control --entry entry --looks-events 40,80",
            "looks at the 40th and 80th event (calendar = entry + time, months)"),
  # cut by dates: the events at the cuts are whatever the data have, so the design is taken
  # with those fractions of 120 planned events
  data_case(looks_d,
            sprintf("getDesignGroupSequential(informationRates = c(%s, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF')",
                    paste(sapply(looks_d, `[[`, "events"), "/ 120", collapse = ", ")),
            sprintf("--hr 0.6 --power 0.9 --looks 3 --spending obf --max-events 120 --data monitor_data.csv --time-from RANDDT --time-to ADT --units months --event status --group arm --ref control --looks-dates %s",
                    paste(dates, collapse = ",")),
            "looks at two calendar dates (RANDDT/ADT, time in months)"))

write_json(list(versions = versions, cases = cases, data_cases = data_cases),
           here("after_stop.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
