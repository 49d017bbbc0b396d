# Times the R package's Cox fit on a benchmark CSV (bench_generate), the counterpart of
# `api_time FILE coxmodel6`: the data frame is read first (untimed), then hz_cox is called REPS
# times and the best wall and CPU times printed ("r_cox6 s", "r_cox6.cpu s"); survival's coxph on the
# same frame for scale.
# Usage: Rscript bench/bindings_time.R FILE REPS [coxph]
args <- commandArgs(TRUE)
reps <- as.integer(args[2])
d <- read.csv(args[1])
library(hazard)
best <- function(name, f) {
  wall <- cpu <- Inf
  for (i in seq_len(reps)) {
    t <- system.time(f())
    wall <- min(wall, t[["elapsed"]])
    cpu <- min(cpu, t[["user.self"]] + t[["sys.self"]])
  }
  cat(sprintf("%s %.6g\n%s.cpu %.6g\n", name, wall, name, cpu))
}
f <- Surv(time, status) ~ arm + x1 + x2 + x3 + x4 + x5
fit <- hz_cox(f, data = d)
best("r_cox6", function() hz_cox(f, data = d))
cat(sprintf("r_coef %.17g\n", coef(fit)[[1]]))
if (length(args) > 2) {
  library(survival)
  best("r_coxph6", function() coxph(f, data = d))
}
