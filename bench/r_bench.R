# Times R survival on a benchmark CSV (written by bench_generate), the R call alone on an
# in-memory data frame, as issue 6's table does. Prints one line per task: "task seconds".
# Usage: Rscript bench/r_bench.R FILE TASK[,TASK...] [REPS]
# Tasks: cox6 (coxph Efron, arm + x1..x5), cox1 (coxph arm), survdiff, survfit, coxcp (counting
# process, every z column).
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]
tasks <- strsplit(args[2], ",")[[1]]
reps <- if (length(args) >= 3) as.integer(args[3]) else 1L
d <- utils::read.csv(file)
if ("arm" %in% names(d)) d$arm <- factor(d$arm, levels = c("control", "experimental"))
best <- function(expr) {
  f <- substitute(expr)
  t <- Inf
  for (i in seq_len(reps)) {
    gc()
    t <- min(t, system.time(eval(f, parent.frame()))[["elapsed"]])
  }
  t
}
for (task in tasks) {
  s <- switch(task,
    cox6 = best(coxph(Surv(time, status) ~ arm + x1 + x2 + x3 + x4 + x5, data = d, ties = "efron")),
    cox1 = best(coxph(Surv(time, status) ~ arm, data = d)),
    survdiff = best(survdiff(Surv(time, status) ~ arm, data = d)),
    survfit = best(survfit(Surv(time, status) ~ arm, data = d)),
    coxcp = {
      zs <- grep("^z", names(d), value = TRUE)
      f <- as.formula(paste("Surv(start, stop, status) ~", paste(zs, collapse = " + ")))
      best(coxph(f, data = d))
    },
    stop("unknown task ", task))
  cat(task, format(s, digits = 6), "\n")
}
