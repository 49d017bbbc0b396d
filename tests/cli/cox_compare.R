# Compares one `hazard cox --json` output with a case of tests/reference/cox/cox_cli.json.
# Usage: Rscript cox_compare.R REF.json CASE HAZARD.json TERM1,TERM2,...   (exit 1 on mismatch)
args <- commandArgs(TRUE)
ref <- jsonlite::fromJSON(args[1], simplifyVector = FALSE)[[args[2]]]
got <- jsonlite::fromJSON(args[3], simplifyVector = FALSE)
terms <- strsplit(args[4], ",")[[1]]
tol <- 1e-8  # tests/tolerances.hpp: iterative
bad <- character(0)
num <- function(x) if (is.null(x)) NA_real_ else as.numeric(x)
check <- function(what, a, b) {
  a <- sapply(a, num); b <- sapply(b, num)
  if (length(a) != length(b) || any(abs(a - b) > tol * abs(b) + 1e-14, na.rm = TRUE) || any(is.na(a) != is.na(b)))
    bad <<- c(bad, sprintf("%s: hazard %s, R %s", what, paste(format(a, digits = 15), collapse = " "),
                           paste(format(b, digits = 15), collapse = " ")))
}
co <- got$coefficients
if (!identical(sapply(co, `[[`, "term"), terms))
  bad <- c(bad, paste("terms:", paste(sapply(co, `[[`, "term"), collapse = ",")))
check("coef", lapply(co, `[[`, "coef"), ref$coef)
check("se", lapply(co, `[[`, "se"), ref$se)
if (!is.null(ref$robust_se)) check("robust_se", lapply(co, `[[`, "robust_se"), ref$robust_se)
check("hr", lapply(co, `[[`, "hr"), ref$hr)
check("lower", lapply(co, `[[`, "lower"), ref$lower)
check("upper", lapply(co, `[[`, "upper"), ref$upper)
check("loglik", got$loglik, ref$loglik)
check("score", got$tests$score$stat, ref$score)
check("wald", got$tests$wald$stat, ref$wald)
if (!is.null(ref$rscore)) check("robust score", got$tests$robust_score$stat, ref$rscore)
check("concordance", list(got$concordance$estimate, got$concordance$std_err), ref$concordance)
if (!is.null(ref$ph_test)) {
  ph <- got$ph_test
  if (is.null(ph) || ph$transform != ref$ph_test$transform) {
    bad <- c(bad, "ph_test missing or wrong transform")
  } else {
    rows <- c(ph$terms, list(c(list(term = "GLOBAL"), ph$global)))
    if (!identical(sapply(rows, `[[`, "term"), unlist(ref$ph_test$term))) bad <- c(bad, "ph_test terms")
    tol <- 1e-6  # tests/tolerances.hpp: derived
    check("ph_test chisq", lapply(rows, `[[`, "chisq"), ref$ph_test$chisq)
    check("ph_test df", lapply(rows, `[[`, "df"), ref$ph_test$df)
    check("ph_test p", lapply(rows, `[[`, "p"), ref$ph_test$p)
  }
}
if (got$n != ref$n || got$events != ref$nevent || got$iterations != ref$iter)
  bad <- c(bad, sprintf("n/events/iter: %s/%s/%s vs R %s/%s/%s", got$n, got$events, got$iterations, ref$n, ref$nevent, ref$iter))
if (length(bad)) { cat(paste0("  ", bad, "\n"), sep = ""); quit(status = 1) }
