# Reference values for hazard's group-sequential design code (tests/unit/design/*_test.cpp), from
# rpact. Run: Rscript make_design.R  (writes boundaries.json, survival.json, monitor.json here).
# Every case records the exact rpact call as a string; it is evaluated from that string.
suppressPackageStartupMessages(library(rpact))
library(jsonlite)

versions <- list(R = R.version.string, rpact = as.character(packageVersion("rpact")))
here <- function(f) {
  args <- commandArgs(trailingOnly = FALSE)
  file <- sub("^--file=", "", args[grep("^--file=", args)])
  dir <- if (length(file)) dirname(normalizePath(file)) else "."
  file.path(dir, f)
}
na_to_null <- function(x) if (is.null(x)) NULL else as.numeric(x)

# ---------------------------------------------------------------- boundaries
# spec: our --spending / --futility names next to the rpact call.
boundary_case <- function(call, spending, futility = NA, binding = FALSE) {
  d <- eval(parse(text = call))
  ch <- getDesignCharacteristics(d)
  K <- d$kMax
  fut <- if (K > 1) as.numeric(d$futilityBounds) else numeric(0)
  list(call = call, spending = spending, futility = futility, binding = binding,
       alpha = d$alpha, beta = d$beta, info = as.numeric(d$informationRates),
       z_efficacy = as.numeric(d$criticalValues),
       z_futility = fut,
       alpha_spent = as.numeric(d$alphaSpent),
       shift = ch$shift, inflation = ch$inflationFactor,
       cum_power = as.numeric(ch$power),
       reject_h1 = as.numeric(ch$rejectionProbabilities),
       futility_h1 = if (K > 1) as.numeric(ch$futilityProbabilities) else numeric(0),
       asn_h1 = ch$averageSampleNumber1, asn_h01 = ch$averageSampleNumber01,
       asn_h0 = ch$averageSampleNumber0)
}

b <- list()
add <- function(...) b[[length(b) + 1]] <<- boundary_case(...)
# every spending type, 1-5 looks
for (K in 1:5) {
  add(sprintf("getDesignGroupSequential(kMax = %d, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF')", K), "obf")
}
for (K in 2:5) {
  add(sprintf("getDesignGroupSequential(kMax = %d, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP')", K), "pocock")
  add(sprintf("getDesignGroupSequential(kMax = %d, alpha = 0.025, beta = 0.2, typeOfDesign = 'asHSD', gammaA = -4)", K), "hsd:-4")
  add(sprintf("getDesignGroupSequential(kMax = %d, alpha = 0.025, beta = 0.2, typeOfDesign = 'asKD', gammaA = 3)", K), "kd:3")
  add(sprintf("getDesignGroupSequential(kMax = %d, alpha = 0.025, beta = 0.1, typeOfDesign = 'HP', constantBoundsHP = qnorm(1 - 0.001))", K), "hp:0.001")
}
add("getDesignGroupSequential(kMax = 3, alpha = 0.05, beta = 0.2, typeOfDesign = 'asHSD', gammaA = 1)", "hsd:1")
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asHSD', gammaA = 0)", "hsd:0")
add("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.1, typeOfDesign = 'asKD', gammaA = 1)", "kd:1")
add("getDesignGroupSequential(kMax = 2, alpha = 0.01, beta = 0.1, typeOfDesign = 'HP', constantBoundsHP = qnorm(1 - 0.0005))", "hp:0.0005")
# unequal information
add("getDesignGroupSequential(informationRates = c(0.25, 0.6, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF')", "obf")
add("getDesignGroupSequential(informationRates = c(0.4, 1), alpha = 0.025, beta = 0.2, typeOfDesign = 'asP')", "pocock")
add("getDesignGroupSequential(informationRates = c(0.2, 0.45, 0.7, 1), alpha = 0.025, beta = 0.15, typeOfDesign = 'asHSD', gammaA = -2)", "hsd:-2")
add("getDesignGroupSequential(informationRates = c(0.33, 0.66, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'HP', constantBoundsHP = qnorm(1 - 0.001))", "hp:0.001")
# futility by beta spending, non-binding and binding
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF', typeBetaSpending = 'bsOF')", "obf", "obf", FALSE)
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF', typeBetaSpending = 'bsOF', bindingFutility = TRUE)", "obf", "obf", TRUE)
add("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP', typeBetaSpending = 'bsP')", "pocock", "pocock", FALSE)
add("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP', typeBetaSpending = 'bsP', bindingFutility = TRUE)", "pocock", "pocock", TRUE)
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asHSD', gammaA = -4, typeBetaSpending = 'bsHSD', gammaB = -2)", "hsd:-4", "hsd:-2", FALSE)
add("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asHSD', gammaA = -4, typeBetaSpending = 'bsHSD', gammaB = -2, bindingFutility = TRUE)", "hsd:-4", "hsd:-2", TRUE)
add("getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asKD', gammaA = 2, typeBetaSpending = 'bsKD', gammaB = 2)", "kd:2", "kd:2", FALSE)
add("getDesignGroupSequential(informationRates = c(0.3, 0.7, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF', typeBetaSpending = 'bsKD', gammaB = 3, bindingFutility = TRUE)", "obf", "kd:3", TRUE)
add("getDesignGroupSequential(kMax = 5, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF', typeBetaSpending = 'bsOF')", "obf", "obf", FALSE)
# tiny first information fractions (issue 19): O'Brien-Fleming spends nothing there and rpact
# reports an infinite bound (written as null by jsonlite); Pocock spends a little
add("getDesignGroupSequential(informationRates = c(1e-12, 1), alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF')", "obf")
add("getDesignGroupSequential(informationRates = c(1e-6, 1), alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF')", "obf")
add("getDesignGroupSequential(informationRates = c(1e-12, 1), alpha = 0.025, beta = 0.2, typeOfDesign = 'asP')", "pocock")
add("getDesignGroupSequential(informationRates = c(1e-12, 0.5, 1), alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF', typeBetaSpending = 'bsOF')", "obf", "obf", FALSE)

# ---------------------------------------------------------------- survival sample size
survival_case <- function(call, flags) {
  s <- eval(parse(text = call))
  d <- s$.design
  K <- d$kMax
  ev <- as.numeric(s$eventsPerStage)
  if (K == 1) ev <- as.numeric(s$eventsFixed)
  # effect scale: rpact orients by directionUpper (FALSE for HR < 1)
  hr_b <- as.numeric(s$criticalValuesEffectScale)
  out <- list(call = call, flags = flags, events = ev,
              events_fixed = as.numeric(s$eventsFixed),
              hr_boundary = hr_b)
  if (K > 1) {
    out$expected_events_h1 <- as.numeric(s$expectedEventsH1)
    out$expected_events_h0 <- as.numeric(s$expectedEventsH0)
    out$expected_events_h01 <- as.numeric(s$expectedEventsH01)
    if (any(d$futilityBounds > -6)) out$hr_futility <- as.numeric(s$futilityBoundsEffectScale)
  }
  if (!is.null(s$analysisTime) && !all(is.na(s$analysisTime))) {
    out$sample_size <- as.numeric(s$maxNumberOfSubjects)
    out$time <- as.numeric(s$analysisTime)
    out$subjects <- as.numeric(s$numberOfSubjects)
    out$follow_up <- as.numeric(s$followUpTime)
    out$accrual_end <- as.numeric(s$totalAccrualTime)
    if (K > 1) {
      out$expected_duration_h1 <- as.numeric(s$studyDurationH1)
      out$expected_sample_size_h1 <- as.numeric(s$expectedNumberOfSubjectsH1)
    }
  }
  out
}
s <- list()
adds <- function(...) s[[length(s) + 1]] <<- survival_case(...)
for (m in c("Schoenfeld", "Freedman", "HsiehFreedman")) {
  flag <- c(Schoenfeld = "schoenfeld", Freedman = "freedman", HsiehFreedman = "hsieh")[[m]]
  for (r in c(1, 2)) {
    adds(sprintf("getSampleSizeSurvival(getDesignGroupSequential(kMax = 1, alpha = 0.025, beta = 0.1), typeOfComputation = '%s', hazardRatio = 0.7, allocationRatioPlanned = %d, median2 = 10, accrualTime = c(0, 12), followUpTime = 12)", m, r),
         sprintf("--hr 0.7 --alpha 0.025 --power 0.9 --ratio %d --method %s --median-control 10 --accrual-time 12 --follow-up 12", r, flag))
    adds(sprintf("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), typeOfComputation = '%s', hazardRatio = 0.65, allocationRatioPlanned = %d, median2 = 8, accrualTime = c(0, 18), followUpTime = 6)", m, r),
         sprintf("--hr 0.65 --alpha 0.025 --power 0.8 --ratio %d --method %s --looks 3 --spending obf --median-control 8 --accrual-time 18 --follow-up 6", r, flag))
  }
}
# CABINET-like: 2:1, looks at 33%/66%/100%, Haybittle-Peto 0.001
adds("getSampleSizeSurvival(getDesignGroupSequential(informationRates = c(0.33, 0.66, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'HP', constantBoundsHP = qnorm(1 - 0.001)), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 24), followUpTime = 12)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --info 0.33,0.66,1 --spending hp:0.001 --median-control 4.4 --accrual-time 24 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 24), followUpTime = 12)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --median-control 4.4 --accrual-time 24 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asP'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 24), followUpTime = 12, dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending pocock --median-control 4.4 --accrual-time 24 --follow-up 12 --dropout 0.1")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 0.75, median2 = 12, median1 = 16, accrualTime = c(0, 30), followUpTime = 18, dropoutRate1 = 0.05, dropoutRate2 = 0.05, dropoutTime = 24)",
     "--median-experimental 16 --alpha 0.025 --power 0.8 --looks 2 --spending obf --median-control 12 --accrual-time 30 --follow-up 18 --dropout 0.05 --dropout-time 24")
# a hazard ratio above 1 (benefit = higher hazard), Freedman with futility
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 1.5, median2 = 10, accrualTime = c(0, 12), followUpTime = 12)",
     "--hr 1.5 --alpha 0.025 --power 0.8 --looks 2 --spending obf --median-control 10 --accrual-time 12 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asP', typeBetaSpending = 'bsP'), typeOfComputation = 'Freedman', hazardRatio = 0.7, allocationRatioPlanned = 2, median2 = 9, accrualTime = c(0, 15), followUpTime = 9, dropoutRate1 = 0.05, dropoutRate2 = 0.05)",
     "--hr 0.7 --alpha 0.025 --power 0.9 --ratio 2 --method freedman --looks 3 --spending pocock --futility pocock --median-control 9 --accrual-time 15 --follow-up 9 --dropout 0.05")
# futility, binding and non-binding, with timing
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF', typeBetaSpending = 'bsOF'), hazardRatio = 0.7, allocationRatioPlanned = 1, median2 = 6, accrualTime = c(0, 20), followUpTime = 10)",
     "--hr 0.7 --alpha 0.025 --power 0.9 --looks 3 --spending obf --futility obf --median-control 6 --accrual-time 20 --follow-up 10")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF', typeBetaSpending = 'bsOF', bindingFutility = TRUE), hazardRatio = 0.7, allocationRatioPlanned = 2, median2 = 6, accrualTime = c(0, 20), followUpTime = 10)",
     "--hr 0.7 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --futility obf --binding --median-control 6 --accrual-time 20 --follow-up 10")
# piecewise accrual: relative intensities, absolute with closed accrual (follow-up solved),
# absolute with an open last piece (end of accrual solved)
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 6, 24), accrualIntensity = c(0.25, 0.5), followUpTime = 12)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --median-control 4.4 --accrual-time 6,24 --accrual-rate 0.25,0.5 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 6, 24), accrualIntensity = c(5, 10))",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --median-control 4.4 --accrual-time 6,24 --accrual-rate 5,10")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 24), accrualIntensity = 10, dropoutRate1 = 0.1, dropoutRate2 = 0.1)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --median-control 4.4 --accrual-time 24 --accrual-rate 10 --dropout 0.1")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 6), accrualIntensity = c(5, 10), followUpTime = 12)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --median-control 4.4 --accrual-time 6 --accrual-rate 5,10 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP'), hazardRatio = 0.7, median2 = 10, accrualTime = 0, accrualIntensity = 20, followUpTime = 6)",
     "--hr 0.7 --alpha 0.025 --power 0.8 --looks 2 --spending pocock --median-control 10 --accrual-rate 20 --follow-up 6")
# extreme control medians (issue 19): the event probabilities are tiny, and hazard's closed form
# must not cancel (a median of 1e10 gave a negative sample size)
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 1, alpha = 0.025, beta = 0.2), hazardRatio = 0.7, median2 = 1e4, accrualTime = c(0, 12), followUpTime = 12)",
     "--hr 0.7 --alpha 0.025 --power 0.8 --median-control 1e4 --accrual-time 12 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 1, alpha = 0.025, beta = 0.2), hazardRatio = 0.7, median2 = 1e10, accrualTime = c(0, 12), followUpTime = 12)",
     "--hr 0.7 --alpha 0.025 --power 0.8 --median-control 1e10 --accrual-time 12 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 0.7, median2 = 1e6, accrualTime = c(0, 12), followUpTime = 12)",
     "--hr 0.7 --alpha 0.025 --power 0.8 --looks 3 --spending obf --median-control 1e6 --accrual-time 12 --follow-up 12")

# ---------------------------------------------------------------- monitoring: bounds at observed events
# Lan-DeMets bounds at observed fractions t_j = d_j / D_max equal rpact's bounds for a design with
# those information rates (the first k looks depend on t_1..t_k only).
monitor_case <- function(call, k, flags) {
  d <- eval(parse(text = call))
  list(call = call, k = k, flags = flags, info = as.numeric(d$informationRates[1:k]),
       z_efficacy = as.numeric(d$criticalValues[1:k]),
       cum_alpha = as.numeric(d$alphaSpent[1:k]))
}
mo <- list()
addm <- function(...) mo[[length(mo) + 1]] <<- monitor_case(...)
addm("getDesignGroupSequential(informationRates = c(64, 130, 200) / 200, alpha = 0.025, typeOfDesign = 'asOF')", 2,
     "--hr 0.6 --looks 3 --spending obf --max-events 200 --events 64,130 --z 1,2")
addm("getDesignGroupSequential(informationRates = c(50, 95, 150, 200) / 200, alpha = 0.025, typeOfDesign = 'asP')", 3,
     "--hr 0.6 --looks 4 --spending pocock --max-events 200 --events 50,95,150 --z 1,1,1")
addm("getDesignGroupSequential(informationRates = c(70, 200) / 200, alpha = 0.025, typeOfDesign = 'asHSD', gammaA = -4)", 1,
     "--hr 0.6 --looks 2 --spending hsd:-4 --max-events 200 --events 70 --z 1")
addm("getDesignGroupSequential(informationRates = c(61, 118, 183) / 183, alpha = 0.025, typeOfDesign = 'HP', constantBoundsHP = qnorm(1 - 0.001))", 3,
     "--hr 0.6 --looks 3 --info 0.33,0.66,1 --spending hp:0.001 --max-events 183 --events 61,118,183 --z 1,1,2")

# Conditional power (under thetaH1 and under the trend) and repeated confidence intervals from
# rpact's getAnalysisResults, at analyses taken exactly at the planned fractions (rpact keeps the
# design's bounds; hazard recomputes them at the observed events, which then coincide).
analysis_case <- function(design_call, data_call, cp_call_h1, cp_call_trend, flags) {
  d <- eval(parse(text = design_call))
  ds <- eval(parse(text = data_call))
  r1 <- suppressMessages(eval(parse(text = cp_call_h1)))
  r2 <- suppressMessages(eval(parse(text = cp_call_trend)))
  k <- ds$getNumberOfStages()
  list(design_call = design_call, data_call = data_call, call_h1 = cp_call_h1,
       call_trend = cp_call_trend, flags = flags,
       cp_h1 = as.numeric(r1$conditionalPower[d$kMax]),
       cp_trend = as.numeric(r2$conditionalPower[d$kMax]),
       rci_lower = as.numeric(r1$repeatedConfidenceIntervalLowerBounds[1:k]),
       rci_upper = as.numeric(r1$repeatedConfidenceIntervalUpperBounds[1:k]))
}
an <- list()
options(rpact.log.level = "DISABLED")
an[[1]] <- analysis_case(
  "getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF')",
  "getDataset(overallEvents = c(60, 120), overallLogRanks = c(-2.1, -2.4), overallAllocationRatios = c(2, 2))",
  "getAnalysisResults(d, ds, directionUpper = FALSE, thetaH1 = 0.6, nPlanned = 60, allocationRatioPlanned = 2)",
  "getAnalysisResults(d, ds, directionUpper = FALSE, nPlanned = 60, allocationRatioPlanned = 2)",
  "--hr 0.6 --power 0.9 --ratio 2 --looks 3 --spending obf --max-events 180 --events 60,120 --z 2.1,2.4")
an[[2]] <- analysis_case(
  "getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP')",
  "getDataset(overallEvents = c(50), overallLogRanks = c(-1.3), overallAllocationRatios = c(1))",
  "getAnalysisResults(d, ds, directionUpper = FALSE, thetaH1 = 0.7, nPlanned = c(50, 50, 50), allocationRatioPlanned = 1)",
  "getAnalysisResults(d, ds, directionUpper = FALSE, nPlanned = c(50, 50, 50), allocationRatioPlanned = 1)",
  "--hr 0.7 --power 0.8 --ratio 1 --looks 4 --spending pocock --max-events 200 --events 50 --z 1.3")

# a null HR margin (thetaH0 = 1.2): the statistic against the margin drives the conditional power
an[[3]] <- analysis_case(
  "getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF')",
  "getDataset(overallEvents = c(60), overallLogRanks = c(-1.5), overallAllocationRatios = c(2))",
  "getAnalysisResults(d, ds, directionUpper = FALSE, thetaH0 = 1.2, thetaH1 = 0.6, nPlanned = c(60, 60), allocationRatioPlanned = 2)",
  "getAnalysisResults(d, ds, directionUpper = FALSE, thetaH0 = 1.2, nPlanned = c(60, 60), allocationRatioPlanned = 2)",
  "--hr 0.6 --hr0 1.2 --power 0.9 --ratio 2 --looks 3 --spending obf --max-events 180 --events 60 --z 1.5")

write_json(list(versions = versions, cases = an), here("analysis.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
write_json(list(versions = versions, cases = b), here("boundaries.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
write_json(list(versions = versions, cases = s), here("survival.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
write_json(list(versions = versions, cases = mo), here("monitor.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
