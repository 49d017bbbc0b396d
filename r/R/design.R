# hz_design and hz_simulate: group-sequential survival designs (rpact's getDesignGroupSequential +
# getSampleSizeSurvival) and trial simulation (getSimulationSurvival's conventions), computed by
# hazard's library with the rules of `hazard design` / `hazard simulate` (docs/cli/).

# A group-sequential survival design
#
# hz_design(hr = 0.7, power = 0.9, looks = 3, spending = "obf", median_control = 10,
#           accrual_time = 12, follow_up = 12)
# Events and boundaries; with median_control the sample size and look times. spending and
# futility: "obf", "pocock", "hsd:GAMMA", "kd:RHO" (and "hp:P", Haybittle-Peto, for efficacy).
hz_design <- function(hr = NULL, median_control = NULL, median_experimental = NULL, alpha = 0.025,
                      power = 0.8, ratio = 1, method = c("schoenfeld", "freedman", "hsieh"),
                      looks = 1, info = NULL, spending = "obf", futility = NULL, binding = FALSE,
                      accrual_time = NULL, accrual_rate = NULL, follow_up = NULL, dropout = 0,
                      dropout_time = 12) {
  call <- match.call()
  method <- match.arg(method)
  a <- list(hr = hr, median_control = median_control, median_experimental = median_experimental,
            alpha = alpha, power = power, ratio = ratio, method = method, looks = as.integer(looks),
            info = as.double(info), spending = spending, futility = if (is.null(futility)) "" else futility,
            binding = binding, accrual_time = as.double(accrual_time), accrual_rate = as.double(accrual_rate),
            follow_up = follow_up, dropout = dropout, dropout_time = dropout_time)
  r <- .hz_check(.hz_design(a), call)
  for (w in r$warnings) warning(w, call. = FALSE)
  r$looks <- data.frame(look = seq_along(r$looks$info), r$looks)
  r$call <- call
  class(r) <- "hz_design"
  r
}

print.hz_design <- function(x, digits = 4, ...) {
  cat(sprintf("Group-sequential survival design (%d look%s, %s spending%s)\n", nrow(x$looks),
              if (nrow(x$looks) == 1) "" else "s", x$spending,
              if (is.na(x$futility)) "" else sprintf(", futility %s %s", x$futility,
                                                     if (x$binding) "binding" else "non-binding")))
  cat(sprintf("HR %s  one-sided alpha %s  power %s  ratio %s:1  method %s\n", format(x$hr, digits = digits),
              format(x$alpha), format(x$power), format(x$ratio), x$method))
  cat(sprintf("Events: fixed design %.2f, maximum %.2f (inflation %.4f)\n", x$events_fixed, x$events, x$inflation))
  if (!is.null(x$sample_size))
    cat(sprintf("Sample size %.2f (accrual %.2f, follow-up %.2f); expected duration under H1 %.2f\n",
                x$sample_size, x$accrual_end, x$follow_up, x$expected_duration_h1))
  cat("\n")
  print(x$looks, digits = digits, row.names = FALSE)
  invisible(x)
}

as.data.frame.hz_design <- function(x, ...) x$looks
tidy.hz_design <- function(x, ...) .hz_tibble(x$looks)
glance.hz_design <- function(x, ...) {
  keys <- c("events", "events_fixed", "inflation", "hr", "alpha", "power", "ratio", "drift",
            "expected_events_h0", "expected_events_h01", "expected_events_h1", "sample_size",
            "accrual_end", "follow_up", "study_duration", "expected_duration_h1", "expected_sample_size_h1")
  .hz_tibble(as.data.frame(x[intersect(keys, names(x))]))
}

# Simulated group-sequential two-arm trials
#
# hz_simulate(n = 216, ratio = 2, median_control = 6, hr = 0.6, accrual_time = 12,
#             events = c(61, 122, 183), reps = 10000, seed = 1)
# scenario: a list as the --scenario JSON file of docs/cli/simulate.md, which the other
# arguments override. Results depend on seed, not on threads.
hz_simulate <- function(n = NULL, ratio = NULL, median_control = NULL, median_experimental = NULL,
                        hr = NULL, accrual_time = NULL, accrual_rate = NULL, dropout = NULL,
                        dropout_time = 12, events = NULL, times = NULL, looks = NULL, info = NULL,
                        spending = NULL, futility = NULL, alpha = NULL, power = NULL, binding = FALSE,
                        random_accrual = FALSE, random_allocation = FALSE,
                        hr_estimator = c("pike", "cox"), reps = 1000, seed = 1, threads = 0,
                        scenario = NULL) {
  call <- match.call()
  hr_estimator <- match.arg(hr_estimator)
  a <- list(n = n, ratio = ratio, median_control = median_control, median_experimental = median_experimental,
            hr = hr, accrual_time = as.double(accrual_time), accrual_rate = as.double(accrual_rate),
            dropout = dropout, dropout_time = dropout_time, events = as.double(events), times = as.double(times),
            looks = if (is.null(looks)) NULL else as.integer(looks), info = as.double(info), spending = spending,
            futility = futility, alpha = alpha, power = power, binding = binding, random_accrual = random_accrual,
            random_allocation = random_allocation, hr_estimator = hr_estimator, reps = reps, seed = seed,
            threads = as.integer(threads))
  json <- if (is.null(scenario)) "" else as.character(jsonlite::toJSON(scenario, auto_unbox = TRUE, digits = NA))
  r <- .hz_check(.hz_simulate(a, json), call)
  r$looks <- data.frame(look = seq_along(r$looks$look), r$looks)
  names(r$looks)[2] <- r$look_type
  r$call <- call
  class(r) <- "hz_simulate"
  r
}

print.hz_simulate <- function(x, digits = 4, ...) {
  cat(sprintf("Simulated group-sequential survival trial: %g trials (seed %g), N = %g, ratio %g:1, %s spending\n",
              x$reps, x$seed, x$n, x$ratio, x$spending))
  cat(sprintf("Rejection probability %.4f (Monte-Carlo SE %.4f)\n", x$power, x$mc_se))
  cat(sprintf("Expected events %.2f, patients %.2f, duration %.2f\n", x$expected_events, x$expected_n,
              x$expected_duration))
  h <- x$hr_estimate
  cat(sprintf("HR estimate at the last analysis (%s): median %.4f, 95%% range %.4f to %.4f\n",
              if (h$estimator == "cox") "Cox, Efron ties" else "Pike", h$summary[["median"]],
              h$summary[["q025"]], h$summary[["q975"]]))
  cat("\n")
  print(x$looks, digits = digits, row.names = FALSE)
  invisible(x)
}

as.data.frame.hz_simulate <- function(x, ...) x$looks
tidy.hz_simulate <- function(x, ...) .hz_tibble(x$looks)
glance.hz_simulate <- function(x, ...) {
  .hz_tibble(data.frame(power = x$power, mc_se = x$mc_se, reps = x$reps, expected_events = x$expected_events,
                        expected_n = x$expected_n, expected_duration = x$expected_duration,
                        events_not_achieved = x$events_not_achieved))
}
