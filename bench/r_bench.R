# Times R survival on a benchmark CSV (written by bench_generate), the R call alone on an
# in-memory data frame, as issue 6's table does. Prints one line per task: "task seconds".
# Usage: Rscript bench/r_bench.R FILE TASK[,TASK...] [REPS]
# Tasks: as bench/r_tasks.R (cox6, cox1, survdiff, survfit, coxcp).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
source(file.path(dirname(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE)[1])),
                 "r_tasks.R"))
file <- args[1]
tasks <- strsplit(args[2], ",")[[1]]
reps <- if (length(args) >= 3) as.integer(args[3]) else 1L
d <- as_arm(utils::read.csv(file))
for (task in tasks) {
  s <- Inf
  for (i in seq_len(reps)) {
    gc()
    s <- min(s, system.time(fit_task(task, d))[["elapsed"]])
  }
  cat(task, format(s, digits = 6), "\n")
}
