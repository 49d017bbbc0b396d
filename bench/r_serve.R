# R's side of bench/side_by_side.py: reads a benchmark CSV (written by bench_generate) once, as
# bench/r_bench.R does, prints "ready", then for each task name read from standard input fits it
# once on the in-memory data frame (gc() first) and prints system.time()'s elapsed seconds.
# Usage: Rscript bench/r_serve.R FILE   (tasks: as bench/r_tasks.R)
suppressPackageStartupMessages(library(survival))
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)[1])),
                 "r_tasks.R"))
d <- as_arm(utils::read.csv(commandArgs(trailingOnly = TRUE)[1]))
con <- file("stdin", open = "r")
cat("ready\n")
flush(stdout())
while (length(task <- readLines(con, n = 1)) == 1) {
  gc()
  cat(system.time(fit_task(task, d))[["elapsed"]], "\n")
  flush(stdout())
}
