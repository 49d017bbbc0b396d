# Reference values for hazard simulate: rpact's getSimulationSurvival on a few group-sequential
# designs, with many iterations so that the Monte-Carlo error is small. Writes simulate.json.
# Run: Rscript make_simulate.R   (from this folder)
#
# rpact conventions matched by hazard (docs/methods/simulation.md): patients enter on a fixed
# grid (i * A / N), arms are allocated in fixed blocks (allocation1 experimental, then allocation2
# control), look k happens at the calendar time of the plannedEvents[k]-th event, the log-rank
# statistic is oriented by directionUpper = FALSE (Z > 0 when the experimental arm has fewer
# events than expected, i.e. HR < 1), and critical values come from the design.
suppressPackageStartupMessages({ library(rpact); library(jsonlite) })

iterations <- 20000
cases <- list()

run <- function(name, design_call, sim_args, extra = list()) {
  design <- eval(parse(text = design_call))
  sim_call <- sprintf("getSimulationSurvival(design = design, %s, maxNumberOfIterations = %d, seed = 20261125)",
                      sim_args, iterations)
  t0 <- proc.time()[["elapsed"]]
  s <- eval(parse(text = sim_call))
  elapsed <- proc.time()[["elapsed"]] - t0
  power <- s$overallReject
  c(list(
    name = name,
    design_call = design_call,
    call = sim_call,
    iterations = iterations,
    seconds = elapsed,
    critical_values = design$criticalValues,
    power = power,
    mc_se = sqrt(power * (1 - power) / iterations),
    stagewise_rejection = as.numeric(s$rejectPerStage[, 1]),
    expected_events = s$expectedNumberOfEvents,
    expected_n = s$expectedNumberOfSubjects,
    expected_duration = s$studyDuration,
    events_not_achieved = sum(s$eventsNotAchieved),
    analysis_time = as.numeric(s$analysisTime[, 1])
  ), extra)
}

obf3 <- "getDesignGroupSequential(kMax = 3, alpha = 0.025, sided = 1, typeOfDesign = \"asOF\", informationRates = c(61, 122, 183) / 183)"
cabinet <- "directionUpper = FALSE, lambda2 = log(2) / 6, hazardRatio = %s, plannedEvents = c(61, 122, 183), maxNumberOfSubjects = 216, allocation1 = 2, allocation2 = 1, accrualTime = c(0, 12)"

cases[[1]] <- run("cabinet_obf_h1", obf3, sprintf(cabinet, "0.6"),
  list(hazard = list(n = 216, ratio = 2, median_control = 6, hr = 0.6, accrual_time = 12,
                     events = c(61, 122, 183), spending = "obf", alpha = 0.025, dropout = 0)))
cases[[2]] <- run("cabinet_obf_h0", obf3, sprintf(cabinet, "1"),
  list(hazard = list(n = 216, ratio = 2, median_control = 6, hr = 1, accrual_time = 12,
                     events = c(61, 122, 183), spending = "obf", alpha = 0.025, dropout = 0)))
pocock2 <- "getDesignGroupSequential(kMax = 2, alpha = 0.025, sided = 1, typeOfDesign = \"asP\", informationRates = c(0.5, 1))"
cases[[3]] <- run("pocock_dropout_h1", pocock2,
  "directionUpper = FALSE, lambda2 = log(2) / 10, hazardRatio = 0.7, plannedEvents = c(100, 200), maxNumberOfSubjects = 300, allocation1 = 1, allocation2 = 1, accrualTime = c(0, 18), dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12",
  list(hazard = list(n = 300, ratio = 1, median_control = 10, hr = 0.7, accrual_time = 18,
                     events = c(100, 200), spending = "pocock", alpha = 0.025, dropout = 0.1)))
cases[[4]] <- run("pocock_dropout_h0", pocock2,
  "directionUpper = FALSE, lambda2 = log(2) / 10, hazardRatio = 1, plannedEvents = c(100, 200), maxNumberOfSubjects = 300, allocation1 = 1, allocation2 = 1, accrualTime = c(0, 18), dropoutRate1 = 0.1, dropoutRate2 = 0.1, dropoutTime = 12",
  list(hazard = list(n = 300, ratio = 1, median_control = 10, hr = 1, accrual_time = 18,
                     events = c(100, 200), spending = "pocock", alpha = 0.025, dropout = 0.1)))

out <- list(R = R.version.string, rpact = as.character(packageVersion("rpact")), cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "simulate.json")
