# hazard's errors as R conditions carrying the library's message (and the row, column and value
# of a data error).
library(survival)

test_that("a data error names the row, column and value", {
  d <- data.frame(t = c(5, -3, 8), e = c(1, 0, 1))
  e <- tryCatch(hz_km(Surv(t, e) ~ 1, data = d), hazard_data_error = function(e) e)
  expect_s3_class(e, "hazard_error")
  expect_equal(conditionMessage(e), "d: row 2: column 't': value '-3': time is negative")
  expect_equal(e$row, 2)
  expect_equal(e$column, "t")
  expect_equal(e$value, "-3")
  expect_error(hz_km(Surv(t, e) ~ 1, data = transform(d, e = c(1, 3, 0), t = 1:3)), "the event must be 1/0",
               class = "hazard_data_error")
})

test_that("usage and numerical errors", {
  expect_error(hz_km(Surv(time, status) ~ sex, data = lung, conf.int = 1.5), class = "hazard_usage_error")
  expect_error(hz_km(Surv(time, status) ~ sex + age, data = lung), "one grouping variable", class = "hazard_usage_error")
  expect_error(hz_cox(Surv(time, status) ~ age * sex, data = lung), "interaction", class = "hazard_usage_error")
  expect_error(hz_cox(Surv(time, status) ~ age, data = transform(lung, status = 0)), "no events", class = "hazard_data_error")
  expect_error(hz_km(time ~ sex, data = lung), "Surv", class = "hazard_usage_error")
  expect_error(hz_design(), "the effect is required", class = "hazard_usage_error")
})
