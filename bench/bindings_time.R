# Times the R package's Cox fit on a benchmark CSV (bench_generate), the counterpart of
# `api_time FILE coxmodel6`: the data frame is read first (untimed), then hz_cox is called REPS
# times and the best time printed ("r_cox6 seconds"); survival's coxph on the same frame for scale.
# Usage: Rscript bench/bindings_time.R FILE REPS [coxph]
args <- commandArgs(TRUE)
reps <- as.integer(args[2])
d <- read.csv(args[1])
library(hazard)
best <- function(f) {
  t <- Inf
  for (i in seq_len(reps)) t <- min(t, system.time(f())[["elapsed"]])
  t
}
f <- Surv(time, status) ~ arm + x1 + x2 + x3 + x4 + x5
fit <- hz_cox(f, data = d)
cat(sprintf("r_cox6 %.6g\n", best(function() hz_cox(f, data = d))))
cat(sprintf("r_coef %.17g\n", coef(fit)[[1]]))
if (length(args) > 2) {
  library(survival)
  cat(sprintf("r_coxph6 %.6g\n", best(function() coxph(f, data = d))))
}
