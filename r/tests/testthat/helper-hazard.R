# Shared by the tests: the project's tolerances, read from tests/tolerances.hpp (the one list of
# them, each with its reason), and the repository's reference files. HAZARD_SOURCE_DIR names the
# repository (default: three folders up from r/tests/testthat).
hz_source_dir <- function() {
  d <- Sys.getenv("HAZARD_SOURCE_DIR")
  if (nzchar(d)) d else normalizePath(file.path(testthat::test_path(), "..", "..", ".."))
}
hz_tol <- local({
  text <- readLines(file.path(hz_source_dir(), "tests", "tolerances.hpp"))
  m <- regmatches(text, regexec("inline constexpr double (\\w+) = ([0-9.eE+-]+);", text))
  m <- m[lengths(m) == 3]
  setNames(as.numeric(vapply(m, `[`, "", 3)), vapply(m, `[`, "", 2))
})
hz_reference <- function(relative) jsonlite::fromJSON(file.path(hz_source_dir(), "tests", "reference", relative),
                                                      simplifyVector = FALSE)
# relative agreement as tests/test_util.hpp's near_rel (NA matches NA, Inf by sign)
expect_near <- function(object, expected, tol, label = NULL) {
  object <- unname(as.numeric(object))
  expected <- unname(as.numeric(expected))
  expect_equal(length(object), length(expected), label = label)
  bad <- !((is.na(object) & is.na(expected)) |
           (is.infinite(object) & is.infinite(expected) & sign(object) == sign(expected)) |
           (abs(object - expected) <= tol * abs(expected) | abs(object - expected) <= 1e-14))
  bad[is.na(bad)] <- TRUE
  expect(!any(bad), sprintf("%s: %d of %d values differ beyond %g, first at %d: %s vs %s",
                            if (is.null(label)) "values" else label, sum(bad), length(bad), tol,
                            which(bad)[1], format(object[which(bad)[1]], digits = 17),
                            format(expected[which(bad)[1]], digits = 17)))
}
