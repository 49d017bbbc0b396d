# Reference values for Cox models with interaction terms and the joint (Type 3) test of each
# term with several columns (src/cox/design.cpp, src/cox/term_tests.cpp; `hazard cox
# --covariates 'a*b,c:d'`). R 4.2.2, survival 3.5-3 (Debian bookworm); versions recorded in
# interactions.json.
#
# Run from anywhere:  Rscript tests/reference/cox/make_interactions.R
# Reads lung.csv and veteran.csv (written by make_cox.R) and writes interactions.json: per case the
# hazard flags, the R formula, and
#   names      colnames of R's model.matrix without the intercept (coxph's X), R's spelling
#   coef, se   coef(fit) and sqrt(diag(vcov(fit))) (the robust variance with robust = TRUE)
#   loglik     fit$loglik
#   tests      per term with more than one column (R's attr(X, "assign")), named as hazard names
#              it ("age:sex", "trt:celltype"):
#                wald = b' V^-1 b on the term's coefficients (V = vcov(fit), robust when robust),
#                       df = their number;
#                lr   = 2 (fit$loglik[2] - loglik of coxph refitted on X without the term's
#                       columns, same strata and options), df = the number of columns dropped.
#   car::Anova (type = 3) would give the same Wald test; car is not installed here, so the tests
#   are computed by hand from these definitions (SAS PHREG's TYPE3 Wald test is the same statistic
#   for the same parameterisation).
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
lung <- read.csv("lung.csv")
veteran <- read.csv("veteran.csv")
lung$ph.ecog <- factor(lung$ph.ecog)
veteran$trt <- factor(veteran$trt)
veteran$celltype <- factor(veteran$celltype)

case <- function(name, data_name, formula, strata, robust, cli, hazard_terms) {
  d <- get(data_name)
  f <- as.formula(paste("Surv(time, status) ~", formula, if (!is.null(strata)) paste("+ strata(", strata, ")")))
  fit <- coxph(f, data = d, robust = robust, x = TRUE)
  X <- fit$x
  assign <- attr(model.matrix(as.formula(paste("~", formula)), d), "assign")[-1]
  stopifnot(ncol(X) == length(assign))
  V <- vcov(fit)
  b <- coef(fit)
  labels <- attr(terms(as.formula(paste("~", formula))), "term.labels")
  tests <- list()
  for (t in seq_along(labels)) {
    cols <- which(assign == t)
    if (length(cols) < 2) next
    ok <- cols[!is.na(b[cols])]
    wald <- as.numeric(t(b[ok]) %*% solve(V[ok, ok, drop = FALSE], b[ok]))
    keep <- setdiff(seq_len(ncol(X)), cols)
    st <- if (!is.null(strata)) d[[strata]] else rep(1, nrow(d))
    y <- fit$y
    reduced <- if (length(keep)) coxph(y ~ X[, keep, drop = FALSE] + strata(st))$loglik[2] else fit$loglik[1]
    lr <- 2 * (fit$loglik[2] - reduced)
    tests[[length(tests) + 1]] <- list(term = hazard_terms[t], r_term = labels[t],
                                       wald = wald, wald_df = length(ok), wald_p = pchisq(wald, length(ok), lower.tail = FALSE),
                                       lr = lr, lr_df = length(cols), lr_p = pchisq(lr, length(cols), lower.tail = FALSE))
  }
  list(name = name, file = paste0(data_name, ".csv"), cli = cli,
       call = sprintf("coxph(%s, data = %s, robust = %s)", deparse(f, width.cutoff = 500), data_name, robust),
       names = colnames(X), coef = unname(b), se = unname(sqrt(diag(V))), loglik = fit$loglik,
       n = fit$n, nevent = fit$nevent, tests = tests)
}
base <- c("--time", "time", "--event", "status")
cases <- list(
  case("lung age*sex + ph.ecog", "lung", "age * sex + ph.ecog", NULL, FALSE,
       c(base, "--covariates", "age*sex,ph.ecog", "--ref", "ph.ecog=0"), c("age", "sex", "ph.ecog", "age:sex")),
  case("lung age*sex + ph.ecog, robust", "lung", "age * sex + ph.ecog", NULL, TRUE,
       c(base, "--covariates", "age*sex,ph.ecog", "--ref", "ph.ecog=0", "--robust"), c("age", "sex", "ph.ecog", "age:sex")),
  case("veteran trt*celltype (arm by factor)", "veteran", "trt * celltype", NULL, FALSE,
       c(base, "--group", "trt", "--covariates", "trt*celltype"), c("trt", "celltype", "trt:celltype")),
  case("veteran trt + trt:celltype (nested)", "veteran", "trt + trt:celltype", NULL, FALSE,
       c(base, "--group", "trt", "--covariates", "trt:celltype"), c("trt", "trt:celltype")),
  case("veteran karno:celltype (no main effects), strata(prior)", "veteran", "karno:celltype", "prior", FALSE,
       c(base, "--covariates", "karno:celltype", "--strata", "prior"), c("karno:celltype")),
  case("veteran trt*karno*celltype", "veteran", "trt * karno * celltype", NULL, FALSE,
       c(base, "--group", "trt", "--covariates", "trt*karno*celltype"),
       c("trt", "karno", "celltype", "trt:karno", "trt:celltype", "karno:celltype", "trt:karno:celltype"))
)
versions <- list(R = R.version.string, survival = as.character(packageVersion("survival")),
                 jsonlite = as.character(packageVersion("jsonlite")))
writeLines(toJSON(list(versions = versions, cases = cases), auto_unbox = TRUE, digits = NA, pretty = TRUE),
           "interactions.json")
for (c in cases) cat(c$name, ":", paste(c$names, collapse = " "), "\n")
