# Reference values for the multivariate normal rectangle probability (src/util/mvnorm.cpp).
#
# Run from anywhere:  Rscript tests/reference/nph/make_mvnorm.R
# Needs: r-base-core, r-cran-mvtnorm, r-cran-jsonlite.
# Writes mvnorm.json: per case the limits, the correlation matrix, and
#   * dims 2-3 and non-singular R: mvtnorm::pmvnorm(algorithm = Miwa(steps = 4096)), deterministic,
#     cross-checked with GenzBretz(maxpts = 5e6, abseps = 1e-10, releps = 0) after set.seed(1);
#     dims 4-5: GenzBretz (its error estimate recorded; Miwa with 4096 steps is off by 5e-7 there);
#   * R = I: the product of the marginals (closed form).
#   * a singular R (a variable repeated): the probability of the reduced problem (the repeated
#     variable's limits intersected), by Miwa.
suppressMessages({ library(mvtnorm); library(jsonlite) })
script_dir <- local({
  a <- commandArgs(trailingOnly = FALSE)
  f <- sub("^--file=", "", a[grep("^--file=", a)])
  if (length(f)) dirname(normalizePath(f)) else getwd()
})
setwd(script_dir)
versions <- list(R = R.version.string, mvtnorm = as.character(packageVersion("mvtnorm")),
                 jsonlite = as.character(packageVersion("jsonlite")))
cases <- list()
add <- function(name, lower, upper, R, value_call = NULL) {
  set.seed(1)
  g <- pmvnorm(lower = lower, upper = upper, corr = R,
               algorithm = GenzBretz(maxpts = 5e6, abseps = 1e-10, releps = 0))
  m <- if (!is.null(value_call)) value_call()
       else if (nrow(R) <= 3) pmvnorm(lower = lower, upper = upper, corr = R, algorithm = Miwa(steps = 4096))
       else g
  if (abs(g - m) > 1e-8 + attr(g, "error")) stop(sprintf("%s: GenzBretz %.15g vs %.15g", name, g, m))
  enc <- function(x) ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), format(x, digits = 17))
  cases[[length(cases) + 1]] <<- list(name = name, lower = enc(lower), upper = enc(upper),
                                      corr = lapply(seq_len(nrow(R)), function(i) R[i, ]),
                                      value = as.numeric(m), genzbretz = as.numeric(g),
                                      genzbretz_error = attr(g, "error"))
}
eq <- function(d, r) { R <- matrix(r, d, d); diag(R) <- 1; R }
add("bivariate_0.6", c(-3.378, -3.378), c(3.378, 3.378), eq(2, 0.6))
add("bivariate_neg", c(-1, -Inf), c(2, 0.5), eq(2, -0.7))
add("trivariate", c(-2, -1.5, -Inf), c(2, 1, 1.2), matrix(c(1, 0.5, 0.3, 0.5, 1, 0.7, 0.3, 0.7, 1), 3))
add("equicorr_4_upper", rep(-1.1, 4), rep(Inf, 4), eq(4, 0.8))
add("fh_like_5", rep(-2.4, 5), rep(2.4, 5),
    matrix(c(1, .9, .8, .7, .6, .9, 1, .9, .8, .7, .8, .9, 1, .9, .8, .7, .8, .9, 1, .9, .6, .7, .8, .9, 1), 5))
add("independent_3", c(-1, 0, -2), c(1, Inf, 0.5), diag(3),
    value_call = function() prod(pnorm(c(1, Inf, 0.5)) - pnorm(c(-1, 0, -2))))
# singular: variable 3 repeats variable 1; the answer is the 2-d problem with intersected limits
Rs <- matrix(c(1, 0.4, 1, 0.4, 1, 0.4, 1, 0.4, 1), 3)
add("singular_repeat", c(-2, -1, -1.5), c(1.5, 2, 2), Rs,
    value_call = function() pmvnorm(lower = c(-1.5, -1), upper = c(1.5, 2), corr = eq(2, 0.4), algorithm = Miwa(steps = 4096)))
writeLines(toJSON(list(meta = list(script = "tests/reference/nph/make_mvnorm.R", versions = versions,
                                   calls = "pmvnorm(lower, upper, corr = R, algorithm = Miwa(steps = 4096)); GenzBretz(maxpts = 5e6, abseps = 1e-10, releps = 0) after set.seed(1)"),
                       cases = cases), auto_unbox = TRUE, digits = NA, pretty = TRUE), "mvnorm.json")
cat("wrote mvnorm.json\n")
