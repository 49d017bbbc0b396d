# Reference values for `hazard deterioration` (src/qol/) on the simulated example
# examples/cabinet/adqs.csv (and adsl.csv), from an independent implementation in base R and
# survival::survfit / survdiff.
#
# Run from anywhere:  Rscript tests/reference/qol/make_deterioration.R
# Needs: r-base-core, r-cran-survival, r-cran-jsonlite (scripts/bootstrap). No dplyr.
#
# Writes next to itself: deterioration.json, one entry per case: the command line, the derived
# AVAL / CNSR of every subject, and per analysis and arm N, events and the KM median with its
# log-log CI (survfit(Surv(AVAL, CNSR == 0) ~ 1, conf.type = "log-log"), quantile(fit, 0.5)),
# plus the log-rank chi-square of the overall analysis (survdiff(Surv(AVAL, CNSR == 0) ~ TRT01P)).
#
# The rule, written here vectorised (hazard's C++ walks the assessments in a loop): per subject,
# base = AVAL of the ABLFL = "Y" record; the post-baseline assessments are the unflagged records
# with a score and a time, ADY > the baseline's ADY and ADY >= origin (1), in ascending ADY;
# w = base - AVAL (higher is better) or AVAL - base (higher is worse); det = w >= MID;
#   first:      j = the first det
#   confirmed:  j = the first det followed by det at the next assessment
#   definitive: j = the first det with det at every later assessment (rev(cumprod(rev(det))))
# event at ADY_j; else censored at the last post-baseline ADY; no baseline or no post-baseline
# assessment (or, with ADSL, no record at all): censored at the origin, ADY 1.
# AVAL = ADY / (1 days, 30.4375 months).
suppressMessages({
  library(survival)
  library(jsonlite)
})
script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))
num <- function(x) ifelse(is.finite(x), x, NA)

ex <- file.path(script_dir, "..", "..", "..", "examples", "cabinet")
adqs <- read.csv(file.path(ex, "adqs.csv"), stringsAsFactors = FALSE, na.strings = "")
adsl <- read.csv(file.path(ex, "adsl.csv"), stringsAsFactors = FALSE, na.strings = "")

derive <- function(qs, subjects, mid, rule, higher_worse, origin = 1) {
  out <- data.frame(USUBJID = subjects, ADY = origin, CNSR = 1L, stringsAsFactors = FALSE)
  for (k in seq_along(subjects)) {
    r <- qs[qs$USUBJID == subjects[k], ]
    b <- r[r$ABLFL %in% "Y", ]
    stopifnot(nrow(b) <= 1)
    if (nrow(b) == 0 || is.na(b$AVAL)) next
    post <- r[is.na(r$ABLFL) & !is.na(r$AVAL) & !is.na(r$ADY) & r$ADY >= origin, ]
    if (!is.na(b$ADY)) post <- post[post$ADY > b$ADY, ]
    post <- post[order(post$ADY), ]
    if (nrow(post) == 0) next
    w <- if (higher_worse) post$AVAL - b$AVAL else b$AVAL - post$AVAL
    det <- w >= mid
    hits <- switch(rule,
                   first = which(det),
                   confirmed = which(det & c(det[-1], FALSE)),
                   definitive = which(rev(cumprod(rev(det))) == 1))
    if (length(hits)) {
      out$ADY[k] <- post$ADY[hits[1]]; out$CNSR[k] <- 0L
    } else {
      out$ADY[k] <- post$ADY[nrow(post)]
    }
  }
  out
}

km_median <- function(d, cl = 0.95) {
  if (!nrow(d)) return(list(estimate = NA, lower = NA, upper = NA))
  q <- quantile(survfit(Surv(AVAL, CNSR == 0) ~ 1, data = d, conf.type = "log-log", conf.int = cl), 0.5)
  list(estimate = num(unname(q$quantile)), lower = num(unname(q$lower)), upper = num(unname(q$upper)))
}

cases <- list(
  list(name = "ghs_first_by_cohort_months", param = "GHS", mid = 10, rule = "first", higher_worse = FALSE,
       units = 30.4375, by = "COHORT", adsl = FALSE,
       cli = c("--param", "PARAMCD=GHS", "--mid", "10", "--group", "TRT01P", "--ref", "Placebo", "--by", "COHORT",
               "--units", "months")),
  list(name = "ghs_confirmed_adsl", param = "GHS", mid = 10, rule = "confirmed", higher_worse = FALSE, units = 1,
       by = NULL, adsl = TRUE,
       cli = c("--param", "PARAMCD=GHS", "--mid", "10", "--confirmed", "--group", "TRT01P", "--ref", "Placebo",
               "--adsl", "ADSL", "--population", "ITTFL")),
  # as `hazard report --adqs` computes the QoL section of the main job (ADSL joined, by cohort, months)
  list(name = "ghs_first_adsl_by_cohort_months", param = "GHS", mid = 10, rule = "first", higher_worse = FALSE,
       units = 30.4375, by = "COHORT", adsl = TRUE,
       cli = c("--param", "PARAMCD=GHS", "--mid", "10", "--group", "TRT01P", "--ref", "Placebo", "--by", "COHORT",
               "--units", "months", "--adsl", "ADSL", "--population", "ITTFL")),
  list(name = "ghs_definitive_mid15", param = "GHS", mid = 15, rule = "definitive", higher_worse = FALSE, units = 1,
       by = NULL, adsl = FALSE,
       cli = c("--param", "PARAMCD=GHS", "--mid", "15", "--definitive", "--group", "TRT01P", "--ref", "Placebo")),
  list(name = "di_confirmed_higher_worse", param = "DI", mid = 10, rule = "confirmed", higher_worse = TRUE,
       units = 30.4375, by = "COHORT", adsl = FALSE,
       cli = c("--param", "PARAMCD=DI", "--mid", "10", "--confirmed", "--direction", "higher-worse", "--group",
               "TRT01P", "--ref", "Placebo", "--by", "COHORT", "--units", "months")))

out <- lapply(cases, function(cs) {
  qs <- adqs[adqs$PARAMCD == cs$param, ]
  subjects <- unique(qs$USUBJID)
  subj <- qs[!duplicated(qs$USUBJID), c("USUBJID", "TRT01P", "COHORT")]
  if (cs$adsl) {
    extra <- adsl[adsl$ITTFL == "Y" & !adsl$USUBJID %in% subjects, c("USUBJID", "TRT01P", "COHORT")]
    subj <- rbind(subj, extra)
    subjects <- subj$USUBJID
  }
  d <- derive(qs, subjects, cs$mid, cs$rule, cs$higher_worse)
  d$AVAL <- d$ADY / cs$units
  d$TRT01P <- subj$TRT01P[match(d$USUBJID, subj$USUBJID)]
  d$COHORT <- subj$COHORT[match(d$USUBJID, subj$USUBJID)]
  labels <- c(if (!is.null(cs$by)) sort(unique(d[[cs$by]]), method = "radix"), "Overall")
  an <- lapply(labels, function(l) {
    s <- if (l == "Overall") d else d[d[[cs$by]] == l, ]
    list(label = l, arms = lapply(c("Placebo", "Cabozantinib"), function(a) {
      x <- s[s$TRT01P == a, ]
      list(group = a, n = nrow(x), events = sum(x$CNSR == 0), median = km_median(x))
    }))
  })
  lr <- survdiff(Surv(AVAL, CNSR == 0) ~ TRT01P, data = d)
  list(name = cs$name, cli = cs$cli, n = nrow(d), analyses = an,
       logrank_chisq = unname(lr$chisq),
       rows = list(USUBJID = d$USUBJID, AVAL = d$AVAL, CNSR = d$CNSR))
})
write_json(list(versions = versions, data = "examples/cabinet/adqs.csv (and adsl.csv)",
                calls = list(km = "quantile(survfit(Surv(AVAL, CNSR == 0) ~ 1, conf.type = \"log-log\"), 0.5)",
                             logrank = "survdiff(Surv(AVAL, CNSR == 0) ~ TRT01P)"),
                cases = out),
           "deterioration.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null")
cat("wrote deterioration.json:", length(out), "cases\n")
