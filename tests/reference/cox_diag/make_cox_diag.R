# Reference values for hazard's Cox diagnostics (tests/unit/cox/residuals_test.cpp,
# baseline_test.cpp, cox_zph_test.cpp; tests/cli/cox_diag.sh).
# Run from this folder:  Rscript make_cox_diag.R
# Writes cox_diag.json: one entry per case with the exact R call, R and survival versions, the
# model input as coxph saw it (design matrix, y, strata, weights, offset, term assignment) and
#   residuals(fit, type) for martingale, deviance, score, schoenfeld, scaledsch, dfbeta, dfbetas,
#   cox.zph(fit, transform)$table for km, identity, rank, log,
#   survfit(fit) (= basehaz(fit, centered = TRUE) for the cumulative hazard) and, for some
#   cases, survfit(fit, newdata = ...): time, n.risk, n.event, n.censor, cumhaz, surv, std.err,
#   lower, upper per stratum.
# It also writes CSV copies of the data sets used by the command-line test.
suppressPackageStartupMessages({library(survival); library(jsonlite)})
options(warn = 1)
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")))

mat_rows <- function(m) { m <- as.matrix(m); unname(lapply(seq_len(nrow(m)), function(i) unname(m[i, ]))) }

curve_list <- function(sf, nd_rows = 1, nd_stratum = NULL) {
  # survfit.coxph output -> list of curves (stratum label, newdata row, vectors)
  if (!is.null(nd_stratum)) {  # newdata with strata: one curve per newdata row, in its stratum
    ends <- cumsum(unname(sf$strata)); begins <- ends - unname(sf$strata) + 1
    return(lapply(seq_along(nd_stratum), function(r) {
      idx <- begins[r]:ends[r]
      list(stratum = names(sf$strata)[r], stratum_index = nd_stratum[r], newdata_row = r,
           time = unname(sf$time[idx]), n_risk = unname(sf$n.risk[idx]), n_event = unname(sf$n.event[idx]),
           n_censor = unname(sf$n.censor[idx]), cumhaz = unname(sf$cumhaz[idx]), surv = unname(sf$surv[idx]),
           std_err = unname(sf$std.err[idx]), lower = unname(sf$lower[idx]), upper = unname(sf$upper[idx]))
    }))
  }
  ns <- if (is.null(sf$strata)) 1 else length(sf$strata)
  sizes <- if (is.null(sf$strata)) length(sf$time) else unname(sf$strata)
  labels <- if (is.null(sf$strata)) "" else names(sf$strata)
  ends <- cumsum(sizes); begins <- ends - sizes + 1
  out <- list()
  for (r in seq_len(nd_rows)) for (s in seq_len(ns)) {
    idx <- begins[s]:ends[s]
    col <- function(v) { v <- as.matrix(v); unname(v[idx, min(r, ncol(v))]) }
    out[[length(out) + 1]] <- list(stratum = labels[s], stratum_index = s, newdata_row = r,
      time = unname(sf$time[idx]), n_risk = unname(sf$n.risk[idx]), n_event = unname(sf$n.event[idx]),
      n_censor = unname(sf$n.censor[idx]), cumhaz = col(sf$cumhaz), surv = col(sf$surv),
      std_err = col(sf$std.err), lower = col(sf$lower), upper = col(sf$upper))
  }
  out
}

cases <- list()
add_case <- function(name, call, df, ties, extras = list(), newdata = NULL, newdata_x = NULL,
                     newdata_stratum = NULL, newdata_offset = NULL) {
  fit <- eval(parse(text = call))
  y <- fit$y
  counting <- ncol(y) == 3
  x <- fit$x
  input <- list(
    time = unname(if (counting) y[, 2] else y[, 1]),
    start = if (counting) unname(y[, 1]) else NULL,
    status = unname(as.integer(y[, ncol(y)])),
    x = mat_rows(x),
    names = colnames(x),
    assign = unname(unlist(lapply(seq_along(fit$assign), function(k) rep(k - 1, length(fit$assign[[k]]))))),
    term_names = names(fit$assign))
  if (!is.null(extras$strata)) input$stratum <- as.integer(as.factor(df[[extras$strata]]))
  if (!is.null(extras$weights)) input$weight <- df[[extras$weights]]
  if (!is.null(extras$offset)) input$offset <- df[[extras$offset]]
  if (!is.null(extras$cluster)) input$cluster <- as.integer(as.factor(df[[extras$cluster]]))
  expect <- list(coef = unname(fit$coefficients))
  rcalls <- list()
  r <- list()
  types <- if (ties == "exact") c("martingale", "deviance") else
    c("martingale", "deviance", "score", "schoenfeld", "scaledsch", "dfbeta", "dfbetas")
  for (tp in types) {
    v <- residuals(fit, type = tp)
    r[[tp]] <- if (is.matrix(v)) mat_rows(v) else unname(as.numeric(v))
    if (tp == "schoenfeld") r$schoenfeld_time <- as.numeric(if (is.matrix(v)) rownames(v) else names(v))
  }
  if ("schoenfeld" %in% types) {
    # the exact event times, in the order residuals.coxph lists them (rownames are rounded)
    st <- if (is.null(fit$strata)) rep(0, nrow(y)) else as.numeric(fit$strata)
    ord <- order(st, y[, ncol(y) - 1], -y[, ncol(y)])
    dead <- ord[y[ord, ncol(y)] == 1]
    r$schoenfeld_time <- unname(y[dead, ncol(y) - 1])
    r$schoenfeld_row <- dead - 1
  }
  expect$residuals <- r
  rcalls$residuals <- sprintf("residuals(fit, type = t) for t in %s", paste(types, collapse = ", "))
  z <- list()
  for (tr in c("km", "identity", "rank", "log")) {
    zz <- cox.zph(fit, transform = tr)
    tb <- zz$table
    z[[tr]] <- list(terms = rownames(tb)[-nrow(tb)], chisq = unname(tb[, 1]), df = unname(tb[, 2]),
                    p = unname(tb[, 3]))
  }
  expect$zph <- z
  rcalls$zph <- "cox.zph(fit, transform = t)$table for t in km, identity, rank, log (terms = TRUE, global = TRUE)"
  sf <- survfit(fit)
  expect$baseline <- curve_list(sf)
  expect$basehaz <- basehaz(fit, centered = TRUE)$hazard
  rcalls$baseline <- "survfit(fit); basehaz(fit, centered = TRUE)"
  if (!is.null(newdata)) {
    sfn <- survfit(fit, newdata = newdata)
    expect$newdata <- curve_list(sfn, nrow(newdata), newdata_stratum)
    input$newdata_x <- mat_rows(newdata_x)
    if (!is.null(newdata_stratum)) input$newdata_stratum <- newdata_stratum
    if (!is.null(newdata_offset)) input$newdata_offset <- newdata_offset
    rcalls$newdata <- paste0("survfit(fit, newdata = ", paste(deparse(newdata, width.cutoff = 500), collapse = ""), ")")
  }
  cases[[length(cases) + 1]] <<- list(name = name, call = call, ties = ties, counting = counting,
                                      robust = !is.null(fit$naive.var),
                                      input = input, expect = expect, r_calls = rcalls, versions = versions)
}

# ---- data sets (complete cases, 0/1 status) ----
lung2 <- na.omit(lung[, c("inst", "time", "status", "age", "sex", "ph.ecog", "ph.karno", "wt.loss")])
lung2$status <- lung2$status - 1
lung2$w <- round(lung2$ph.karno / 10)          # integer case weights
lung2$wf <- lung2$ph.karno / 37                # non-integer case weights: robust variance in R
lung2$off <- 0.01 * lung2$age
vet <- veteran
ova <- ovarian
aml2 <- aml
bl <- bladder2
cgd2 <- cgd
rownames(lung2) <- NULL

nd_lung <- data.frame(age = c(50, 70), sex = c(1, 2), ph.ecog = c(0, 2))
nd_lung_x <- as.matrix(nd_lung)
nd_bl <- data.frame(rx = c(1, 2), number = c(1, 3), size = c(1, 2))

for (t in c("efron", "breslow")) {
  add_case(paste0("lung_", t), sprintf('coxph(Surv(time, status) ~ age + sex + ph.ecog, data = lung2, ties = "%s", x = TRUE)', t),
           lung2, t, newdata = nd_lung, newdata_x = nd_lung_x)
  add_case(paste0("ovarian_", t), sprintf('coxph(Surv(futime, fustat) ~ age + ecog.ps + rx, data = ova, ties = "%s", x = TRUE)', t), ova, t)
  add_case(paste0("aml_", t), sprintf('coxph(Surv(time, status) ~ x, data = aml2, ties = "%s", x = TRUE)', t), aml2, t)
  add_case(paste0("veteran_", t), sprintf('coxph(Surv(time, status) ~ trt + karno + celltype, data = vet, ties = "%s", x = TRUE)', t), vet, t)
  add_case(paste0("veteran_strata_", t), sprintf('coxph(Surv(time, status) ~ trt + karno + strata(celltype), data = vet, ties = "%s", x = TRUE)', t),
           vet, t, list(strata = "celltype"),
           newdata = data.frame(trt = c(1, 2), karno = c(60, 80)), newdata_x = cbind(c(1, 2), c(60, 80)))
  add_case(paste0("veteran_strata_nd_", t), sprintf('coxph(Surv(time, status) ~ trt + karno + strata(celltype), data = vet, ties = "%s", x = TRUE)', t),
           vet, t, list(strata = "celltype"),
           newdata = data.frame(trt = c(1, 2), karno = c(60, 80), celltype = c("large", "squamous")),
           newdata_x = cbind(c(1, 2), c(60, 80)), newdata_stratum = c(4L, 1L))
  add_case(paste0("lung_weights_", t), sprintf('coxph(Surv(time, status) ~ age + sex + ph.ecog, weights = w, data = lung2, ties = "%s", x = TRUE)', t),
           lung2, t, list(weights = "w"), newdata = nd_lung, newdata_x = nd_lung_x)
  add_case(paste0("lung_fracweights_", t), sprintf('coxph(Surv(time, status) ~ age + sex + ph.ecog, weights = wf, data = lung2, ties = "%s", x = TRUE)', t),
           lung2, t, list(weights = "wf"), newdata = nd_lung, newdata_x = nd_lung_x)
  add_case(paste0("lung_offset_", t), sprintf('coxph(Surv(time, status) ~ sex + ph.ecog + offset(off), data = lung2, ties = "%s", x = TRUE)', t),
           lung2, t, list(offset = "off"),
           newdata = data.frame(sex = c(1, 2), ph.ecog = c(0, 2), off = c(0.5, 0.7)),
           newdata_x = cbind(c(1, 2), c(0, 2)), newdata_offset = c(0.5, 0.7))
  add_case(paste0("lung_cluster_strata_", t), sprintf('coxph(Surv(time, status) ~ age + sex + wt.loss + strata(ph.ecog), cluster = inst, data = lung2, ties = "%s", x = TRUE)', t),
           lung2, t, list(strata = "ph.ecog", cluster = "inst"))
  add_case(paste0("bladder2_", t), sprintf('coxph(Surv(start, stop, event) ~ rx + number + size, data = bl, ties = "%s", x = TRUE)', t),
           bl, t, newdata = nd_bl, newdata_x = as.matrix(nd_bl))
  add_case(paste0("bladder2_cluster_", t), sprintf('coxph(Surv(start, stop, event) ~ rx + number + size, cluster = id, data = bl, ties = "%s", x = TRUE)', t),
           bl, t, list(cluster = "id"))
  add_case(paste0("cgd_strata_", t), sprintf('coxph(Surv(tstart, tstop, status) ~ treat + sex + age + propylac + strata(hos.cat), data = cgd2, ties = "%s", x = TRUE)', t),
           cgd2, t, list(strata = "hos.cat"))
}
add_case("aml_exact", 'coxph(Surv(time, status) ~ x, data = aml2, ties = "exact", x = TRUE)', aml2, "exact")
add_case("ovarian_strata_exact", 'coxph(Surv(futime, fustat) ~ age + rx + strata(ecog.ps), data = ova, ties = "exact", x = TRUE)', ova, "exact",
         list(strata = "ecog.ps"))

write_json(cases, "cox_diag.json", digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = FALSE)

# ---- command-line reference (tests/cli/cox_diag.sh) on CSV copies of the data ----
write.csv(lung2, "lung.csv", row.names = FALSE)
vetc <- vet; vetc$celltype <- as.character(vetc$celltype)
write.csv(vetc, "veteran.csv", row.names = FALSE)
write.csv(bl, "bladder2.csv", row.names = FALSE)
write.csv(data.frame(age = c(50, 70), sex = c(1, 2), ph.ecog = c(0, 2)), "lung_newdata.csv", row.names = FALSE)
L <- read.csv("lung.csv"); V <- read.csv("veteran.csv"); B <- read.csv("bladder2.csv")
cli <- list()
f1 <- coxph(Surv(time, status) ~ age + sex + ph.ecog, data = L)
z1 <- cox.zph(f1, transform = "km")$table
sf1 <- survfit(f1, newdata = read.csv("lung_newdata.csv"))
cli$lung <- list(call = 'coxph(Surv(time, status) ~ age + sex + ph.ecog, data = L); cox.zph(fit, "km"); survfit(fit); survfit(fit, newdata = read.csv("lung_newdata.csv"))',
                 martingale = unname(residuals(f1)), dfbeta = mat_rows(residuals(f1, "dfbeta")),
                 schoenfeld = mat_rows(residuals(f1, "schoenfeld")),
                 zph = list(terms = rownames(z1), chisq = unname(z1[, 1]), df = unname(z1[, 2]), p = unname(z1[, 3])),
                 baseline_cumhaz = unname(survfit(f1)$cumhaz), baseline_std_err = unname(survfit(f1)$std.err),
                 newdata_cumhaz = mat_rows(sf1$cumhaz))
f2 <- coxph(Surv(time, status) ~ trt + karno + celltype, data = V, ties = "breslow")
z2 <- cox.zph(f2, transform = "rank")$table
cli$veteran <- list(call = 'coxph(Surv(time, status) ~ trt + karno + celltype, data = V, ties = "breslow"); cox.zph(fit, "rank")',
                    deviance = unname(residuals(f2, "deviance")),
                    zph = list(terms = rownames(z2), chisq = unname(z2[, 1]), df = unname(z2[, 2]), p = unname(z2[, 3])))
f3 <- coxph(Surv(start, stop, event) ~ rx + number + size + strata(enum), data = B)
z3 <- cox.zph(f3, transform = "log")$table
cli$bladder2 <- list(call = 'coxph(Surv(start, stop, event) ~ rx + number + size + strata(enum), data = B); cox.zph(fit, "log")',
                     score = mat_rows(residuals(f3, "score")),
                     zph = list(terms = rownames(z3), chisq = unname(z3[, 1]), df = unname(z3[, 2]), p = unname(z3[, 3])))
cli$versions <- versions
write_json(cli, "cox_diag_cli.json", digits = NA, auto_unbox = TRUE, null = "null", na = "null", pretty = TRUE)
