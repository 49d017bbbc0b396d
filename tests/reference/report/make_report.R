# Reference values for `hazard report` on three trials of R's survival package (tests/cli/report_trials.sh):
#   colon   rx (three arms, --ref Obs), deaths (etype == 2), stratified by differ (23 missing: these
#           patients stay in N and the KM columns, and leave the stratified model), cohorts by node4,
#           subgroups sex and age cut at 65 within each cohort, times in years (--units days
#           --display-units years), landmarks 1, 3, 5 years;
#   lung    sex (two arms), status == 2, times in months (--units days --display-units months),
#           landmarks 6 and 12 months, 90% intervals, subgroup ph.ecog;
#   veteran trt (two arms), no units stated, landmarks 90 and 180, subgroup celltype.
# Every number is R's: survfit (conf.type = "log-log", as the report's default) with quantile() and
# summary(times =, extend = TRUE); coxph (Efron) with K - 1 arm indicators, stratified (+ strata())
# and not; survdiff on the two-arm subset (arm vs reference) and on all arms (global test); the
# reverse Kaplan–Meier median follow-up survfit(Surv(time, 1 - status) ~ arm); the
# treatment-by-subgroup interaction as anova(coxph(~ arm + sub), coxph(~ arm * sub)).
# Output: report.json, one row per number as results.json has them (cohort, arm, statistic,
# timepoint, value), and the forest rows (block, label, comparison, hr, lower, upper,
# p_interaction). The hazard commands these values are for are in tests/cli/report_trials.sh.
# Run from this folder: Rscript make_report.R; it writes the three data sets from the
# survival package as colon.csv, lung.csv and veteran.csv (the inputs of the test) and reads them back.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
for (nm in c("colon", "lung", "veteran")) {
  d <- get(nm, envir = asNamespace("survival"))
  write.csv(d, paste0(nm, ".csv"), row.names = FALSE, na = "")
}
try_dir <- "."

rows <- list()
forest <- list()
add <- function(trial, cohort, arm, stat, value, tp = NULL) {
  rows[[length(rows) + 1]] <<- list(trial = trial, cohort = cohort, arm = arm, statistic = stat,
                                    timepoint = tp, value = if (is.na(value)) NULL else unname(value))
}
add_ci <- function(trial, cohort, arm, stat, v, lo, hi, tp = NULL) {
  add(trial, cohort, arm, stat, v, tp); add(trial, cohort, arm, paste0(stat, "_lower"), lo, tp)
  add(trial, cohort, arm, paste0(stat, "_upper"), hi, tp)
}
fmt_tp <- function(t) format(t)  # as hazard's {:g}: 1, 3, 5, 6, 12, 90, 180

# One cohort: d has columns t (display units), s (0/1), arm (factor, reference first), strat (or NULL).
cohort <- function(trial, name, d, times, level, strata) {
  arms <- levels(d$arm)
  f <- survfit(Surv(t, s) ~ arm, data = d, conf.type = "log-log", conf.int = level)
  q <- quantile(f, c(0.25, 0.5, 0.75))
  sm <- summary(f, times = times, extend = TRUE)
  rev <- survfit(Surv(t, 1 - s) ~ arm, data = d, conf.type = "log-log", conf.int = level)
  rq <- quantile(rev, 0.5)
  for (k in seq_along(arms)) {
    a <- arms[k]; sel <- d$arm == a
    add(trial, name, a, "n", sum(sel)); add(trial, name, a, "events", sum(d$s[sel]))
    add(trial, name, a, "censored", sum(1 - d$s[sel]))
    for (j in 1:3) {
      st <- c("q25", "median", "q75")[j]
      add_ci(trial, name, a, st, q$quantile[k, j], q$lower[k, j], q$upper[k, j])
    }
    for (j in seq_along(times)) {
      i <- which(sm$strata == paste0("arm=", a))[j]
      add_ci(trial, name, a, "rate", sm$surv[i], sm$lower[i], sm$upper[i], fmt_tp(times[j]))
    }
    add_ci(trial, name, a, "followup_median", rq$quantile[k], rq$lower[k], rq$upper[k])
  }
  z <- qnorm(1 - (1 - level) / 2)
  ci <- function(fit, j) exp(coef(fit)[j] + c(0, -z, z) * sqrt(diag(vcov(fit)))[j])
  fu <- coxph(Surv(t, s) ~ arm, data = d)
  fs <- if (strata) coxph(Surv(t, s) ~ arm + strata(strat), data = d) else fu
  ds <- if (strata) d[!is.na(d$strat), ] else d
  if (strata) add(trial, name, "all arms", "n_excluded_stratified", sum(is.na(d$strat)))
  for (k in seq_along(arms)[-1]) {
    vs <- paste(arms[k], "vs", arms[1])
    h <- ci(fs, k - 1); add_ci(trial, name, vs, "hr_stratified", h[1], h[2], h[3])
    h <- ci(fu, k - 1); add_ci(trial, name, vs, "hr_unstratified", h[1], h[2], h[3])
    pair <- droplevels(ds[ds$arm %in% arms[c(1, k)], ])
    lr <- if (strata) survdiff(Surv(t, s) ~ arm + strata(strat), data = pair) else survdiff(Surv(t, s) ~ arm, data = pair)
    o <- if (is.matrix(lr$obs)) rowSums(lr$obs) else lr$obs
    e <- if (is.matrix(lr$exp)) rowSums(lr$exp) else lr$exp
    add(trial, name, vs, "p_two_sided", pchisq(lr$chisq, 1, lower.tail = FALSE))
    add(trial, name, vs, "p_one_sided", pnorm((o[2] - e[2]) / sqrt(lr$var[2, 2])))
  }
  if (length(arms) > 2) {
    g <- if (strata) survdiff(Surv(t, s) ~ arm + strata(strat), data = ds) else survdiff(Surv(t, s) ~ arm, data = ds)
    add(trial, name, "all arms", "chisq_global", g$chisq)
    add(trial, name, "all arms", "df_global", length(arms) - 1)
    add(trial, name, "all arms", "p_global", pchisq(g$chisq, length(arms) - 1, lower.tail = FALSE))
  }
}

# Subgroup block: HRs (unstratified, K - 1 indicators) per level, interaction LR test. `block` is
# the cohort the block is computed in ("" = all cohorts pooled), `name` hazard's subgroup column.
subgroups <- function(trial, block, d, var, level, name = var) {
  arms <- levels(d$arm)
  dd <- d[!is.na(d[[var]]), ]
  dd$sub <- factor(dd[[var]])
  f0 <- coxph(Surv(t, s) ~ arm + sub, data = dd)
  f1 <- coxph(Surv(t, s) ~ arm * sub, data = dd)
  a <- anova(f0, f1)
  forest[[length(forest) + 1]] <<- list(trial = trial, block = block, subgroup = name, heading = TRUE,
    chisq_interaction = a$Chisq[2], df_interaction = a$Df[2], p_interaction = a[["Pr(>|Chi|)"]][2])
  z <- qnorm(1 - (1 - level) / 2)
  for (lv in levels(dd$sub)) {
    sub <- droplevels(dd[dd$sub == lv, ]); sub$arm <- factor(sub$arm, levels = arms)
    # A level without every arm, or an arm without events, has no estimable HR (hazard: a note).
    ev <- tapply(sub$s, sub$arm, sum)
    if (any(is.na(ev)) || any(ev == 0)) {
      forest[[length(forest) + 1]] <<- list(trial = trial, block = block, subgroup = name, level = lv, estimable = FALSE)
      next
    }
    fit <- coxph(Surv(t, s) ~ arm, data = sub)
    for (k in seq_along(arms)[-1]) {
      b <- coef(fit)[k - 1]; se <- sqrt(diag(vcov(fit)))[k - 1]
      forest[[length(forest) + 1]] <<- list(trial = trial, block = block, subgroup = name, level = lv,
        comparison = paste(arms[k], "vs", arms[1]), hr = exp(b), lower = exp(b - z * se), upper = exp(b + z * se))
    }
  }
}

# colon
colon <- read.csv(file.path(try_dir, "colon.csv"))
colon <- colon[colon$etype == 2, ]
cd <- data.frame(t = colon$time / 365.25, s = colon$status, arm = relevel(factor(colon$rx), "Obs"),
                 strat = colon$differ, node4 = colon$node4, sex = colon$sex,
                 age = ifelse(colon$age < 65, "<65", ">=65"))
cd$arm <- factor(cd$arm, levels = c("Obs", "Lev", "Lev+5FU"))
for (lv in c(0, 1)) cohort("colon", format(lv), cd[cd$node4 == lv, ], c(1, 3, 5), 0.95, TRUE)
cohort("colon", "Overall", cd, c(1, 3, 5), 0.95, TRUE)
for (lv in c(0, 1)) for (v in c("sex", "age")) subgroups("colon", format(lv), cd[cd$node4 == lv, ], v, 0.95)

# lung
lung <- read.csv(file.path(try_dir, "lung.csv"))
ld <- data.frame(t = lung$time / 30.4375, s = as.integer(lung$status == 2), arm = factor(lung$sex),
                 ecog = lung$ph.ecog)
cohort("lung", "Overall", ld, c(6, 12), 0.90, FALSE)
subgroups("lung", "", ld, "ecog", 0.90, name = "ph.ecog")

# veteran
vet <- read.csv(file.path(try_dir, "veteran.csv"))
vd <- data.frame(t = vet$time, s = vet$status, arm = factor(vet$trt), celltype = vet$celltype)
cohort("veteran", "Overall", vd, c(90, 180), 0.95, FALSE)
subgroups("veteran", "", vd, "celltype", 0.95)

out <- list(
  generated_by = "tests/reference/report/make_report.R",
  r_version = R.version.string,
  survival_version = as.character(packageVersion("survival")),
  calls = c("survfit(Surv(t, s) ~ arm, conf.type = 'log-log', conf.int = level); quantile(fit, c(.25, .5, .75)); summary(fit, times =, extend = TRUE)",
            "survfit(Surv(t, 1 - s) ~ arm, conf.type = 'log-log', conf.int = level); quantile(fit, 0.5)",
            "coxph(Surv(t, s) ~ arm + strata(strat)) and coxph(Surv(t, s) ~ arm); exp(coef -/+ qnorm(1 - (1 - level)/2) se)",
            "survdiff(Surv(t, s) ~ arm + strata(strat), data = two-arm subset); p = pchisq(chisq, 1); one-sided pnorm((O - E) / sqrt(V)) of the non-reference arm",
            "survdiff(Surv(t, s) ~ arm + strata(strat)) on all arms: chisq_global, df_global, p_global",
            "anova(coxph(Surv(t, s) ~ arm + sub), coxph(Surv(t, s) ~ arm * sub)): chisq_interaction, df_interaction, p_interaction",
            "colon: t = time / 365.25 (etype == 2, arm = rx with reference Obs, strat = differ); lung: t = time / 30.4375, s = status == 2, arm = sex; veteran: t = time, arm = trt"),
  results = rows, forest = forest)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE), "report.json")
cat("report.json:", length(rows), "results,", length(forest), "forest rows\n")
