# Reference values for `hazard report --design FILE --look K` (tests/cli/report_design.sh): the
# inference after a group-sequential stop for the bundled example trial (examples/cabinet, SIMULATED
# data), per cohort, from R survival (the stratified log-rank z and events of each cohort) and rpact
# (getAnalysisResults, getFinalPValue, getFinalConfidenceInterval, getRepeatedPValues,
# getRepeatedConfidenceIntervals). Run: Rscript make_report_after_stop.R  (writes
# report_after_stop.json here).
#
# Every case records its R calls as strings; they are evaluated from those strings.
# hazard takes the report's data as look K of the design: the events of the stratified log-rank
# test (both arms) and its z, the earlier looks at the design's planned events (z unknown: the
# trial went on past them), the efficacy bound recomputed at the observed fraction d_K / D_max, and
# the design's allocation ratio. rpact computes against the design's information rates, so its
# design is given informationRates = (planned fractions before K, d_K / D_max, planned fractions
# after K): the bounds of looks 1..K depend on t_1..t_K only, and the spending is that of the
# design. The earlier looks enter the dataset with overallLogRanks 0 (no bound crossed). The root
# searches run with tolerance = 1e-12 (rpact's default 1e-6 is far coarser than its integration).
suppressPackageStartupMessages({library(rpact); library(survival)})
library(jsonlite)
options(rpact.log.level = "DISABLED")

versions <- list(R = R.version.string, rpact = as.character(packageVersion("rpact")),
                 survival = as.character(packageVersion("survival")))
here <- function(f) {
  args <- commandArgs(trailingOnly = FALSE)
  file <- sub("^--file=", "", args[grep("^--file=", args)])
  dir <- if (length(file)) dirname(normalizePath(file)) else "."
  file.path(dir, f)
}

# The report's stratified log-rank test per cohort: PFS rows of the cohort, Cabozantinib against
# Placebo, strata STRAT1R x STRAT2R (hazard report --strata STRAT1R,STRAT2R).
adtte <- read.csv(here("../../../examples/cabinet/adtte.csv"))
logrank_call <- paste0(
  "survdiff(Surv(AVAL, 1 - CNSR) ~ factor(TRT01P, levels = c('Placebo', 'Cabozantinib')) + ",
  "strata(STRAT1R, STRAT2R), data = subset(adtte, PARAMCD == 'PFS' & COHORT == cohort))")
logrank_of <- function(cohort) {
  sd <- eval(parse(text = logrank_call))
  o <- rowSums(sd$obs); e <- rowSums(sd$exp)
  list(events = sum(o), z = unname((o[2] - e[2]) / sqrt(sd$var[2, 2])))
}

# One cohort of one case. `design_args`: rpact's getDesignGroupSequential arguments without the
# information rates; `rates`: the design's planned information fractions; `dmax`: its maximum events.
cohort_case <- function(cohort, design_args, rates, dmax, look, ratio) {
  lr <- logrank_of(cohort)
  k <- look
  obs_rates <- rates
  obs_rates[k] <- lr$events / dmax
  if (k == length(rates)) obs_rates[k] <- 1  # the final analysis spends all alpha
  design_call <- sprintf("getDesignGroupSequential(%s, informationRates = c(%s))", design_args,
                         paste(format(obs_rates, digits = 17), collapse = ", "))
  events <- c(if (k > 1) dmax * rates[seq_len(k - 1)], lr$events)
  data_call <- sprintf(
    "getDataset(overallEvents = c(%s), overallLogRanks = c(%s), overallAllocationRatios = c(%s))",
    paste(format(events, digits = 17), collapse = ", "),
    paste(format(c(rep(0, k - 1), lr$z), digits = 17), collapse = ", "),
    paste(rep(ratio, k), collapse = ", "))
  d <- eval(parse(text = design_call))
  ds <- eval(parse(text = data_call))
  sr <- getStageResults(d, ds, directionUpper = FALSE)
  fp <- getFinalPValue(sr)
  fci <- getFinalConfidenceInterval(d, ds, directionUpper = FALSE, tolerance = 1e-12)
  rp <- getRepeatedPValues(sr, tolerance = 1e-12)
  rci <- getRepeatedConfidenceIntervals(d, ds, directionUpper = FALSE, tolerance = 1e-12)
  ar <- suppressMessages(getAnalysisResults(d, ds, directionUpper = FALSE))
  crossed <- -lr$z >= d$criticalValues[k]
  stop_here <- !is.na(fp$finalStage) && fp$finalStage == k
  list(cohort = cohort, logrank_call = logrank_call, events = lr$events, z_logrank = lr$z,
       design_call = design_call, data_call = data_call,
       stage_results_call = "getStageResults(d, ds, directionUpper = FALSE)",
       final_p_call = "getFinalPValue(sr)",
       final_ci_call = "getFinalConfidenceInterval(d, ds, directionUpper = FALSE, tolerance = 1e-12)",
       repeated_p_call = "getRepeatedPValues(sr, tolerance = 1e-12)",
       rci_call = "getRepeatedConfidenceIntervals(d, ds, directionUpper = FALSE, tolerance = 1e-12)",
       analysis_call = "getAnalysisResults(d, ds, directionUpper = FALSE)",
       critical_value = d$criticalValues[k], boundary_crossed = crossed,
       final_stage = if (stop_here) k else NA,
       p_stagewise = if (stop_here) fp$pFinal else NA,
       hr_median_unbiased = if (stop_here) fci$medianUnbiased else NA,
       ci_lower = if (stop_here) fci$finalConfidenceInterval[1] else NA,
       ci_upper = if (stop_here) fci$finalConfidenceInterval[2] else NA,
       repeated_p = as.numeric(rp[k]),
       rci_lower = as.numeric(rci[1, k]), rci_upper = as.numeric(rci[2, k]),
       analysis_p_final = as.numeric(ar$finalPValues[k]),
       analysis_median_unbiased = as.numeric(ar$medianUnbiasedEstimates[k]),
       analysis_repeated_p = as.numeric(ar$repeatedPValues[k]))
}

cases <- list()
# design_flags: `hazard design` flags; sample_size_call (when the maximum is not given): rpact's
# maximum number of events, which `hazard design --json` must reproduce (its "events").
add <- function(name, design_flags, design_args, rates, look, ratio, cohorts, report_flags,
                dmax = NULL, sample_size_call = NULL, notes = list()) {
  if (is.null(dmax)) dmax <- eval(parse(text = sample_size_call))$maxNumberOfEvents
  cs <- lapply(cohorts, cohort_case, design_args = design_args, rates = rates, dmax = dmax,
               look = look, ratio = ratio)
  cases[[length(cases) + 1]] <<- list(
    name = name, design_flags = design_flags, report_flags = report_flags, look = look,
    max_events = dmax, sample_size_call = sample_size_call, cohorts = cs, notes = notes)
}

report <- "--where PARAMCD=PFS --time AVAL --cnsr CNSR --group TRT01P --ref Placebo --strata STRAT1R,STRAT2R"
# pNET at look 2 of 3 (O'Brien-Fleming, 2:1, HR 0.5, power 0.9): the efficacy bound is crossed.
add("pNET, OBF 3 looks, stop at look 2",
    "--hr 0.5 --power 0.9 --ratio 2 --looks 3 --spending obf",
    "alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'", c(1/3, 2/3, 1), 2, 2, "pNET",
    paste(report, "--where COHORT=pNET"),
    sample_size_call = paste0("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, ",
                              "beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.5, allocationRatioPlanned = 2)"))
# epNET at look 1 of 4 (O'Brien-Fleming, power for 1000 events): the bound (~5) is not crossed;
# repeated p-value and repeated CI only.
add("epNET, OBF 4 looks (1000 events), look 1 not crossed",
    "--hr 0.6 --ratio 2 --looks 4 --spending obf --events 1000",
    "alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'", c(0.25, 0.5, 0.75, 1), 1, 2, "epNET",
    paste(report, "--where COHORT=epNET"), dmax = 1000)
# pNET at the final look of a Pocock design whose maximum is the cohort's 67 events.
add("pNET, Pocock 2 looks (67 events), final look",
    "--hr 0.5 --ratio 2 --looks 2 --spending pocock --events 67",
    "alpha = 0.025, beta = 0.2, typeOfDesign = 'asP'", c(0.5, 1), 2, 2, "pNET",
    paste(report, "--where COHORT=pNET"), dmax = 67)
# Both cohorts (--by COHORT): Hwang-Shih-DeCani(-4), unequal looks, 450 events, look 2. epNET
# (153 events, above the 135 planned at look 1) is analysed; pNET (67 events) is not a look 2 of this
# design, and the pooled Overall is not a trial of it: both get a note, no number.
add("both cohorts, HSD(-4) 0.3/0.65/1 (450 events), look 2",
    "--hr 0.6 --power 0.9 --ratio 2 --looks 3 --info 0.3,0.65,1 --spending hsd:-4 --events 450",
    "alpha = 0.025, beta = 0.1, typeOfDesign = 'asHSD', gammaA = -4", c(0.3, 0.65, 1), 2, 2, "epNET",
    paste(report, "--by COHORT"), dmax = 450,
    notes = list(pNET = "not above the design's", Overall = "pooled cohorts are not a trial"))

out <- list(generated_by = "tests/reference/design/make_report_after_stop.R", versions = versions,
            data = "examples/cabinet/adtte.csv (SIMULATED)", cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null", na = "null"),
           here("report_after_stop.json"))
