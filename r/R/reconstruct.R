# hz_reconstruct: patient-level data rebuilt from digitized Kaplan–Meier curves and their
# number-at-risk tables (Guyot et al. 2012), as `hazard reconstruct` (docs/cli/reconstruct.md).

# Reconstruct patient data from published Kaplan-Meier curves
#
# hz_reconstruct(curve, at_risk, events = c(A = 30))
# curve: digitized points with columns time, surv (fraction or percent) and optionally arm;
# at_risk: time, n_risk (and arm). events: reported total events (named by arm, or one number
# for one arm). as.data.frame() gives the patient rows (arm, time, event).
hz_reconstruct <- function(curve, at_risk, events = NULL, scale = c("auto", "fraction", "percent"),
                           arm_name = "all") {
  call <- match.call()
  scale <- match.arg(scale)
  need <- function(d, cols, what) {
    miss <- setdiff(cols, names(d))
    if (length(miss)) .hz_stop(sprintf("%s has no column '%s'", what, miss[1]), call)
  }
  need(curve, c("time", "surv"), "curve")
  need(at_risk, c("time", "n_risk"), "at_risk")
  if (("arm" %in% names(curve)) != ("arm" %in% names(at_risk)))
    .hz_stop("column 'arm' must be in both curve and at_risk, or in neither", call)
  if ("arm" %in% names(curve)) {
    arms <- unique(as.character(curve$arm))
    curve_arm <- as.character(curve$arm)
    risk_arm <- as.character(at_risk$arm)
  } else {
    arms <- arm_name
    curve_arm <- rep(arm_name, nrow(curve))
    risk_arm <- rep(arm_name, nrow(at_risk))
  }
  totals <- setNames(rep(NA_real_, length(arms)), arms)
  if (!is.null(events)) {
    if (is.null(names(events))) {
      if (length(arms) != 1) .hz_stop("events without arm names needs a single arm: events = c(A = 30)", call)
      names(events) <- arms
    }
    bad <- setdiff(names(events), arms)
    if (length(bad)) .hz_stop(sprintf("events: no arm '%s' in the curve", bad[1]), call)
    totals[names(events)] <- as.double(events)
  }
  res <- lapply(arms, function(a) {
    if (!any(risk_arm == a)) .hz_stop(sprintf("arm '%s' has no rows in at_risk", a), call)
    .hz_check(.hz_reconstruct_arm(a, as.double(curve$time[curve_arm == a]), as.double(curve$surv[curve_arm == a]),
                                  as.double(at_risk$time[risk_arm == a]), as.double(at_risk$n_risk[risk_arm == a]),
                                  totals[[a]], scale), call)
  })
  for (r in res) for (w in r$warnings) warning(sprintf("arm %s: %s", r$arm, w), call. = FALSE)
  out <- list(arms = res, call = call)
  class(out) <- "hz_reconstruct"
  out
}

as.data.frame.hz_reconstruct <- function(x, ...) {
  do.call(rbind, lapply(x$arms, function(a) data.frame(arm = rep(a$arm, length(a$time)), time = a$time,
                                                       event = as.integer(a$event))))
}

.hz_reconstruct_fit <- function(x) {
  d <- as.data.frame(do.call(rbind, lapply(x$arms, function(a) a$fit)))
  cbind(arm = vapply(x$arms, `[[`, "", "arm"), d)
}

print.hz_reconstruct <- function(x, digits = 4, ...) {
  cat("Patient data rebuilt from Kaplan-Meier curves (Guyot et al. 2012)\n\n")
  print(.hz_reconstruct_fit(x), digits = digits, row.names = FALSE)
  invisible(x)
}

tidy.hz_reconstruct <- function(x, ...) .hz_tibble(as.data.frame(x))
glance.hz_reconstruct <- function(x, ...) .hz_tibble(.hz_reconstruct_fit(x))
