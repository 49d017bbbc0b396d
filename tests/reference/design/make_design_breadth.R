# Reference values for the breadth of hazard design (tests/unit/design/*_test.cpp,
# tests/cli/design.sh), from rpact: Wang-Tsiatis and user-defined alpha spending, two-sided designs,
# non-inferiority and superiority margins (thetaH0), power for given events or sample size
# (getPowerSurvival), subjects per arm, and the design at whole numbers of events and subjects.
# Run: Rscript make_design_breadth.R  (writes breadth.json here).
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

# ---------------------------------------------------------------- boundaries and characteristics
boundary_case <- function(call, spending, futility = NA, binding = FALSE) {
  d <- eval(parse(text = call))
  ch <- getDesignCharacteristics(d)
  K <- d$kMax
  list(call = call, spending = spending, futility = futility, binding = binding, sided = d$sided,
       alpha = d$alpha, beta = d$beta, info = as.numeric(d$informationRates),
       z_efficacy = as.numeric(d$criticalValues),
       z_futility = if (K > 1) as.numeric(d$futilityBounds) else numeric(0),
       alpha_spent = as.numeric(d$alphaSpent),
       shift = ch$shift, inflation = ch$inflationFactor,
       cum_power = as.numeric(ch$power), reject_h1 = as.numeric(ch$rejectionProbabilities),
       futility_h1 = if (K > 1) as.numeric(ch$futilityProbabilities) else numeric(0),
       asn_h1 = ch$averageSampleNumber1, asn_h01 = ch$averageSampleNumber01,
       asn_h0 = ch$averageSampleNumber0)
}
b <- list()
addb <- function(...) b[[length(b) + 1]] <<- boundary_case(...)
# Wang-Tsiatis delta boundaries (rpact typeOfDesign "WT"; delta 0 = O'Brien-Fleming, 0.5 = Pocock)
addb("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'WT', deltaWT = 0.25)", "wt:0.25")
addb("getDesignGroupSequential(kMax = 4, alpha = 0.025, beta = 0.1, typeOfDesign = 'WT', deltaWT = 0)", "wt:0")
addb("getDesignGroupSequential(informationRates = c(0.4, 1), alpha = 0.025, beta = 0.2, typeOfDesign = 'WT', deltaWT = 0.5)", "wt:0.5")
addb("getDesignGroupSequential(informationRates = c(0.3, 0.6, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'WT', deltaWT = 0.1)", "wt:0.1")
# user-defined alpha spending (rpact "asUser")
addb("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asUser', userAlphaSpending = c(0.001, 0.01, 0.025))", "user:0.001,0.01,0.025")
addb("getDesignGroupSequential(informationRates = c(0.25, 0.5, 0.75, 1), alpha = 0.025, beta = 0.1, typeOfDesign = 'asUser', userAlphaSpending = c(0.0005, 0.003, 0.012, 0.025))", "user:0.0005,0.003,0.012,0.025")
addb("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asUser', userAlphaSpending = c(0.001, 0.01, 0.025), typeBetaSpending = 'bsOF')", "user:0.001,0.01,0.025", "obf", FALSE)
addb("getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asUser', userAlphaSpending = c(0.001, 0.01, 0.025), typeBetaSpending = 'bsP', bindingFutility = TRUE)", "user:0.001,0.01,0.025", "pocock", TRUE)
# two-sided designs (sided = 2: alpha is the two-sided total, bounds +-c_k, power of the upper side)
addb("getDesignGroupSequential(kMax = 1, sided = 2, alpha = 0.05, beta = 0.2)", "obf")
addb("getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'asOF')", "obf")
addb("getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'asP')", "pocock")
addb("getDesignGroupSequential(kMax = 4, sided = 2, alpha = 0.05, beta = 0.1, typeOfDesign = 'asHSD', gammaA = -4)", "hsd:-4")
addb("getDesignGroupSequential(informationRates = c(0.3, 0.7, 1), sided = 2, alpha = 0.05, beta = 0.1, typeOfDesign = 'asKD', gammaA = 2)", "kd:2")
addb("getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'WT', deltaWT = 0.25)", "wt:0.25")
addb("getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.1, typeOfDesign = 'HP', constantBoundsHP = qnorm(1 - 0.001))", "hp:0.001")
addb("getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'asUser', userAlphaSpending = c(0.002, 0.02, 0.05))", "user:0.002,0.02,0.05")

# ---------------------------------------------------------------- sample size (getSampleSizeSurvival)
arm <- function(x) if (is.null(x) || length(x) == 0) NULL else as.numeric(x)
survival_case <- function(call, flags) {
  s <- eval(parse(text = call))
  d <- s$.design
  K <- d$kMax
  ev <- if (K == 1) as.numeric(s$eventsFixed) else as.numeric(s$eventsPerStage)
  lower <- s$hazardRatio < s$thetaH0
  if (d$sided == 2) {
    hr_b <- as.numeric(if (lower) s$criticalValuesEffectScaleLower else s$criticalValuesEffectScaleUpper)
    hr_o <- as.numeric(if (lower) s$criticalValuesEffectScaleUpper else s$criticalValuesEffectScaleLower)
  } else {
    hr_b <- as.numeric(s$criticalValuesEffectScale)
    hr_o <- NULL
  }
  out <- list(call = call, flags = flags, events = ev, events_fixed = as.numeric(s$eventsFixed),
              hr_boundary = hr_b, hr_boundary_other = hr_o,
              sample_size = as.numeric(s$maxNumberOfSubjects),
              sample_size_1 = arm(s$maxNumberOfSubjects1), sample_size_2 = arm(s$maxNumberOfSubjects2),
              time = as.numeric(s$analysisTime), subjects = as.numeric(s$numberOfSubjects),
              follow_up = as.numeric(s$followUpTime), accrual_end = as.numeric(s$totalAccrualTime))
  if (K > 1) {
    out$expected_events_h1 <- as.numeric(s$expectedEventsH1)
    out$expected_duration_h1 <- as.numeric(s$studyDurationH1)
  }
  out
}
s <- list()
adds <- function(...) s[[length(s) + 1]] <<- survival_case(...)
# non-inferiority (true HR 1, margin 1.3) and superiority margin (HR 0.7 vs 0.9)
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 1, thetaH0 = 1.3, median2 = 10, accrualTime = c(0, 12), followUpTime = 12)",
     "--hr 1 --hr0 1.3 --alpha 0.025 --power 0.8 --looks 3 --spending obf --median-control 10 --accrual-time 12 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.1, typeOfDesign = 'asP'), hazardRatio = 0.7, thetaH0 = 0.9, allocationRatioPlanned = 2, median2 = 8, accrualTime = c(0, 18), followUpTime = 9)",
     "--hr 0.7 --hr0 0.9 --alpha 0.025 --power 0.9 --ratio 2 --looks 2 --spending pocock --median-control 8 --accrual-time 18 --follow-up 9")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 1, alpha = 0.025, beta = 0.2), hazardRatio = 1, thetaH0 = 1.25, allocationRatioPlanned = 2, median2 = 12, accrualTime = c(0, 12), followUpTime = 24)",
     "--hr 1 --hr0 1.25 --alpha 0.025 --power 0.8 --ratio 2 --median-control 12 --accrual-time 12 --follow-up 24")
# two-sided designs, 1:1 and 2:1, a HR above 1
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 0.7, median2 = 10, accrualTime = c(0, 12), followUpTime = 12)",
     "--hr 0.7 --sided 2 --alpha 0.05 --power 0.8 --looks 3 --spending obf --median-control 10 --accrual-time 12 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 2, sided = 2, alpha = 0.05, beta = 0.1, typeOfDesign = 'asP'), typeOfComputation = 'Freedman', hazardRatio = 0.65, allocationRatioPlanned = 2, median2 = 6, accrualTime = c(0, 20), followUpTime = 10)",
     "--hr 0.65 --sided 2 --alpha 0.05 --power 0.9 --ratio 2 --method freedman --looks 2 --spending pocock --median-control 6 --accrual-time 20 --follow-up 10")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 1, sided = 2, alpha = 0.05, beta = 0.2), hazardRatio = 1.4, median2 = 10, accrualTime = c(0, 12), followUpTime = 12)",
     "--hr 1.4 --sided 2 --alpha 0.05 --power 0.8 --median-control 10 --accrual-time 12 --follow-up 12")
# Wang-Tsiatis and user-defined spending, 2:1
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'WT', deltaWT = 0.25), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 24), followUpTime = 12)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending wt:0.25 --median-control 4.4 --accrual-time 24 --follow-up 12")
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asUser', userAlphaSpending = c(0.001, 0.01, 0.025)), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 24), followUpTime = 12)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending user:0.001,0.01,0.025 --median-control 4.4 --accrual-time 24 --follow-up 12")
# accrual given as a rate (the accrual time is computed)
adds("getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = 0, accrualIntensity = 12, followUpTime = 10)",
     "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --median-control 4.4 --accrual-rate 12 --follow-up 10")

# ---------------------------------------------------------------- power (getPowerSurvival)
power_case <- function(call, flags, note, events_call = NA) {
  p <- eval(parse(text = call))
  d <- p$.design
  K <- d$kMax
  list(call = call, flags = flags, note = note, events_call = events_call,
       events = as.numeric(p$eventsPerStage), power = as.numeric(p$overallReject),
       reject = as.numeric(p$rejectPerStage),
       expected_events_h1 = as.numeric(p$expectedNumberOfEvents),
       time = as.numeric(p$analysisTime), subjects = as.numeric(p$numberOfSubjects),
       follow_up = as.numeric(p$followUpTime),
       expected_duration_h1 = if (K > 1) as.numeric(p$studyDuration) else NULL,
       sample_size = as.numeric(p$maxNumberOfSubjects))
}
pw <- list()
addp <- function(...) pw[[length(pw) + 1]] <<- power_case(...)
addp("getPowerSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 0.7, directionUpper = FALSE, median2 = 10, maxNumberOfEvents = 99, maxNumberOfSubjects = 114, accrualTime = c(0, 12))",
     "--hr 0.7 --looks 3 --spending obf --events 99 --n 114 --median-control 10 --accrual-time 12",
     "power for 99 events and 114 subjects")
addp("getPowerSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP', typeBetaSpending = 'bsP'), typeOfComputation = 'Freedman', hazardRatio = 0.65, directionUpper = FALSE, allocationRatioPlanned = 2, median2 = 8, maxNumberOfEvents = 150, maxNumberOfSubjects = 250, accrualTime = c(0, 6, 15), accrualIntensity = c(0.2, 0.4), dropoutRate1 = 0.05, dropoutRate2 = 0.05)",
     "--hr 0.65 --ratio 2 --method freedman --looks 2 --spending pocock --futility pocock --events 150 --n 250 --median-control 8 --accrual-time 6,15 --accrual-rate 0.2,0.4 --dropout 0.05",
     "Freedman, futility, piecewise accrual, dropout")
addp("getPowerSurvival(getDesignGroupSequential(kMax = 3, sided = 2, alpha = 0.05, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 0.75, directionUpper = FALSE, median2 = 12, maxNumberOfEvents = 200, maxNumberOfSubjects = 400, accrualTime = c(0, 18))",
     "--hr 0.75 --sided 2 --alpha 0.05 --looks 3 --spending obf --events 200 --n 400 --median-control 12 --accrual-time 18",
     "two-sided power (either side)")
addp("getPowerSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 1, thetaH0 = 1.3, directionUpper = FALSE, median2 = 10, maxNumberOfEvents = 300, maxNumberOfSubjects = 500, accrualTime = c(0, 12))",
     "--hr 1 --hr0 1.3 --looks 3 --spending obf --events 300 --n 500 --median-control 10 --accrual-time 12",
     "non-inferiority power")
addp("getPowerSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asHSD', gammaA = -4), hazardRatio = 0.7, directionUpper = FALSE, median2 = 10, maxNumberOfEvents = 80, maxNumberOfSubjects = 114, accrualTime = 0, accrualIntensity = 10)",
     "--hr 0.7 --looks 2 --spending hsd:-4 --events 80 --n 114 --median-control 10 --accrual-rate 10",
     "accrual as a rate: 114 subjects at 10 per month")
addp("getPowerSurvival(getDesignGroupSequential(kMax = 1, alpha = 0.025), typeOfComputation = 'HsiehFreedman', hazardRatio = 0.7, directionUpper = FALSE, allocationRatioPlanned = 2, median2 = 10, maxNumberOfEvents = 99, maxNumberOfSubjects = 150, accrualTime = c(0, 12))",
     "--hr 0.7 --ratio 2 --method hsieh --events 99 --n 150 --median-control 10 --accrual-time 12",
     "fixed design, Hsieh")
# --n without --events: the events are N P(end of accrual + follow-up) (getEventProbabilities)
ev_call <- "114 * getEventProbabilities(time = 12 + 18, accrualTime = c(0, 12), accrualIntensity = 114 / 12, lambda2 = log(2) / 10, hazardRatio = 0.7, allocationRatioPlanned = 1)$overallEventProbabilities"
ev <- eval(parse(text = ev_call))
addp(sprintf("getPowerSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.2, typeOfDesign = 'asOF'), hazardRatio = 0.7, directionUpper = FALSE, median2 = 10, maxNumberOfEvents = %.17g, maxNumberOfSubjects = 114, accrualTime = c(0, 12))", ev),
     "--hr 0.7 --looks 3 --spending obf --n 114 --median-control 10 --accrual-time 12 --follow-up 18",
     "power for 114 subjects followed 18 months after accrual", ev_call)

# ---------------------------------------------------------------- the design at whole numbers
# ceiling(events) and ceiling per arm of the subjects, then getPowerSurvival at them.
rounded_case <- function(ss_call, power_template, flags, note) {
  s <- eval(parse(text = ss_call))
  r <- s$allocationRatioPlanned
  D <- ceiling(max(s$eventsPerStage))
  N <- ceiling(s$maxNumberOfSubjects * r / (1 + r)) + ceiling(s$maxNumberOfSubjects / (1 + r))
  call <- sprintf(power_template, D, N)
  c(list(sample_size_call = ss_call, rounding = "D = ceiling(max(eventsPerStage)); N = ceiling(N r / (1 + r)) + ceiling(N / (1 + r))",
         exact_events = max(s$eventsPerStage), exact_sample_size = s$maxNumberOfSubjects),
    power_case(call, flags, note))
}
rd <- list()
rd[[1]] <- rounded_case(
  "getSampleSizeSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, allocationRatioPlanned = 2, median2 = 4.4, accrualTime = c(0, 24), followUpTime = 12)",
  "getPowerSurvival(getDesignGroupSequential(kMax = 3, alpha = 0.025, beta = 0.1, typeOfDesign = 'asOF'), hazardRatio = 0.6, directionUpper = FALSE, allocationRatioPlanned = 2, median2 = 4.4, maxNumberOfEvents = %d, maxNumberOfSubjects = %d, accrualTime = c(0, 24))",
  "--hr 0.6 --alpha 0.025 --power 0.9 --ratio 2 --looks 3 --spending obf --median-control 4.4 --accrual-time 24 --follow-up 12",
  "OBF 2:1, rounded up")
rd[[2]] <- rounded_case(
  "getSampleSizeSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP'), typeOfComputation = 'Freedman', hazardRatio = 0.7, median2 = 9, accrualTime = c(0, 15), followUpTime = 9, dropoutRate1 = 0.05, dropoutRate2 = 0.05)",
  "getPowerSurvival(getDesignGroupSequential(kMax = 2, alpha = 0.025, beta = 0.2, typeOfDesign = 'asP'), typeOfComputation = 'Freedman', hazardRatio = 0.7, directionUpper = FALSE, median2 = 9, maxNumberOfEvents = %d, maxNumberOfSubjects = %d, accrualTime = c(0, 15), dropoutRate1 = 0.05, dropoutRate2 = 0.05)",
  "--hr 0.7 --alpha 0.025 --power 0.8 --method freedman --looks 2 --spending pocock --median-control 9 --accrual-time 15 --follow-up 9 --dropout 0.05",
  "Pocock 1:1 Freedman with dropout, rounded up")

# ---------------------------------------------------------------- unequal allocation: methods at 2:1
alloc <- list()
for (m in c("Schoenfeld", "Freedman", "HsiehFreedman")) for (r in c(0.5, 1, 2, 3)) for (hr in c(0.5, 0.7, 0.8)) {
  call <- sprintf("getSampleSizeSurvival(getDesignGroupSequential(kMax = 1, alpha = 0.025, beta = 0.1), typeOfComputation = '%s', hazardRatio = %s, allocationRatioPlanned = %s, median2 = 10, accrualTime = c(0, 12), followUpTime = 12)", m, hr, r)
  x <- eval(parse(text = call))
  alloc[[length(alloc) + 1]] <- list(call = call, method = m, ratio = r, hr = hr,
                                     events = as.numeric(x$eventsFixed),
                                     sample_size = as.numeric(x$maxNumberOfSubjects))
}

write_json(list(versions = versions, boundaries = b, survival = s, power = pw, rounded = rd,
                allocation = alloc),
           here("breadth.json"), digits = NA, auto_unbox = TRUE, pretty = TRUE, na = "null")
