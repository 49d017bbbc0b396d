# Reference values for the stratified RMST difference test and the stratified milestone
# (survival at t) difference test (src/km/stratified_comparison.cpp, src/km/stratum_combination.cpp;
# hazard logrank --test rmst|milestone --strata S [--stratum-weights ivw|size]), from R survival.
#
# Run from anywhere:  Rscript tests/reference/nph/make_stratified_rmst.R   (after make_maxcombo.R,
# which writes lung.csv read here)
# Needs: r-base-core, r-cran-survival, r-cran-jsonlite.
# Writes:
#   veteran_celltype.csv   survival::veteran (time, status, trt, celltype)
#   colon_death.csv        survival::colon, the death records (etype == 2): time, status, rx, sex, node4
#   stratified_rmst.json   one entry per case and test:
#     * per stratum s (its rows only), fit <- survfit(Surv(time, status) ~ group, data = <rows of s>):
#       RMST: summary(fit, rmean = tau)$table[, c("rmean", "se(rmean)")] per arm;
#       milestone: summary(fit, times = t, extend = TRUE)[c("surv", "std.err", "n.risk")] per arm;
#       D_s = arm 2 - arm 1, se_s = sqrt(se_1^2 + se_2^2);
#     * combined by hand, weights w_s summing to 1:
#       ivw:  w_s = (1 / se_s^2) / sum(1 / se^2);   size: w_s = n_s / N (rows of the stratum);
#       D = sum w_s D_s, SE = sqrt(sum w_s^2 se_s^2), z = D / SE, p = 2 pnorm(-|z|),
#       p_one_sided = pnorm(-z), CI D -/+ qnorm(0.975) SE.
suppressMessages({ library(survival); library(jsonlite) })
script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))

V <- survival::veteran[, c("time", "status", "trt", "celltype")]
write.csv(V, "veteran_celltype.csv", row.names = FALSE)
C <- subset(survival::colon, etype == 2)[, c("time", "status", "rx", "sex", "node4")]
write.csv(C, "colon_death.csv", row.names = FALSE)
L <- read.csv("lung.csv"); L$status <- as.integer(L$status == 2)

z975 <- qnorm(0.975)
combine <- function(d, se, n, weights) {
  w <- if (weights == "ivw") (1 / se^2) / sum(1 / se^2) else n / sum(n)
  D <- sum(w * d); s <- sqrt(sum(w^2 * se^2)); z <- D / s
  list(weights = w, difference = D, std_err = s, lower = D - z975 * s, upper = D + z975 * s, z = z,
       p = 2 * pnorm(-abs(z)), p_one_sided = pnorm(-z))
}
# dat: the analysed rows; group: the arm column (a factor, reference first); strata: columns.
cases <- list()
add <- function(name, test, file, cli, dat, group, strata, time, wcol = NULL) {
  dat$.arm <- factor(dat[[group]])
  lab <- do.call(paste, c(lapply(strata, function(s) paste0(s, "=", dat[[s]])), sep = ", "))
  dat$.stratum <- lab
  levs <- unique(lab[do.call(order, unname(as.list(dat[strata])))])  # strata() order: sorted values
  rows <- lapply(levs, function(s) {
    sub <- dat[dat$.stratum == s, ]
    fit <- if (is.null(wcol)) survfit(Surv(time, status) ~ .arm, data = sub)
           else survfit(Surv(time, status) ~ .arm, data = sub, weights = sub[[wcol]])
    if (test == "rmst") {
      tab <- summary(fit, rmean = time)$table
      e <- unname(tab[, "rmean"]); se <- unname(tab[, "se(rmean)"]); nr <- c(0, 0)
    } else {
      sm <- summary(fit, times = time, extend = TRUE)
      e <- sm$surv; se <- sm$std.err; nr <- sm$n.risk
    }
    list(stratum = s, n = nrow(sub), n_arm = as.vector(table(sub$.arm)), estimate = e, std_err_arm = se,
         n_risk = nr, last_time = unname(tapply(sub$time, sub$.arm, max)),
         difference = e[2] - e[1], se = sqrt(sum(se^2)))
  })
  d <- sapply(rows, `[[`, "difference"); se <- sapply(rows, `[[`, "se"); n <- sapply(rows, `[[`, "n")
  fit_call <- sprintf("survfit(Surv(time, status) ~ %s, data = <rows of the stratum>%s)", group,
                      if (is.null(wcol)) "" else sprintf(", weights = %s", wcol))
  call <- if (test == "rmst") sprintf("per stratum: summary(%s, rmean = %g)$table[, c('rmean', 'se(rmean)')]", fit_call, time)
          else sprintf("per stratum: summary(%s, times = %g, extend = TRUE)[c('surv', 'std.err', 'n.risk')]", fit_call, time)
  cases[[length(cases) + 1]] <<- list(name = name, test = test, file = file,
    cli = c(cli, "--test", test, if (test == "rmst") c("--tau", format(time)) else c("--at", format(time))),
    call = call, time = time, n = nrow(dat), strata = rows,
    ivw = combine(d, se, n, "ivw"), size = combine(d, se, n, "size"))
}
lung_cli <- c("--time", "time", "--event", "status=2", "--group", "sex", "--strata", "ph.ecog",
              "--where", "ph.ecog<3")
Le <- subset(L, !is.na(ph.ecog) & ph.ecog < 3)
vet_cli <- c("--time", "time", "--event", "status", "--group", "trt", "--strata", "celltype")
col_cli <- c("--time", "time", "--event", "status", "--group", "rx", "--ref", "Obs", "--where", "rx in Obs,Lev+5FU")
Cd <- subset(C, rx != "Lev"); Cd$rx <- factor(as.character(Cd$rx), levels = c("Obs", "Lev+5FU"))
for (test in c("rmst", "milestone")) {
  times <- if (test == "rmst") c(365, 730, 900) else c(182.5, 365, 547.5)
  for (t in times) add(sprintf("lung_ecog_%g", t), test, "lung.csv", lung_cli, Le, "sex", "ph.ecog", t)
  add(sprintf("lung_ecog_weighted_%g", 365), test, "lung.csv", c(lung_cli, "--weights", "w"), Le, "sex", "ph.ecog",
      365, wcol = "w")
  # (milestone at 730: the ph.ecog=2, sex=2 curve is 0 and has no SE, R gives NaN: hazard exits 4,
  # tests/cli/logrank_nph.sh)
  # smallcell, trt 2 ends at 103: tau = 180 extends that curve flat (as survmean)
  for (t in if (test == "rmst") c(90, 180) else c(30, 90))
    add(sprintf("veteran_celltype_%g", t), test, "veteran_celltype.csv", vet_cli, V, "trt", "celltype", t)
  add(sprintf("colon_node4_%g", 1825), test, "colon_death.csv", c(col_cli, "--strata", "node4"), Cd, "rx",
      "node4", 1825)
  add(sprintf("colon_sex_node4_%g", 1095), test, "colon_death.csv", c(col_cli, "--strata", "sex,node4"), Cd, "rx",
      c("sex", "node4"), 1095)
}
writeLines(toJSON(list(meta = list(script = "tests/reference/nph/make_stratified_rmst.R", versions = versions,
                                   generated = format(Sys.time(), tz = "UTC", usetz = TRUE)),
                       cases = cases),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), "stratified_rmst.json")
cat("wrote stratified_rmst.json, veteran_celltype.csv, colon_death.csv\n")
