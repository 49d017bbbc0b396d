# Compares a competing-risks command's --json output with one case of
# tests/reference/competing/competing_cli.json (make_competing_cli.R).
# Usage: Rscript competing_compare.R REFERENCE.json CASE_NAME HAZARD_OUTPUT.json
# Every number of the case's `expect` tree must agree with hazard's to the case's relative
# tolerance (|g - r| <= tol |r|, or <= 1e-14 near 0); texts and booleans exactly; R's NA (null)
# must be null. Arrays element by element, of equal length. Exit 0 = agree, 1 = a mismatch.
suppressPackageStartupMessages(library(jsonlite))
a <- commandArgs(TRUE)
ref <- fromJSON(a[1], simplifyVector = FALSE)$cases
ref <- ref[[which(vapply(ref, function(x) x$name, "") == a[2])]]
got <- fromJSON(a[3], simplifyVector = FALSE)
tol <- ref$tolerance
bad <- 0
checked <- 0
miss <- function(path, msg) {
  cat("MISMATCH", a[2], path, ":", msg, "\n")
  bad <<- bad + 1
}
cmp <- function(r, g, path) {
  # a one-element array in R's output is written as a scalar (auto_unbox)
  if (!is.list(r) && is.list(g) && is.null(names(g)) && length(g) == 1) g <- g[[1]]
  if (is.null(r)) {
    if (!is.null(g)) miss(path, paste("hazard", format(g), "R null"))
    return()
  }
  if (is.list(r)) {
    if (!is.list(g)) return(miss(path, "hazard has no object/array here"))
    if (!is.null(names(r))) {
      for (n in names(r)) {
        if (!(n %in% names(g)) && !is.null(r[[n]])) miss(paste0(path, ".", n), "missing key")
        else cmp(r[[n]], g[[n]], paste0(path, ".", n))
      }
    } else {
      if (length(r) != length(g))
        return(miss(path, sprintf("length: hazard %d, R %d", length(g), length(r))))
      for (i in seq_along(r)) cmp(r[[i]], g[[i]], sprintf("%s[%d]", path, i - 1))
    }
    return()
  }
  if (is.null(g)) return(miss(path, paste("hazard null, R", format(r, digits = 17))))
  checked <<- checked + 1
  if (is.numeric(r)) {
    if (!is.numeric(g)) return(miss(path, paste("hazard", format(g), "is not a number")))
    if (!(abs(g - r) <= tol * abs(r) || abs(g - r) <= 1e-14))
      miss(path, paste("hazard", format(g, digits = 17), "R", format(r, digits = 17)))
  } else if (!identical(r, g)) {
    miss(path, paste("hazard", format(g), "R", format(r)))
  }
}
invisible(cmp(ref$expect, got, a[2]))
if (checked < 5) miss("", sprintf("only %d values compared", checked))
cat(sprintf("%s: %d values compared to %g, %d mismatches\n", a[2], checked, tol, bad))
quit(status = if (bad) 1 else 0)
