# Reference values for `hazard safety` (src/safety/) on the simulated example
# examples/cabinet/adae.csv, adsl.csv, adex.csv, and for the exact Poisson kernel, from base R.
#
# Run from anywhere:  Rscript tests/reference/safety/make_safety.R
# Needs: r-base-core (stats), r-cran-jsonlite (scripts/bootstrap). No dplyr: base R only.
#
# Writes next to itself:
#   poisson.json   poisson_exact cases: poisson.test(x, T, conf.level = cl)$conf.int
#   cabinet.json   the safety tables of the example for the command lines listed in each case
#
# How the values are made (R and package versions are recorded in each file):
#   * population: ADSL rows with SAFFL = "Y" (and the case's ADSL filter); arm = TRT01A;
#   * treatment-emergent records: ADAE rows with TRTEMFL = "Y" of subjects of the population;
#   * every count is tallied twice, independently, and the two must agree before anything is
#     written: (A) vectorised, by unique() of the subjects with a record and tapply(max) of the
#     grades; (B) a plain loop over the subjects of the population, each scanning its own records;
#   * percentages 100 n / N; exposure-adjusted rates 100 * n / PY with PY = sum(days) / 365.25 and
#     the interval 100 * poisson.test(n, PY)$conf.int; differences (percentage points) of each
#     arm minus Placebo: newcombe10() (Newcombe 1998 method 10 from prop.test's Wilson limits)
#     and prop.test(c(x1, x0), c(n1, n0), correct = FALSE)$conf.int;
#   * order of the SOC/PT table: descending n in Cabozantinib, then descending total, then name
#     (C-locale order, sort(method = "radix")); PTs shown when their % in some arm >= min_percent.
suppressMessages(library(jsonlite))

script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)
versions <- list(R = R.version.string, jsonlite = as.character(packageVersion("jsonlite")))
num <- function(x) ifelse(is.finite(x), x, NA)

# ---- exact Poisson kernel ----
pcases <- data.frame(x = c(0, 1, 5, 59, 180, 3, 0, 1000),
                     t = c(41.3, 2.5, 10, 41.3, 118.6, 0.75, 1, 1234.5),
                     cl = c(0.95, 0.95, 0.9, 0.95, 0.95, 0.99, 0.8, 0.95))
poisson_cases <- lapply(seq_len(nrow(pcases)), function(i) {
  x <- pcases$x[i]; t <- pcases$t[i]; cl <- pcases$cl[i]
  ci <- poisson.test(x, t, conf.level = cl)$conf.int
  list(x = x, exposure = t, conf_level = cl, call = sprintf("poisson.test(%g, %g, conf.level = %g)$conf.int", x, t, cl),
       estimate = x / t, lower = ci[1], upper = ci[2])
})
write_json(list(versions = versions, cases = poisson_cases), "poisson.json", auto_unbox = TRUE, digits = NA,
           pretty = TRUE, na = "null")

# ---- the example ----
ex <- file.path(script_dir, "..", "..", "..", "examples", "cabinet")
adsl <- read.csv(file.path(ex, "adsl.csv"), stringsAsFactors = FALSE, na.strings = "")
adae <- read.csv(file.path(ex, "adae.csv"), stringsAsFactors = FALSE, na.strings = "")
adex <- read.csv(file.path(ex, "adex.csv"), stringsAsFactors = FALSE, na.strings = "")
# The exposure of ADEX (TRTDURD) is ADSL's TRTEDT - TRTSDT + 1: both sources give the same rates.
dur <- adex[adex$PARAMCD == "TRTDURD", ]
stopifnot(all(dur$AVAL == (adsl$TRTEDT - adsl$TRTSDT + 1)[match(dur$USUBJID, adsl$USUBJID)]))
arms <- c("Placebo", "Cabozantinib")

newcombe10 <- function(x1, n1, x0, n0, cl) {
  w <- function(x, n) suppressWarnings(prop.test(x, n, correct = FALSE, conf.level = cl)$conf.int)
  p1 <- x1 / n1; p0 <- x0 / n0; w1 <- w(x1, n1); w0 <- w(x0, n0); d <- p1 - p0
  c(d, d - sqrt((p1 - w1[1])^2 + (w0[2] - p0)^2), d + sqrt((w1[2] - p1)^2 + (p0 - w0[1])^2))
}

summary_defs <- list(
  any = list(label = "Any TEAE", f = function(r) rep(TRUE, nrow(r))),
  grade3 = list(label = "TEAE of grade 3 or higher", f = function(r) !is.na(r$G) & r$G >= 3),
  serious = list(label = "Serious TEAE", f = function(r) r$AESER %in% "Y"),
  withdrawn = list(label = "TEAE leading to treatment discontinuation", f = function(r) r$AEACN %in% "DRUG WITHDRAWN"),
  reduced = list(label = "TEAE leading to dose reduction",
                 f = function(r) r$AEACN %in% c("DOSE REDUCED", "DOSE RATE REDUCED")),
  fatal = list(label = "TEAE leading to death",
               f = function(r) r$AESDTH %in% "Y" | r$AEOUT %in% "FATAL" | (!is.na(r$G) & r$G == 5)))

# (A) vectorised tally of one row: per arm n, worst-grade table, grade >= 3
tally_a <- function(recs, pop) {
  lapply(arms, function(a) {
    r <- recs[recs$ARM == a, ]
    subj <- unique(r$USUBJID)
    worst <- if (length(subj)) tapply(ifelse(is.na(r$G), 0, r$G), r$USUBJID, max) else integer(0)
    list(n = length(subj), worst = as.integer(table(factor(worst, levels = 0:5))), grade3 = sum(worst >= 3))
  })
}
# (B) loop over the subjects of the population
tally_b <- function(recs, pop) {
  lapply(arms, function(a) {
    n <- 0L; worst <- integer(6); g3 <- 0L
    for (s in pop$USUBJID[pop$TRT01A == a]) {
      mine <- recs[recs$USUBJID == s, , drop = FALSE]
      if (nrow(mine) == 0) next
      n <- n + 1L
      w <- 0
      for (k in seq_len(nrow(mine))) if (!is.na(mine$G[k]) && mine$G[k] > w) w <- mine$G[k]
      worst[w + 1] <- worst[w + 1] + 1L
      if (w >= 3) g3 <- g3 + 1L
    }
    list(n = n, worst = worst, grade3 = g3)
  })
}

make_row <- function(type, id, label, soc, recs, pop, PY, cl) {
  ta <- tally_a(recs, pop); tb <- tally_b(recs, pop)
  stopifnot(identical(lapply(ta, function(x) c(x$n, x$worst, x$grade3)),
                      lapply(tb, function(x) c(as.integer(x$n), x$worst, as.integer(x$grade3)))))
  N <- sapply(arms, function(a) sum(pop$TRT01A == a))
  cells <- lapply(seq_along(arms), function(k) {
    n <- ta[[k]]$n
    ci <- if (is.finite(PY[k])) 100 * poisson.test(n, PY[k], conf.level = cl)$conf.int else c(NA, NA)
    list(group = arms[k], n = n, percent = 100 * n / N[k],
         worst_grade = list(`1` = ta[[k]]$worst[2], `2` = ta[[k]]$worst[3], `3` = ta[[k]]$worst[4],
                            `4` = ta[[k]]$worst[5], `5` = ta[[k]]$worst[6], missing = ta[[k]]$worst[1]),
         grade3 = ta[[k]]$grade3,
         rate = list(estimate = num(100 * n / PY[k]), lower = num(ci[1]), upper = num(ci[2])))
  })
  x1 <- ta[[2]]$n; x0 <- ta[[1]]$n
  nc <- newcombe10(x1, N[2], x0, N[1], cl)
  wd <- suppressWarnings(prop.test(c(x1, x0), c(N[2], N[1]), correct = FALSE, conf.level = cl)$conf.int)
  p1 <- x1 / N[2]; p0 <- x0 / N[1]
  row <- list(type = type)
  if (type == "summary") row$id <- id
  row$label <- label
  row$arms <- cells
  row$differences <- list(list(group = "Cabozantinib", reference = "Placebo", estimate = 100 * nc[1],
                               newcombe = list(lower = 100 * nc[2], upper = 100 * nc[3]),
                               wald = list(std_err = 100 * sqrt(p1 * (1 - p1) / N[2] + p0 * (1 - p0) / N[1]),
                                           lower = 100 * wd[1], upper = 100 * wd[2])))
  if (type != "summary") row$soc <- soc
  row
}

analysis <- function(pop, te, exposure, min_percent, cl) {
  te <- te[te$USUBJID %in% pop$USUBJID, ]
  te$ARM <- pop$TRT01A[match(te$USUBJID, pop$USUBJID)]
  days <- exposure[match(pop$USUBJID, names(exposure))]
  PY <- sapply(arms, function(a) if (is.null(exposure)) NA else sum(days[pop$TRT01A == a]) / 365.25)
  N <- sapply(arms, function(a) sum(pop$TRT01A == a))
  summary <- lapply(names(summary_defs), function(id)
    make_row("summary", id, summary_defs[[id]]$label, NA, te[summary_defs[[id]]$f(te), ], pop, PY, cl))
  count <- function(r, a) length(unique(r$USUBJID[r$ARM == a]))
  key <- function(r) c(-count(r, "Cabozantinib"), -(count(r, "Placebo") + count(r, "Cabozantinib")))
  ord <- function(names, recs_of) {
    k <- t(sapply(names, function(nm) key(recs_of(nm))))
    names[order(k[, 1], k[, 2], names, method = "radix")]
  }
  shown <- function(r) any(sapply(arms, function(a) 100 * count(r, a) / N[a] >= min_percent & count(r, a) > 0))
  terms <- list(); below <- 0
  for (s in ord(unique(te$AEBODSYS), function(s) te[te$AEBODSYS == s, ])) {
    in_soc <- te[te$AEBODSYS == s, ]
    pts <- unique(in_soc$AEDECOD)
    keep <- pts[sapply(pts, function(p) shown(in_soc[in_soc$AEDECOD == p, ]))]
    below <- below + length(pts) - length(keep)
    if (!length(keep)) next
    terms[[length(terms) + 1]] <- make_row("soc", NA, s, s, in_soc, pop, PY, cl)
    for (p in ord(keep, function(p) in_soc[in_soc$AEDECOD == p, ]))
      terms[[length(terms) + 1]] <- make_row("pt", NA, p, s, in_soc[in_soc$AEDECOD == p, ], pop, PY, cl)
  }
  list(arms = lapply(arms, function(a) list(group = a, n = N[[a]], patient_years = num(PY[[a]]))),
       summary = summary, terms = terms, terms_below_min = below)
}

cases <- list(
  list(name = "by_cohort_dates", cli = c("--group", "TRT01A", "--ref", "Placebo", "--by", "COHORT"),
       by = "COHORT", exposure = "dates", min_percent = 0, cl = 0.95, adsl_filter = NULL),
  list(name = "min10_adex", cli = c("--group", "TRT01A", "--ref", "Placebo", "--min-percent", "10",
                                    "--adex", "ADEX"),
       by = NULL, exposure = "adex", min_percent = 10, cl = 0.95, adsl_filter = NULL),
  list(name = "pnet_cl90", cli = c("--group", "TRT01A", "--ref", "Placebo", "--where", "COHORT=pNET",
                                   "--conf-level", "0.9", "--min-percent", "5"),
       by = NULL, exposure = "dates", min_percent = 5, cl = 0.9, adsl_filter = c("COHORT", "pNET")))
out <- lapply(cases, function(cs) {
  pop <- adsl[adsl$SAFFL %in% "Y", ]
  ae <- adae
  if (!is.null(cs$adsl_filter)) {
    pop <- pop[pop[[cs$adsl_filter[1]]] == cs$adsl_filter[2], ]
    ae <- ae[ae[[cs$adsl_filter[1]]] == cs$adsl_filter[2], ]  # COHORT is in ADAE too: --where applies to both
  }
  te <- ae[ae$TRTEMFL %in% "Y", ]
  te$G <- suppressWarnings(as.integer(te$AETOXGR))
  exposure <- if (cs$exposure == "dates") setNames(pop$TRTEDT - pop$TRTSDT + 1, pop$USUBJID)
              else setNames(dur$AVAL, dur$USUBJID)
  labels <- c(if (!is.null(cs$by)) sort(unique(pop[[cs$by]]), method = "radix"), "Overall")
  an <- lapply(labels, function(l) {
    p <- if (l == "Overall") pop else pop[pop[[cs$by]] == l, ]
    c(list(label = l), analysis(p, te, exposure, cs$min_percent, cs$cl))
  })
  list(name = cs$name, cli = cs$cli, n = nrow(pop), analyses = an)
})
write_json(list(versions = versions, data = "examples/cabinet/adae.csv, adsl.csv, adex.csv (PARAMCD = TRTDURD)",
                cases = out),
           "cabinet.json", auto_unbox = TRUE, digits = NA, pretty = TRUE, na = "null")
cat("wrote poisson.json (", length(poisson_cases), "cases ) and cabinet.json (", length(out), "cases )\n")
