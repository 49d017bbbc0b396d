# Reference values for the --where forms (docs/cli/data.md, "--where semantics"), from R.
# R 4.2.2, survival 3.5-3 (Debian bookworm); the versions are recorded in where.json.
#
# Run from anywhere:  Rscript tests/reference/data/make_where.R
# Writes next to itself:
#   colon.csv, lung.csv  survival's colon and lung data sets (write.csv, row names dropped)
#   where.json           one case per --where: the hazard flags, the R subset expression that
#                        selects the same rows, and on those rows R's
#                          n      = nrow(subset)
#                          chisq, df = survdiff(Surv(time, status) ~ group, data = subset)
#                          events per group (in hazard's level order: sorted, as factor() on the CSV)
# The rows are selected with R's own operators (%in%, >=, >, <, <=, !=) on the data as read back
# from the CSV, so the reference does not depend on hazard's parser.
suppressMessages({
  library(survival)
  library(jsonlite)
})
script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)

write.csv(survival::colon, "colon.csv", row.names = FALSE)
write.csv(survival::lung, "lung.csv", row.names = FALSE)
colon <- read.csv("colon.csv")
lung <- read.csv("lung.csv")

case <- function(name, file, data, keep, expr, group, event, cli) {
  d <- data[keep, ]
  # missing values never match (R's subset() semantics: NA in the condition drops the row)
  d <- d[!is.na(keep[keep]), ]
  d <- d[!is.na(d$time) & !is.na(d$status) & !is.na(d[[group]]), ]
  y <- Surv(d$time, event(d$status))
  g <- factor(d[[group]])
  sd <- survdiff(y ~ g)
  list(name = name, file = file, cli = cli, r_subset = expr,
       r_call = sprintf("survdiff(Surv(time, %s) ~ %s, data = subset(%s, %s))",
                        sub("s ==", "status ==", deparse(body(event))), group, sub("\\.csv$", "", file), expr),
       n = nrow(d), levels = levels(g), n_per_group = as.vector(sd$n),
       events = as.vector(sd$obs), chisq = sd$chisq, df = length(sd$n) - 1L)
}
is2 <- function(s) s == 2
is1 <- function(s) s == 1
cases <- list(
  case("colon rx in Obs,Lev+5FU (etype 2)", "colon.csv", colon,
       colon$etype == 2 & colon$rx %in% c("Obs", "Lev+5FU"),
       "etype == 2 & rx %in% c(\"Obs\", \"Lev+5FU\")", "rx", is1,
       c("--time", "time", "--event", "status", "--group", "rx", "--where", "etype=2",
         "--where", "rx in Obs,Lev+5FU")),
  case("colon rx in quoted items", "colon.csv", colon,
       colon$etype == 2 & colon$rx %in% c("Lev", "Lev+5FU"),
       "etype == 2 & rx %in% c(\"Lev\", \"Lev+5FU\")", "rx", is1,
       c("--time", "time", "--event", "status", "--group", "rx", "--where", "etype=2",
         "--where", "rx IN \"Lev\", \"Lev+5FU\"")),
  case("colon rx != Obs", "colon.csv", colon,
       colon$etype == 2 & colon$rx != "Obs",
       "etype == 2 & rx != \"Obs\"", "rx", is1,
       c("--time", "time", "--event", "status", "--group", "rx", "--where", "etype=2",
         "--where", "rx!=Obs")),
  case("lung age>=65", "lung.csv", lung, lung$age >= 65, "age >= 65", "sex", is2,
       c("--time", "time", "--event", "status=2", "--group", "sex", "--where", "age>=65")),
  case("lung age > 65 (spaces)", "lung.csv", lung, lung$age > 65, "age > 65", "sex", is2,
       c("--time", "time", "--event", "status=2", "--group", "sex", "--where", "age > 65")),
  case("lung age<65", "lung.csv", lung, lung$age < 65, "age < 65", "sex", is2,
       c("--time", "time", "--event", "status=2", "--group", "sex", "--where", "age<65")),
  case("lung age<=65", "lung.csv", lung, lung$age <= 65, "age <= 65", "sex", is2,
       c("--time", "time", "--event", "status=2", "--group", "sex", "--where", "age<=65")),
  case("lung ph.ecog!=1 (missing never matches)", "lung.csv", lung, lung$ph.ecog != 1,
       "ph.ecog != 1", "sex", is2,
       c("--time", "time", "--event", "status=2", "--group", "sex", "--where", "ph.ecog!=1")),
  case("lung ph.ecog in 0,2 (numeric set)", "lung.csv", lung, lung$ph.ecog %in% c(0, 2),
       "ph.ecog %in% c(0, 2)", "sex", is2,
       c("--time", "time", "--event", "status=2", "--group", "sex", "--where", "ph.ecog in 0,2")),
  case("lung wt.loss>=-5.5 and inst in 1,3,12", "lung.csv", lung,
       lung$wt.loss >= -5.5 & lung$inst %in% c(1, 3, 12),
       "wt.loss >= -5.5 & inst %in% c(1, 3, 12)", "sex", is2,
       c("--time", "time", "--event", "status=2", "--group", "sex", "--where", "wt.loss>=-5.5",
         "--where", "inst in 1, 3,12"))
)
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))
writeLines(toJSON(list(versions = versions, cases = cases), auto_unbox = TRUE, digits = NA,
                  pretty = TRUE), "where.json")
cat("wrote", length(cases), "cases to where.json\n")
