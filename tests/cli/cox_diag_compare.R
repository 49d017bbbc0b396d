# Compares the outputs of tests/cli/cox_diag.sh (in directory args[2]) with R's values
# (args[1] = tests/reference/cox_diag/cox_diag_cli.json) to 1e-6, scaled by the largest
# magnitude of each compared quantity. Prints ok/FAIL lines; exit status 1 on any failure.
suppressPackageStartupMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
ref <- fromJSON(args[1], simplifyVector = TRUE)
dir <- args[2]
tol <- 1e-6
fail <- FALSE
close_enough <- function(what, got, want) {
  got <- as.numeric(unlist(got)); want <- as.numeric(unlist(want))
  ok <- length(got) == length(want) &&
    all(abs(got - want) <= tol * pmax(abs(want), max(abs(want), na.rm = TRUE)), na.rm = TRUE)
  if (ok) cat("ok  ", what, "\n") else {
    cat("FAIL", what, "\n"); if (length(got) == length(want)) print(head(cbind(got, want)[abs(got - want) > 0, , drop = FALSE]))
    else cat("  lengths", length(got), length(want), "\n")
    fail <<- TRUE
  }
}
csv <- function(f) read.csv(file.path(dir, f), check.names = FALSE)
js <- function(f) fromJSON(file.path(dir, f), simplifyVector = TRUE)

m <- csv("lung_mart.csv")
close_enough("lung martingale", m$residual, ref$lung$martingale)
if (!identical(m$line, 2:(nrow(m) + 1))) { cat("FAIL lung martingale line numbers\n"); fail <- TRUE }
d <- csv("lung_dfbeta.csv")
close_enough("lung dfbeta", t(as.matrix(d[, c("age", "sex", "ph.ecog")])), t(ref$lung$dfbeta))
s <- csv("lung_sch.csv")
close_enough("lung schoenfeld", t(as.matrix(s[, c("age", "sex", "ph.ecog")])), t(ref$lung$schoenfeld))
z <- js("lung_zph.json")
close_enough("lung ph_test km terms", z$ph_test$terms$chisq, head(ref$lung$zph$chisq, -1))
close_enough("lung ph_test km global", z$ph_test$global$chisq, tail(ref$lung$zph$chisq, 1))
close_enough("lung ph_test p", c(z$ph_test$terms$p, z$ph_test$global$p), ref$lung$zph$p)
close_enough("lung baseline cumhaz", z$survfit$curves$cumhaz[[1]], ref$lung$baseline_cumhaz)
close_enough("lung baseline std_err", z$survfit$curves$std_err[[1]], ref$lung$baseline_std_err)
nw <- js("lung_new.json")
close_enough("lung newdata cumhaz", unlist(nw$survfit$curves$cumhaz), as.vector(ref$lung$newdata_cumhaz))
v <- csv("vet_dev.csv")
close_enough("veteran deviance", v$residual, ref$veteran$deviance)
vz <- js("vet_dev.json")
if (!identical(vz$ph_test$terms$term, c("trt", "karno", "celltype"))) { cat("FAIL veteran terms\n"); fail <- TRUE }
close_enough("veteran ph_test rank", c(vz$ph_test$terms$chisq, vz$ph_test$global$chisq), ref$veteran$zph$chisq)
b <- csv("bl_score.csv")
close_enough("bladder2 score", t(as.matrix(b[, c("rx", "number", "size")])), t(ref$bladder2$score))
bz <- js("bl_score.json")
close_enough("bladder2 ph_test log", c(bz$ph_test$terms$chisq, bz$ph_test$global$chisq), ref$bladder2$zph$chisq)
quit(status = if (fail) 1 else 0)
