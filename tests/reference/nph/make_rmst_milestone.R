# Reference values for the RMST difference test and the milestone difference test
# (src/km/rmst_comparison.cpp, src/km/milestone.cpp), from R survival.
#
# Run from anywhere:  Rscript tests/reference/nph/make_rmst_milestone.R   (after make_maxcombo.R,
# which writes the CSV files read here)
# Needs: r-base-core, r-cran-survival, r-cran-jsonlite.
# Writes rmst_milestone.json, one entry per case:
#   * RMST: print(survfit(Surv(time, status) ~ group), rmean = tau) -> summary(fit, rmean = tau)$table
#     columns "rmean" and "se(rmean)" per arm; difference arm 2 - arm 1, SE sqrt(se1^2 + se2^2),
#     z, p = 2 pnorm(-|z|), p_one_sided = pnorm(-z), CI at 0.95.
#   * Milestone: summary(fit, times = t, extend = TRUE): surv and std.err (Greenwood) per arm;
#     difference, SE sqrt(se1^2 + se2^2), z, p as above.
suppressMessages({ library(survival); library(jsonlite) })
script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))
L <- read.csv("lung.csv"); L$status <- as.integer(L$status == 2)
D <- read.csv("delayed.csv"); X <- read.csv("crossing.csv"); V <- read.csv("veteran.csv")
lung_cli <- c("--time", "time", "--event", "status=2", "--group", "sex")
dcli <- c("--time", "time", "--event", "status", "--group", "arm")
z975 <- qnorm(0.975)
diff_test <- function(e, se) {
  d <- e[2] - e[1]; s <- sqrt(sum(se^2)); z <- d / s
  list(difference = d, std_err = s, lower = d - z975 * s, upper = d + z975 * s, z = z,
       p = 2 * pnorm(-abs(z)), p_one_sided = pnorm(-z))
}
rmst_cases <- list(); ms_cases <- list()
add_rmst <- function(name, file, cli, dat, formula, tau) {
  fit <- survfit(formula, data = dat)
  tab <- summary(fit, rmean = tau)$table
  e <- unname(tab[, "rmean"]); se <- unname(tab[, "se(rmean)"])
  rmst_cases[[length(rmst_cases) + 1]] <<- c(list(name = name, file = file, cli = c(cli, "--tau", format(tau)),
    call = sprintf("summary(survfit(%s, data = <%s>), rmean = %g)$table[, c('rmean', 'se(rmean)')]",
                   deparse(formula), file, tau),
    tau = tau, n = sum(fit$n), rmst = e, std_err = se), diff_test(e, se))
}
add_ms <- function(name, file, cli, dat, formula, at) {
  fit <- survfit(formula, data = dat)
  s <- summary(fit, times = at, extend = TRUE)
  e <- s$surv; se <- s$std.err
  ms_cases[[length(ms_cases) + 1]] <<- c(list(name = name, file = file, cli = c(cli, "--at", format(at)),
    call = sprintf("summary(survfit(%s, data = <%s>), times = %g, extend = TRUE)[c('surv', 'std.err')]",
                   deparse(formula), file, at),
    at = at, n = sum(fit$n), surv = e, std_err_arm = se, n_risk = s$n.risk), diff_test(e, se))
}
add_rmst("lung_365", "lung.csv", lung_cli, L, Surv(time, status) ~ sex, 365)
add_rmst("lung_730", "lung.csv", lung_cli, L, Surv(time, status) ~ sex, 730)
add_rmst("lung_2000", "lung.csv", lung_cli, L, Surv(time, status) ~ sex, 2000)  # past the last time
add_rmst("delayed_24", "delayed.csv", dcli, D, Surv(time, status) ~ arm, 24)
add_rmst("crossing_30", "crossing.csv", dcli, X, Surv(time, status) ~ arm, 30)
add_rmst("veteran_180", "veteran.csv", c("--time", "time", "--event", "status", "--group", "trt"), V,
         Surv(time, status) ~ trt, 180)
add_ms("lung_365", "lung.csv", lung_cli, L, Surv(time, status) ~ sex, 365)
add_ms("lung_183", "lung.csv", lung_cli, L, Surv(time, status) ~ sex, 182.5)
add_ms("delayed_12", "delayed.csv", dcli, D, Surv(time, status) ~ arm, 12)
add_ms("delayed_24", "delayed.csv", dcli, D, Surv(time, status) ~ arm, 24)
add_ms("crossing_3", "crossing.csv", dcli, X, Surv(time, status) ~ arm, 3)
add_ms("veteran_100", "veteran.csv", c("--time", "time", "--event", "status", "--group", "trt"), V,
       Surv(time, status) ~ trt, 100)
writeLines(toJSON(list(meta = list(script = "tests/reference/nph/make_rmst_milestone.R", versions = versions,
                                   generated = format(Sys.time(), tz = "UTC", usetz = TRUE)),
                       rmst = rmst_cases, milestone = ms_cases),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), "rmst_milestone.json")
cat("wrote rmst_milestone.json\n")
