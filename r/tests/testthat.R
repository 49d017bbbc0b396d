library(testthat)
library(hazard)
test_check("hazard")
