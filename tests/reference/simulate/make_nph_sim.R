# Reference values for hazard simulate --analysis logrank under non-proportional hazards: rpact's
# getSimulationSurvival with piecewise-exponential hazards (piecewiseSurvivalTime, lambda1 and
# lambda2 per piece): a delayed effect (HR 1 for 6 months, then 0.5) and crossing hazards
# (HR 1.3 for 4 months, then 0.6), two looks with O'Brien-Fleming-type alpha spending.
# Writes nph_sim.json. Run: Rscript make_nph_sim.R   (from this folder)
# Conventions matched by hazard: those of make_simulate.R (fixed entry grid, fixed allocation
# blocks, looks at the calendar time of the planned events, directionUpper = FALSE).
suppressPackageStartupMessages({ library(rpact); library(jsonlite) })

iterations <- 20000
design_call <- "getDesignGroupSequential(kMax = 2, alpha = 0.025, sided = 1, typeOfDesign = \"asOF\", informationRates = c(125, 250) / 250)"
design <- eval(parse(text = design_call))
lam <- log(2) / 12

run <- function(name, hr, start) {
  sim_call <- sprintf(paste0(
    "getSimulationSurvival(design = design, directionUpper = FALSE, ",
    "piecewiseSurvivalTime = c(%s), lambda2 = rep(%.17g, %d), lambda1 = %.17g * c(%s), ",
    "plannedEvents = c(125, 250), maxNumberOfSubjects = 400, accrualTime = c(0, 12), ",
    "maxNumberOfIterations = %d, seed = 20261204)"),
    paste(start, collapse = ", "), lam, length(start), lam, paste(hr, collapse = ", "), iterations)
  t0 <- proc.time()[["elapsed"]]
  s <- eval(parse(text = sim_call))
  power <- s$overallReject
  list(name = name, design_call = design_call, call = sim_call, iterations = iterations,
       seconds = proc.time()[["elapsed"]] - t0, critical_values = design$criticalValues,
       power = power, mc_se = sqrt(power * (1 - power) / iterations),
       stagewise_rejection = as.numeric(s$rejectPerStage[, 1]),
       scenario = list(n = 400, control = list(median = 12),
                       experimental = list(start = start, hr = hr),
                       accrual = list(time = 12), looks = list(events = c(125, 250)),
                       design = list(alpha = 0.025, spending = "obf")))
}

cases <- list(run("delayed_effect", c(1, 0.5), c(0, 6)),
              run("crossing", c(1.3, 0.6), c(0, 4)))
out <- list(generator = "tests/reference/simulate/make_nph_sim.R",
            r_version = R.version.string,
            rpact_version = as.character(packageVersion("rpact")),
            cases = cases)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE), "nph_sim.json")
