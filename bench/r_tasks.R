# The R survival calls the benches time, by task name: one definition for bench/r_bench.R,
# bench/r_serve.R and read_path.sh's R whole path, so that R's fit alone and R's whole path fit
# the same model. `d` is a data frame from bench_generate's CSV with `arm` already a factor.
# Tasks: cox6 (coxph Efron, arm + x1..x5), cox1 (coxph arm), survdiff, survfit, coxcp (counting
# process, every z column).
fit_task <- function(task, d) {
  switch(task,
    cox6 = coxph(Surv(time, status) ~ arm + x1 + x2 + x3 + x4 + x5, data = d, ties = "efron"),
    cox1 = coxph(Surv(time, status) ~ arm, data = d),
    survdiff = survdiff(Surv(time, status) ~ arm, data = d),
    survfit = survfit(Surv(time, status) ~ arm, data = d),
    coxcp = {
      zs <- grep("^z", names(d), value = TRUE)
      f <- as.formula(paste("Surv(start, stop, status) ~", paste(zs, collapse = " + ")))
      coxph(f, data = d)
    },
    stop("unknown task ", task))
}
# The arm as R's users code it: a factor with the control arm first.
as_arm <- function(d) {
  if ("arm" %in% names(d)) d$arm <- factor(d$arm, levels = c("control", "experimental"))
  d
}
