# hz_reconstruct against the independent R implementation of Guyot's algorithm
# (tests/reference/reconstruct/guyot_reference.R, its hand-built case).
test_that("the hand-built sparse case", {
  ref <- hz_reference("reconstruct/guyot_reference.json")$hand_sparse
  curve <- data.frame(time = c(0, 1.0, 1.0, 2.1, 2.0, 3.5, 3.5, 4.2, 5.0, 5.1, 9.5, 9.5, 11, 11.8, 4.0),
                      surv = c(100, 100, 95, 95, 96, 95, 88, 88, 80, 81, 80, 70, 70, 65, 88))
  at_risk <- data.frame(time = c(0, 3, 6, 9, 12, 15), n_risk = c(20, 18, 14, 12, 8, 8))
  r <- suppressWarnings(hz_reconstruct(curve, at_risk, events = 7))
  expect_true(any(grepl("no digitized points in [6, 9)", r$arms[[1]]$warnings, fixed = TRUE)))
  iv <- r$arms[[1]]$intervals
  expect_equal(iv$events, unlist(ref$events_per_interval))
  expect_equal(iv$censored, unlist(ref$censored_per_interval))
  expect_equal(iv$n_risk_rebuilt, unlist(ref$n_risk_rebuilt))
  ipd <- as.data.frame(r)
  expect_equal(nrow(ipd), 20)
  expect_equal(sum(ipd$event), ref$events)
  expect_near(glance(r)$max_distance, ref$max_distance, 1e-12)
})
