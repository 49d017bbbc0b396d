# R's side of bench/side_by_side.py: reads a benchmark CSV (written by bench_generate) once, as
# bench/r_bench.R does, prints "ready", then for each task name read from standard input fits it
# once on the in-memory data frame (gc() first) and prints system.time()'s elapsed seconds.
# Usage: Rscript bench/r_serve.R FILE   (tasks: cox6, survdiff, survfit; as bench/r_bench.R)
suppressPackageStartupMessages(library(survival))
file <- commandArgs(trailingOnly = TRUE)[1]
d <- utils::read.csv(file)
d$arm <- factor(d$arm, levels = c("control", "experimental"))
fits <- list(
  cox6 = function() coxph(Surv(time, status) ~ arm + x1 + x2 + x3 + x4 + x5, data = d, ties = "efron"),
  survdiff = function() survdiff(Surv(time, status) ~ arm, data = d),
  survfit = function() survfit(Surv(time, status) ~ arm, data = d))
con <- file("stdin", open = "r")
cat("ready\n")
flush(stdout())
while (length(task <- readLines(con, n = 1)) == 1) {
  f <- fits[[task]]
  if (is.null(f)) stop("unknown task ", task)
  gc()
  cat(system.time(f())[["elapsed"]], "\n")
  flush(stdout())
}
