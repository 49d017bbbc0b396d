// km_landmark (R's summary.survfit(times =, extend = TRUE)) on a hand-worked curve.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/km.hpp"

namespace {

// times 2, 4, 6, 8; events at 2 and 6, censored at 4 and 8: S = 3/4, 3/4, 3/8, 3/8.
const std::vector<double> time = {4, 2, 8, 6};
const std::vector<std::uint8_t> status = {0, 1, 0, 1};

TEST(KmLandmark, BeforeTheFirstTimeIsTheStart) {
  const auto c = hazard::km_curve(time, status);
  const auto a = hazard::km_landmark(c, 1);
  EXPECT_EQ(a.surv, 1.0);
  EXPECT_EQ(a.std_err, 0.0);
  EXPECT_EQ(a.lower, 1.0);
  EXPECT_EQ(a.upper, 1.0);
  EXPECT_EQ(a.n_risk, 4.0);
}

TEST(KmLandmark, BetweenTimesTakesTheLastRowAndTheNextRiskSet) {
  const auto c = hazard::km_curve(time, status);
  const auto a = hazard::km_landmark(c, 5);
  EXPECT_DOUBLE_EQ(a.surv, 0.75);
  EXPECT_EQ(a.n_risk, 2.0);                  // at risk at t = 6
  const auto b = hazard::km_landmark(c, 6);  // at an event time: S after the event, risk set at 6
  EXPECT_DOUBLE_EQ(b.surv, 0.375);
  EXPECT_EQ(b.n_risk, 2.0);
  // Greenwood: SE(S) = S sqrt(1/(4*3) + 1/(2*1))
  EXPECT_DOUBLE_EQ(b.std_err, 0.375 * std::sqrt(1.0 / 12 + 0.5));
}

TEST(KmLandmark, AfterTheLastTimeKeepsTheLastValueWithNobodyAtRisk) {
  const auto c = hazard::km_curve(time, status);
  const auto a = hazard::km_landmark(c, 100);
  EXPECT_DOUBLE_EQ(a.surv, 0.375);
  EXPECT_EQ(a.n_risk, 0.0);
}

TEST(KmLandmark, RejectsNegativeOrNonFiniteTimes) {
  const auto c = hazard::km_curve(time, status);
  EXPECT_THROW(hazard::km_landmark(c, -1), hazard::UsageError);
  EXPECT_THROW(hazard::km_landmark(c, INFINITY), hazard::UsageError);
}

}  // namespace
