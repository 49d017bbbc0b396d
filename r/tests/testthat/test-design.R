# hz_design against rpact (getDesignGroupSequential, getSampleSizeSurvival) and hz_simulate against
# rpact's critical values and simulated power (getSimulationSurvival).
tol <- hz_tol[["design"]]

test_that("boundaries and sample size as rpact", {
  skip_if_not_installed("rpact")
  cases <- list(
    list(hz = list(hr = 0.7, power = 0.9, median_control = 10, accrual_time = 12, follow_up = 12),
         rp = list(kMax = 1, beta = 0.1, typeOfDesign = "asOF", hr = 0.7, m2 = 10, acc = c(0, 12), fu = 12)),
    list(hz = list(hr = 0.65, looks = 3, spending = "obf", median_control = 8, accrual_time = 18, follow_up = 6),
         rp = list(kMax = 3, beta = 0.2, typeOfDesign = "asOF", hr = 0.65, m2 = 8, acc = c(0, 18), fu = 6)),
    list(hz = list(hr = 0.75, looks = 2, spending = "pocock", ratio = 2, median_control = 12, accrual_time = 24,
                   follow_up = 12, dropout = 0.05),
         rp = list(kMax = 2, beta = 0.2, typeOfDesign = "asP", hr = 0.75, m2 = 12, acc = c(0, 24), fu = 12,
                   ratio = 2, dropout = 0.05)))
  for (c in cases) {
    d <- do.call(hz_design, c$hz)
    r <- c$rp
    design <- rpact::getDesignGroupSequential(kMax = r$kMax, alpha = 0.025, beta = r$beta,
                                              typeOfDesign = if (r$kMax == 1) "asOF" else r$typeOfDesign)
    ss <- rpact::getSampleSizeSurvival(design, hazardRatio = r$hr, median2 = r$m2, accrualTime = r$acc,
                                       followUpTime = r$fu, allocationRatioPlanned = if (is.null(r$ratio)) 1 else r$ratio,
                                       dropoutRate1 = if (is.null(r$dropout)) 0 else r$dropout,
                                       dropoutRate2 = if (is.null(r$dropout)) 0 else r$dropout, dropoutTime = 12)
    expect_near(d$looks$z_efficacy, design$criticalValues, tol, "critical values")
    expect_near(d$looks$events, ss$eventsPerStage, tol, "events")
    expect_near(d$sample_size, ss$maxNumberOfSubjects, tol, "sample size")
    expect_near(d$looks$time, ss$analysisTime, tol, "analysis time")
  }
})

test_that("simulation: rpact's boundaries and its power within Monte-Carlo error", {
  skip_if_not_installed("rpact")
  ref <- hz_reference("simulate/simulate.json")$cases[[1]]  # getSimulationSurvival, 20000 iterations
  h <- ref$hazard
  s <- hz_simulate(n = h$n, ratio = h$ratio, median_control = h$median_control, hr = h$hr,
                   accrual_time = h$accrual_time, events = unlist(h$events), spending = h$spending,
                   alpha = h$alpha, reps = 4000, seed = 11)
  design <- rpact::getDesignGroupSequential(kMax = 3, alpha = 0.025, sided = 1, typeOfDesign = "asOF",
                                            informationRates = c(61, 122, 183) / 183)
  expect_near(s$looks$z_efficacy, design$criticalValues, tol, "critical values")
  expect_lte(abs(s$power - ref$power), hz_tol[["mc_sigmas"]] * sqrt(s$mc_se^2 + ref$mc_se^2))
  expect_identical(hz_simulate(n = 100, median_control = 6, hr = 0.7, accrual_time = 12, events = c(30, 60),
                               reps = 300, seed = 5, threads = 1)$power,
                   hz_simulate(n = 100, median_control = 6, hr = 0.7, accrual_time = 12, events = c(30, 60),
                               reps = 300, seed = 5, threads = 2)$power)
  sc <- list(n = 200, control = list(median = 8), experimental = list(start = c(0, 3), hr = c(1, 0.6)),
             accrual = list(end = 12, rate = 1), looks = list(events = c(80, 120)), design = list(spending = "pocock"))
  expect_equal(hz_simulate(scenario = sc, reps = 100)$spending, "pocock")
})

test_that("print, as.data.frame, tidy and glance", {
  d <- hz_design(hr = 0.7, looks = 3)
  expect_equal(nrow(as.data.frame(d)), 3)
  expect_true(all(c("events", "inflation") %in% names(glance(d))))
  expect_output(print(d), "Group-sequential survival design \\(3 looks, obf spending\\)")
})
